/**
 * `logs --follow` picks up a replica that appears while it follows (stern does): the real CLI and
 * @kubernetes/client-node against the fake API server. The target is looked up again every few seconds, so
 * this test waits for that (it asserts what is printed, never how long it took).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { type FakeApiServer, type JsonObject, startFakeApiServer } from '../../src/kube-sim/index.js';
import { accessLine, captureIo, kubeconfigFile, NOW, podIp } from './live-fixtures.js';

const until = async (what: string, done: () => boolean, ms = 20_000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('meshbot logs --follow: a replica that appears meanwhile', () => {
  let server: FakeApiServer;
  beforeEach(async () => {
    server = await startFakeApiServer({ now: () => NOW, namespaces: ['default', 'shop', 'istio-system'] });
    server.addDeployment({ namespace: 'shop', name: 'web', replicas: 1, istio: 'sidecar', createPods: true });
    server.addPod({ namespace: 'shop', name: 'client-1', labels: { app: 'client' }, istio: 'sidecar' });
  });
  afterEach(async () => {
    await server.close();
  });

  const follows = () =>
    server.requests.filter((r) => r.path.endsWith('/log') && r.query.follow === 'true').map((r) => r.path);

  it('is followed from when it appeared: its entries are printed, counted and its pod named', async () => {
    const [first] = server.listObjects('v1', 'pods', 'shop').filter((p) => {
      const name = String((p.metadata as { name: string }).name);
      return name.startsWith('web-');
    });
    if (first === undefined) throw new Error('seed');
    const meta = first.metadata as { labels: Record<string, string>; ownerReferences: JsonObject[] };
    const stop = new AbortController();
    const io = { ...captureIo(), signal: stop.signal };
    const running = runCli(
      ['logs', 'deploy/web', '-n', 'shop', '--follow', '--kubeconfig', kubeconfigFile(server, 'default')],
      io,
    );
    await until('the first stream', () => server.inFlight === 1);
    // A scale-up: a second replica of the same ReplicaSet, with a log of its own.
    server.addPod({
      namespace: 'shop',
      name: 'web-new-replica',
      labels: meta.labels,
      ownerReferences: meta.ownerReferences,
      istio: 'sidecar',
    });
    await until('the new replica followed', () => follows().some((p) => p.includes('/web-new-replica/')));
    await until('its stream open', () => server.inFlight === 2);
    const ip = podIp(server, 'shop', 'web-new-replica');
    const clientIp = podIp(server, 'shop', 'client-1');
    server.appendPodLog('shop', 'web-new-replica', 'istio-proxy', [
      accessLine({
        secondsAgo: 0,
        direction: 'inbound',
        path: '/from-the-new-one',
        id: 'n1',
        code: 503,
        flags: 'UF',
        service: 'web.shop.svc.cluster.local',
        serverIp: ip,
        clientIp,
      }),
    ]);
    await until('its entry', () => io.out().includes('/from-the-new-one'));
    stop.abort();
    expect(await running).toBe(0);
    expect(io.out()).toContain(
      '12:00:00.000Z web-new-replica in  GET web:9080/from-the-new-one 503 UF 5ms\n',
    );
    expect(io.err()).toContain(
      'meshbot: now also following shop/web-new-replica (it appeared while following)\n',
    );
    const summary = io.out().slice(io.out().indexOf('meshbot · logs'));
    expect(summary).toContain(
      'deploy/web in shop: 2 pods followed for 0s (stopped), 1 of them appeared while following',
    );
    expect(summary).toContain('shop/web-new-replica: followed from when it appeared');
    expect(summary).toMatch(/1 entr(y|ies) .*1 error/);
  }, 30_000);
});
