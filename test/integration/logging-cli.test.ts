import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { runCli } from '../../src/cli/run-cli.js';
import type { FakeApiServer } from '../../src/kube-sim/index.js';
import { captureIo } from '../support/capture-io.js';
import { crdProblems, startCluster, T0, writes } from './logging-helpers.js';

async function run(server: FakeApiServer, args: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'meshbot-'));
  const kubeconfig = join(dir, 'config');
  writeFileSync(kubeconfig, server.kubeconfigYaml());
  const io = captureIo({ env: { USER: 'carol' }, now: () => T0 });
  const code = await runCli([...args, '--kubeconfig', kubeconfig], io);
  return { code, stdout: io.out(), stderr: io.err() };
}

describe('meshbot enable-logging / status through the CLI', () => {
  let server: FakeApiServer;
  afterEach(async () => {
    await server.close();
  });

  it.each([
    [['status', 'nosuchns']],
    [['enable-logging', 'nosuchns', '--for', '1h']],
    [['enable-logging', 'nosuchns', '--dry-run']],
  ])('%j: a namespace that does not exist says so, and writes nothing', async (args) => {
    server = await startCluster();
    server.clearRequests();
    const { code, stdout, stderr } = await run(server, args);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe('meshbot: namespace nosuchns does not exist\n');
    expect(writes(server)).toEqual([]);
  });

  it('--dry-run prints YAML that validates and writes nothing', async () => {
    server = await startCluster();
    server.clearRequests();
    const { code, stdout } = await run(server, ['enable-logging', 'shop', '--for', '30m', '--dry-run']);
    expect(code).toBe(0);
    const docs = parseAllDocuments(stdout.slice(stdout.indexOf('# create'))).map((d) => d.toJS() as unknown);
    expect(docs).toHaveLength(1);
    expect(crdProblems(docs[0])).toEqual([]);
    expect(stdout).toContain('requested by carol');
    expect(writes(server)).toEqual([]);
  });

  it('enables, shows status, refuses too long, reports RBAC and missing Istio clearly', async () => {
    server = await startCluster();
    expect((await run(server, ['enable-logging', 'shop', '--for', '5h'])).stderr).toContain('maximum of 4h');
    expect((await run(server, ['enable-logging', 'shop'])).code).toBe(0);
    const status = await run(server, ['status', '-A']);
    expect(status.stdout).toContain('shop: Telemetry meshbot-access-logging');
    const off = await run(server, ['disable-logging', 'shop']);
    expect(off.stdout).toContain('deleted Telemetry shop/meshbot-access-logging');
    server.deny({ verb: 'create', resource: 'telemetries' });
    const denied = await run(server, ['enable-logging', 'shop']);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(
      /may not create telemetries\.telemetry\.istio\.io in namespace shop.*deploy\/rbac\.yaml/,
    );
    server.setIstioVersions('none');
    expect((await run(server, ['status'])).stderr).toContain('Istio is not installed in this cluster');
  });
});
