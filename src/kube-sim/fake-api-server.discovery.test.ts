import * as k8s from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { apiErrorOf, clientsFor } from '../../test/support/kube-clients.js';
import { type FakeApiServer, startFakeApiServer } from './index.js';

async function groupsOf(
  server: FakeApiServer,
): Promise<Record<string, { versions: string[]; preferred: string | undefined }>> {
  const list = await clientsFor(server).apis.getAPIVersions();
  return Object.fromEntries(
    list.groups.map((g) => [
      g.name,
      { versions: g.versions.map((v) => v.version), preferred: g.preferredVersion?.version },
    ]),
  );
}

describe('fake API server: discovery', () => {
  const servers: FakeApiServer[] = [];
  const start = async (istio?: string): Promise<FakeApiServer> => {
    const server = await startFakeApiServer(istio === undefined ? {} : { istio });
    servers.push(server);
    return server;
  };

  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it('lists the built-in and Istio 1.22+ groups with preferred versions', async () => {
    const groups = await groupsOf(await start());
    expect(groups['telemetry.istio.io']).toEqual({ versions: ['v1', 'v1alpha1'], preferred: 'v1' });
    expect(groups['networking.istio.io']).toEqual({
      versions: ['v1', 'v1beta1', 'v1alpha3'],
      preferred: 'v1',
    });
    expect(groups['coordination.k8s.io']).toEqual({ versions: ['v1'], preferred: 'v1' });
    expect(groups.apps).toEqual({ versions: ['v1'], preferred: 'v1' });
    expect(groups['discovery.k8s.io']?.versions).toEqual(['v1']);
  });

  it('models Istio 1.11–1.21 (telemetry v1alpha1 only), pre-1.11 (EnvoyFilter only) and no Istio', async () => {
    const v120 = await groupsOf(await start('1.20'));
    expect(v120['telemetry.istio.io']).toEqual({ versions: ['v1alpha1'], preferred: 'v1alpha1' });
    expect(v120['networking.istio.io']?.versions).toEqual(['v1beta1', 'v1alpha3']);
    const v110 = await groupsOf(await start('1.10'));
    expect(v110['telemetry.istio.io']).toBeUndefined();
    expect(v110['networking.istio.io']).toBeDefined();
    const none = await groupsOf(await start('none'));
    expect(Object.keys(none).filter((g) => g.endsWith('istio.io'))).toEqual([]);
  });

  it('switches Istio versions at runtime and removes CRDs', async () => {
    const server = await start('1.24');
    const c = clientsFor(server);
    server.setIstioVersions('1.18');
    expect((await groupsOf(server))['telemetry.istio.io']?.versions).toEqual(['v1alpha1']);
    const v1 = await apiErrorOf(
      c.custom.listNamespacedCustomObject({
        group: 'telemetry.istio.io',
        version: 'v1',
        namespace: 'default',
        plural: 'telemetries',
      }),
    );
    expect(v1.code).toBe(404);
    expect(v1.status.message).toBe('the server could not find the requested resource');
    server.removeCrd('telemetries.telemetry.istio.io');
    expect((await groupsOf(server))['telemetry.istio.io']).toBeUndefined();
    server.setIstioVersions({ 'telemetry.istio.io': ['v1'] });
    expect((await groupsOf(server))['telemetry.istio.io']?.versions).toEqual(['v1']);
  });

  it('serves APIResourceLists with subresources, /api and /version', async () => {
    const server = await start();
    const c = clientsFor(server);
    const telemetry = await c.custom.getAPIResources({ group: 'telemetry.istio.io', version: 'v1' });
    expect(telemetry.resources.find((r) => r.name === 'telemetries')).toMatchObject({
      kind: 'Telemetry',
      namespaced: true,
      singularName: 'telemetry',
    });
    const core = await c.core.getAPIResources();
    expect(core.resources.find((r) => r.name === 'pods/log')).toMatchObject({ kind: 'Pod', verbs: ['get'] });
    const coordination = await c.kc.makeApiClient(k8s.CoordinationV1Api).getAPIResources();
    expect(coordination.resources.map((r) => r.name)).toEqual(['leases']);
    const versions = await c.kc.makeApiClient(k8s.CoreApi).getAPIVersions();
    expect(versions.versions).toEqual(['v1']);
    const version = await c.kc.makeApiClient(k8s.VersionApi).getCode();
    expect(version.gitVersion).toBe('v1.30.0');
    const crd = await c.kc
      .makeApiClient(k8s.ApiextensionsV1Api)
      .readCustomResourceDefinition({ name: 'telemetries.telemetry.istio.io' });
    expect(crd.spec.versions.map((v) => v.name)).toEqual(['v1', 'v1alpha1']);
  });
});
