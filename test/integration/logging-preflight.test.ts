/**
 * `enable-logging` checks before it writes, says who will switch it off, and reverts expired changes it finds;
 * `status NS` shows which namespace-wide rule applies; `reconcile --watch` stops on a missing Lease namespace.
 * Through the CLI (in process, and the built one) against the fake API server.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { enableLogging } from '../../src/commands/enable-logging.js';
import type { FakeApiServer } from '../../src/kube-sim/index.js';
import { captureIo } from '../support/capture-io.js';
import { HOUR, meshbotClients, startCluster, T0, writes } from './logging-helpers.js';

const MAIN = new URL('../../dist/cli/main.js', import.meta.url).pathname;
const MESH_YAML = [
  'extensionProviders:',
  '- name: otel',
  '  envoyOtelAls: {service: otel.observability.svc.cluster.local, port: 4317}',
  '- name: zipkin',
  '  zipkin: {service: zipkin.istio-system.svc.cluster.local, port: 9411}',
].join('\n');

function kubeconfigOf(server: FakeApiServer): string {
  const kubeconfig = join(mkdtempSync(join(tmpdir(), 'meshbot-preflight-')), 'config');
  writeFileSync(kubeconfig, server.kubeconfigYaml());
  return kubeconfig;
}

async function run(server: FakeApiServer, args: string[], now = T0) {
  const io = captureIo({ env: { USER: 'carol' }, now: () => now });
  const code = await runCli([...args, '--kubeconfig', kubeconfigOf(server)], io);
  return { code, stdout: io.out(), stderr: io.err() };
}

async function cluster(): Promise<FakeApiServer> {
  const server = await startCluster();
  server.addMeshConfig(MESH_YAML);
  server.addPod({ namespace: 'shop', name: 'web-1', labels: { app: 'web' }, istio: 'sidecar' });
  server.addPod({ namespace: 'shop', name: 'cart-1', labels: { app: 'cart' }, istio: 'native' });
  return server;
}

function lease(server: FakeApiServer, holder: string, renewedMs: number): void {
  server.addObject('coordination.k8s.io/v1', 'leases', {
    metadata: { name: 'meshbot-reconciler', namespace: 'meshbot' },
    spec: {
      holderIdentity: holder,
      leaseDurationSeconds: 180,
      renewTime: new Date(renewedMs).toISOString().replace('Z', '000Z'),
      acquireTime: new Date(renewedMs).toISOString().replace('Z', '000Z'),
      leaseTransitions: 0,
    },
  });
}

describe('enable-logging preflight, through the CLI', () => {
  let server: FakeApiServer;
  afterEach(async () => {
    await server.close();
  });

  it.each([
    [
      ['--provider', 'nosuch'],
      2,
      'meshbot: --provider nosuch is not in the mesh config (istio-system/istio): Istio would ignore the rule and nothing would be logged. Access-log providers there: envoy (built in, /dev/stdout), otel (envoyOtelAls).',
    ],
    [['--provider', 'zipkin'], 2, 'meshbot: --provider zipkin is a zipkin provider in the mesh config'],
    [
      ['--filter', 'response.code >='],
      2,
      'meshbot: --filter "response.code >=" is not valid CEL at column 17',
    ],
    [
      ['--workload', 'app=reviews'],
      1,
      'meshbot: no pod in shop matches --workload app=reviews, so nothing would log (pods there: cart-1, web-1; values of app there: cart, web)',
    ],
  ])('refuses %j, in a dry run too, and writes nothing', async (flags, exitCode, message) => {
    server = await cluster();
    for (const dryRun of [['--dry-run'], []]) {
      server.clearRequests();
      const { code, stdout, stderr } = await run(server, ['enable-logging', 'shop', ...flags, ...dryRun]);
      expect(code).toBe(exitCode);
      expect(stdout).toBe('');
      expect(stderr).toContain(message);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(writes(server)).toEqual([]);
    }
  });

  it('accepts a provider of the mesh config of the namespace revision (istio-<rev>)', async () => {
    server = await cluster();
    server.addNamespace('canary-shop', { 'istio.io/rev': 'canary' });
    server.addPod({ namespace: 'canary-shop', name: 'web-1', labels: { app: 'web' }, istio: 'sidecar' });
    server.addConfigMap('istio-system', 'istio-canary', {
      mesh: 'extensionProviders:\n- name: canary-otel\n  envoyOtelAls: {service: otel, port: 4317}\n',
    });
    const ok = await run(server, ['enable-logging', 'canary-shop', '--provider', 'canary-otel', '--dry-run']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(
      'canary-otel is an access-log provider (envoyOtelAls) in istio-system/istio-canary',
    );
    const refused = await run(server, ['enable-logging', 'shop', '--provider', 'canary-otel', '--dry-run']);
    expect(refused.stderr).toContain('--provider canary-otel is not in the mesh config (istio-system/istio)');
  });

  it('warns (and still switches on) where no pod is injected, showing it in text and JSON', async () => {
    server = await cluster();
    server.addNamespace('legacy');
    server.addPod({ namespace: 'legacy', name: 'old-1', labels: { app: 'old' }, istio: false });
    const text = await run(server, ['enable-logging', 'legacy', '--for', '1h']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(
      'warning: none of the 1 pod in legacy has an Istio proxy (no istio-proxy sidecar) and legacy is not in ambient mode',
    );
    expect(server.listObjects('telemetry.istio.io/v1', 'telemetries', 'legacy')).toHaveLength(1);
    const json = await run(server, ['enable-logging', 'legacy', '--for', '1h', '--dry-run', '-o', 'json']);
    const result = JSON.parse(json.stdout) as { checks: { check: string; outcome: string }[] };
    expect(result.checks.map((c) => `${c.check}:${c.outcome}`)).toEqual([
      'provider:ok',
      'filter:skipped',
      'injection:warning',
      'narrowing:ok',
    ]);
  });

  it('warns that a filtered workload rule narrows what the namespace already logs', async () => {
    server = await cluster();
    server.addCustomObject('telemetry.istio.io', 'v1', 'telemetries', {
      metadata: { name: 'shop-logs', namespace: 'shop' },
      spec: { accessLogging: [{ providers: [{ name: 'envoy' }] }] },
    });
    const { code, stdout } = await run(server, [
      'enable-logging',
      'shop',
      '--workload',
      'app=web',
      '--filter',
      'response.code >= 500',
      '--dry-run',
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain(
      "warning: Telemetry shop/shop-logs (namespace-wide) already logs app=web; Istio applies only the most specific Telemetry's accessLogging, so while this is on it replaces that rule there, which stops logging every request that does not match the filter",
    );
    expect(stdout).toContain(
      'checked: envoy is built in (a file access log to /dev/stdout); the filter is valid CEL; app=web matches 1 pod in shop; 1 pod matching app=web has an Istio proxy',
    );
  });

  it("warns the same when the namespace rule is meshbot's own (a workload rule does not replace it)", async () => {
    server = await cluster();
    expect((await run(server, ['enable-logging', 'shop', '--for', '1h'])).code).toBe(0);
    const filtered = await run(server, [
      'enable-logging',
      'shop',
      '--workload',
      'app=web',
      '--filter',
      'response.code >= 500',
    ]);
    expect(filtered.code).toBe(0);
    expect(filtered.stdout).toContain(
      'warning: Telemetry shop/meshbot-access-logging (namespace-wide) already logs app=web;',
    );
    expect(filtered.stdout).not.toContain('no broader rule logs here today');
    // Renewing the namespace rule itself is no narrowing.
    const again = await run(server, ['enable-logging', 'shop', '--for', '2h']);
    expect(again.stdout).not.toContain('warning:');
  });
});

describe('enable-logging says who will switch it off', () => {
  let server: FakeApiServer;
  afterEach(async () => {
    await server.close();
  });

  it('no reconciler: says nothing will, and offers the commands; JSON says so too', async () => {
    server = await cluster();
    const { stdout } = await run(server, ['enable-logging', 'shop', '--for', '1h']);
    expect(stdout).toContain(
      'no reconciler is running (no Lease meshbot/meshbot-reconciler): nothing will switch this off at 2024-05-01T13:00:00Z; run meshbot reconcile --watch (or deploy meshbot serve), or meshbot disable-logging shop when done',
    );
    const json = await run(server, ['enable-logging', 'shop', '--for', '1h', '-o', 'json']);
    expect(JSON.parse(json.stdout)).toMatchObject({
      reverter: { state: 'none', lease_namespace: 'meshbot' },
    });
  });

  it('a reconciler renewing the Lease: names it; a stale one: says it stopped', async () => {
    server = await cluster();
    lease(server, 'replica-a', T0 - 4000);
    const fresh = await run(server, ['enable-logging', 'shop', '--for', '1h']);
    expect(fresh.stdout).toContain(
      'reverted at 2024-05-01T13:00:00Z by reconciler replica-a (Lease meshbot/meshbot-reconciler renewed 4s ago)',
    );
    const stale = await run(server, ['enable-logging', 'shop', '--for', '1h'], T0 + HOUR / 2);
    expect(stale.stdout).toContain(
      'no reconciler is running (Lease meshbot/meshbot-reconciler last renewed by replica-a 30m4s ago)',
    );
  });

  it('a Lease meshbot may not read: says it cannot tell, and still succeeds', async () => {
    server = await cluster();
    server.deny({ verb: 'get', resource: 'leases' });
    const { code, stdout } = await run(server, ['enable-logging', 'shop', '--for', '1h']);
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /could not tell whether a reconciler will switch this off at 2024-05-01T13:00:00Z \(reading Lease meshbot\/meshbot-reconciler: meshbot .*may not get leases/,
    );
  });
});

describe('expired changes meshbot finds while it writes', () => {
  let server: FakeApiServer;
  afterEach(async () => {
    await server.close();
  });

  it('enable and disable revert them (a dry run says it would); status only reports', async () => {
    server = await cluster();
    const { istio } = meshbotClients(server);
    // Switched on for app=cart two hours ago, for one hour, and nobody reverted it.
    await enableLogging(
      { namespace: 'shop', workload: 'app=cart', forMs: HOUR, maxMs: 4 * HOUR, requestedBy: 'alice' },
      { istio, clock: () => T0 - 2 * HOUR },
    );
    const name = server.listObjects('telemetry.istio.io/v1', 'telemetries', 'shop')[0]?.metadata as {
      name: string;
    };

    server.clearRequests();
    const status = await run(server, ['status', 'shop']);
    expect(status.stdout).toContain('EXPIRED');
    expect(writes(server)).toEqual([]);

    const dry = await run(server, ['enable-logging', 'shop', '--for', '1h', '--dry-run']);
    expect(dry.stdout).toContain(
      `would revert 1 expired change found here: would delete Telemetry shop/${name.name}`,
    );
    expect(writes(server)).toEqual([]);

    const real = await run(server, ['enable-logging', 'shop', '--for', '1h']);
    expect(real.stdout).toContain(
      `reverted 1 expired change found here: deleted Telemetry shop/${name.name}`,
    );
    const left = server.listObjects('telemetry.istio.io/v1', 'telemetries', 'shop');
    expect(left.map((o) => (o.metadata as { name: string }).name)).toEqual(['meshbot-access-logging']);
  });

  it('disable --workload reverts the other expired changes in the namespace too', async () => {
    server = await cluster();
    const { istio } = meshbotClients(server);
    const base = { namespace: 'shop', forMs: HOUR, maxMs: 4 * HOUR, requestedBy: 'alice' };
    await enableLogging({ ...base, workload: 'app=web' }, { istio, clock: () => T0 });
    await enableLogging({ ...base, workload: 'app=cart' }, { istio, clock: () => T0 - 2 * HOUR });
    const { code, stdout } = await run(server, ['disable-logging', 'shop', '--workload', 'app=web']);
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /reverted 1 expired change found here: deleted Telemetry shop\/meshbot-access-logging-app-cart-/,
    );
    expect(server.listObjects('telemetry.istio.io/v1', 'telemetries', 'shop')).toEqual([]);
  });
});

describe('status NS shows the rule that applies to the namespace', () => {
  let server: FakeApiServer;
  afterEach(async () => {
    await server.close();
  });

  it('the mesh-wide Telemetry after enable-logging --mesh, its own Telemetry once it has one', async () => {
    server = await cluster();
    expect((await run(server, ['enable-logging', '--mesh', '--for', '1h'])).code).toBe(0);
    const mesh = await run(server, ['status', 'shop']);
    expect(mesh.stdout).toContain('istio-system (whole mesh): Telemetry meshbot-access-logging');
    expect(mesh.stdout).toContain(
      'Namespace shop as a whole: the mesh-wide Telemetry istio-system/meshbot-access-logging applies (root namespace istio-system)',
    );
    // What undoes it is disable-logging --mesh, not disable-logging shop.
    expect(mesh.stdout).toContain('or meshbot disable-logging --mesh\n');
    const json = JSON.parse((await run(server, ['status', 'shop', '-o', 'json'])).stdout) as Record<
      string,
      unknown
    >;
    expect(json.applies_to_namespace).toEqual({
      source: 'mesh',
      kind: 'Telemetry',
      namespace: 'istio-system',
      name: 'meshbot-access-logging',
      disabled: false,
    });
    await run(server, ['enable-logging', 'shop', '--for', '1h']);
    expect((await run(server, ['status', 'shop'])).stdout).toContain(
      'Namespace shop as a whole: its own Telemetry shop/meshbot-access-logging applies',
    );
    server.addNamespace('empty');
    const off = await run(server, ['disable-logging', '--mesh']);
    expect(off.stdout).toMatch(
      /^Switched off meshbot's access logging for the whole mesh \(istio-system\)\n {2}deleted Telemetry istio-system\/meshbot-access-logging/,
    );
    expect((await run(server, ['status', 'empty'])).stdout).toContain(
      'Namespace empty as a whole: no rule switches access logging on',
    );
  });
});

describe('reconcile --watch with a Lease namespace that does not exist', () => {
  let server: FakeApiServer;
  afterEach(async () => {
    await server.close();
  });

  it('the built CLI says how to fix it once and exits 1, instead of retrying forever', async () => {
    server = await startCluster();
    const child = spawn(
      process.execPath,
      [
        MAIN,
        'reconcile',
        '--watch',
        '--interval',
        '100ms',
        '--lease-namespace',
        'nosuch',
        '--kubeconfig',
        kubeconfigOf(server),
      ],
      { env: { PATH: process.env.PATH ?? '', HOME: tmpdir() } },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearTimeout(timer);
    expect(code).toBe(1);
    expect(stderr).toBe(
      "meshbot: namespace nosuch does not exist, so reconcile --watch cannot keep its Lease there: create it (kubectl create namespace nosuch) or pass --lease-namespace with an existing namespace (default: $MESHBOT_NAMESPACE, else the pod's namespace, else meshbot)\n",
    );
  });

  it('stops the same way when the namespace disappears while it runs', async () => {
    server = await startCluster();
    server.addNamespace('ops');
    const io = captureIo({ now: () => T0 });
    const done = runCli(
      [
        'reconcile',
        '--watch',
        '--interval',
        '50ms',
        '--lease-namespace',
        'ops',
        '--kubeconfig',
        kubeconfigOf(server),
      ],
      io,
    );
    for (
      let i = 0;
      i < 100 &&
      server.getObject('coordination.k8s.io/v1', 'leases', 'ops', 'meshbot-reconciler') === undefined;
      i++
    ) {
      await new Promise((r) => setTimeout(r, 20));
    }
    server.deleteObject('v1', 'namespaces', undefined, 'ops');
    expect(await done).toBe(1);
    expect(io.err()).toContain(
      'meshbot: namespace ops does not exist, so reconcile --watch cannot keep its Lease there',
    );
    expect(io.err()).not.toContain('reconcile pass failed');
  });
});
