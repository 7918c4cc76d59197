/** The bot's guarded ClusterReader: allowed namespaces only, and one shared limit of pod log reads in flight. */
import { describe, expect, it } from 'vitest';
import { MeshbotError } from '../core/errors.js';
import type { ClusterReader } from './cluster-port.js';
import { deployment, fakeCluster, pod } from './fake-cluster.test-helper.js';
import { guardClusterReader, LogReadLimiter } from './guarded-cluster-reader.js';

const allowed = (namespace: string) => namespace !== 'secret' && !namespace.startsWith('kube-');

function cluster() {
  return fakeCluster({
    defaultNamespace: 'shop',
    namespaces: [
      { name: 'shop', labels: {} },
      { name: 'secret', labels: {} },
      { name: 'kube-system', labels: {} },
      { name: 'pay', labels: {} },
    ],
    pods: [
      pod('shop', 'cart-1', { app: 'cart' }),
      pod('secret', 'vault-0', { app: 'vault' }),
      pod('pay', 'api-1', { app: 'api' }),
      pod('kube-system', 'coredns-1', { app: 'coredns' }),
    ],
    workloads: [deployment('shop', 'cart'), deployment('secret', 'vault'), deployment('pay', 'api')],
    services: [
      { namespace: 'shop', name: 'cart', selector: { app: 'cart' } },
      { namespace: 'secret', name: 'vault', selector: { app: 'vault' } },
    ],
    logs: { 'shop/cart-1': 'cart log\n', 'secret/vault-0': 'secret log\n' },
  });
}

/** A promise to settle by hand. */
function deferred<T>() {
  let resolve: (value: T) => void = () => {};
  let reject: (reason: unknown) => void = () => {};
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every pending promise callback run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('guardClusterReader: namespaces', () => {
  it('keeps the reader identity', () => {
    const guarded = guardClusterReader(cluster(), {
      limiter: new LogReadLimiter(2),
      namespaceAllowed: allowed,
    });
    expect(guarded.server).toBe('https://fake:6443');
    expect(guarded.defaultNamespace).toBe('shop');
  });

  it('filters lists across all namespaces to the allowed ones', async () => {
    const guarded = guardClusterReader(cluster(), {
      limiter: new LogReadLimiter(2),
      namespaceAllowed: allowed,
    });
    expect((await guarded.listNamespaces()).map((n) => n.name)).toEqual(['shop', 'pay']);
    expect((await guarded.listPods(null)).map((p) => `${p.namespace}/${p.name}`)).toEqual([
      'shop/cart-1',
      'pay/api-1',
    ]);
    expect(
      (await guarded.listPods(null, { matchLabels: { app: 'vault' }, matchExpressions: [] })).length,
    ).toBe(0);
    expect((await guarded.listWorkloads(null)).map((w) => w.namespace)).toEqual(['shop', 'pay']);
    expect((await guarded.listServices(null)).map((s) => s.name)).toEqual(['cart']);
  });

  it('answers for an allowed namespace as the reader does', async () => {
    const guarded = guardClusterReader(cluster(), {
      limiter: new LogReadLimiter(2),
      namespaceAllowed: allowed,
    });
    expect(await guarded.getNamespace('shop')).toEqual({ name: 'shop', labels: {} });
    expect(await guarded.getNamespace('missing')).toBeNull();
    expect((await guarded.listPods('shop')).map((p) => p.name)).toEqual(['cart-1']);
    expect((await guarded.listWorkloads('pay')).map((w) => w.name)).toEqual(['api']);
    expect(await guarded.readProxyLog('shop', 'cart-1', { tailLines: 10 })).toBe('cart log\n');
  });

  const refused: [string, (r: ClusterReader) => Promise<unknown>][] = [
    ['getNamespace', (r) => r.getNamespace('secret')],
    ['listPods', (r) => r.listPods('secret')],
    ['listPods with a selector', (r) => r.listPods('kube-system', { matchLabels: {}, matchExpressions: [] })],
    ['listWorkloads', (r) => r.listWorkloads('secret')],
    ['listServices', (r) => r.listServices('secret')],
    ['readProxyLog', (r) => r.readProxyLog('secret', 'vault-0', {})],
  ];

  it.each(refused)(
    '%s refuses a namespace outside the allowed set, before asking the cluster',
    async (_, call) => {
      const inner = cluster();
      const guarded = guardClusterReader(inner, {
        limiter: new LogReadLimiter(2),
        namespaceAllowed: allowed,
      });
      const error = await (async () => call(guarded))().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(MeshbotError);
      expect(error).toMatchObject({ code: 'forbidden' });
      expect(error instanceof MeshbotError ? error.message : '').toMatch(
        /not allowed to look at namespace (secret|kube-system) \(MESHBOT_NAMESPACES\)/,
      );
      expect(inner.calls).toEqual([]);
      expect(inner.reads).toEqual([]);
    },
  );
});

describe('LogReadLimiter', () => {
  it('clamps the limit to a whole number of at least 1', () => {
    expect(new LogReadLimiter(0).limit).toBe(1);
    expect(new LogReadLimiter(-3).limit).toBe(1);
    expect(new LogReadLimiter(2.9).limit).toBe(2);
  });

  it('never has more than the limit in flight across two guarded readers sharing it', async () => {
    const limit = 3;
    const counts: number[] = [];
    const limiter = new LogReadLimiter(limit, (n) => counts.push(n));
    let inner = 0;
    let innerPeak = 0;
    const pending: { pod: string; resolve: (text: string) => void }[] = [];
    const slow: ClusterReader = {
      ...fakeCluster({}),
      readProxyLog(namespace, name) {
        inner++;
        innerPeak = Math.max(innerPeak, inner);
        const d = deferred<string>();
        pending.push({ pod: `${namespace}/${name}`, resolve: d.resolve });
        return d.promise.finally(() => {
          inner--;
        });
      },
    };
    const a = guardClusterReader(slow, { limiter, namespaceAllowed: allowed });
    const b = guardClusterReader(slow, { limiter, namespaceAllowed: allowed });

    const reads = Array.from({ length: 10 }, (_, i) =>
      (i % 2 === 0 ? a : b).readProxyLog('shop', `pod-${i}`, {}),
    );
    await settle();
    expect(limiter.inFlight).toBe(limit);
    expect(pending).toHaveLength(limit);

    // Finish reads one at a time, out of order; the waiting ones start as slots free up.
    while (pending.length > 0) {
      const next = pending.splice(pending.length > 1 ? 1 : 0, 1)[0];
      next?.resolve(`log of ${next.pod}`);
      await settle();
      expect(limiter.inFlight).toBeLessThanOrEqual(limit);
    }
    const texts = await Promise.all(reads);
    expect(texts).toEqual(Array.from({ length: 10 }, (_, i) => `log of shop/pod-${i}`));
    expect(innerPeak).toBe(limit);
    expect(limiter.peak).toBe(limit);
    expect(limiter.inFlight).toBe(0);
    expect(Math.max(...counts)).toBe(limit);
    expect(counts.every((n) => n >= 0 && n <= limit)).toBe(true);
    expect(counts.at(-1)).toBe(0);
    // One change when each read starts and one when it ends.
    expect(counts).toHaveLength(20);
  });

  it('holds the limit with reads that end on timers', async () => {
    const limiter = new LogReadLimiter(2);
    let inner = 0;
    let innerPeak = 0;
    const timed: ClusterReader = {
      ...fakeCluster({}),
      async readProxyLog(_namespace, name) {
        inner++;
        innerPeak = Math.max(innerPeak, inner);
        await new Promise((resolve) => setTimeout(resolve, name.length % 3));
        inner--;
        return name;
      },
    };
    const a = guardClusterReader(timed, { limiter, namespaceAllowed: allowed });
    const b = guardClusterReader(timed, { limiter, namespaceAllowed: allowed });
    const names = ['p', 'pp', 'ppp', 'pppp', 'ppppp', 'pppppp', 'ppppppp'];
    const results = await Promise.all(names.map((n, i) => (i % 2 ? a : b).readProxyLog('pay', n, {})));
    expect(results).toEqual(names);
    expect(innerPeak).toBe(2);
    expect(limiter.peak).toBe(2);
    expect(limiter.inFlight).toBe(0);
  });

  it('frees the slot of a read that fails', async () => {
    const counts: number[] = [];
    const limiter = new LogReadLimiter(1, (n) => counts.push(n));
    const failing = new MeshbotError('k8s_not_found', 'pod gone');
    const guarded = guardClusterReader(fakeCluster({ logs: { 'shop/gone': failing, 'shop/ok': 'fine\n' } }), {
      limiter,
      namespaceAllowed: allowed,
    });
    const [first, second] = await Promise.allSettled([
      guarded.readProxyLog('shop', 'gone', {}),
      guarded.readProxyLog('shop', 'ok', {}),
    ]);
    expect(first).toMatchObject({ status: 'rejected', reason: failing });
    expect(second).toEqual({ status: 'fulfilled', value: 'fine\n' });
    expect(limiter.inFlight).toBe(0);
    expect(limiter.peak).toBe(1);
    expect(counts).toEqual([1, 0, 1, 0]);
  });

  it('a refused namespace takes no slot', async () => {
    const counts: number[] = [];
    const limiter = new LogReadLimiter(1, (n) => counts.push(n));
    const guarded = guardClusterReader(cluster(), { limiter, namespaceAllowed: allowed });
    await expect((async () => guarded.readProxyLog('secret', 'vault-0', {}))()).rejects.toMatchObject({
      code: 'forbidden',
    });
    expect(counts).toEqual([]);
    expect(limiter.peak).toBe(0);
  });
});
