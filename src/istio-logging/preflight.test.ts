import { describe, expect, it } from 'vitest';
import type { JsonMap, MeshConfigInfo } from './logging-port.js';
import {
  checkFilter,
  checkNarrowing,
  checkPods,
  checkProvider,
  existingLogging,
  type PodFact,
  preflightRefusal,
  runPreflight,
} from './preflight.js';

const TELEMETRY = { kind: 'Telemetry', version: 'v1' } as const;
const MESH: MeshConfigInfo = {
  found: true,
  source: 'istio-system/istio',
  rootNamespace: 'istio-system',
  extensionProviders: [
    { name: 'otel', kind: 'envoyOtelAls' },
    { name: 'json-file', kind: 'envoyFileAccessLog' },
    { name: 'zipkin', kind: 'zipkin' },
  ],
};

function pod(name: string, labels: Record<string, string>, proxy = true, ambient = false): PodFact {
  return { name, labels, proxy, ambient };
}

function telemetry(
  namespace: string,
  name: string,
  spec: JsonMap,
  created = '2024-01-01T00:00:00Z',
): JsonMap {
  return { kind: 'Telemetry', metadata: { name, namespace, creationTimestamp: created }, spec };
}

const LOG_ALL = { accessLogging: [{ providers: [{ name: 'envoy' }] }] };

describe('checkProvider', () => {
  it.each([
    ['envoy', 'ok', 'envoy is built in'],
    ['otel', 'ok', 'otel is an access-log provider (envoyOtelAls) in istio-system/istio'],
    ['json-file', 'ok', 'envoyFileAccessLog'],
    ['nosuch', 'refused', '--provider nosuch is not in the mesh config (istio-system/istio)'],
    ['zipkin', 'refused', '--provider zipkin is a zipkin provider'],
  ])('%s → %s', (provider, outcome, message) => {
    const check = checkProvider({ api: TELEMETRY, provider, meshConfig: { ok: true, info: MESH } });
    expect(check.outcome).toBe(outcome);
    expect(check.message).toContain(message);
  });

  it('lists the access-log providers and the fix when it refuses', () => {
    const check = checkProvider({ api: TELEMETRY, provider: 'otle', meshConfig: { ok: true, info: MESH } });
    expect(check.message).toContain(
      'Access-log providers there: envoy (built in, /dev/stdout), otel (envoyOtelAls), json-file (envoyFileAccessLog)',
    );
    expect(check.message).toContain('add otle to meshConfig.extensionProviders first');
    expect(check.message).not.toContain('zipkin (');
  });

  it('warns instead of refusing when the mesh config cannot be read or was not found', () => {
    const unreadable = checkProvider({
      api: TELEMETRY,
      provider: 'otel',
      meshConfig: { ok: false, reason: 'meshbot may not get configmaps' },
    });
    expect(unreadable).toMatchObject({ outcome: 'warning' });
    expect(unreadable.message).toContain(
      'not checked: the mesh config could not be read (meshbot may not get',
    );
    const missing = checkProvider({
      api: TELEMETRY,
      provider: 'otel',
      meshConfig: { ok: true, info: { found: false, rootNamespace: 'istio-system' } },
    });
    expect(missing.outcome).toBe('warning');
    expect(
      checkProvider({ api: TELEMETRY, provider: 'envoy', meshConfig: { ok: false, reason: 'x' } }).outcome,
    ).toBe('ok');
  });
});

describe('checkFilter', () => {
  it('passes valid CEL, skips no filter, refuses invalid CEL with the column', () => {
    expect(checkFilter('response.code >= 400').outcome).toBe('ok');
    expect(checkFilter(undefined).outcome).toBe('skipped');
    const bad = checkFilter('response.code >= 400 &&');
    expect(bad).toMatchObject({ outcome: 'refused', code: 'invalid_argument' });
    expect(bad.message).toContain('is not valid CEL at column 24');
  });
});

describe('checkPods', () => {
  const pods = [
    pod('web-1', { app: 'web' }),
    pod('web-2', { app: 'web' }),
    pod('cart-1', { app: 'cart' }, false),
  ];

  it('refuses a selector that matches no pod, listing the pods and the values of that label', () => {
    const [check] = checkPods({
      namespace: 'shop',
      workload: { label: 'app', value: 'reviews' },
      pods: { ok: true, pods, ambientNamespace: false },
    });
    expect(check).toMatchObject({ check: 'workload', outcome: 'refused', code: 'target_not_found' });
    expect(check?.message).toBe(
      'no pod in shop matches --workload app=reviews, so nothing would log (pods there: web-1, web-2, cart-1; values of app there: cart, web). Check the label with kubectl get pods -n shop --show-labels, or leave out --workload to log the whole namespace',
    );
  });

  it('says when the namespace has no pods at all', () => {
    const [check] = checkPods({
      namespace: 'shop',
      workload: { label: 'app', value: 'x' },
      pods: { ok: true, pods: [], ambientNamespace: false },
    });
    expect(check?.message).toContain('(namespace shop has no pods)');
  });

  it('accepts a matching selector and checks injection of the matching pods only', () => {
    const web = checkPods({
      namespace: 'shop',
      workload: { label: 'app', value: 'web' },
      pods: { ok: true, pods, ambientNamespace: false },
    });
    expect(web.map((c) => [c.check, c.outcome])).toEqual([
      ['workload', 'ok'],
      ['injection', 'ok'],
    ]);
    expect(web[0]?.message).toBe('app=web matches 2 pods in shop');
    const cart = checkPods({
      namespace: 'shop',
      workload: { label: 'app', value: 'cart' },
      pods: { ok: true, pods, ambientNamespace: false },
    });
    expect(cart[1]).toMatchObject({ check: 'injection', outcome: 'warning' });
    expect(cart[1]?.message).toContain('none of the 1 pod matching app=cart has an Istio proxy');
    expect(cart[1]?.message).toContain('kubectl label namespace shop istio-injection=enabled');
  });

  it('warns on a namespace without injected pods, not when it is ambient', () => {
    const bare = [pod('a', {}, false), pod('b', {}, false)];
    const [plain] = checkPods({ namespace: 'shop', pods: { ok: true, pods: bare, ambientNamespace: false } });
    expect(plain).toMatchObject({ check: 'injection', outcome: 'warning' });
    expect(plain?.message).toContain('Logging applies to pods injected later');
    const [ambient] = checkPods({
      namespace: 'shop',
      pods: { ok: true, pods: bare, ambientNamespace: true },
    });
    expect(ambient?.outcome).toBe('ok');
    const [annotated] = checkPods({
      namespace: 'shop',
      pods: { ok: true, pods: [pod('a', {}, false, true)], ambientNamespace: false },
    });
    expect(annotated?.outcome).toBe('ok');
    const [partly] = checkPods({ namespace: 'shop', pods: { ok: true, pods, ambientNamespace: false } });
    expect(partly?.message).toBe('1 of 3 pods in shop have no Istio proxy and will not log: cart-1');
    const [empty] = checkPods({ namespace: 'shop', pods: { ok: true, pods: [], ambientNamespace: false } });
    expect(empty?.message).toContain('namespace shop has no pods yet');
  });

  it('warns, not refuses, when pods cannot be listed; checks nothing without a reader', () => {
    const [check] = checkPods({
      namespace: 'shop',
      workload: { label: 'app', value: 'web' },
      pods: { ok: false, reason: 'meshbot may not list pods' },
    });
    expect(check).toMatchObject({ outcome: 'warning' });
    expect(check?.message).toContain('the workload selector and sidecar injection were not checked');
    expect(checkPods({ namespace: 'shop', pods: undefined })).toEqual([]);
  });
});

describe('existingLogging / checkNarrowing', () => {
  const meshWide = telemetry('istio-system', 'mesh-default', LOG_ALL);
  const nsWide = telemetry('shop', 'shop-logs', LOG_ALL);
  const base = { namespace: 'shop', rootNamespace: 'istio-system', namespaceObjects: [], rootObjects: [] };

  it('finds the most specific rule above the target', () => {
    expect(
      existingLogging({
        ...base,
        workload: { label: 'app', value: 'web' },
        namespaceObjects: [nsWide],
        rootObjects: [meshWide],
      })?.source,
    ).toBe('Telemetry shop/shop-logs (namespace-wide)');
    expect(existingLogging({ ...base, rootObjects: [meshWide] })?.source).toBe(
      'Telemetry istio-system/mesh-default (mesh-wide)',
    );
    expect(
      existingLogging({
        ...base,
        meshConfig: { found: true, rootNamespace: 'istio-system', accessLogFile: '/dev/stdout' },
      })?.source,
    ).toBe('the mesh config (accessLogFile: /dev/stdout)');
    expect(existingLogging(base)).toBeUndefined();
    // meshbot's own target is renewed, not "already there"; its broader rules are, like anyone's.
    const mine = telemetry('istio-system', 'meshbot-access-logging', LOG_ALL);
    (mine.metadata as JsonMap).labels = { 'app.kubernetes.io/managed-by': 'meshbot' };
    expect(existingLogging({ ...base, rootObjects: [mine] })?.source).toBe(
      'Telemetry istio-system/meshbot-access-logging (mesh-wide)',
    );
    const mineHere = telemetry('shop', 'meshbot-access-logging', LOG_ALL);
    (mineHere.metadata as JsonMap).labels = { 'app.kubernetes.io/managed-by': 'meshbot' };
    expect(existingLogging({ ...base, target: mineHere, namespaceObjects: [mineHere] })).toBeUndefined();
    expect(
      existingLogging({
        ...base,
        workload: { label: 'app', value: 'web' },
        namespaceObjects: [mineHere],
      })?.source,
    ).toBe('Telemetry shop/meshbot-access-logging (namespace-wide)');
    // A Telemetry meshbot will patch in place is compared with itself.
    expect(existingLogging({ ...base, target: nsWide, namespaceObjects: [nsWide] })).toMatchObject({
      source: 'Telemetry shop/shop-logs (namespace-wide)',
      replaced: true,
    });
  });

  it.each([
    [
      { mode: 'both', provider: 'envoy', filter: 'response.code >= 500' },
      'every request that does not match the filter',
    ],
    [{ mode: 'server', provider: 'envoy' }, 'the client side'],
    [{ mode: 'both', provider: 'otel' }, 'the logs sent to envoy'],
  ] as const)('warns that a workload rule %j narrows a namespace that logs everything', (rule, lost) => {
    const existing = existingLogging({
      ...base,
      workload: { label: 'app', value: 'web' },
      namespaceObjects: [nsWide],
    });
    const check = checkNarrowing({
      api: TELEMETRY,
      namespace: 'shop',
      workload: { label: 'app', value: 'web' },
      existing,
      ...rule,
    });
    expect(check.outcome).toBe('warning');
    expect(check.message).toContain(
      "Telemetry shop/shop-logs (namespace-wide) already logs app=web; Istio applies only the most specific Telemetry's accessLogging",
    );
    expect(check.message).toContain(`stops logging ${lost}`);
  });

  it('does not warn when the new rule logs at least as much, or nothing logs today', () => {
    const existing = existingLogging({
      ...base,
      workload: { label: 'app', value: 'web' },
      namespaceObjects: [nsWide],
    });
    expect(
      checkNarrowing({
        api: TELEMETRY,
        namespace: 'shop',
        workload: { label: 'app', value: 'web' },
        existing,
        mode: 'both',
        provider: 'envoy',
      }).outcome,
    ).toBe('ok');
    expect(
      checkNarrowing({
        api: TELEMETRY,
        namespace: 'shop',
        existing: undefined,
        mode: 'server',
        provider: 'envoy',
        filter: 'x',
      }).outcome,
    ).toBe('ok');
    const off = existingLogging({
      ...base,
      rootObjects: [telemetry('istio-system', 'off', { accessLogging: [{ disabled: true }] })],
    });
    expect(
      checkNarrowing({ api: TELEMETRY, namespace: 'shop', existing: off, mode: 'server', provider: 'envoy' })
        .outcome,
    ).toBe('ok');
  });

  it('names the whole mesh when --mesh narrows the mesh config accessLogFile', () => {
    const existing = existingLogging({
      ...base,
      namespace: 'istio-system',
      meshConfig: { found: true, rootNamespace: 'istio-system', accessLogFile: '/dev/stdout' },
    });
    const check = checkNarrowing({
      api: TELEMETRY,
      namespace: 'istio-system',
      mesh: true,
      existing,
      mode: 'client',
      provider: 'envoy',
    });
    expect(check.message).toContain(
      'the mesh config (accessLogFile: /dev/stdout) already logs the whole mesh; Istio applies only the most specific',
    );
    expect(check.message).toContain('stops logging the server side');
  });

  it('says meshbot replaces the rules of a Telemetry it patches in place', () => {
    const existing = existingLogging({ ...base, target: nsWide, namespaceObjects: [nsWide] });
    const check = checkNarrowing({
      api: TELEMETRY,
      namespace: 'shop',
      existing,
      mode: 'both',
      provider: 'envoy',
      filter: 'response.code >= 400',
    });
    expect(check.message).toContain('meshbot replaces its accessLogging with this rule until it expires');
  });
});

describe('runPreflight / preflightRefusal', () => {
  it('refuses with every reason at once, and passes a clean request', () => {
    const input = {
      api: TELEMETRY,
      namespace: 'shop',
      mesh: false,
      mode: 'both' as const,
      provider: 'nosuch',
      filter: 'a ==',
      meshConfig: { ok: true as const, info: MESH },
    };
    const error = preflightRefusal(runPreflight(input));
    expect(error?.code).toBe('invalid_argument');
    expect(error?.message).toMatch(
      /--provider nosuch is not in the mesh config.*; also: --filter "a ==" is not valid CEL/,
    );
    expect(preflightRefusal(runPreflight({ ...input, provider: 'envoy', filter: 'a == 1' }))).toBeUndefined();
  });
});
