/**
 * `meshbot logs TARGET` with the real @kubernetes/client-node against the fake API server: resolution,
 * bounded concurrent reads, partial failures, and the CLI wiring.
 */
import * as k8s from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SummaryReport } from '../../src/analysis/report.js';
import { runCli } from '../../src/cli/run-cli.js';
import { liveLogs } from '../../src/commands/live-logs.js';
import { createClusterReader } from '../../src/kubernetes/cluster-reader.js';
import { type FakeApiServer, startFakeApiServer } from '../support/fake-apiserver/index.js';
import { accessLine, captureIo, kubeconfigFile, NOW, podIp } from './live-fixtures.js';

const clock = () => NOW.getTime();

function readerFor(server: FakeApiServer, namespace = 'shop', limitBytes?: number) {
  const kc = new k8s.KubeConfig();
  kc.loadFromString(server.kubeconfigYaml(namespace));
  return createClusterReader(kc, limitBytes === undefined ? {} : { limitBytes });
}

const logReads = (server: FakeApiServer) =>
  server.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/log'));

describe('live logs against the fake API server', () => {
  let server: FakeApiServer;
  let clientIp: string;

  beforeEach(async () => {
    server = await startFakeApiServer({ now: () => NOW, namespaces: ['default', 'shop', 'istio-system'] });
    server.addNamespace('shop', { 'istio-injection': 'enabled' });
    server.addDeployment({ namespace: 'shop', name: 'web', replicas: 3, istio: 'sidecar', createPods: true });
    server.addPod({ namespace: 'shop', name: 'client-1', labels: { app: 'client' }, istio: 'sidecar' });
    clientIp = podIp(server, 'shop', 'client-1');
    const pods = server
      .listObjects('v1', 'pods', 'shop')
      .filter((p) => String(p.metadata && (p.metadata as { name?: string }).name).startsWith('web-'));
    pods.forEach((p, i) => {
      const name = String((p.metadata as { name: string }).name);
      const ip = podIp(server, 'shop', name);
      const lines = Array.from({ length: i + 2 }, (_, n) =>
        accessLine({
          secondsAgo: 60 + n,
          direction: 'inbound',
          path: `/items/${n}`,
          id: `req-${i}-${n}`,
          service: 'web.shop.svc.cluster.local',
          serverIp: ip,
          clientIp,
        }),
      );
      server.setPodLog('shop', name, 'istio-proxy', lines);
      server.setPodLog('shop', name, 'app', [{ time: NOW, text: 'app log, not an access log' }]);
    });
  });

  afterEach(async () => {
    await server.close();
  });

  it('summarises every replica together with per-pod counts and callers shown as pods', async () => {
    const report = await liveLogs(readerFor(server), 'web', {}, clock);
    expect(report.totals.entries).toBe(2 + 3 + 4);
    expect(report.sources.map((s) => s.entries).sort()).toEqual([2, 3, 4]);
    expect(report.sources.every((s) => /^shop\/web-[a-z0-9]+-[a-z0-9]+$/.test(s.name))).toBe(true);
    expect(report.notes[0]).toBe('deploy/web in shop: 3 pods read');
    expect(report.flows.every((f) => f.direction === 'inbound' && f.peer === 'client-1')).toBe(true);
    const reads = logReads(server);
    expect(reads).toHaveLength(3);
    for (const r of reads) {
      expect(r.query).toMatchObject({
        container: 'istio-proxy',
        sinceSeconds: '900',
        limitBytes: String(8 * 1024 * 1024),
      });
      expect(r.query.follow ?? 'false').toBe('false');
    }
  });

  it('passes --since and --tail through as sinceSeconds and tailLines', async () => {
    await liveLogs(
      readerFor(server),
      'deploy/web',
      { namespace: 'shop', sinceMs: 2 * 3600_000, tailLines: 2 },
      clock,
    );
    for (const r of logReads(server)) expect(r.query).toMatchObject({ sinceSeconds: '7200', tailLines: '2' });
  });

  it('reports a forbidden log and a waiting proxy as notes, and summarises the rest', async () => {
    const [first, second] = server
      .listObjects('v1', 'pods', 'shop')
      .map((p) => String((p.metadata as { name: string }).name))
      .filter((n) => n.startsWith('web-'));
    if (first === undefined || second === undefined) throw new Error('seed');
    server.deny({ verb: 'get', resource: 'pods', subresource: 'log', namespace: 'shop', name: first });
    server.addPod({
      namespace: 'shop',
      name: 'web-crashing',
      labels: { app: 'web' },
      istio: 'sidecar',
      proxy: { state: { waiting: 'CrashLoopBackOff' } },
    });
    const report = await liveLogs(readerFor(server), 'deploy/web', {}, clock);
    expect(report.sources).toHaveLength(2);
    const notes = report.notes.join('\n');
    expect(notes).toContain(
      `shop/${first} not read: meshbot (as system:serviceaccount:meshbot:meshbot) may not get pods/log in namespace shop (403 Forbidden)`,
    );
    expect(notes).toMatch(/shop\/web-crashing not read: .*waiting to start: CrashLoopBackOff/);
    expect(notes).toContain('(istio-proxy waiting: CrashLoopBackOff)');
    expect(report.totals.entries).toBeGreaterThan(0);
  });

  it('fails with every reason when no pod could be read', async () => {
    server.deny({ verb: 'get', resource: 'pods', subresource: 'log', namespace: 'shop' });
    const error = await liveLogs(readerFor(server), 'web', {}, clock).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'k8s_forbidden' });
    expect((error as Error).message).toContain(
      'could not read the istio-proxy log of any pod of deploy/web in shop',
    );
  });

  it('drops the line cut by limitBytes', async () => {
    const reader = readerFor(server, 'shop', 300);
    const [name] = server
      .listObjects('v1', 'pods', 'shop')
      .map((p) => String((p.metadata as { name: string }).name))
      .filter((n) => n.startsWith('web-'));
    if (name === undefined) throw new Error('seed');
    const text = await reader.readProxyLog('shop', name, {});
    expect(text.endsWith('\n')).toBe(true);
    expect(text.split('\n')).toHaveLength(2); // one whole line of ~290 bytes, the cut one dropped
    expect(logReads(server).at(-1)?.query.limitBytes).toBe('300');
    const report = await liveLogs(reader, 'web', { limitBytes: 300 }, clock);
    expect(report.totals.skipped_lines).toBe(0);
    expect(report.totals.entries).toBe(3);
  });

  it('reads a native sidecar through container=istio-proxy', async () => {
    server.addPod({ namespace: 'shop', name: 'native-0', labels: { app: 'native' }, istio: 'native' });
    server.setPodLog('shop', 'native-0', 'istio-proxy', [
      accessLine({
        secondsAgo: 5,
        direction: 'inbound',
        id: 'n1',
        service: 'native.shop.svc.cluster.local',
        serverIp: '10.0.0.9',
        clientIp,
      }),
    ]);
    const report = await liveLogs(readerFor(server), 'native', {}, clock);
    expect(report.sources).toEqual([{ name: 'shop/native-0', entries: 1, skipped_lines: 0 }]);
    expect(logReads(server).at(-1)?.query.container).toBe('istio-proxy');
  });

  it('keeps at most --max-log-requests reads in flight', async () => {
    for (let i = 0; i < 9; i++)
      server.addPod({ namespace: 'shop', name: `many-${i}`, labels: { app: 'many' }, istio: 'sidecar' });
    server.delayLogs(15);
    server.resetCounters();
    const report = await liveLogs(readerFor(server), 'many', { maxLogRequests: 2 }, clock);
    expect(report.sources).toHaveLength(9);
    expect(server.maxInFlight).toBeLessThanOrEqual(2);
  });

  describe('CLI', () => {
    it('the first Ctrl-C aborts reads waiting on the API server: "interrupted", exit 130, at once', async () => {
      server.delayLogs(20_000);
      const stop = new AbortController();
      const io = { ...captureIo(), signal: stop.signal };
      const started = Date.now();
      setTimeout(() => stop.abort(), 300);
      const code = await runCli(
        ['logs', 'web', '-n', 'shop', '--kubeconfig', kubeconfigFile(server, 'default')],
        io,
      );
      expect(code).toBe(130);
      expect(io.err()).toBe('meshbot: interrupted\n');
      expect(io.out()).toBe('');
      expect(Date.now() - started).toBeLessThan(5000);
    });

    it('meshbot logs web -n shop --kubeconfig FILE -o json', async () => {
      const io = captureIo();
      const code = await runCli(
        ['logs', 'web', '-n', 'shop', '--kubeconfig', kubeconfigFile(server, 'default'), '-o', 'json'],
        io,
      );
      expect(io.err()).toBe('');
      expect(code).toBe(0);
      const report = JSON.parse(io.out()) as SummaryReport;
      expect(report.totals.entries).toBe(9);
      expect(report.sources).toHaveLength(3);
    });

    it('uses KUBECONFIG and --context from the environment like kubectl', async () => {
      const io = captureIo({ KUBECONFIG: kubeconfigFile(server, 'shop') });
      const code = await runCli(['logs', 'web', '--context', 'fake', '--tail', '1'], io);
      expect(io.err()).toBe('');
      expect(code).toBe(0);
      expect(io.out()).toContain('web');
      expect(logReads(server).every((r) => r.query.tailLines === '1')).toBe(true);
    });

    it('names the server address when the API is unreachable', async () => {
      const file = kubeconfigFile(server, 'shop');
      const url = server.url;
      await server.close();
      const io = captureIo();
      const code = await runCli(['logs', 'web', '--kubeconfig', file], io);
      expect(code).toBe(1);
      expect(io.err()).toContain(`cannot reach the Kubernetes API at ${url} (ECONNREFUSED)`);
    });

    it('names the verb, resource, namespace and ClusterRole when listing pods is forbidden', async () => {
      server.deny({ verb: 'list', resource: 'pods', namespace: 'shop' });
      const io = captureIo();
      const code = await runCli(
        ['logs', 'web', '-n', 'shop', '--kubeconfig', kubeconfigFile(server, 'shop')],
        io,
      );
      expect(code).toBe(1);
      expect(io.err()).toBe(
        'meshbot: meshbot (as system:serviceaccount:meshbot:meshbot) may not list pods in namespace shop (403 Forbidden); grant it with the ClusterRole in deploy/rbac.yaml\n',
      );
    });

    it('rejects an invalid TARGET before calling the API', async () => {
      const io = captureIo();
      server.clearRequests();
      const code = await runCli(['logs', 'a,b=c', '--kubeconfig', kubeconfigFile(server, 'shop')], io);
      expect(code).toBe(2);
      expect(io.err()).toContain('is not a valid TARGET');
      expect(server.requests).toHaveLength(0);
    });
  });
});
