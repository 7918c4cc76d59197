import * as k8s from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { clientsFor } from '../../test/support/kube-clients.js';
import { DEMO_NAMESPACE, DEMO_PODS, DEMO_SERVICES, demoTraffic, ISTIO_NAMESPACE } from '../demo/demo-mesh.js';
import { DEMO_CONTEXT, type DemoCluster, startDemoCluster } from './demo-cluster.js';

const T0 = Date.parse('2026-12-04T10:00:00.000Z');
const HISTORY = 10 * 60_000;

describe('startDemoCluster', () => {
  let cluster: DemoCluster;
  let now: number;
  let kc: k8s.KubeConfig;
  let core: k8s.CoreV1Api;

  beforeEach(async () => {
    now = T0;
    cluster = await startDemoCluster({ now: () => new Date(now), historyMs: HISTORY });
    kc = new k8s.KubeConfig();
    kc.loadFromString(cluster.kubeconfigYaml());
    core = kc.makeApiClient(k8s.CoreV1Api);
  });

  afterEach(async () => {
    await cluster.close();
  });

  it('serves HTTPS with a kubeconfig that trusts its CA and points at istio-testing', () => {
    expect(cluster.server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const doc = parse(cluster.kubeconfigYaml()) as {
      clusters: { cluster: Record<string, unknown> }[];
      contexts: { name: string; context: { namespace: string } }[];
    };
    expect(doc.clusters[0]?.cluster['certificate-authority-data']).toEqual(expect.any(String));
    expect(doc.clusters[0]?.cluster['insecure-skip-tls-verify']).toBeUndefined();
    expect(doc.contexts[0]).toMatchObject({ name: DEMO_CONTEXT, context: { namespace: DEMO_NAMESPACE } });
    expect(cluster.trafficStartMs).toBe(T0 - HISTORY);
  });

  it('seeds the namespaces and the mesh config with access-log providers', async () => {
    const injected = await core.listNamespace({ labelSelector: 'istio-injection=enabled' });
    expect(injected.items.map((n) => n.metadata?.name)).toEqual([DEMO_NAMESPACE]);
    await expect(core.readNamespace({ name: ISTIO_NAMESPACE })).resolves.toBeDefined();
    const config = await core.readNamespacedConfigMap({ namespace: ISTIO_NAMESPACE, name: 'istio' });
    const mesh = parse(config.data?.mesh ?? '') as {
      accessLogFile: string;
      extensionProviders: { name: string; envoyOtelAls?: object }[];
    };
    expect(mesh.accessLogFile).toBe('/dev/stdout');
    expect(mesh.extensionProviders.find((p) => p.name === 'otel-als')?.envoyOtelAls).toBeDefined();
  });

  it('runs every demo pod, ready, with its IP, node, owner chain and proxy', async () => {
    const { apps } = clientsFor(cluster.server);
    const pods = (await core.listPodForAllNamespaces()).items;
    expect(pods.map((p) => p.metadata?.name).sort()).toEqual(
      Object.values(DEMO_PODS)
        .map((p) => p.name)
        .sort(),
    );
    for (const demo of Object.values(DEMO_PODS)) {
      const pod = pods.find((p) => p.metadata?.name === demo.name);
      expect(pod?.metadata?.namespace).toBe(demo.namespace);
      expect(pod?.status?.phase).toBe('Running');
      expect(pod?.status?.podIP).toBe(demo.ip);
      expect(pod?.spec?.nodeName).toBe(demo.node);
      expect(pod?.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
      expect(pod?.metadata?.labels?.app).toBe(demo.app);
      expect(Date.parse(String(pod?.status?.startTime))).toBeLessThan(T0 - HISTORY);
      const owner = pod?.metadata?.ownerReferences?.[0];
      expect(owner?.kind).toBe('ReplicaSet');
      const rs = await apps.readNamespacedReplicaSet({ namespace: demo.namespace, name: owner?.name ?? '' });
      expect(rs.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'Deployment', name: demo.deployment });
      const deployment = await apps.readNamespacedDeployment({
        namespace: demo.namespace,
        name: demo.deployment,
      });
      expect(deployment.status?.readyReplicas).toBe(1);
      const containers = pod?.spec?.containers?.map((c) => c.name) ?? [];
      const inits = pod?.spec?.initContainers ?? [];
      switch (demo.proxy) {
        case 'gateway':
          expect(containers).toEqual(['istio-proxy']);
          expect(pod?.metadata?.labels?.istio).toBe('ingressgateway');
          break;
        case 'sidecar':
          expect(containers).toContain('istio-proxy');
          break;
        case 'native-sidecar':
          expect(containers).not.toContain('istio-proxy');
          expect(inits.find((c) => c.name === 'istio-proxy')?.restartPolicy).toBe('Always');
          break;
      }
    }
  });

  it('has the Services with their cluster IPs, and endpoints for all but helloworld-canary', async () => {
    const { discovery } = clientsFor(cluster.server);
    for (const demo of DEMO_SERVICES) {
      const svc = await core.readNamespacedService({ namespace: demo.namespace, name: demo.name });
      expect(svc.spec?.clusterIP).toBe(demo.clusterIp);
      expect(svc.spec?.ports?.[0]?.port).toBe(demo.port);
      const slices = await discovery.listNamespacedEndpointSlice({
        namespace: demo.namespace,
        labelSelector: `kubernetes.io/service-name=${demo.name}`,
      });
      const addresses = slices.items.flatMap((s) => s.endpoints.flatMap((e) => e.addresses));
      const expected = Object.values(DEMO_PODS)
        .filter((p) => p.namespace === demo.namespace && p.app === demo.selectApp)
        .map((p) => p.ip)
        .sort();
      expect(addresses.sort()).toEqual(expected);
      if (demo.name === 'helloworld-canary') expect(addresses).toEqual([]);
      if (demo.name === 'helloworld') expect(addresses).toHaveLength(2);
    }
  });

  it("serves each proxy's lines up to the server clock, and new ones as it moves on", async () => {
    const { helloworldV1, helloworldV2 } = DEMO_PODS;
    const read = (name: string, extra: { sinceSeconds?: number } = {}) =>
      core.readNamespacedPodLog({ namespace: DEMO_NAMESPACE, name, container: 'istio-proxy', ...extra });
    const expected = (pod: string, until: number) =>
      demoTraffic(T0 - HISTORY, until)
        .filter((l) => l.pod === pod && l.timeMs <= until)
        .map((l) => `${l.text}\n`)
        .join('');

    const first = await read(helloworldV1.name);
    expect(first).toBe(expected(helloworldV1.name, T0));
    expect(first.split('\n').length).toBeGreaterThan(200);
    expect(first.startsWith('{')).toBe(true); // helloworld-v1 logs JSON

    now = T0 + 60_000;
    const later = await read(helloworldV1.name);
    expect(later.startsWith(first)).toBe(true);
    expect(later.length).toBeGreaterThan(first.length);
    expect(later).toBe(expected(helloworldV1.name, now));
    // The native sidecar's log is read through its init container.
    expect(await read(helloworldV2.name)).toBe(expected(helloworldV2.name, now));

    const recent = await read(helloworldV1.name, { sinceSeconds: 60 });
    expect(recent).toBe(later.slice(first.length));
  });

  it('shows a line only once its request has ended (a slow request is written late)', async () => {
    // Requests that started before T0 but end after it (timeouts, clients giving up).
    const late = demoTraffic(T0 - HISTORY, T0).filter((l) => l.timeMs > T0);
    expect(late.length).toBeGreaterThan(0);
    const lines = cluster.linesUntil(T0);
    for (const line of lines) expect(line.timeMs).toBeLessThanOrEqual(T0);
    const [first] = late;
    if (first === undefined) return;
    expect(lines).not.toContainEqual(first);
    const log = () =>
      core.readNamespacedPodLog({ namespace: DEMO_NAMESPACE, name: first.pod, container: 'istio-proxy' });
    expect(await log()).not.toContain(first.text);
    now = first.timeMs;
    expect(cluster.linesUntil(now)).toContainEqual(first);
    expect(await log()).toContain(first.text);
  });
});
