/**
 * enable-logging, status and disable-logging on an ambient namespace (issue 14), over the real clients
 * against kube-sim: the demo cluster's `ambient-demo` (no sidecars, a waypoint named by
 * `istio.io/use-waypoint`), and a bare ambient namespace with no waypoint.
 */
import * as k8s from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { disableLogging } from '../../src/commands/disable-logging.js';
import { enableLogging } from '../../src/commands/enable-logging.js';
import { loggingStatus } from '../../src/commands/logging-status.js';
import { AMBIENT_NAMESPACE } from '../../src/demo/ambient-mesh.js';
import { type DemoCluster, startDemoCluster } from '../../src/kube-sim/demo-cluster.js';
import { createClusterReader } from '../../src/kubernetes/cluster-reader.js';
import { IstioConfigClient } from '../../src/kubernetes/istio-config-client.js';
import { renderLoggingText } from '../../src/render/render-logging.js';
import { crdProblems, HOUR } from './logging-helpers.js';

const NOW = Date.parse('2026-12-04T10:00:00.000Z');
const base = { maxMs: 4 * HOUR, requestedBy: 'alice' };

describe('access logging on an ambient namespace', () => {
  let cluster: DemoCluster;
  afterEach(async () => {
    await cluster.close();
  });

  async function clients() {
    cluster = await startDemoCluster({
      now: () => new Date(NOW),
      historyMs: 60_000,
      tls: false,
      ambient: true,
    });
    const kc = new k8s.KubeConfig();
    kc.loadFromString(cluster.kubeconfigYaml());
    return { istio: new IstioConfigClient(kc), cluster: createClusterReader(kc), clock: () => NOW };
  }

  it('targets the waypoint with a Telemetry, says ztunnel logs already, shows it in status, and undoes it', async () => {
    const deps = await clients();
    const result = await enableLogging({ ...base, namespace: AMBIENT_NAMESPACE }, deps);
    expect(result.change.action).toBe('create');
    expect(result.change.object).toMatchObject({
      kind: 'Telemetry',
      metadata: { namespace: AMBIENT_NAMESPACE },
      spec: { targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'waypoint' }] },
    });
    expect(result.change.object).not.toHaveProperty('spec.selector');
    expect(crdProblems(result.change.object)).toEqual([]);
    const text = renderLoggingText(result, NOW);
    expect(text).toContain('access logging is on for the waypoint waypoint of namespace ambient-demo');
    expect(text).toContain('ztunnel already logs every connection (L4) at info level');

    // Again: the same Telemetry, its expiry moved; never a second one.
    const again = await enableLogging({ ...base, namespace: AMBIENT_NAMESPACE, forMs: 2 * HOUR }, deps);
    expect(again.change.name).toBe(result.change.name);
    expect(again.previousUntilMs).toBe(result.untilMs);

    const status = await loggingStatus({ namespace: AMBIENT_NAMESPACE }, deps);
    const entry = status.entries.find((e) => e.name === result.change.name);
    expect(entry).toMatchObject({ managed: 'created', selector: 'Gateway/waypoint' });
    expect(renderLoggingText(status, NOW)).toContain('ambient-demo [Gateway/waypoint]');

    const off = await disableLogging({ namespace: AMBIENT_NAMESPACE }, deps);
    expect(off.changes.map((c) => [c.action, c.name])).toEqual([['delete', result.change.name]]);
    expect((await loggingStatus({ namespace: AMBIENT_NAMESPACE }, deps)).entries).toEqual([]);
  });

  it('refuses, saying why, on an ambient namespace with no waypoint and no sidecar', async () => {
    const deps = await clients();
    cluster.server.addNamespace('bare-ambient', { 'istio.io/dataplane-mode': 'ambient' });
    cluster.server.addPod({ namespace: 'bare-ambient', name: 'api-0', istio: false, labels: { app: 'api' } });
    const attempt = enableLogging({ ...base, namespace: 'bare-ambient' }, deps);
    await expect(attempt).rejects.toMatchObject({
      code: 'invalid_argument',
      message: expect.stringMatching(
        /ambient mode and no waypoint serves it.*istioctl waypoint apply -n bare-ambient/,
      ),
    });
    expect((await loggingStatus({ namespace: 'bare-ambient' }, deps)).entries).toEqual([]);
  });
});
