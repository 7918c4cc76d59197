/**
 * The logging commands pointed at a server that is no Kubernetes API (a web server, a wrong port): the built
 * CLI names the URL and what `GET /version` answered, instead of "namespace does not exist" or a discovery
 * 404, and `reconcile --watch` stops rather than retrying forever.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeconfigFor } from '../../src/kube-sim/kubeconfig.js';
import { runMeshbot } from '../support/run-meshbot.js';

describe('logging commands against a server that is no Kubernetes API', () => {
  let other: Server;
  let url = '';
  let kubeconfig = '';
  beforeAll(async () => {
    other = createServer((_, res) => {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('<html>404</html>');
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
    const dir = mkdtempSync(join(tmpdir(), 'meshbot-kc-'));
    kubeconfig = join(dir, 'config');
    writeFileSync(kubeconfig, kubeconfigFor(url, 'token', 'shop'));
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => other.close(() => resolve()));
  });

  it.each([
    [['status']],
    [['status', 'shop']],
    [['enable-logging', 'shop', '--dry-run']],
    [['disable-logging', 'shop']],
    [['reconcile']],
    [['reconcile', '--watch', '--lease-namespace', 'meshbot']],
  ])('meshbot %j names the URL and exits 1', async (args) => {
    const result = await runMeshbot([...args, '--kubeconfig', kubeconfig]);
    expect(result).toMatchObject({
      code: 1,
      stderr: `meshbot: ${url} does not look like a Kubernetes API server: GET /version answered 404; check the server URL of the kubeconfig context (--kubeconfig, --context)\n`,
    });
  });
});
