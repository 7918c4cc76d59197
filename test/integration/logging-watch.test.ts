/** `meshbot reconcile --watch`: the long-running reconciler as the CLI runs it, two replicas at once. */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { enableLogging } from '../../src/commands/enable-logging.js';
import type { FakeApiServer } from '../../src/kube-sim/index.js';
import { captureIo } from '../support/capture-io.js';
import { HOUR, meshbotClients, startCluster, T0 } from './logging-helpers.js';

const MAIN = new URL('../../dist/cli/main.js', import.meta.url).pathname;

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (condition()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('meshbot reconcile --watch', () => {
  let server: FakeApiServer;
  afterEach(async () => {
    await server.close();
  });

  it('two replicas: the Lease holder reverts the expired change once, both stop cleanly on a signal', async () => {
    server = await startCluster();
    const { istio } = meshbotClients(server);
    await enableLogging(
      { namespace: 'shop', forMs: HOUR, maxMs: 4 * HOUR, requestedBy: 'alice' },
      { istio, clock: () => T0 },
    );
    const kubeconfig = join(mkdtempSync(join(tmpdir(), 'meshbot-watch-')), 'config');
    writeFileSync(kubeconfig, server.kubeconfigYaml('default'));
    const later = () => T0 + 2 * HOUR;
    const stop = new AbortController();
    const replicas = ['replica-a', 'replica-b'].map((identity) => {
      const io = captureIo({ now: later, signal: stop.signal });
      const args = ['reconcile', '--watch', '--interval', '100ms', '--kubeconfig', kubeconfig];
      const done = runCli([...args, '--identity', identity, '--lease-namespace', 'meshbot'], io);
      return { identity, io, done };
    });

    await until(
      () => server.listObjects('telemetry.istio.io/v1', 'telemetries', 'shop').length === 0,
      'the revert',
    );
    // Let both replicas run a few more passes: nothing is reverted twice, nothing fails.
    await new Promise((r) => setTimeout(r, 350));
    stop.abort();
    const codes = await Promise.all(replicas.map((r) => r.done));

    expect(codes).toEqual([0, 0]);
    const reporters = replicas.filter((r) => r.io.out().includes('reverted'));
    expect(reporters).toHaveLength(1);
    const lease = server.getObject('coordination.k8s.io/v1', 'leases', 'meshbot', 'meshbot-reconciler') as {
      spec: { holderIdentity: string };
    };
    expect(lease.spec.holderIdentity).toBe(reporters[0]?.identity);
    for (const r of replicas) {
      expect(r.io.err()).toContain(`as ${r.identity} (Lease meshbot/meshbot-reconciler)`);
      expect(r.io.err()).not.toContain('failed');
    }
    const deletes = server.requests.filter((q) => q.method === 'DELETE' && q.path.includes('/telemetries/'));
    expect(deletes).toHaveLength(1);
  });

  it('the built CLI stops on SIGTERM with exit code 0', async () => {
    server = await startCluster();
    const kubeconfig = join(mkdtempSync(join(tmpdir(), 'meshbot-watch-')), 'config');
    writeFileSync(kubeconfig, server.kubeconfigYaml('default'));
    const child = spawn(
      process.execPath,
      [MAIN, 'reconcile', '--watch', '--interval', '1s', '--kubeconfig', kubeconfig],
      {
        env: { PATH: process.env.PATH ?? '', HOME: tmpdir() },
      },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await until(() => stderr.includes('reconciling every 1s'), 'the watch to start');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).not.toContain('failed');
  });

  it('refuses --watch with --dry-run', async () => {
    server = await startCluster();
    const io = captureIo({ now: () => T0 });
    const code = await runCli(['reconcile', '--watch', '--dry-run'], io);
    expect(code).toBe(2);
    expect(io.err()).toContain('--watch and --dry-run cannot be used together');
  });
});
