/**
 * `meshbot logs` against a cluster groups inbound callers by workload, not by address: the real
 * @kubernetes/client-node against src/kube-sim's API server. Callers are replicas of a Deployment in
 * another namespace and of a StatefulSet; a passthrough connection's Service ClusterIP is named too.
 */
import * as k8s from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { liveLogs } from '../../src/commands/live-logs.js';
import { type FakeApiServer, startFakeApiServer } from '../../src/kube-sim/index.js';
import { createClusterReader } from '../../src/kubernetes/cluster-reader.js';
import { accessLine, NOW, podIp } from './live-fixtures.js';

const clock = () => NOW.getTime();
const nameOf = (o: { metadata?: unknown }) => String((o.metadata as { name: string }).name);

describe('live logs: callers grouped by workload across namespaces', () => {
  let server: FakeApiServer;
  let checkoutIp: string;
  const expected = { storefront: 0, cache: 0 };

  beforeEach(async () => {
    server = await startFakeApiServer({
      now: () => NOW,
      namespaces: ['default', 'shop', 'frontend', 'data'],
    });
    const web = server.addDeployment({
      namespace: 'shop',
      name: 'web',
      replicas: 2,
      istio: 'sidecar',
      createPods: true,
    });
    const storefront = server.addDeployment({
      namespace: 'frontend',
      name: 'storefront',
      replicas: 3,
      istio: 'sidecar',
      createPods: true,
    });
    const cache = server.addStatefulSet({
      namespace: 'data',
      name: 'cache',
      replicas: 2,
      istio: 'sidecar',
      createPods: true,
    });
    const checkout = server.addService({ namespace: 'frontend', name: 'checkout', clusterIP: '10.96.7.7' });
    checkoutIp = String((checkout.spec as { clusterIP: string }).clusterIP);
    const callers = [
      ...storefront.pods.map((p) => ({
        workload: 'storefront' as const,
        ip: podIp(server, 'frontend', nameOf(p)),
      })),
      ...cache.pods.map((p) => ({ workload: 'cache' as const, ip: podIp(server, 'data', nameOf(p)) })),
    ];
    web.pods.forEach((p, i) => {
      const name = nameOf(p);
      const ip = podIp(server, 'shop', name);
      const lines = callers.map((caller, n) => {
        expected[caller.workload]++;
        return accessLine({
          secondsAgo: 30 + n,
          direction: 'inbound',
          path: `/items/${n * 7 + i}`,
          id: `req-${i}-${n}`,
          service: 'web.shop.svc.cluster.local',
          serverIp: ip,
          clientIp: caller.ip,
        });
      });
      // A TCP connection the sidecar passed through to a Service's ClusterIP.
      const time = new Date(NOW.getTime() - 20_000).toISOString();
      lines.push({
        time: new Date(NOW.getTime() - 20_000),
        text: `[${time}] "- - -" 0 - - - "-" 10 20 3 - "-" "-" "-" "-" "${checkoutIp}:5432" PassthroughCluster ${ip}:40000 ${checkoutIp}:5432 ${ip}:39000 - -`,
      });
      server.setPodLog('shop', name, 'istio-proxy', lines);
    });
  });

  afterEach(async () => {
    await server.close();
  });

  it('names callers by their workload in every namespace, and a ClusterIP by its Service', async () => {
    const kc = new k8s.KubeConfig();
    kc.loadFromString(server.kubeconfigYaml('shop'));
    const report = await liveLogs(createClusterReader(kc), 'deploy/web', { namespace: 'shop' }, clock);
    const inbound = report.flows.filter((f) => f.direction === 'inbound');
    const byPeer = new Map<string, number>();
    for (const f of inbound) byPeer.set(f.peer, (byPeer.get(f.peer) ?? 0) + f.count);
    // Five caller pods in two other namespaces: two rows, one per workload, whatever replica called.
    expect(Object.fromEntries(byPeer)).toEqual({
      'frontend/storefront': expected.storefront,
      'data/cache': expected.cache,
    });
    expect(inbound.every((f) => f.route === '/items/{id}' && f.peer_group === null)).toBe(true);
    const passthrough = report.flows.filter((f) => f.direction === 'outbound');
    expect(passthrough.map((f) => [f.peer, f.count])).toEqual([
      ['passthrough → frontend/svc/checkout:5432', 2],
    ]);
    expect(report.flows.reduce((a, f) => a + f.count, 0)).toBe(report.totals.entries);
  });
});
