import { describe, expect, it } from 'vitest';
import type { ConnectionRecord } from '../accesslog/entry.js';
import { ambientSelection, ipOfAddress, planAmbient, waypointOf } from './ambient-sources.js';
import { fakeCluster, pod } from './fake-cluster.test-helper.js';
import { isAmbientPod } from './resolve-target.js';

const bare = (labels: Record<string, string> = {}, annotations: Record<string, string> = {}) =>
  pod('shop', 'web-7d4b9c8f5-x2x9z', labels, {
    annotations,
    proxy: { present: false, native: false, state: 'missing', restarts: 0 },
    ip: '10.0.0.5',
    node: 'n1',
  });

describe('isAmbientPod', () => {
  it('follows the CNI annotation, then the pod label, then the namespace label', () => {
    expect(isAmbientPod(bare({}, { 'ambient.istio.io/redirection': 'enabled' }), null)).toBe(true);
    expect(isAmbientPod(bare({ 'istio.io/dataplane-mode': 'ambient' }), null)).toBe(true);
    expect(isAmbientPod(bare(), { 'istio.io/dataplane-mode': 'ambient' })).toBe(true);
    expect(
      isAmbientPod(bare({ 'istio.io/dataplane-mode': 'none' }), { 'istio.io/dataplane-mode': 'ambient' }),
    ).toBe(false);
    expect(
      isAmbientPod(bare({}, { 'ambient.istio.io/redirection': 'disabled' }), {
        'istio.io/dataplane-mode': 'ambient',
      }),
    ).toBe(false);
    expect(isAmbientPod(bare(), { 'istio-injection': 'enabled' })).toBe(false);
    expect(isAmbientPod(pod('shop', 'sidecar'), { 'istio.io/dataplane-mode': 'ambient' })).toBe(false);
  });
});

describe('waypointOf', () => {
  it('takes the pod label over the namespace one, honours none and the waypoint namespace, refuses bad names', () => {
    expect(waypointOf(bare(), { 'istio.io/use-waypoint': 'waypoint' })).toEqual({
      namespace: 'shop',
      name: 'waypoint',
    });
    expect(
      waypointOf(bare({ 'istio.io/use-waypoint': 'none' }), { 'istio.io/use-waypoint': 'waypoint' }),
    ).toBe('none');
    expect(
      waypointOf(bare({ 'istio.io/use-waypoint': 'wp', 'istio.io/use-waypoint-namespace': 'infra' }), null),
    ).toEqual({ namespace: 'infra', name: 'wp' });
    expect(waypointOf(bare({ 'istio.io/use-waypoint': 'a,b=c' }), null)).toBe('invalid');
    expect(waypointOf(bare(), null)).toBeNull();
  });
});

describe('ipOfAddress', () => {
  it.each([
    ['10.0.0.1:80', '10.0.0.1'],
    ['[fd00::1]:80', 'fd00::1'],
    ['envoy://connect_originate/10.217.0.82:9080', '10.217.0.82'],
    ['10.0.0.1', '10.0.0.1'],
    ['-', null],
    [null, null],
  ])('%s → %s', (address, ip) => expect(ipOfAddress(address)).toBe(ip));
});

describe('ambientSelection', () => {
  const target = bare();
  const ztunnel = pod('istio-system', 'ztunnel-abcde');
  const plan = { pods: [target], ztunnels: [ztunnel], waypoints: [], waypointNames: [], notes: [] };
  const record = (over: Partial<ConnectionRecord>): ConnectionRecord =>
    ({
      source: 'istio-system/ztunnel-abcde',
      src_addr: null,
      dst_addr: null,
      dst_hbone_addr: null,
      src_workload: null,
      src_namespace: null,
      dst_workload: null,
      dst_namespace: null,
      direction: null,
      ...over,
    }) as ConnectionRecord;
  const keep = ambientSelection(plan).connection;

  it('keeps outbound records from the pod and inbound records to it, nothing else of its node', () => {
    expect(
      keep(record({ direction: 'outbound', src_addr: '10.0.0.5:4000', dst_addr: '10.0.0.9:15008' })),
    ).toBe(true);
    expect(keep(record({ direction: 'inbound', src_addr: '10.0.0.9:4000', dst_addr: '10.0.0.5:8080' }))).toBe(
      true,
    );
    // The other end's copy on the same node, and a neighbour's traffic.
    expect(keep(record({ direction: 'inbound', src_addr: '10.0.0.5:4000', dst_addr: '10.0.0.9:8080' }))).toBe(
      false,
    );
    expect(
      keep(record({ direction: 'outbound', src_addr: '10.0.0.7:4000', dst_addr: '10.0.0.9:8080' })),
    ).toBe(false);
    // By name when the address is not the pod's (a node-local redirect).
    expect(
      keep(record({ direction: 'outbound', src_workload: 'web-7d4b9c8f5-x2x9z', src_namespace: 'shop' })),
    ).toBe(true);
    // Records of other sources (a file, a sidecar) pass.
    expect(keep(record({ source: 'shop/other', direction: 'outbound' }))).toBe(true);
  });
});

describe('planAmbient', () => {
  const app = (name: string, node: string, labels: Record<string, string> = {}) =>
    pod(
      'shop',
      name,
      { app: 'web', ...labels },
      {
        proxy: { present: false, native: false, state: 'missing', restarts: 0 },
        annotations: { 'ambient.istio.io/redirection': 'enabled' },
        ip: `10.0.0.${node === 'n1' ? 5 : 6}`,
        node,
      },
    );
  const ztunnel = (name: string, node: string) => pod('istio-system', name, { app: 'ztunnel' }, { node });
  const resolvedFor = (pods: ReturnType<typeof app>[], namespaceLabels: Record<string, string>) => ({
    description: 'deploy/web in shop',
    namespace: 'shop',
    pods: [],
    withoutProxy: [],
    ambient: pods,
    namespaceLabels,
    seen: pods,
  });

  it("reads each node's ztunnel once, and the waypoint a Service that selects the pods names", async () => {
    const pods = [app('web-1', 'n1'), app('web-2', 'n1'), app('web-3', 'n2')];
    const cluster = fakeCluster({
      pods: [
        ...pods,
        ztunnel('ztunnel-a', 'n1'),
        ztunnel('ztunnel-b', 'n2'),
        ztunnel('ztunnel-c', 'n3'),
        pod('shop', 'web-waypoint-7d4b9c8f5-x2x9z', {
          'gateway.networking.k8s.io/gateway-name': 'web-waypoint',
        }),
      ],
      services: [
        {
          namespace: 'shop',
          name: 'web',
          selector: { app: 'web' },
          labels: { 'istio.io/use-waypoint': 'web-waypoint' },
        },
      ],
    });
    const plan = await planAmbient(cluster, resolvedFor(pods, { 'istio.io/dataplane-mode': 'ambient' }));
    expect(plan.ztunnels.map((z) => z.name)).toEqual(['ztunnel-a', 'ztunnel-b']);
    expect(plan.waypointNames).toEqual(['shop/web-waypoint']);
    expect(plan.waypoints.map((w) => w.name)).toEqual(['web-waypoint-7d4b9c8f5-x2x9z']);
    expect(plan.notes).toEqual([]);
  });

  it('says what is not logged when a node has no ztunnel and no waypoint serves the pods', async () => {
    const pods = [app('web-1', 'n9')];
    const plan = await planAmbient(
      fakeCluster({ pods: [...pods, ztunnel('ztunnel-a', 'n1')] }),
      resolvedFor(pods, { 'istio.io/dataplane-mode': 'ambient' }),
    );
    expect(plan.ztunnels).toEqual([]);
    expect(plan.notes.join('\n')).toMatch(/no ztunnel pod found on the node of web-1 \(node n9\)/);
    expect(plan.notes.join('\n')).toMatch(
      /no waypoint serves deploy\/web in shop: .*istioctl waypoint apply -n shop/,
    );
  });
});
