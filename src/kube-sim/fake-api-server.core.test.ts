import * as k8s from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiErrorOf, type Clients, clientsFor } from '../../test/support/kube-clients.js';
import { type FakeApiServer, startFakeApiServer } from './index.js';

const NOW = new Date('2024-05-01T12:00:00.000Z');

describe('fake API server: core and apps resources through client-node', () => {
  let server: FakeApiServer;
  let c: Clients;

  beforeEach(async () => {
    server = await startFakeApiServer({ now: () => NOW });
    c = clientsFor(server);
    server.addNamespace('shop', { 'istio-injection': 'enabled' });
    server.addNamespace('plain');
    server.addPod({
      namespace: 'shop',
      name: 'web-1',
      labels: { app: 'web', version: 'v1' },
      istio: 'sidecar',
    });
    server.addPod({
      namespace: 'shop',
      name: 'web-2',
      labels: { app: 'web', version: 'v2' },
      istio: 'sidecar',
      phase: 'Pending',
    });
    server.addPod({ namespace: 'shop', name: 'db-0', labels: { app: 'db' } });
    server.addPod({ namespace: 'plain', name: 'job-1', labels: { app: 'web' } });
  });

  afterEach(async () => {
    await server.close();
  });

  it('lists namespaces by label selector', async () => {
    const list = await c.core.listNamespace({ labelSelector: 'istio-injection=enabled' });
    expect(list.items.map((n) => n.metadata?.name)).toEqual(['shop']);
    expect(list.metadata?.resourceVersion).toMatch(/^\d+$/);
  });

  it('lists namespaced pods with label selectors of every form', async () => {
    const names = async (labelSelector: string): Promise<string[]> =>
      (await c.core.listNamespacedPod({ namespace: 'shop', labelSelector })).items.map(
        (p) => p.metadata?.name ?? '',
      );
    expect(await names('app=web')).toEqual(['web-1', 'web-2']);
    expect(await names('app=web,version!=v1')).toEqual(['web-2']);
    expect(await names('version in (v1,v3)')).toEqual(['web-1']);
    expect(await names('app notin (web)')).toEqual(['db-0']);
    expect(await names('!version')).toEqual(['db-0']);
    expect(await names('security.istio.io/tlsMode')).toEqual(['web-1', 'web-2']);
  });

  it('filters pods with field selectors and rejects unsupported fields like the real server', async () => {
    const running = await c.core.listNamespacedPod({
      namespace: 'shop',
      fieldSelector: 'status.phase=Running',
    });
    expect(running.items.map((p) => p.metadata?.name)).toEqual(['db-0', 'web-1']);
    const byName = await c.core.listNamespacedPod({
      namespace: 'shop',
      fieldSelector: 'metadata.name=web-2',
    });
    expect(byName.items).toHaveLength(1);
    const error = await apiErrorOf(
      c.core.listNamespacedPod({ namespace: 'shop', fieldSelector: 'spec.bogus=1' }),
    );
    expect(error.code).toBe(400);
    expect(error.status.message).toBe('field label not supported: spec.bogus');
  });

  it('lists pods across namespaces and returns typed pods with sidecars', async () => {
    const all = await c.core.listPodForAllNamespaces({ labelSelector: 'app=web' });
    expect(all.items.map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`)).toEqual([
      'plain/job-1',
      'shop/web-1',
      'shop/web-2',
    ]);
    const pod = await c.core.readNamespacedPod({ namespace: 'shop', name: 'web-1' });
    expect(pod.spec?.containers.map((x) => x.name)).toEqual(['app', 'istio-proxy']);
    expect(pod.metadata?.annotations?.['kubectl.kubernetes.io/default-container']).toBe('app');
    expect(pod.metadata?.creationTimestamp).toEqual(NOW);
    expect(pod.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('pages lists with limit and continue', async () => {
    const first = await c.core.listPodForAllNamespaces({ limit: 3 });
    expect(first.items).toHaveLength(3);
    expect(first.metadata?.remainingItemCount).toBe(1);
    const second = await c.core.listPodForAllNamespaces({
      limit: 3,
      _continue: first.metadata?._continue ?? '',
    });
    expect(second.items.map((p) => p.metadata?.name)).toEqual(['web-2']);
    expect(second.metadata?._continue).toBeUndefined();
  });

  it('answers a missing pod with a NotFound Status in the real wording', async () => {
    const error = await apiErrorOf(c.core.readNamespacedPod({ namespace: 'shop', name: 'nope' }));
    expect(error.code).toBe(404);
    expect(error.status).toMatchObject({
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      reason: 'NotFound',
      message: 'pods "nope" not found',
      details: { name: 'nope', kind: 'pods' },
      code: 404,
    });
  });

  it('serves deployments with their ReplicaSet and pods, and the other workload kinds', async () => {
    const seeded = server.addDeployment({
      namespace: 'shop',
      name: 'reviews',
      replicas: 2,
      istio: 'sidecar',
      createPods: true,
      labels: { tier: 'backend' },
    });
    server.addStatefulSet({ namespace: 'shop', name: 'ratings', replicas: 2, createPods: true });
    server.addDaemonSet({ namespace: 'kube-system', name: 'agent' });
    const deployment = await c.apps.readNamespacedDeployment({ namespace: 'shop', name: 'reviews' });
    expect(deployment.spec?.selector.matchLabels).toEqual({ app: 'reviews' });
    expect(deployment.metadata?.generation).toBe(1);
    const rs = await c.apps.listNamespacedReplicaSet({ namespace: 'shop' });
    expect(rs.items[0]?.metadata?.ownerReferences?.[0]?.name).toBe('reviews');
    const pods = await c.core.listNamespacedPod({ namespace: 'shop', labelSelector: 'app=reviews' });
    expect(pods.items).toHaveLength(2);
    expect(pods.items[0]?.metadata?.name).toMatch(/^reviews-[a-z0-9]{10}-[a-z0-9]{5}$/);
    const rsName = rs.items[0]?.metadata?.name ?? '';
    expect(seeded.pods).toHaveLength(2);
    expect(pods.items[0]?.metadata?.labels?.['pod-template-hash']).toBe(rsName.slice('reviews-'.length));
    const sts = await c.apps.readNamespacedStatefulSet({ namespace: 'shop', name: 'ratings' });
    expect(sts.spec?.replicas).toBe(2);
    await expect(c.core.readNamespacedPod({ namespace: 'shop', name: 'ratings-1' })).resolves.toBeDefined();
    const ds = await c.apps.listDaemonSetForAllNamespaces();
    expect(ds.items.map((d) => d.metadata?.name)).toEqual(['agent']);
  });

  it('serves services, endpoints and EndpointSlices labelled with their service', async () => {
    server.addDeployment({ namespace: 'shop', name: 'cart', replicas: 2, createPods: true });
    server.addService({
      namespace: 'shop',
      name: 'cart',
      ports: [{ name: 'http', port: 80, targetPort: 8080 }],
    });
    server.addEndpointsForService('shop', 'cart');
    const svc = await c.core.readNamespacedService({ namespace: 'shop', name: 'cart' });
    expect(svc.spec?.selector).toEqual({ app: 'cart' });
    const slices = await c.discovery.listNamespacedEndpointSlice({
      namespace: 'shop',
      labelSelector: 'kubernetes.io/service-name=cart',
    });
    expect(slices.items).toHaveLength(1);
    expect(slices.items[0]?.endpoints.map((e) => e.targetRef?.name)).toHaveLength(2);
    expect(slices.items[0]?.ports?.[0]?.port).toBe(8080);
    const endpoints = await c.core.readNamespacedEndpoints({ namespace: 'shop', name: 'cart' });
    expect(endpoints.subsets?.[0]?.addresses).toHaveLength(2);
  });

  it('serves the istio mesh ConfigMap', async () => {
    server.addMeshConfig('accessLogFile: /dev/stdout\naccessLogEncoding: JSON\n');
    const cm = await c.core.readNamespacedConfigMap({ namespace: 'istio-system', name: 'istio' });
    expect(cm.data?.mesh).toContain('accessLogEncoding: JSON');
  });

  it('records requests with method, path, query, headers and body', async () => {
    server.clearRequests();
    await c.core.listNamespacedPod({ namespace: 'shop', labelSelector: 'app=web' });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]).toMatchObject({
      method: 'GET',
      path: '/api/v1/namespaces/shop/pods',
      query: { labelSelector: 'app=web' },
      headers: { authorization: 'Bearer meshbot-test-token' },
      body: '',
    });
  });

  it('answers 401 without the bearer token when a token is required', async () => {
    const secured = await startFakeApiServer({ requireToken: true, token: 'sekret' });
    try {
      const ok = clientsFor(secured);
      await expect(ok.core.listNamespace()).resolves.toBeDefined();
      const kc = new k8s.KubeConfig();
      kc.loadFromOptions({
        clusters: [{ name: 'c', server: secured.url, skipTLSVerify: true }],
        users: [{ name: 'u', token: 'wrong' }],
        contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
        currentContext: 'x',
      });
      const error = await kc
        .makeApiClient(k8s.CoreV1Api)
        .listNamespace()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(k8s.ApiException);
      expect((error as k8s.ApiException<unknown>).code).toBe(401);
    } finally {
      await secured.close();
    }
  });
});
