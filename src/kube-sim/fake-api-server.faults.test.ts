import * as k8s from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiErrorOf, type Clients, clientsFor } from '../../test/support/kube-clients.js';
import { type FakeApiServer, startFakeApiServer } from './index.js';

function withTimeout(ms: number): k8s.ConfigurationOptions {
  return {
    middleware: [
      {
        pre: (ctx: k8s.RequestContext) => {
          ctx.setSignal(AbortSignal.timeout(ms));
          return new k8s.Observable(Promise.resolve(ctx));
        },
        post: (r: k8s.ResponseContext) => new k8s.Observable(Promise.resolve(r)),
      },
    ],
    middlewareMergeStrategy: 'append',
  };
}

describe('fake API server: authorization and fault injection', () => {
  let server: FakeApiServer;
  let c: Clients;

  beforeEach(async () => {
    server = await startFakeApiServer();
    c = clientsFor(server);
    server.addPod({ namespace: 'shop', name: 'web-1', istio: 'sidecar' });
    server.addPod({ namespace: 'shop', name: 'web-2', istio: 'sidecar' });
  });

  afterEach(async () => {
    await server.close();
  });

  it('denies pods/log with a 403 in the real RBAC wording', async () => {
    const lift = server.deny({ verb: 'get', resource: 'pods', subresource: 'log', namespace: 'shop' });
    const error = await apiErrorOf(
      c.core.readNamespacedPodLog({ namespace: 'shop', name: 'web-1', container: 'istio-proxy' }),
    );
    expect(error.code).toBe(403);
    expect(error.status).toMatchObject({
      reason: 'Forbidden',
      message:
        'pods "web-1" is forbidden: User "system:serviceaccount:meshbot:meshbot" cannot get resource "pods/log" in API group "" in the namespace "shop"',
      details: { name: 'web-1', kind: 'pods' },
    });
    // Denying pods/log does not deny pods (RBAC subresource semantics).
    await expect(c.core.readNamespacedPod({ namespace: 'shop', name: 'web-1' })).resolves.toBeDefined();
    lift();
    await expect(
      c.core.readNamespacedPodLog({ namespace: 'shop', name: 'web-1', container: 'istio-proxy' }),
    ).resolves.toBe('');
  });

  it('words list/create denials and cluster scope like the real server', async () => {
    server.deny({ verb: ['create', 'list'], resource: 'telemetries' });
    server.deny({ verb: 'list', resource: 'namespaces' });
    const create = await apiErrorOf(
      c.custom.createNamespacedCustomObject({
        group: 'telemetry.istio.io',
        version: 'v1',
        plural: 'telemetries',
        namespace: 'shop',
        body: { apiVersion: 'telemetry.istio.io/v1', kind: 'Telemetry', metadata: { name: 'x' }, spec: {} },
      }),
    );
    expect(create.status.message).toBe(
      'telemetries.telemetry.istio.io is forbidden: User "system:serviceaccount:meshbot:meshbot" cannot create resource "telemetries" in API group "telemetry.istio.io" in the namespace "shop"',
    );
    const list = await apiErrorOf(c.core.listNamespace());
    expect(list.status.message).toBe(
      'namespaces is forbidden: User "system:serviceaccount:meshbot:meshbot" cannot list resource "namespaces" in API group "" at the cluster scope',
    );
  });

  it('answers SelfSubjectAccessReviews from the deny rules', async () => {
    server.deny({ resource: 'pods/log' });
    const authz = c.kc.makeApiClient(k8s.AuthorizationV1Api);
    const review = (attrs: k8s.V1ResourceAttributes) =>
      authz.createSelfSubjectAccessReview({ body: { spec: { resourceAttributes: attrs } } });
    expect(
      (await review({ verb: 'get', resource: 'pods', subresource: 'log', namespace: 'shop' })).status
        ?.allowed,
    ).toBe(false);
    expect((await review({ verb: 'get', resource: 'pods', namespace: 'shop' })).status?.allowed).toBe(true);
  });

  it('fails matching requests with a chosen status, a limited number of times', async () => {
    const rule = server.fail({ method: 'GET', pathPattern: /\/pods\/web-1\/log/, status: 403 });
    const forbidden = await apiErrorOf(
      c.core.readNamespacedPodLog({ namespace: 'shop', name: 'web-1', container: 'istio-proxy' }),
    );
    expect(forbidden.status.message).toContain(
      'cannot get resource "pods/log" in API group "" in the namespace "shop"',
    );
    await expect(
      c.core.readNamespacedPodLog({ namespace: 'shop', name: 'web-2', container: 'istio-proxy' }),
    ).resolves.toBe('');
    expect(rule.hits).toBe(1);
    rule.remove();

    server.fail({ pathPattern: '/pods/web-2', status: 500, times: 1 });
    const internal = await apiErrorOf(c.core.readNamespacedPod({ namespace: 'shop', name: 'web-2' }));
    expect(internal.code).toBe(500);
    expect(internal.status.reason).toBe('InternalError');
    await expect(c.core.readNamespacedPod({ namespace: 'shop', name: 'web-2' })).resolves.toBeDefined();

    server.fail({ pathPattern: '/pods/web-2', status: 409, times: 1 });
    const conflict = await apiErrorOf(c.core.readNamespacedPod({ namespace: 'shop', name: 'web-2' }));
    expect(conflict.status.reason).toBe('Conflict');
    server.fail({ pathPattern: '/pods/web-2', status: 404, times: 1 });
    expect(
      (await apiErrorOf(c.core.readNamespacedPod({ namespace: 'shop', name: 'web-2' }))).status.message,
    ).toBe('pods "web-2" not found');
  });

  it('delays answers and never answers timeout faults (the client aborts)', async () => {
    server.fail({ pathPattern: '/pods/web-1', delayMs: 80, times: 1 });
    const started = Date.now();
    await c.core.readNamespacedPod({ namespace: 'shop', name: 'web-1' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(75);

    server.fail({ pathPattern: '/pods/web-2', timeout: true });
    const error = await c.core
      .readNamespacedPod({ namespace: 'shop', name: 'web-2' }, withTimeout(100))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe('AbortError');
  });
});
