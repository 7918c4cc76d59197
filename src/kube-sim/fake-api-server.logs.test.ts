import * as k8s from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiErrorOf, type Clients, clientsFor } from '../../test/support/kube-clients.js';
import { type FakeApiServer, type LogLine, startFakeApiServer } from './index.js';

const NOW = new Date('2024-05-01T12:00:00.000Z');
const at = (secondsAgo: number): Date => new Date(NOW.getTime() - secondsAgo * 1000);
const line = (secondsAgo: number, text: string): LogLine => ({ time: at(secondsAgo), text });

describe('fake API server: pod logs through client-node', () => {
  let server: FakeApiServer;
  let c: Clients;

  beforeEach(async () => {
    server = await startFakeApiServer({ now: () => NOW });
    c = clientsFor(server, 'shop');
    server.addPod({ namespace: 'shop', name: 'web-1', labels: { app: 'web' }, istio: 'sidecar' });
    server.setPodLog('shop', 'web-1', 'istio-proxy', [
      line(600, '[2024-05-01T11:50:00.000Z] "GET /a HTTP/1.1" 200'),
      line(120, '[2024-05-01T11:58:00.000Z] "GET /b HTTP/1.1" 503 UF'),
      line(30, '[2024-05-01T11:59:30.000Z] "GET /c HTTP/1.1" 200'),
    ]);
    server.setPodLog('shop', 'web-1', 'app', [line(10, 'app started')]);
  });

  afterEach(async () => {
    await server.close();
  });

  it('reads one container with text/plain', async () => {
    const log = await c.core.readNamespacedPodLog({
      namespace: 'shop',
      name: 'web-1',
      container: 'istio-proxy',
    });
    expect(log.split('\n')).toEqual([
      '[2024-05-01T11:50:00.000Z] "GET /a HTTP/1.1" 200',
      '[2024-05-01T11:58:00.000Z] "GET /b HTTP/1.1" 503 UF',
      '[2024-05-01T11:59:30.000Z] "GET /c HTTP/1.1" 200',
      '',
    ]);
    expect(server.requests.at(-1)?.query).toMatchObject({ container: 'istio-proxy' });
  });

  it('honours tailLines, sinceSeconds (server clock), limitBytes and timestamps', async () => {
    const read = (extra: Partial<k8s.CoreV1ApiReadNamespacedPodLogRequest>): Promise<string> =>
      c.core.readNamespacedPodLog({ namespace: 'shop', name: 'web-1', container: 'istio-proxy', ...extra });
    expect(await read({ tailLines: 1 })).toBe('[2024-05-01T11:59:30.000Z] "GET /c HTTP/1.1" 200\n');
    expect(await read({ tailLines: 0 })).toBe('');
    expect((await read({ sinceSeconds: 120 })).split('\n')).toHaveLength(3);
    expect((await read({ sinceSeconds: 60 })).split('\n')).toHaveLength(2);
    expect((await read({ tailLines: 2, sinceSeconds: 60 })).split('\n')).toHaveLength(2);
    expect(await read({ limitBytes: 60 })).toBe(
      '[2024-05-01T11:50:00.000Z] "GET /a HTTP/1.1" 200\n[2024-05-01',
    );
    expect(await read({ tailLines: 1, timestamps: true })).toBe(
      '2024-05-01T11:59:30.000000000Z [2024-05-01T11:59:30.000Z] "GET /c HTTP/1.1" 200\n',
    );
  });

  it('supports sinceTime through the Log class', async () => {
    const chunks: string[] = [];
    const { PassThrough } = await import('node:stream');
    const sink = new PassThrough();
    sink.on('data', (d: Buffer) => chunks.push(d.toString()));
    const finished = new Promise((resolve) => sink.on('end', resolve));
    await new k8s.Log(c.kc).log('shop', 'web-1', 'istio-proxy', sink, { sinceTime: '2024-05-01T11:59:00Z' });
    await finished;
    expect(chunks.join('')).toBe('[2024-05-01T11:59:30.000Z] "GET /c HTTP/1.1" 200\n');
  });

  it('streams lines appended later with follow=true, and ends the stream when the pod is deleted', async () => {
    const { PassThrough } = await import('node:stream');
    const sink = new PassThrough();
    const chunks: string[] = [];
    sink.on('data', (d: Buffer) => chunks.push(d.toString()));
    const ended = new Promise((resolve) => sink.on('end', resolve));
    const received = async (text: string) => {
      for (let i = 0; i < 200 && !chunks.join('').includes(text); i++)
        await new Promise((r) => setTimeout(r, 5));
      return chunks.join('');
    };
    await new k8s.Log(c.kc).log('shop', 'web-1', 'istio-proxy', sink, { follow: true, sinceSeconds: 60 });
    expect(await received('/c')).toBe('[2024-05-01T11:59:30.000Z] "GET /c HTTP/1.1" 200\n');
    expect(server.requests.at(-1)?.query).toMatchObject({ follow: 'true' });
    server.appendPodLog('shop', 'web-1', 'istio-proxy', [line(0, 'later 1'), line(0, 'later 2')]);
    server.appendPodLog('shop', 'web-1', 'app', [line(0, 'another container')]);
    expect(await received('later 2')).toBe(
      '[2024-05-01T11:59:30.000Z] "GET /c HTTP/1.1" 200\nlater 1\nlater 2\n',
    );
    expect(server.inFlight).toBe(1);
    server.deleteObject('v1', 'pods', 'shop', 'web-1');
    await ended;
    expect(chunks.join('')).not.toContain('another container');
  });

  it('ends a followed stream at limitBytes, cutting the last line', async () => {
    const { PassThrough } = await import('node:stream');
    const sink = new PassThrough();
    const chunks: string[] = [];
    sink.on('data', (d: Buffer) => chunks.push(d.toString()));
    const ended = new Promise((resolve) => sink.on('end', resolve));
    await new k8s.Log(c.kc).log('shop', 'web-1', 'app', sink, { follow: true, limitBytes: 20 });
    server.appendPodLog('shop', 'web-1', 'app', [line(0, 'abcdefghij')]);
    await ended;
    expect(chunks.join('')).toBe('app started\nabcdefgh');
  });

  it('requires a container when the pod has several, listing init containers', async () => {
    const error = await apiErrorOf(c.core.readNamespacedPodLog({ namespace: 'shop', name: 'web-1' }));
    expect(error.code).toBe(400);
    expect(error.status).toMatchObject({
      reason: 'BadRequest',
      message:
        'a container name must be specified for pod web-1, choose one of: [app istio-proxy] or one of the init containers: [istio-init]',
    });
    const wrong = await apiErrorOf(
      c.core.readNamespacedPodLog({ namespace: 'shop', name: 'web-1', container: 'envoy' }),
    );
    expect(wrong.status.message).toBe('container envoy is not valid for pod web-1');
  });

  it('uses the only container by default', async () => {
    server.addPod({ namespace: 'shop', name: 'solo', containers: ['main'] });
    server.setPodLog('shop', 'solo', 'main', [line(1, 'hello')]);
    expect(await c.core.readNamespacedPodLog({ namespace: 'shop', name: 'solo' })).toBe('hello\n');
  });

  it('reads a native sidecar (istio-proxy as an init container with restartPolicy Always)', async () => {
    server.addPod({ namespace: 'shop', name: 'native-1', istio: 'native' });
    server.setPodLog('shop', 'native-1', 'istio-proxy', [line(5, 'native proxy line')]);
    const pod = await c.core.readNamespacedPod({ namespace: 'shop', name: 'native-1' });
    expect(pod.spec?.initContainers?.map((x) => [x.name, x.restartPolicy])).toEqual([
      ['istio-init', undefined],
      ['istio-proxy', 'Always'],
    ]);
    expect(
      await c.core.readNamespacedPodLog({ namespace: 'shop', name: 'native-1', container: 'istio-proxy' }),
    ).toBe('native proxy line\n');
    // One regular container: the API server defaults to it, even with init containers present.
    server.setPodLog('shop', 'native-1', 'app', [line(5, 'app line')]);
    expect(await c.core.readNamespacedPodLog({ namespace: 'shop', name: 'native-1' })).toBe('app line\n');
    server.addPod({ namespace: 'shop', name: 'native-2', containers: ['app', 'worker'], istio: 'native' });
    const error = await apiErrorOf(c.core.readNamespacedPodLog({ namespace: 'shop', name: 'native-2' }));
    expect(error.status.message).toBe(
      'a container name must be specified for pod native-2, choose one of: [app worker] or one of the init containers: [istio-init istio-proxy]',
    );
  });

  it('serves previous logs only for a restarted container', async () => {
    const none = await apiErrorOf(
      c.core.readNamespacedPodLog({ namespace: 'shop', name: 'web-1', container: 'app', previous: true }),
    );
    expect(none.code).toBe(400);
    expect(none.status.message).toBe('previous terminated container "app" in pod "web-1" not found');
    server.setPodLog('shop', 'web-1', 'app', [line(900, 'panic: boom')], { previous: true });
    expect(
      await c.core.readNamespacedPodLog({
        namespace: 'shop',
        name: 'web-1',
        container: 'app',
        previous: true,
      }),
    ).toBe('panic: boom\n');
    const pod = await c.core.readNamespacedPod({ namespace: 'shop', name: 'web-1' });
    expect(pod.status?.containerStatuses?.find((s) => s.name === 'app')?.restartCount).toBe(1);
  });

  it('answers 400 for a waiting container and serves the last instance in CrashLoopBackOff', async () => {
    server.addPod({
      namespace: 'shop',
      name: 'starting',
      istio: 'sidecar',
      proxy: { state: { waiting: 'ContainerCreating' } },
    });
    const error = await apiErrorOf(
      c.core.readNamespacedPodLog({ namespace: 'shop', name: 'starting', container: 'istio-proxy' }),
    );
    expect(error.code).toBe(400);
    expect(error.status.message).toBe(
      'container "istio-proxy" in pod "starting" is waiting to start: ContainerCreating',
    );
    server.addPod({
      namespace: 'shop',
      name: 'crashing',
      containers: [
        {
          name: 'app',
          state: { waiting: 'CrashLoopBackOff' },
          lastTerminated: { exitCode: 1, reason: 'Error' },
        },
      ],
    });
    server.setPodLog('shop', 'crashing', 'app', [line(3, 'last words')], { previous: true });
    expect(await c.core.readNamespacedPodLog({ namespace: 'shop', name: 'crashing' })).toBe('last words\n');
  });

  it('calls log generators with the server time on every read', async () => {
    let calls = 0;
    server.setPodLog('shop', 'web-1', 'istio-proxy', ({ now }) => {
      calls++;
      return [{ time: new Date(now.getTime() - 1000), text: `generated at ${now.toISOString()}` }];
    });
    expect(
      await c.core.readNamespacedPodLog({ namespace: 'shop', name: 'web-1', container: 'istio-proxy' }),
    ).toBe('generated at 2024-05-01T12:00:00.000Z\n');
    expect(calls).toBe(1);
  });

  it('validates PodLogOptions like the API server (422)', async () => {
    const error = await apiErrorOf(
      c.core.readNamespacedPodLog({ namespace: 'shop', name: 'web-1', container: 'app', tailLines: -1 }),
    );
    expect(error.code).toBe(422);
    expect(error.status.message).toBe(
      'PodLogOptions "web-1" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0',
    );
    const missing = await apiErrorOf(
      c.core.readNamespacedPodLog({ namespace: 'shop', name: 'ghost', container: 'app' }),
    );
    expect(missing.status.message).toBe('pods "ghost" not found');
  });

  it('counts concurrent log reads in inFlight/maxInFlight', async () => {
    for (let i = 0; i < 20; i++) {
      server.addPod({ namespace: 'shop', name: `p-${i}`, containers: ['app'] });
      server.setPodLog('shop', `p-${i}`, 'app', [line(1, `line ${i}`)]);
    }
    server.delayLogs(50);
    server.resetCounters();
    const logs = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        c.core.readNamespacedPodLog({ namespace: 'shop', name: `p-${i}` }),
      ),
    );
    expect(logs[7]).toBe('line 7\n');
    expect(server.maxInFlight).toBe(20);
    expect(server.inFlight).toBe(0);
  });

  it('keeps maxInFlight at the client limit when the client limits concurrency', async () => {
    for (let i = 0; i < 12; i++) server.addPod({ namespace: 'shop', name: `q-${i}`, containers: ['app'] });
    server.delayLogs(20);
    server.resetCounters();
    const queue = Array.from({ length: 12 }, (_, i) => `q-${i}`);
    const worker = async (): Promise<void> => {
      for (let name = queue.shift(); name; name = queue.shift())
        await c.core.readNamespacedPodLog({ namespace: 'shop', name });
    };
    await Promise.all([worker(), worker(), worker()]);
    expect(server.maxInFlight).toBe(3);
  });

  it('answers 300 concurrent log reads delayed by 20 ms promptly (benchmark scenario)', async () => {
    for (let i = 0; i < 300; i++) {
      server.addPod({ namespace: 'bench', name: `pod-${i}`, istio: 'sidecar' });
      server.setPodLog('bench', `pod-${i}`, 'istio-proxy', [line(1, `pod ${i}`)]);
    }
    server.delayLogs(20);
    server.resetCounters();
    const started = performance.now();
    const logs = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        c.core.readNamespacedPodLog({ namespace: 'bench', name: `pod-${i}`, container: 'istio-proxy' }),
      ),
    );
    const elapsed = performance.now() - started;
    expect(logs[299]).toBe('pod 299\n');
    // Issuing 300 requests takes the client longer than 20 ms, so not all overlap; the server never queues them.
    expect(server.maxInFlight).toBeGreaterThan(1);
    expect(server.maxInFlight).toBeLessThanOrEqual(300);
    expect(server.inFlight).toBe(0);
    expect(elapsed).toBeLessThan(5000);
  });
});
