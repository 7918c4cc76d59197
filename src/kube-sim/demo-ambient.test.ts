import type * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type Clients, clientsFor } from '../../test/support/kube-clients.js';
import {
  AMBIENT_NAMESPACE,
  AMBIENT_PODS,
  AMBIENT_SERVICES,
  ambientTraffic,
  ZTUNNEL_ERRORS,
  ZTUNNEL_PODS,
} from '../demo/ambient-mesh.js';
import { DEMO_NAMESPACE } from '../demo/demo-mesh.js';
import { type DemoCluster, startDemoCluster } from './demo-cluster.js';

const T0 = Date.parse('2026-12-04T10:00:00.000Z');
const HISTORY = 10 * 60_000;
const appPods = Object.values(AMBIENT_PODS).filter((p) => p.role === 'app');
const ztunnelOf = (node: string) => {
  const pod = ZTUNNEL_PODS[node];
  if (pod === undefined) throw new Error(`no ztunnel on ${node}`);
  return pod;
};

describe('startDemoCluster({ ambient: true })', () => {
  let cluster: DemoCluster;
  let now = T0;
  let c: Clients;
  const ambientPods = () => c.core.listNamespacedPod({ namespace: AMBIENT_NAMESPACE });

  beforeAll(async () => {
    cluster = await startDemoCluster({
      now: () => new Date(now),
      historyMs: HISTORY,
      tls: false,
      ambient: true,
    });
    c = clientsFor(cluster.server);
  });

  afterAll(async () => {
    await cluster.close();
  });

  it('labels the namespace for ambient and its waypoint, and keeps istio-testing the context namespace', async () => {
    const ns = await c.core.readNamespace({ name: AMBIENT_NAMESPACE });
    expect(ns.metadata?.labels).toMatchObject({
      'istio.io/dataplane-mode': 'ambient',
      'istio.io/use-waypoint': 'waypoint',
    });
    const ambient = await c.core.listNamespace({ labelSelector: 'istio.io/dataplane-mode=ambient' });
    expect(ambient.items.map((n) => n.metadata?.name)).toEqual([AMBIENT_NAMESPACE]);
    const doc = parse(cluster.kubeconfigYaml()) as { contexts: { context: { namespace: string } }[] };
    expect(doc.contexts[0]?.context.namespace).toBe(DEMO_NAMESPACE);
  });

  it('runs the app pods with no proxy container, captured by ztunnel, on their nodes', async () => {
    const pods = (await ambientPods()).items;
    expect(pods.map((p) => p.metadata?.name).sort()).toEqual(
      [...appPods, AMBIENT_PODS.waypoint].map((p) => p.name).sort(),
    );
    for (const demo of appPods) {
      const pod = pods.find((p) => p.metadata?.name === demo.name);
      const containers = [...(pod?.spec?.containers ?? []), ...(pod?.spec?.initContainers ?? [])];
      expect(containers.map((x) => x.name)).toEqual([demo.app]);
      expect(pod?.metadata?.annotations?.['ambient.istio.io/redirection']).toBe('enabled');
      expect(pod?.metadata?.annotations?.['sidecar.istio.io/status']).toBeUndefined();
      expect(pod?.spec?.nodeName).toBe(demo.node);
      expect(pod?.status?.podIP).toBe(demo.ip);
      expect(pod?.spec?.serviceAccountName).toBe(demo.serviceAccount);
      expect(pod?.status?.conditions?.find((x) => x.type === 'Ready')?.status).toBe('True');
      const rs = pod?.metadata?.ownerReferences?.[0];
      expect(rs?.kind).toBe('ReplicaSet');
      const replicaSet = await c.apps.readNamespacedReplicaSet({
        namespace: AMBIENT_NAMESPACE,
        name: rs?.name ?? '',
      });
      expect(replicaSet.metadata?.ownerReferences?.[0]).toMatchObject({
        kind: 'Deployment',
        name: demo.owner,
      });
    }
    const onWorker2 = await c.core.listPodForAllNamespaces({ fieldSelector: 'spec.nodeName=demo-worker-2' });
    expect(onWorker2.items.map((p) => p.metadata?.name)).toEqual(
      expect.arrayContaining([
        AMBIENT_PODS.reviewsV2.name,
        AMBIENT_PODS.ratings.name,
        ztunnelOf('demo-worker-2').name,
      ]),
    );
  });

  it('runs one ztunnel per node, owned by the ztunnel DaemonSet, its container named istio-proxy', async () => {
    const list = await c.core.listNamespacedPod({ namespace: 'istio-system', labelSelector: 'app=ztunnel' });
    const byNode = new Map(list.items.map((p) => [p.spec?.nodeName, p]));
    expect([...byNode.keys()].sort()).toEqual(['demo-worker-1', 'demo-worker-2']);
    for (const [node, pod] of byNode) {
      expect(pod.metadata?.name).toBe(ztunnelOf(String(node)).name);
      expect(pod.spec?.containers?.map((x) => x.name)).toEqual(['istio-proxy']);
      expect(pod.metadata?.labels?.['istio.io/dataplane-mode']).toBe('none');
      expect(pod.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'DaemonSet', name: 'ztunnel' });
    }
    const ds = await c.apps.readNamespacedDaemonSet({ namespace: 'istio-system', name: 'ztunnel' });
    expect(ds.spec?.selector.matchLabels).toEqual({ app: 'ztunnel' });
    expect(ds.status?.numberReady).toBe(2);
  });

  it('runs the waypoint: Gateway of class istio-waypoint → Deployment → ReplicaSet → Pod', async () => {
    const gateway = (await c.custom.getNamespacedCustomObject({
      group: 'gateway.networking.k8s.io',
      version: 'v1',
      namespace: AMBIENT_NAMESPACE,
      plural: 'gateways',
      name: 'waypoint',
    })) as {
      spec: { gatewayClassName: string; listeners: { port: number; protocol: string }[] };
      metadata: { uid: string };
    };
    expect(gateway.spec.gatewayClassName).toBe('istio-waypoint');
    expect(gateway.spec.listeners[0]).toMatchObject({ port: 15008, protocol: 'HBONE' });

    const pods = await c.core.listNamespacedPod({
      namespace: AMBIENT_NAMESPACE,
      labelSelector: 'gateway.networking.k8s.io/gateway-name=waypoint',
    });
    expect(pods.items.map((p) => p.metadata?.name)).toEqual([AMBIENT_PODS.waypoint.name]);
    const [pod] = pods.items;
    expect(pod?.spec?.containers?.map((x) => x.name)).toEqual(['istio-proxy']);
    expect(pod?.spec?.nodeName).toBe(AMBIENT_PODS.waypoint.node);
    expect(pod?.metadata?.labels).toMatchObject({
      'gateway.networking.k8s.io/gateway-class-name': 'istio-waypoint',
      'gateway.istio.io/managed': 'istio.io-mesh-controller',
      'istio.io/dataplane-mode': 'none',
    });
    const deployment = await c.apps.readNamespacedDeployment({
      namespace: AMBIENT_NAMESPACE,
      name: 'waypoint',
    });
    expect(deployment.metadata?.ownerReferences?.[0]).toMatchObject({
      kind: 'Gateway',
      name: 'waypoint',
      uid: gateway.metadata.uid,
    });
    const waypoints = await c.apps.listNamespacedDeployment({
      namespace: AMBIENT_NAMESPACE,
      labelSelector: 'gateway.networking.k8s.io/gateway-class-name=istio-waypoint',
    });
    expect(waypoints.items.map((d) => d.metadata?.name)).toEqual(['waypoint']);
  });

  it('has the Services with their ClusterIPs and endpoints (none for reviews-canary), and the DENY policy', async () => {
    for (const demo of AMBIENT_SERVICES) {
      const svc = await c.core.readNamespacedService({ namespace: AMBIENT_NAMESPACE, name: demo.name });
      expect(svc.spec?.clusterIP).toBe(demo.clusterIp);
      expect(svc.spec?.ports?.map((p) => p.port)).toEqual(demo.ports.map((p) => p.port));
      const slices = await c.discovery.listNamespacedEndpointSlice({
        namespace: AMBIENT_NAMESPACE,
        labelSelector: `kubernetes.io/service-name=${demo.name}`,
      });
      const addresses = slices.items.flatMap((s) => s.endpoints.flatMap((e) => e.addresses)).sort();
      const expected = Object.values(AMBIENT_PODS)
        .filter((p) => p.service === demo.name)
        .map((p) => p.ip)
        .sort();
      expect(addresses).toEqual(expected);
    }
    const reviews = AMBIENT_SERVICES.find((s) => s.name === 'reviews');
    expect(Object.values(AMBIENT_PODS).filter((p) => p.service === reviews?.name)).toHaveLength(3);
    const policy = (await c.custom.getNamespacedCustomObject({
      group: 'security.istio.io',
      version: 'v1',
      namespace: AMBIENT_NAMESPACE,
      plural: 'authorizationpolicies',
      name: 'deny-curl',
    })) as { spec: { action: string } };
    expect(policy.spec.action).toBe('DENY');
  });

  it("serves a ztunnel's istio-proxy log: its node's pods only, both directions, new records as time passes", async () => {
    const ztunnel = ztunnelOf('demo-worker-1');
    const read = (extra: { sinceSeconds?: number } = {}) =>
      c.core.readNamespacedPodLog({
        namespace: 'istio-system',
        name: ztunnel.name,
        container: 'istio-proxy',
        ...extra,
      });
    const access = (until: number) =>
      ambientTraffic(T0 - HISTORY, until)
        .filter((l) => l.pod === ztunnel.name && l.timeMs <= until)
        .map((l) => `${l.text}\n`)
        .join('');
    now = T0;
    const first = await read();
    const lines = first.trimEnd().split('\n');
    // First the pods the CNI handed this ztunnel, with their uids; then the access records.
    const onNode = appPods.filter((p) => p.node === ztunnel.node);
    const received = lines.filter((l) => l.includes('\tinpod::statemanager\tpod received, starting proxy\t'));
    expect(received).toHaveLength(onNode.length);
    for (const pod of onNode) {
      const object = await c.core.readNamespacedPod({ namespace: AMBIENT_NAMESPACE, name: pod.name });
      expect(received).toContainEqual(
        expect.stringContaining(`uid="${object.metadata?.uid}" name="${pod.name}"`),
      );
    }
    expect(first.slice(received.map((l) => `${l}\n`).join('').length)).toBe(access(T0));
    const records = lines.filter((l) => l.includes('\taccess\tconnection complete\t'));
    expect(records.length).toBeGreaterThan(500);
    expect(records.length + received.length).toBe(lines.length);
    const own = (line: string) => {
      const outbound = line.includes('direction="outbound"');
      const key = outbound ? '\tsrc.addr=' : ' dst.hbone_addr=';
      const at = line.indexOf(key) + key.length;
      const ip = line.slice(at, line.indexOf(':', at));
      return Object.values(AMBIENT_PODS).find((p) => p.ip === ip);
    };
    expect(new Set(records.map((l) => own(l)?.node))).toEqual(new Set([ztunnel.node]));
    expect(records.some((l) => l.includes('direction="inbound"'))).toBe(true);
    expect(records.some((l) => l.includes('direction="outbound"'))).toBe(true);
    expect(records.some((l) => l.includes(`error="${ZTUNNEL_ERRORS.refused}"`))).toBe(true);
    expect(records.some((l) => l.includes(`error="${ZTUNNEL_ERRORS.denied}"`))).toBe(true);

    now = T0 + 30_000;
    const later = await read();
    expect(later.startsWith(first)).toBe(true);
    expect(later.length).toBeGreaterThan(first.length);
    expect(await read({ sinceSeconds: 30 })).toBe(later.slice(first.length));
    now = T0;
  });

  it("serves the waypoint's Istio TEXT lines and no log for an app pod", async () => {
    const { waypoint, productpage } = AMBIENT_PODS;
    const log = await c.core.readNamespacedPodLog({
      namespace: AMBIENT_NAMESPACE,
      name: waypoint.name,
      container: 'istio-proxy',
    });
    const lines = log.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(500);
    expect(lines.every((l) => l.startsWith('[') && l.includes(' inbound-vip|9080|http|'))).toBe(true);
    expect(lines).toEqual(
      cluster
        .ambientLinesUntil(now)
        .filter((l) => l.pod === waypoint.name)
        .map((l) => l.text),
    );
    expect(
      await c.core.readNamespacedPodLog({
        namespace: AMBIENT_NAMESPACE,
        name: productpage.name,
        container: 'productpage',
      }),
    ).toBe('');
  });
});

describe('startDemoCluster() without ambient', () => {
  it('serves neither the ambient namespace nor the Gateway API', async () => {
    const cluster = await startDemoCluster({ now: () => new Date(T0), historyMs: 60_000, tls: false });
    try {
      const { core, apis } = clientsFor(cluster.server);
      const namespaces = (await core.listNamespace()).items.map((n: k8s.V1Namespace) => n.metadata?.name);
      expect(namespaces).not.toContain(AMBIENT_NAMESPACE);
      const groups = (await apis.getAPIVersions()).groups.map((g) => g.name);
      expect(groups).not.toContain('gateway.networking.k8s.io');
      expect(cluster.ambientLinesUntil(T0)).toEqual([]);
      const pods = await core.listNamespacedPod({ namespace: 'istio-system', labelSelector: 'app=ztunnel' });
      expect(pods.items).toEqual([]);
    } finally {
      await cluster.close();
    }
  });
});
