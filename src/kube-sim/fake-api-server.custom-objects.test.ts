import * as k8s from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiErrorOf, type Clients, clientsFor } from '../../test/support/kube-clients.js';
import { type FakeApiServer, startFakeApiServer } from './index.js';

const NOW = new Date('2024-05-01T12:00:00.000Z');
const TEL = { group: 'telemetry.istio.io', version: 'v1', plural: 'telemetries' } as const;
const merge = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
const apply = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.ServerSideApply);
const strategic = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch);

function telemetry(
  name: string,
  spec: Record<string, unknown> = { accessLogging: [{ providers: [{ name: 'envoy' }] }] },
) {
  return {
    apiVersion: 'telemetry.istio.io/v1',
    kind: 'Telemetry',
    metadata: { name, namespace: 'shop' },
    spec,
  };
}

/** CustomObjectsApi returns `any`; tests read it through this narrow shape. */
interface Obj {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    resourceVersion: string;
    uid: string;
    generation: number;
    creationTimestamp: string;
    labels?: Record<string, string>;
  };
  spec: Record<string, unknown>;
  status?: unknown;
}

describe('fake API server: custom objects through client-node', () => {
  let server: FakeApiServer;
  let c: Clients;

  beforeEach(async () => {
    server = await startFakeApiServer({ now: () => NOW });
    c = clientsFor(server, 'shop');
    server.addNamespace('shop');
  });

  afterEach(async () => {
    await server.close();
  });

  const create = async (body: object): Promise<Obj> =>
    (await c.custom.createNamespacedCustomObject({ ...TEL, namespace: 'shop', body })) as Obj;
  const get = async (name: string): Promise<Obj> =>
    (await c.custom.getNamespacedCustomObject({ ...TEL, namespace: 'shop', name })) as Obj;

  it('creates, gets, lists, replaces and deletes a Telemetry', async () => {
    const created = await create(telemetry('mesh-logs'));
    expect(created.metadata).toMatchObject({
      name: 'mesh-logs',
      generation: 1,
      creationTimestamp: '2024-05-01T12:00:00Z',
    });
    expect(created.spec).toEqual({ accessLogging: [{ providers: [{ name: 'envoy' }] }] });
    expect(server.requests.at(-1)?.headers['content-type']).toBe('application/json');

    const fetched = await get('mesh-logs');
    expect(fetched).toEqual(created);
    const list = (await c.custom.listNamespacedCustomObject({ ...TEL, namespace: 'shop' })) as {
      kind: string;
      items: Obj[];
    };
    expect(list.kind).toBe('TelemetryList');
    expect(list.items.map((i) => [i.kind, i.metadata.name])).toEqual([['Telemetry', 'mesh-logs']]);
    const cluster = (await c.custom.listClusterCustomObject(TEL)) as { items: Obj[] };
    expect(cluster.items).toHaveLength(1);

    const replaced = (await c.custom.replaceNamespacedCustomObject({
      ...TEL,
      namespace: 'shop',
      name: 'mesh-logs',
      body: {
        ...fetched,
        spec: { accessLogging: [{ providers: [{ name: 'envoy' }], match: { mode: 'SERVER' } }] },
      },
    })) as Obj;
    expect(Number(replaced.metadata.resourceVersion)).toBeGreaterThan(
      Number(created.metadata.resourceVersion),
    );
    expect(replaced.metadata.generation).toBe(2);
    expect(replaced.metadata.uid).toBe(created.metadata.uid);

    const deleted = (await c.custom.deleteNamespacedCustomObject({
      ...TEL,
      namespace: 'shop',
      name: 'mesh-logs',
    })) as Record<string, unknown>;
    expect(deleted).toMatchObject({
      kind: 'Status',
      status: 'Success',
      details: { name: 'mesh-logs', group: 'telemetry.istio.io', kind: 'telemetries' },
    });
    const error = await apiErrorOf(get('mesh-logs'));
    expect(error.code).toBe(404);
    expect(error.status.message).toBe('telemetries.telemetry.istio.io "mesh-logs" not found');
  });

  it('serves the same object at v1alpha1 and lists by label', async () => {
    await create({ ...telemetry('a'), metadata: { name: 'a', labels: { owner: 'meshbot' } } });
    await create(telemetry('b'));
    const alpha = (await c.custom.getNamespacedCustomObject({
      ...TEL,
      version: 'v1alpha1',
      namespace: 'shop',
      name: 'a',
    })) as Obj;
    expect(alpha.apiVersion).toBe('telemetry.istio.io/v1alpha1');
    const labelled = (await c.custom.listNamespacedCustomObject({
      ...TEL,
      namespace: 'shop',
      labelSelector: 'owner=meshbot',
    })) as { items: Obj[] };
    expect(labelled.items.map((i) => i.metadata.name)).toEqual(['a']);
  });

  it('answers AlreadyExists, and 404 for a missing namespace', async () => {
    await create(telemetry('dup'));
    const error = await apiErrorOf(create(telemetry('dup')));
    expect(error.code).toBe(409);
    expect(error.status).toMatchObject({
      reason: 'AlreadyExists',
      message: 'telemetries.telemetry.istio.io "dup" already exists',
    });
    const noNs = await apiErrorOf(
      c.custom.createNamespacedCustomObject({
        ...TEL,
        namespace: 'ghost',
        body: { ...telemetry('x'), metadata: { name: 'x' } },
      }),
    );
    expect(noNs.code).toBe(404);
    expect(noNs.status.message).toBe('namespaces "ghost" not found');
  });

  it('supports generateName and dryRun', async () => {
    const generated = await create({ ...telemetry(''), metadata: { generateName: 'meshbot-' } });
    expect(generated.metadata.name).toMatch(/^meshbot-[a-z0-9]{5}$/);
    const dry = (await c.custom.createNamespacedCustomObject({
      ...TEL,
      namespace: 'shop',
      body: telemetry('dry'),
      dryRun: 'All',
    })) as Obj;
    expect(dry.metadata.name).toBe('dry');
    expect((await apiErrorOf(get('dry'))).code).toBe(404);
  });

  it('rejects a stale resourceVersion on replace with 409 Conflict, and a missing one with 422', async () => {
    const created = await create(telemetry('rv'));
    await c.custom.patchNamespacedCustomObject(
      { ...TEL, namespace: 'shop', name: 'rv', body: { metadata: { labels: { x: 'y' } } } },
      merge,
    );
    const stale = await apiErrorOf(
      c.custom.replaceNamespacedCustomObject({ ...TEL, namespace: 'shop', name: 'rv', body: created }),
    );
    expect(stale.code).toBe(409);
    expect(stale.status).toMatchObject({
      reason: 'Conflict',
      message:
        'Operation cannot be fulfilled on telemetries.telemetry.istio.io "rv": the object has been modified; please apply your changes to the latest version and try again',
    });
    const { resourceVersion: _rv, ...metaWithoutRv } = created.metadata;
    const missing = await apiErrorOf(
      c.custom.replaceNamespacedCustomObject({
        ...TEL,
        namespace: 'shop',
        name: 'rv',
        body: { ...created, metadata: metaWithoutRv },
      }),
    );
    expect(missing.code).toBe(422);
    expect(missing.status.message).toBe(
      'Telemetry.telemetry.istio.io "rv" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update',
    );
  });

  it('applies JSON patches (the default content type), with test failures as 422', async () => {
    await create(telemetry('jp'));
    const patched = (await c.custom.patchNamespacedCustomObject({
      ...TEL,
      namespace: 'shop',
      name: 'jp',
      body: [
        { op: 'test', path: '/spec/accessLogging/0/providers/0/name', value: 'envoy' },
        { op: 'add', path: '/spec/accessLogging/0/match', value: { mode: 'CLIENT' } },
        { op: 'copy', from: '/spec/accessLogging/0', path: '/spec/accessLogging/-' },
        { op: 'replace', path: '/spec/accessLogging/1/match/mode', value: 'SERVER' },
        { op: 'move', from: '/spec/accessLogging/1', path: '/spec/accessLogging/0' },
        { op: 'remove', path: '/spec/accessLogging/1/providers' },
      ],
    })) as Obj;
    expect(server.requests.at(-1)?.headers['content-type']).toBe('application/json-patch+json');
    expect(patched.spec.accessLogging).toEqual([
      { providers: [{ name: 'envoy' }], match: { mode: 'SERVER' } },
      { match: { mode: 'CLIENT' } },
    ]);
    const failed = await apiErrorOf(
      c.custom.patchNamespacedCustomObject({
        ...TEL,
        namespace: 'shop',
        name: 'jp',
        body: [{ op: 'test', path: '/spec/accessLogging/0/match/mode', value: 'CLIENT' }],
      }),
    );
    expect(failed.code).toBe(422);
    expect(failed.status).toMatchObject({
      reason: 'Invalid',
      details: {
        causes: [{ message: 'testing value /spec/accessLogging/0/match/mode failed: test failed' }],
      },
    });
  });

  it('applies merge patches, with a stale resourceVersion in the patch as 409', async () => {
    const created = await create(telemetry('mp'));
    const patched = (await c.custom.patchNamespacedCustomObject(
      {
        ...TEL,
        namespace: 'shop',
        name: 'mp',
        body: { metadata: { labels: { team: 'a' } }, spec: { accessLogging: [{ disabled: true }] } },
      },
      merge,
    )) as Obj;
    expect(server.requests.at(-1)?.headers['content-type']).toBe('application/merge-patch+json');
    expect(patched.spec).toEqual({ accessLogging: [{ disabled: true }] });
    expect(patched.metadata.labels).toEqual({ team: 'a' });
    const labelOnly = (await c.custom.patchNamespacedCustomObject(
      { ...TEL, namespace: 'shop', name: 'mp', body: { metadata: { labels: { team: null } } } },
      merge,
    )) as Obj;
    expect(labelOnly.metadata.generation).toBe(patched.metadata.generation);
    const error = await apiErrorOf(
      c.custom.patchNamespacedCustomObject(
        {
          ...TEL,
          namespace: 'shop',
          name: 'mp',
          body: { metadata: { resourceVersion: created.metadata.resourceVersion }, spec: {} },
        },
        merge,
      ),
    );
    expect(error.code).toBe(409);
    expect(error.status.reason).toBe('Conflict');
  });

  it('rejects strategic merge patches on custom resources with 415', async () => {
    await create(telemetry('smp'));
    const error = await apiErrorOf(
      c.custom.patchNamespacedCustomObject(
        { ...TEL, namespace: 'shop', name: 'smp', body: { spec: {} } },
        strategic,
      ),
    );
    expect(error.code).toBe(415);
    expect(error.status.reason).toBe('UnsupportedMediaType');
  });

  it('server-side applies: creates, merges, drops fields the manager stopped applying, detects conflicts', async () => {
    const body = telemetry('ssa', { accessLogging: [{ providers: [{ name: 'envoy' }] }] });
    const created = (await c.custom.patchNamespacedCustomObject(
      { ...TEL, namespace: 'shop', name: 'ssa', body, fieldManager: 'meshbot' },
      apply,
    )) as Obj;
    expect(server.requests.at(-1)).toMatchObject({
      headers: { 'content-type': 'application/apply-patch+yaml' },
      query: { fieldManager: 'meshbot' },
    });
    expect(created.metadata.generation).toBe(1);

    await c.custom.patchNamespacedCustomObject(
      { ...TEL, namespace: 'shop', name: 'ssa', body: { metadata: { labels: { by: 'human' } } } },
      merge,
    );
    const reapplied = (await c.custom.patchNamespacedCustomObject(
      {
        ...TEL,
        namespace: 'shop',
        name: 'ssa',
        body: { ...body, metadata: { name: 'ssa', annotations: { note: 'x' } } },
        fieldManager: 'meshbot',
      },
      apply,
    )) as Obj;
    expect(reapplied.metadata.labels).toEqual({ by: 'human' });
    expect(reapplied.metadata).toMatchObject({ annotations: { note: 'x' } });
    const dropped = (await c.custom.patchNamespacedCustomObject(
      { ...TEL, namespace: 'shop', name: 'ssa', body, fieldManager: 'meshbot' },
      apply,
    )) as Obj;
    expect(dropped.metadata).not.toHaveProperty('annotations.note');
    expect(dropped.metadata.labels).toEqual({ by: 'human' });

    // Another manager changed a field meshbot owns: applying a different value conflicts without force.
    await c.custom.patchNamespacedCustomObject({
      ...TEL,
      namespace: 'shop',
      name: 'ssa',
      body: [{ op: 'replace', path: '/spec/accessLogging', value: [{ disabled: true }] }],
      fieldManager: 'kubectl-edit',
    });
    const conflict = await apiErrorOf(
      c.custom.patchNamespacedCustomObject(
        { ...TEL, namespace: 'shop', name: 'ssa', body, fieldManager: 'meshbot' },
        apply,
      ),
    );
    expect(conflict.code).toBe(409);
    expect(conflict.status).toMatchObject({
      reason: 'Conflict',
      message:
        'Apply failed with 1 conflict: conflict with "kubectl-edit" using telemetry.istio.io/v1: .spec.accessLogging',
    });
    const forced = (await c.custom.patchNamespacedCustomObject(
      { ...TEL, namespace: 'shop', name: 'ssa', body, fieldManager: 'meshbot', force: true },
      apply,
    )) as Obj;
    expect(forced.spec.accessLogging).toEqual([{ providers: [{ name: 'envoy' }] }]);
    expect(server.requests.at(-1)?.query).toMatchObject({ force: 'true' });
  });

  it('requires fieldManager for apply', async () => {
    const error = await apiErrorOf(
      c.custom.patchNamespacedCustomObject(
        { ...TEL, namespace: 'shop', name: 'x', body: telemetry('x') },
        apply,
      ),
    );
    expect(error.code).toBe(422);
    expect(error.status.message).toBe(
      'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
    );
  });

  it('validates against the CRD schema with 422 Invalid listing the causes', async () => {
    const error = await apiErrorOf(
      create(telemetry('bad', { accessLogging: [{ match: { mode: 'BOTH' }, providers: [{}] }], typo: true })),
    );
    expect(error.code).toBe(422);
    expect(error.status).toMatchObject({
      reason: 'Invalid',
      details: { name: 'bad', group: 'telemetry.istio.io', kind: 'Telemetry' },
    });
    expect(error.status.message).toBe(
      'Telemetry.telemetry.istio.io "bad" is invalid: [spec.typo: unknown field "spec.typo", ' +
        'spec.accessLogging[0].match.mode: Unsupported value: "BOTH": supported values: "CLIENT_AND_SERVER", "CLIENT", "SERVER", ' +
        'spec.accessLogging[0].providers[0].name: Required value]',
    );
    await create(telemetry('good'));
    const patchError = await apiErrorOf(
      c.custom.patchNamespacedCustomObject(
        { ...TEL, namespace: 'shop', name: 'good', body: { spec: { accessLogging: [{ disabled: 'yes' }] } } },
        merge,
      ),
    );
    expect(patchError.code).toBe(422);
  });

  it('ignores status on the main resource (status subresource) and updates it via /status', async () => {
    const created = await create({ ...telemetry('st'), status: { observedGeneration: 7 } });
    expect(created.status).toBeUndefined();
    const withStatus = (await c.custom.patchNamespacedCustomObjectStatus(
      { ...TEL, namespace: 'shop', name: 'st', body: { status: { observedGeneration: 1 } } },
      merge,
    )) as Obj;
    expect(withStatus.status).toEqual({ observedGeneration: 1 });
    expect(withStatus.metadata.generation).toBe(1);
  });

  it('serves EnvoyFilters (networking.istio.io/v1alpha3), preserving unknown fields under patch.value', async () => {
    const ef = {
      apiVersion: 'networking.istio.io/v1alpha3',
      kind: 'EnvoyFilter',
      metadata: { name: 'access-log' },
      spec: {
        configPatches: [
          {
            applyTo: 'NETWORK_FILTER',
            patch: { operation: 'MERGE', value: { typed_config: { '@type': 'x', access_log: [] } } },
          },
        ],
      },
    };
    const created = (await c.custom.createNamespacedCustomObject({
      group: 'networking.istio.io',
      version: 'v1alpha3',
      plural: 'envoyfilters',
      namespace: 'istio-system',
      body: ef,
    })) as Obj;
    expect(created.spec).toEqual(ef.spec);
  });

  it('handles Leases through CoordinationV1Api with optimistic concurrency', async () => {
    const lease: k8s.V1Lease = {
      metadata: { name: 'meshbot-lock', namespace: 'shop' },
      spec: {
        holderIdentity: 'pod-a',
        leaseDurationSeconds: 30,
        renewTime: new k8s.V1MicroTime('2024-05-01T12:00:00.123456Z'),
      },
    };
    const created = await c.coordination.createNamespacedLease({ namespace: 'shop', body: lease });
    expect(created.spec?.holderIdentity).toBe('pod-a');
    const read = await c.coordination.readNamespacedLease({ namespace: 'shop', name: 'meshbot-lock' });
    const updated = await c.coordination.replaceNamespacedLease({
      namespace: 'shop',
      name: 'meshbot-lock',
      body: { ...read, spec: { ...read.spec, holderIdentity: 'pod-b' } },
    });
    expect(updated.spec?.holderIdentity).toBe('pod-b');
    const stale = await apiErrorOf(
      c.coordination.replaceNamespacedLease({
        namespace: 'shop',
        name: 'meshbot-lock',
        body: { ...read, spec: { ...read.spec, holderIdentity: 'pod-c' } },
      }),
    );
    expect(stale.code).toBe(409);
    expect(stale.status).toMatchObject({
      reason: 'Conflict',
      message:
        'Operation cannot be fulfilled on leases.coordination.k8s.io "meshbot-lock": the object has been modified; please apply your changes to the latest version and try again',
      details: { name: 'meshbot-lock', group: 'coordination.k8s.io', kind: 'leases' },
    });
  });

  it('keeps client-written fields as sent (key order included) and seeds validated objects', async () => {
    const spec = {
      tracing: [{ randomSamplingPercentage: 10.5, providers: [{ name: 'zipkin' }] }],
      accessLogging: [{ providers: [{ name: 'envoy' }] }],
    };
    const created = await create(telemetry('order', spec));
    expect(JSON.stringify(created.spec)).toBe(JSON.stringify(spec));
    expect(() =>
      server.addCustomObject(TEL.group, TEL.version, TEL.plural, telemetry('seeded-bad', { nope: 1 })),
    ).toThrow(
      'seeded Telemetry.telemetry.istio.io "seeded-bad" is invalid: spec.nope: unknown field "spec.nope"',
    );
    server.addCustomObject(TEL.group, 'v1alpha1', TEL.plural, {
      ...telemetry('seeded'),
      apiVersion: 'telemetry.istio.io/v1alpha1',
    });
    expect((await get('seeded')).apiVersion).toBe('telemetry.istio.io/v1');
    expect(server.getObject('telemetry.istio.io/v1', 'telemetries', 'shop', 'seeded')?.spec).toEqual(
      telemetry('x').spec,
    );
  });
});
