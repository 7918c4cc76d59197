import { afterEach, describe, expect, it } from 'vitest';
import { enableLogging } from '../../src/commands/enable-logging.js';
import { loggingStatus } from '../../src/commands/logging-status.js';
import { reconcileLogging, startReconciler } from '../../src/commands/reconcile-logging.js';
import type { FakeApiServer } from '../../src/kube-sim/index.js';
import { renderLoggingText } from '../../src/render/render-logging.js';
import { comparable, HOUR, meshbotClients, startCluster, T0, testClock } from './logging-helpers.js';

const base = { maxMs: 4 * HOUR, requestedBy: 'alice' };

describe('reconcile and status against the fake API server', () => {
  let server: FakeApiServer;
  afterEach(async () => {
    await server.close();
  });

  it('reverts expired changes after a restart and leaves the rest alone', async () => {
    server = await startCluster();
    server.addNamespace('cart');
    server.addNamespace('web');
    const original = server.addCustomObject('telemetry.istio.io', 'v1', 'telemetries', {
      metadata: { name: 'cart-telemetry', namespace: 'cart' },
      spec: { tracing: [{ randomSamplingPercentage: 5 }], accessLogging: [{ disabled: true }] },
    });
    const clock = testClock();
    const first = meshbotClients(server);
    await enableLogging(
      { ...base, namespace: 'shop', forMs: HOUR },
      { istio: first.istio, clock: clock.now },
    );
    await enableLogging(
      { ...base, namespace: 'cart', forMs: HOUR },
      { istio: first.istio, clock: clock.now },
    );
    await enableLogging(
      { ...base, namespace: 'web', forMs: 4 * HOUR },
      { istio: first.istio, clock: clock.now },
    );

    clock.advance(2 * HOUR);
    const restarted = meshbotClients(server); // new client objects: nothing kept in memory
    const dry = await reconcileLogging({ istio: restarted.istio, clock: clock.now }, { dryRun: true });
    const dryText = renderLoggingText(dry);
    expect(dryText).toMatch(/^Dry run: reconcile at .*: 2 expired change\(s\) would be reverted/);
    expect(dryText).toContain('would delete Telemetry shop/meshbot-access-logging');
    expect(dryText).not.toMatch(/\n {2}(deleted|restored) /);
    expect(server.listObjects('telemetry.istio.io/v1', 'telemetries', 'shop')).toHaveLength(1);
    const result = await reconcileLogging({ istio: restarted.istio, clock: clock.now });
    expect(result.reverted.map((c) => `${c.action} ${c.namespace}/${c.name}`).sort()).toEqual([
      'delete shop/meshbot-access-logging',
      'restore cart/cart-telemetry',
    ]);
    expect(result.pending.map((p) => p.namespace)).toEqual(['web']);
    expect(server.listObjects('telemetry.istio.io/v1', 'telemetries', 'shop')).toEqual([]);
    expect(
      comparable(server.getObject('telemetry.istio.io/v1', 'telemetries', 'cart', 'cart-telemetry')),
    ).toEqual(comparable(original));
    expect(server.listObjects('telemetry.istio.io/v1', 'telemetries', 'web')).toHaveLength(1);
    expect(renderLoggingText(result)).toContain('2 expired change(s) reverted');
  });

  it('two reconcilers sharing a Lease: exactly one reverts; the other takes over once the lease expires', async () => {
    server = await startCluster();
    const clock = testClock();
    const a = meshbotClients(server);
    const b = meshbotClients(server);
    await enableLogging({ ...base, namespace: 'shop', forMs: HOUR }, { istio: a.istio, clock: clock.now });
    clock.advance(2 * HOUR);
    const never = () => 0;
    const common = {
      clock: clock.now,
      namespace: 'meshbot',
      intervalMs: 10_000,
      setTimer: never,
      clearTimer: () => {},
    };
    const ra = startReconciler({ ...common, ...a, identity: 'pod-a' });
    const rb = startReconciler({ ...common, ...b, identity: 'pod-b' });
    const results = await Promise.all([ra.tick(), rb.tick()]);
    const leaders = results.filter((r) => r !== null);
    expect(leaders).toHaveLength(1);
    expect(leaders[0]?.reverted).toHaveLength(1);
    expect(server.listObjects('telemetry.istio.io/v1', 'telemetries', 'shop')).toEqual([]);
    const holder = server.getObject('coordination.k8s.io/v1', 'leases', 'meshbot', 'meshbot-reconciler');
    const leader = (holder?.spec as { holderIdentity?: string } | undefined)?.holderIdentity;
    const follower = leader === 'pod-a' ? rb : ra;
    expect(await follower.tick()).toBeNull();
    clock.advance(60_000); // past the 30 s lease without renewal
    expect(await follower.tick()).not.toBeNull();
    await Promise.all([ra.stop(), rb.stop()]);
  });

  it('status lists managed and unmanaged Telemetries and the mesh-wide accessLogFile', async () => {
    server = await startCluster();
    server.addMeshConfig('accessLogFile: /dev/stdout\naccessLogEncoding: JSON\n');
    server.addCustomObject('telemetry.istio.io', 'v1', 'telemetries', {
      metadata: { name: 'platform', namespace: 'istio-system' },
      spec: {
        accessLogging: [{ providers: [{ name: 'otel' }], filter: { expression: 'response.code >= 500' } }],
      },
    });
    const { istio } = meshbotClients(server);
    await enableLogging(
      { ...base, namespace: 'shop', workload: 'app=cart', mode: 'client' },
      { istio, clock: () => T0 },
    );
    const status = await loggingStatus({ all: true }, { istio, clock: () => T0 });
    expect(status.mesh?.accessLogFile).toBe('/dev/stdout');
    expect(status.entries.map((e) => [e.namespace, e.name, e.scope, e.managed])).toEqual([
      ['istio-system', 'platform', 'mesh', 'none'],
      ['shop', expect.stringMatching(/^meshbot-access-logging-app-cart-/), 'workload', 'created'],
    ]);
    const text = renderLoggingText(status);
    expect(text.split('\n')[0]).toContain('MESH-WIDE');
    expect(text).toContain('for alice');
    expect(text).toContain('filter response.code >= 500');
  });
});
