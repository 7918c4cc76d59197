import { describe, expect, it } from 'vitest';
import { MeshbotError } from '../core/errors.js';
import { deployment, type FakeClusterSeed, fakeCluster, pod } from './fake-cluster.test-helper.js';
import { parseLabelSelector } from './label-selector.js';
import { closestNames, editDistance, parseTarget, resolveSelector, resolveTarget } from './resolve-target.js';

const mesh: FakeClusterSeed = {
  defaultNamespace: 'bookinfo',
  namespaces: [
    { name: 'bookinfo', labels: { 'istio-injection': 'enabled' } },
    { name: 'staging', labels: { 'istio.io/rev': 'canary' } },
    { name: 'plain', labels: {} },
    { name: 'istio-system', labels: {} },
  ],
  pods: [
    pod('bookinfo', 'reviews-v1-abc12', { app: 'reviews', version: 'v1' }),
    pod('bookinfo', 'reviews-v2-def34', { app: 'reviews', version: 'v2' }),
    pod('bookinfo', 'productpage-v1-xyz', { app: 'productpage' }),
    pod('bookinfo', 'db-0', { 'app.kubernetes.io/name': 'db' }),
    pod('staging', 'reviews-v1-zzz99', { app: 'reviews' }),
    pod('staging', 'ratings-1', { 'service.istio.io/canonical-name': 'ratings-canonical' }),
    pod(
      'plain',
      'legacy-7f9',
      { app: 'legacy' },
      { proxy: { present: false, native: false, state: 'missing', restarts: 0 } },
    ),
    pod(
      'plain',
      'native-1',
      { app: 'native' },
      { proxy: { present: true, native: true, state: 'running', restarts: 0 } },
    ),
    pod('istio-system', 'istio-ingressgateway-5d8f-x1', {
      app: 'istio-ingressgateway',
      istio: 'ingressgateway',
    }),
  ],
  workloads: [
    deployment('bookinfo', 'reviews-v1', 'reviews'),
    deployment('staging', 'reviews-v1', 'reviews'),
    deployment('bookinfo', 'productpage-v1', 'productpage'),
    deployment('plain', 'legacy'),
    {
      kind: 'StatefulSet',
      namespace: 'bookinfo',
      name: 'db',
      selector: { matchLabels: { 'app.kubernetes.io/name': 'db' }, matchExpressions: [] },
    },
  ],
  services: [
    { namespace: 'bookinfo', name: 'reviews', selector: { app: 'reviews' } },
    { namespace: 'bookinfo', name: 'external', selector: null },
  ],
};

const names = (pods: { namespace: string; name: string }[]) => pods.map((p) => `${p.namespace}/${p.name}`);

describe('resolveTarget', () => {
  const cases: { target: string; namespace?: string; description: string; pods: string[] }[] = [
    {
      target: 'reviews-v1-abc12',
      description: 'pod/reviews-v1-abc12 in bookinfo',
      pods: ['bookinfo/reviews-v1-abc12'],
    },
    {
      target: 'pod/reviews-v1-zzz99',
      namespace: 'staging',
      description: 'pod/reviews-v1-zzz99 in staging',
      pods: ['staging/reviews-v1-zzz99'],
    },
    {
      target: 'deploy/reviews-v1',
      description: 'deploy/reviews-v1 in bookinfo',
      pods: ['bookinfo/reviews-v1-abc12', 'bookinfo/reviews-v2-def34'],
    },
    {
      target: 'productpage-v1',
      description: 'deploy/productpage-v1 in bookinfo',
      pods: ['bookinfo/productpage-v1-xyz'],
    },
    { target: 'db', description: 'sts/db in bookinfo', pods: ['bookinfo/db-0'] },
    {
      target: 'svc/reviews',
      description: 'svc/reviews in bookinfo',
      pods: ['bookinfo/reviews-v1-abc12', 'bookinfo/reviews-v2-def34'],
    },
    // A bare name that is only a Service in the default namespace.
    {
      target: 'reviews',
      description: 'svc/reviews in bookinfo',
      pods: ['bookinfo/reviews-v1-abc12', 'bookinfo/reviews-v2-def34'],
    },
    {
      target: 'reviews',
      namespace: 'staging',
      description: 'app=reviews in staging',
      pods: ['staging/reviews-v1-zzz99'],
    },
    {
      target: 'ratings-canonical',
      description: 'service.istio.io/canonical-name=ratings-canonical in staging',
      pods: ['staging/ratings-1'],
    },
    {
      target: 'istio-ingressgateway',
      description: 'app=istio-ingressgateway in istio-system',
      pods: ['istio-system/istio-ingressgateway-5d8f-x1'],
    },
    {
      target: 'ingressgateway',
      description: 'istio=ingressgateway in istio-system',
      pods: ['istio-system/istio-ingressgateway-5d8f-x1'],
    },
    { target: 'native', description: 'app=native in plain', pods: ['plain/native-1'] },
  ];
  it.each(cases)(
    '$target (-n $namespace) → $description',
    async ({ target, namespace, description, pods }) => {
      const resolved = await resolveTarget(fakeCluster(mesh), target, { namespace });
      expect(resolved.description).toBe(description);
      expect(names(resolved.pods)).toEqual(pods);
    },
  );

  it('looks in the default namespace before listing every namespace', async () => {
    const cluster = fakeCluster(mesh);
    await resolveTarget(cluster, 'deploy/reviews-v1');
    expect(cluster.calls).toEqual([
      'listPods bookinfo',
      'listWorkloads bookinfo',
      'listPods bookinfo selector',
    ]);
  });

  it('is ambiguous across namespaces when the default namespace has no match', async () => {
    const cluster = fakeCluster({ ...mesh, defaultNamespace: 'default' });
    const error = await resolveTarget(cluster, 'deploy/reviews-v1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MeshbotError);
    expect((error as MeshbotError).code).toBe('target_ambiguous');
    expect((error as MeshbotError).message).toBe(
      '"reviews-v1" matches deploy/reviews-v1 in bookinfo, deploy/reviews-v1 in staging: pass -n NAMESPACE',
    );
  });

  it('finds a unique match in another namespace', async () => {
    const resolved = await resolveTarget(
      fakeCluster({ ...mesh, defaultNamespace: 'default' }),
      'legacy-7f9',
    ).catch((e: unknown) => e);
    // legacy-7f9 exists only in `plain` and has no sidecar: the no_sidecar error names the namespace labels.
    expect((resolved as MeshbotError).code).toBe('no_sidecar');
  });

  it('says when nothing matches, with the closest names', async () => {
    const error = (await resolveTarget(fakeCluster(mesh), 'reveiws').catch(
      (e: unknown) => e,
    )) as MeshbotError;
    expect(error.code).toBe('target_not_found');
    expect(error.message).toContain('no pod, workload, service or app label "reveiws" in any namespace');
    expect(error.message).toContain('svc/reviews in bookinfo');
    expect(error.details.suggestions).toContain('reviews (app label) in bookinfo');
  });

  const failure = async (run: Promise<unknown>) => (await run.catch((e: unknown) => e)) as MeshbotError;

  it.each([
    [
      'deploy/productpage',
      'no deployment productpage in namespace bookinfo; did you mean deploy/productpage-v1?',
    ],
    ['sts/dbb', 'no statefulset dbb in namespace bookinfo; did you mean sts/db?'],
    ['ds/reviews', 'no daemonset reviews in namespace bookinfo'],
    ['svc/review', 'no service review in namespace bookinfo; did you mean svc/reviews?'],
    ['pod/productpage', 'no pod productpage in namespace bookinfo; did you mean pod/productpage-v1-xyz?'],
  ])('-n bookinfo %s: names the kind and suggests names of that kind there', async (target, message) => {
    const error = await failure(resolveTarget(fakeCluster(mesh), target, { namespace: 'bookinfo' }));
    expect(error.code).toBe('target_not_found');
    expect(error.message).toBe(message);
  });

  it('names the namespace where TARGET exists when -n points elsewhere', async () => {
    const error = await failure(resolveTarget(fakeCluster(mesh), 'legacy', { namespace: 'bookinfo' }));
    expect(error.code).toBe('target_not_found');
    expect(error.message).toBe(
      'legacy not found in namespace bookinfo (no pod, workload, service or app label of that name); it exists in plain: pass -n plain',
    );
    expect(error.details.foundIn).toEqual(['plain']);
    const several = await failure(resolveTarget(fakeCluster(mesh), 'reviews-v1', { namespace: 'plain' }));
    expect(several.message).toContain('it exists in bookinfo, staging: pass -n with one of them');
  });

  it('without -n, says pass -n when meshbot may not list across namespaces (not the API error)', async () => {
    const cluster = fakeCluster(mesh);
    const refused = new MeshbotError('k8s_forbidden', 'meshbot may not list services at cluster scope', {
      resource: 'services',
    });
    const narrow = {
      ...cluster,
      listServices: async (namespace: string | null) => {
        if (namespace === null) throw refused;
        return cluster.listServices(namespace);
      },
    };
    const error = await failure(resolveTarget(narrow, 'sleep'));
    expect(error.code).toBe('target_not_found');
    expect(error.message).toBe(
      'sleep not found in namespace bookinfo (no pod, workload, service or app label of that name); pass -n NAMESPACE (meshbot may not list services across namespaces to find it)',
    );
    // The same listing failing for another reason (the network) is that reason.
    const down = new MeshbotError('k8s_unreachable', 'cannot reach the Kubernetes API');
    const broken = { ...cluster, listPods: async () => Promise.reject(down) };
    expect(await failure(resolveTarget(broken, 'sleep'))).toBe(down);
  });

  it('without -n, a kinded TARGET found nowhere suggests names of its kind everywhere', async () => {
    const error = await failure(resolveTarget(fakeCluster(mesh), 'deploy/legacyy'));
    expect(error.message).toBe('no deployment legacyy in any namespace; did you mean deploy/legacy?');
  });

  it('says when the -n namespace does not exist, with the closest namespaces', async () => {
    const error = (await resolveTarget(fakeCluster(mesh), 'reviews', { namespace: 'bookinf' }).catch(
      (e: unknown) => e,
    )) as MeshbotError;
    expect(error.code).toBe('target_not_found');
    expect(error.message).toBe('namespace bookinf does not exist; did you mean bookinfo?');
  });

  it('reports a pod without istio-proxy with the namespace injection labels', async () => {
    const error = (await resolveTarget(fakeCluster(mesh), 'legacy', { namespace: 'plain' }).catch(
      (e: unknown) => e,
    )) as MeshbotError;
    expect(error.code).toBe('no_sidecar');
    expect(error.message).toContain('deploy/legacy in plain: legacy-7f9 has no istio-proxy container');
    expect(error.message).toContain('istio-injection=(unset), istio.io/rev=(unset)');
  });

  it('shows istio.io/rev when the namespace has one', async () => {
    const seed: FakeClusterSeed = {
      ...mesh,
      pods: [
        pod(
          'staging',
          'old',
          {},
          { proxy: { present: false, native: false, state: 'missing', restarts: 0 } },
        ),
      ],
    };
    const error = (await resolveTarget(fakeCluster(seed), 'old', { namespace: 'staging' }).catch(
      (e: unknown) => e,
    )) as MeshbotError;
    expect(error.message).toContain('istio-injection=(unset), istio.io/rev=canary');
  });

  it('refuses a selector-less Service', async () => {
    const error = (await resolveTarget(fakeCluster(mesh), 'svc/external').catch(
      (e: unknown) => e,
    )) as MeshbotError;
    expect(error.code).toBe('target_not_found');
    expect(error.message).toContain('has no selector');
  });

  it.each([
    '../x',
    'a,b=c',
    'app=x',
    'deploy/../etc',
    'svc/UPPER',
    'foo/bar',
    '',
    'x y',
    'pod/a?b',
    `${'a'.repeat(64)}`,
  ])('rejects %j before any API call', async (target) => {
    const cluster = fakeCluster(mesh);
    const error = (await resolveTarget(cluster, target).catch((e: unknown) => e)) as MeshbotError;
    expect(error.code).toBe('invalid_argument');
    expect(cluster.calls).toEqual([]);
  });

  it('rejects an invalid namespace before any API call', async () => {
    const cluster = fakeCluster(mesh);
    const error = (await resolveTarget(cluster, 'x', { namespace: 'a/b' }).catch(
      (e: unknown) => e,
    )) as MeshbotError;
    expect(error.code).toBe('invalid_argument');
    expect(cluster.calls).toEqual([]);
  });
});

describe('resolveSelector', () => {
  it('reads the pods the selector matches in -n, else the context namespace', async () => {
    const cluster = fakeCluster(mesh);
    const resolved = await resolveSelector(cluster, parseLabelSelector('app=reviews,version!=v2'));
    expect(resolved.description).toBe('-l app=reviews,version notin (v2) in bookinfo');
    expect(names(resolved.pods)).toEqual(['bookinfo/reviews-v1-abc12']);
    expect(cluster.calls).toEqual(['listPods bookinfo selector']);
    const staging = await resolveSelector(cluster, parseLabelSelector('app in (reviews)'), {
      namespace: 'staging',
    });
    expect(names(staging.pods)).toEqual(['staging/reviews-v1-zzz99']);
  });

  it('names where pods match when none do in the namespace', async () => {
    const error = (await resolveSelector(fakeCluster(mesh), parseLabelSelector('app=legacy')).catch(
      (e: unknown) => e,
    )) as MeshbotError;
    expect(error.code).toBe('target_not_found');
    expect(error.message).toBe(
      'no running pods match -l app=legacy in namespace bookinfo; pods match in plain: pass -n plain',
    );
  });

  it('says the -n namespace does not exist, and that matched pods lack a sidecar', async () => {
    const missing = (await resolveSelector(fakeCluster(mesh), parseLabelSelector('app=x'), {
      namespace: 'bookinf',
    }).catch((e: unknown) => e)) as MeshbotError;
    expect(missing.message).toBe('namespace bookinf does not exist; did you mean bookinfo?');
    const plain = (await resolveSelector(fakeCluster(mesh), parseLabelSelector('app=legacy'), {
      namespace: 'plain',
    }).catch((e: unknown) => e)) as MeshbotError;
    expect(plain.code).toBe('no_sidecar');
  });
});

describe('parseTarget', () => {
  it.each([
    ['deploy/x', 'Deployment'],
    ['deployment/x', 'Deployment'],
    ['sts/x', 'StatefulSet'],
    ['ds/x', 'DaemonSet'],
    ['svc/x', 'Service'],
    ['po/x', 'pod'],
    ['x', 'any'],
    ['My_App.v1', 'any'],
  ])('%s → %s', (target, kind) => {
    expect(parseTarget(target).kind).toBe(kind);
  });
});

describe('closestNames', () => {
  it('ranks by edit distance and prefix', () => {
    expect(editDistance('reviews', 'reveiws')).toBe(2);
    const seen = {
      pods: [pod('a', 'ratings-1', { app: 'ratings' })],
      workloads: [deployment('a', 'reviews')],
      services: [],
    };
    expect(closestNames('review', seen)).toEqual(['deploy/reviews in a']);
    expect(closestNames('zzzzzz', seen)).toEqual([]);
  });
});
