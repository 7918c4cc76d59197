import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { disableLogging } from '../../src/commands/disable-logging.js';
import { enableLogging } from '../../src/commands/enable-logging.js';
import { reconcileLogging } from '../../src/commands/reconcile-logging.js';
import type { JsonPatchOp } from '../../src/istio-logging/logging-port.js';
import { resourceVersionOf } from '../../src/istio-logging/logging-resources.js';
import type { FakeApiServer } from '../../src/kube-sim/index.js';
import type { IstioConfigClient } from '../../src/kubernetes/istio-config-client.js';
import { renderLoggingText, stringifyLoggingYaml } from '../../src/render/render-logging.js';
import {
  comparable,
  crdProblems,
  HOUR,
  meshbotClients,
  startCluster,
  T0,
  writes,
} from './logging-helpers.js';

const TEL_V1 = ['telemetry.istio.io', 'v1', 'telemetries'] as const;
const base = { maxMs: 4 * HOUR, requestedBy: 'alice' };

/** An edit by the Telemetry's owner (not meshbot), guarded by its resourceVersion like kubectl edit. */
async function editAsOwner(istio: IstioConfigClient, name: string, op: JsonPatchOp): Promise<void> {
  const api = { kind: 'Telemetry', version: 'v1' } as const;
  const current = await istio.get(api, 'shop', name);
  if (current === null) throw new Error(`${name} is gone`);
  await istio.patch(api, 'shop', name, [
    { op: 'test', path: '/metadata/resourceVersion', value: resourceVersionOf(current) },
    op,
  ]);
}

describe('enable-logging / disable-logging against the fake API server', () => {
  let server: FakeApiServer;
  afterEach(async () => {
    await server.close();
  });

  it('creates a v1 Telemetry on an empty namespace, with meshbot labels and annotations', async () => {
    server = await startCluster();
    const { istio } = meshbotClients(server);
    const result = await enableLogging(
      { ...base, namespace: 'shop', forMs: HOUR, mode: 'server', filter: 'response.code >= 400' },
      { istio, clock: () => T0 },
    );
    expect(result.change.action).toBe('create');
    const [tel, ...rest] = server.listObjects('telemetry.istio.io/v1', 'telemetries', 'shop');
    expect(rest).toEqual([]);
    expect(tel).toMatchObject({
      metadata: {
        name: 'meshbot-access-logging',
        labels: { 'app.kubernetes.io/managed-by': 'meshbot' },
        annotations: {
          'meshbot.io/requested-by': 'alice',
          'meshbot.io/since': '2024-05-01T12:00:00Z',
          'meshbot.io/until': '2024-05-01T13:00:00Z',
          'meshbot.io/mode': 'server',
          'meshbot.io/filter': 'response.code >= 400',
        },
      },
      spec: {
        accessLogging: [
          {
            providers: [{ name: 'envoy' }],
            match: { mode: 'SERVER' },
            filter: { expression: 'response.code >= 400' },
            disabled: false,
          },
        ],
      },
    });
    expect(crdProblems(tel)).toEqual([]);
  });

  it('uses v1alpha1 where v1 is not served', async () => {
    server = await startCluster('1.20');
    const { istio } = meshbotClients(server);
    const result = await enableLogging({ ...base, namespace: 'shop' }, { istio, clock: () => T0 });
    expect(result.api).toEqual({ kind: 'Telemetry', version: 'v1alpha1' });
    const [tel] = server.listObjects('telemetry.istio.io/v1alpha1', 'telemetries', 'shop');
    expect(tel?.apiVersion).toBe('telemetry.istio.io/v1alpha1');
    expect(crdProblems(tel)).toEqual([]);
    expect(tel?.metadata).toMatchObject({ annotations: { 'meshbot.io/until': '2024-05-01T16:00:00Z' } });
  });

  it('falls back to an EnvoyFilter without the Telemetry API, says so, and deletes it on disable', async () => {
    server = await startCluster('1.10');
    const { istio } = meshbotClients(server);
    const result = await enableLogging(
      { ...base, namespace: 'shop', mode: 'client' },
      { istio, clock: () => T0 },
    );
    expect(result.api.kind).toBe('EnvoyFilter');
    expect(result.notes.join(' ')).toMatch(/no Telemetry API.*EnvoyFilter/);
    const [ef] = server.listObjects('networking.istio.io/v1alpha3', 'envoyfilters', 'shop');
    expect(crdProblems(ef)).toEqual([]);
    expect(JSON.stringify(ef)).toContain('envoy.filters.network.http_connection_manager');
    expect(JSON.stringify(ef)).toContain('envoy.extensions.access_loggers.file.v3.FileAccessLog');
    const off = await disableLogging({ namespace: 'shop' }, { istio });
    expect(off.changes.map((c) => c.action)).toEqual(['delete']);
    expect(server.listObjects('networking.istio.io/v1alpha3', 'envoyfilters', 'shop')).toEqual([]);
  });

  it('says Istio is not installed when no Istio API is served', async () => {
    server = await startCluster('none');
    const { istio } = meshbotClients(server);
    await expect(
      enableLogging({ ...base, namespace: 'shop' }, { istio, clock: () => T0 }),
    ).rejects.toMatchObject({
      code: 'istio_not_installed',
      message: expect.stringContaining('Istio is not installed in this cluster'),
    });
  });

  it('never restores over an edit the owner made after meshbot patched: it only lets go', async () => {
    server = await startCluster();
    server.addCustomObject(...TEL_V1, {
      metadata: { name: 'shop-telemetry', namespace: 'shop' },
      spec: {
        tracing: [{ randomSamplingPercentage: 10 }],
        accessLogging: [{ providers: [{ name: 'otel' }], disabled: true }],
      },
    });
    const { istio } = meshbotClients(server);
    await enableLogging({ ...base, namespace: 'shop' }, { istio, clock: () => T0 });
    // The platform team changes accessLogging by hand while meshbot's change is active (keys reordered too,
    // as a real API server re-serialises them, which must not count as a change).
    const patched = server.getObject('telemetry.istio.io/v1', 'telemetries', 'shop', 'shop-telemetry') as {
      spec: { accessLogging: Record<string, unknown>[] };
    };
    const [rule] = patched.spec.accessLogging;
    const sorted = Object.fromEntries(Object.entries(rule ?? {}).sort(([a], [b]) => a.localeCompare(b)));
    await editAsOwner(istio, 'shop-telemetry', {
      op: 'replace',
      path: '/spec/accessLogging',
      value: [sorted],
    });
    // Reordered keys alone: still meshbot's value, so disable restores.
    const dry = await disableLogging({ namespace: 'shop', dryRun: true }, { istio });
    expect(dry.changes.map((c) => c.action)).toEqual(['restore']);

    const edited = [{ providers: [{ name: 'otel' }], filter: { expression: 'response.code >= 500' } }];
    await editAsOwner(istio, 'shop-telemetry', { op: 'replace', path: '/spec/accessLogging', value: edited });
    const off = await disableLogging({ namespace: 'shop' }, { istio });
    expect(off.changes.map((c) => c.action)).toEqual(['release']);
    const after = server.getObject('telemetry.istio.io/v1', 'telemetries', 'shop', 'shop-telemetry') as {
      metadata: { annotations?: Record<string, string> };
      spec: Record<string, unknown>;
    };
    expect(after.spec.accessLogging).toEqual(edited);
    expect(after.spec.tracing).toEqual([{ randomSamplingPercentage: 10 }]);
    expect(after.metadata.annotations).toBeUndefined();
    expect(renderLoggingText(off)).toContain(
      'let go of Telemetry shop/shop-telemetry (telemetry.istio.io/v1): edited by someone else',
    );
  });

  it('on expiry, hands a Telemetry meshbot created over to a team that added its tracing to it, instead of deleting it', async () => {
    server = await startCluster();
    const { istio } = meshbotClients(server);
    await enableLogging({ ...base, namespace: 'shop', forMs: HOUR }, { istio, clock: () => T0 });
    await editAsOwner(istio, 'meshbot-access-logging', {
      op: 'add',
      path: '/spec/tracing',
      value: [{ randomSamplingPercentage: 1 }],
    });
    const result = await reconcileLogging({ istio, clock: () => T0 + 2 * HOUR });
    expect(result.reverted.map((c) => c.action)).toEqual(['release']);
    const kept = server.getObject(
      'telemetry.istio.io/v1',
      'telemetries',
      'shop',
      'meshbot-access-logging',
    ) as {
      metadata: { labels?: Record<string, string>; annotations?: Record<string, string> };
      spec: Record<string, unknown>;
    };
    expect(kept.spec).toEqual({ tracing: [{ randomSamplingPercentage: 1 }] });
    expect(kept.metadata.labels).toBeUndefined();
    expect(kept.metadata.annotations).toBeUndefined();
    expect(crdProblems(kept)).toEqual([]);
    // Nothing of meshbot's is left: a later pass does nothing.
    expect((await reconcileLogging({ istio, clock: () => T0 + 3 * HOUR })).reverted).toEqual([]);
  });

  it('patches an existing selector-less Telemetry and restores it byte-for-byte, tracing untouched', async () => {
    server = await startCluster();
    const original = server.addCustomObject(...TEL_V1, {
      metadata: {
        name: 'shop-telemetry',
        namespace: 'shop',
        annotations: { owner: 'platform' },
        labels: { team: 'a' },
      },
      spec: {
        tracing: [{ providers: [{ name: 'zipkin' }], randomSamplingPercentage: 10 }],
        metrics: [{ providers: [{ name: 'prometheus' }] }],
        accessLogging: [{ providers: [{ name: 'otel' }], disabled: true }],
      },
    });
    const { istio } = meshbotClients(server);
    const on = await enableLogging({ ...base, namespace: 'shop' }, { istio, clock: () => T0 });
    expect(on.change).toMatchObject({ action: 'patch', name: 'shop-telemetry' });
    const all = server.listObjects(...(['telemetry.istio.io/v1', 'telemetries', 'shop'] as const));
    expect(all).toHaveLength(1);
    const patched = all[0];
    expect(crdProblems(patched)).toEqual([]);
    expect(patched?.spec).toMatchObject({
      tracing: original.spec && (original.spec as Record<string, unknown>).tracing,
    });
    expect(patched?.metadata).toMatchObject({
      annotations: {
        owner: 'platform',
        'meshbot.io/previous-access-logging': '[{"providers":[{"name":"otel"}],"disabled":true}]',
      },
    });
    // re-run: the first record of what was there before is kept
    await enableLogging({ ...base, namespace: 'shop', mode: 'client' }, { istio, clock: () => T0 + 60_000 });
    const off = await disableLogging({ namespace: 'shop' }, { istio });
    expect(off.changes.map((c) => c.action)).toEqual(['restore']);
    const restored = server.getObject('telemetry.istio.io/v1', 'telemetries', 'shop', 'shop-telemetry');
    expect(comparable(restored)).toEqual(comparable(original));
  });

  it('restores an "absent" accessLogging and annotations exactly', async () => {
    server = await startCluster();
    const original = server.addCustomObject(...TEL_V1, {
      metadata: { name: 'tracing-only', namespace: 'shop' },
      spec: { tracing: [{ randomSamplingPercentage: 1 }] },
    });
    const { istio } = meshbotClients(server);
    await enableLogging({ ...base, namespace: 'shop' }, { istio, clock: () => T0 });
    await disableLogging({ namespace: 'shop' }, { istio });
    expect(
      comparable(server.getObject('telemetry.istio.io/v1', 'telemetries', 'shop', 'tracing-only')),
    ).toEqual(comparable(original));
  });

  it('disable --workload says what it removed and what still logs; a dry run says "would"', async () => {
    server = await startCluster();
    const { istio } = meshbotClients(server);
    await enableLogging({ ...base, namespace: 'shop' }, { istio, clock: () => T0 });
    await enableLogging({ ...base, namespace: 'shop', workload: 'app=cart' }, { istio, clock: () => T0 });
    const dry = await disableLogging({ namespace: 'shop', workload: 'app=cart', dryRun: true }, { istio });
    const dryText = renderLoggingText(dry);
    expect(dryText).toMatch(/^Dry run: would switch off meshbot's access logging for app=cart in shop/);
    expect(dryText).toMatch(/would still be on in shop: Telemetry \S+ \(namespace-wide\)/);
    expect(dryText).not.toMatch(/^Switched off/m);
    const off = await disableLogging({ namespace: 'shop', workload: 'app=cart' }, { istio });
    expect(off.remaining).toEqual([expect.stringMatching(/^Telemetry \S+ \(namespace-wide\)$/)]);
    expect(renderLoggingText(off)).toMatch(/^Switched off meshbot's access logging for app=cart in shop\n/);
    const rest = await disableLogging({ namespace: 'shop' }, { istio });
    expect(rest.remaining).toEqual([]);
    expect(renderLoggingText(rest)).toContain('nothing else in shop switches access logging on');
  });

  it('is idempotent: one object, expiry extended', async () => {
    server = await startCluster();
    const { istio } = meshbotClients(server);
    await enableLogging({ ...base, namespace: 'shop', forMs: HOUR }, { istio, clock: () => T0 });
    const again = await enableLogging(
      { ...base, namespace: 'shop', forMs: HOUR },
      { istio, clock: () => T0 + 30 * 60_000 },
    );
    expect(again.change.action).toBe('update');
    expect(again.previousUntilMs).toBe(T0 + HOUR);
    expect(renderLoggingText(again)).toContain(
      'already on; expiry moved from 2024-05-01T13:00:00Z to 2024-05-01T13:30:00Z',
    );
    const all = server.listObjects('telemetry.istio.io/v1', 'telemetries', 'shop');
    expect(all).toHaveLength(1);
    expect(all[0]?.metadata).toMatchObject({
      annotations: { 'meshbot.io/until': '2024-05-01T13:30:00Z', 'meshbot.io/since': '2024-05-01T12:00:00Z' },
    });
  });

  it('retries after a 409 and succeeds', async () => {
    server = await startCluster();
    server.addCustomObject(...TEL_V1, {
      metadata: { name: 'existing', namespace: 'shop' },
      spec: { tracing: [{}] },
    });
    const conflict = server.fail({
      method: 'PATCH',
      pathPattern: '/telemetries/existing',
      status: 409,
      times: 1,
    });
    const { istio } = meshbotClients(server);
    const result = await enableLogging({ ...base, namespace: 'shop' }, { istio, clock: () => T0 });
    expect(conflict.hits).toBe(1);
    expect(result.change.action).toBe('patch');
    expect(writes(server).filter((w) => w.startsWith('PATCH'))).toHaveLength(2);
  });

  it('dry-run makes no write requests and prints YAML that validates against the CRD', async () => {
    server = await startCluster();
    server.addCustomObject(...TEL_V1, {
      metadata: { name: 'existing', namespace: 'shop' },
      spec: { tracing: [{}] },
    });
    const { istio } = meshbotClients(server);
    server.clearRequests();
    for (const ns of ['shop', 'default']) {
      const result = await enableLogging(
        { ...base, namespace: ns, dryRun: true, workload: ns === 'default' ? 'app=web' : undefined },
        { istio, clock: () => T0 },
      );
      const yaml = stringifyLoggingYaml(result);
      const parsed: unknown = parse(yaml);
      expect(crdProblems(parsed)).toEqual([]);
    }
    expect(writes(server)).toEqual([]);
  });

  it('names verb, resource, namespace and deploy/rbac.yaml on a 403', async () => {
    server = await startCluster();
    server.deny({ verb: 'create', resource: 'telemetries', namespace: 'shop' });
    const { istio } = meshbotClients(server);
    const error = await enableLogging({ ...base, namespace: 'shop' }, { istio, clock: () => T0 }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'k8s_forbidden' });
    const message = (error as Error).message;
    for (const part of ['create', 'telemetries.telemetry.istio.io', 'shop', 'deploy/rbac.yaml'])
      expect(message).toContain(part);
  });

  it('refuses to disable what meshbot did not enable, and validates names before any call', async () => {
    server = await startCluster();
    server.addCustomObject(...TEL_V1, {
      metadata: { name: 'theirs', namespace: 'shop' },
      spec: { accessLogging: [{}] },
    });
    const { istio } = meshbotClients(server);
    await expect(disableLogging({ namespace: 'shop' }, { istio })).rejects.toMatchObject({
      code: 'not_owned',
      message: expect.stringContaining('theirs'),
    });
    server.clearRequests();
    await expect(
      enableLogging({ ...base, namespace: 'Bad_NS' }, { istio, clock: () => T0 }),
    ).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(
      enableLogging({ ...base, namespace: 'shop', forMs: 5 * HOUR }, { istio, clock: () => T0 }),
    ).rejects.toMatchObject({ code: 'invalid_argument', message: expect.stringContaining('4h') });
    expect(server.requests).toEqual([]);
  });

  it('enables for the mesh in the root namespace from the mesh config', async () => {
    server = await startCluster();
    server.addNamespace('mesh-root');
    server.addMeshConfig('rootNamespace: mesh-root\naccessLogFile: /dev/stdout\n');
    const { istio } = meshbotClients(server);
    const result = await enableLogging({ ...base, mesh: true }, { istio, clock: () => T0 });
    expect(result.namespace).toBe('mesh-root');
    expect(result.notes.join(' ')).toContain('accessLogFile: /dev/stdout');
    expect(server.listObjects('telemetry.istio.io/v1', 'telemetries', 'mesh-root')).toHaveLength(1);
    const text = renderLoggingText(result);
    expect(text).toContain('access logging is on for the whole mesh (mesh-root)');
    expect(text).toContain('turn it off early: meshbot disable-logging --mesh');
  });
});
