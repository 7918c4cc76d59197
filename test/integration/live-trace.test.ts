/** `meshbot trace ID` with the real @kubernetes/client-node against the fake API server. */
import * as k8s from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TraceReport } from '../../src/analysis/report.js';
import { runCli } from '../../src/cli/run-cli.js';
import { liveTrace } from '../../src/commands/live-trace.js';
import { type FakeApiServer, type LogLine, startFakeApiServer } from '../../src/kube-sim/index.js';
import { createClusterReader } from '../../src/kubernetes/cluster-reader.js';
import { accessLine, captureIo, kubeconfigFile, NOW, podIp } from './live-fixtures.js';

const ID = 'be5acb4a-9e3e-4540-814d-07c2c7dcf7f1';

function readerFor(server: FakeApiServer, namespace = 'front') {
  const kc = new k8s.KubeConfig();
  kc.loadFromString(server.kubeconfigYaml(namespace));
  return createClusterReader(kc);
}

function noise(serverIp: string, clientIp: string, service: string, count: number): LogLine[] {
  return Array.from({ length: count }, (_, i) =>
    accessLine({ secondsAgo: 30 + i, direction: 'inbound', id: `other-${i}`, service, serverIp, clientIp }),
  );
}

describe('live trace against the fake API server', () => {
  let server: FakeApiServer;

  beforeEach(async () => {
    server = await startFakeApiServer({
      now: () => NOW,
      namespaces: ['default', 'front', 'back', 'other', 'istio-system'],
    });
    server.addPod({
      namespace: 'istio-system',
      name: 'istio-ingressgateway-7d9f-abcde',
      labels: { app: 'istio-ingressgateway', istio: 'ingressgateway' },
      containers: ['istio-proxy'],
    });
    server.addPod({ namespace: 'front', name: 'front-1', labels: { app: 'front' }, istio: 'sidecar' });
    server.addPod({ namespace: 'back', name: 'back-1', labels: { app: 'back' }, istio: 'native' });
    server.addPod({ namespace: 'back', name: 'no-mesh', labels: { app: 'plain' } });
    server.addPod({ namespace: 'other', name: 'stray-1', labels: { app: 'stray' }, istio: 'sidecar' });
    const gw = podIp(server, 'istio-system', 'istio-ingressgateway-7d9f-abcde');
    const front = podIp(server, 'front', 'front-1');
    const back = podIp(server, 'back', 'back-1');
    const stray = podIp(server, 'other', 'stray-1');
    const frontSvc = 'front.front.svc.cluster.local';
    const backSvc = 'back.back.svc.cluster.local';
    server.setPodLog('istio-system', 'istio-ingressgateway-7d9f-abcde', 'istio-proxy', [
      ...noise(front, gw, frontSvc, 50),
      accessLine({
        secondsAgo: 10,
        direction: 'outbound',
        id: ID,
        service: frontSvc,
        serverIp: front,
        clientIp: gw,
        durationMs: 20,
      }),
    ]);
    server.setPodLog('front', 'front-1', 'istio-proxy', [
      ...noise(front, gw, frontSvc, 50),
      accessLine({
        secondsAgo: 9.999,
        direction: 'inbound',
        id: ID,
        service: frontSvc,
        serverIp: front,
        clientIp: gw,
        durationMs: 18,
      }),
      accessLine({
        secondsAgo: 9.998,
        direction: 'outbound',
        id: ID.toUpperCase(),
        service: backSvc,
        serverIp: back,
        clientIp: front,
        durationMs: 10,
      }),
    ]);
    server.setPodLog('back', 'back-1', 'istio-proxy', [
      ...noise(back, front, backSvc, 50),
      accessLine({
        secondsAgo: 9.997,
        direction: 'inbound',
        id: ID,
        service: backSvc,
        serverIp: back,
        clientIp: front,
        durationMs: 8,
      }),
    ]);
    server.setPodLog('other', 'stray-1', 'istio-proxy', [
      accessLine({
        secondsAgo: 5,
        direction: 'inbound',
        id: ID,
        service: 'stray.other.svc.cluster.local',
        serverIp: stray,
        clientIp: '10.9.9.9',
      }),
    ]);
  });

  afterEach(async () => {
    await server.close();
  });

  it('follows the id from the gateway across two namespaces (-n front -n back)', async () => {
    const report = await liveTrace(readerFor(server), ID, { namespaces: ['front', 'back'] });
    expect(report.hops.map((h) => [h.source, h.direction, h.depth])).toEqual([
      ['istio-ingressgateway-7d9f-abcde', 'outbound', 0],
      ['front-1', 'inbound', 1],
      ['front-1', 'outbound', 2],
      ['back-1', 'inbound', 3],
    ]);
    expect(report.notes.find((n) => n.kind === 'info')?.message).toBe(
      'searched 3 of 3 istio-proxy logs in namespace front, back and the gateways (last 1h)',
    );
    const reads = server.requests.filter((r) => r.path.endsWith('/log'));
    expect(reads.map((r) => r.path).sort()).toEqual([
      '/api/v1/namespaces/back/pods/back-1/log',
      '/api/v1/namespaces/front/pods/front-1/log',
      '/api/v1/namespaces/istio-system/pods/istio-ingressgateway-7d9f-abcde/log',
    ]);
    for (const r of reads) expect(r.query).toMatchObject({ container: 'istio-proxy', sinceSeconds: '3600' });
    const gatewayList = server.requests.find((r) => r.path === '/api/v1/pods');
    expect(gatewayList?.query.labelSelector).toBe('istio in (ingressgateway,egressgateway)');
    // Lines in each pod's log (50 lines of noise first); callers named by the hop that called them.
    expect(report.hops.map((h) => [h.file, h.line, h.peer])).toEqual([
      ['istio-system/istio-ingressgateway-7d9f-abcde', 51, 'front.front:9080'],
      ['front/front-1', 51, 'istio-ingressgateway-7d9f-abcde'],
      ['front/front-1', 52, 'back.back:9080'],
      ['back/back-1', 51, 'front-1'],
    ]);
    expect(report.logs_searched).toBe(3);
  });

  it('meshbot trace ID --since-time T reads every pod from T (sinceTime) and leaves out hops that started before it', async () => {
    const io = captureIo();
    const code = await runCli(
      [
        'trace',
        ID,
        '-n',
        'front',
        '-n',
        'back',
        '--since-time',
        '2024-05-01T11:59:50.002Z',
        '--kubeconfig',
        kubeconfigFile(server, 'front'),
        '-o',
        'json',
      ],
      io,
    );
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    const reads = server.requests.filter((r) => r.path.endsWith('/log'));
    expect(reads).toHaveLength(3);
    for (const r of reads) expect(r.query).toMatchObject({ sinceTime: '2024-05-01T11:59:50Z' });
    const report = JSON.parse(io.out()) as TraceReport;
    // The gateway's (…50.000) and front-1's inbound (…50.001) hops started before the instant.
    expect(report.hops.map((h) => [h.source, h.start_time])).toEqual([
      ['front-1', '2024-05-01T11:59:50.002Z'],
      ['back-1', '2024-05-01T11:59:50.003Z'],
    ]);
    expect(report.notes.map((n) => n.message)).toContain(
      'searched 3 of 3 istio-proxy logs in namespace front, back and the gateways (since 2024-05-01T11:59:50Z)',
    );
  });

  it('the pods of a reader without a byte search are searched in their text, with the same answer', async () => {
    const reader = readerFor(server);
    const { searchProxyLog: _, ...plain } = reader;
    const withSearch = await liveTrace(reader, ID, { namespaces: ['front', 'back'], nowMs: NOW.getTime() });
    const withText = await liveTrace(plain, ID, { namespaces: ['front', 'back'], nowMs: NOW.getTime() });
    expect(withText).toEqual(withSearch);
    expect(withSearch.hops).toHaveLength(4);
  });

  it('searches every namespace with -A', async () => {
    const report = await liveTrace(readerFor(server), ID, { allNamespaces: true, sinceMs: 2 * 3600_000 });
    expect(report.hops.map((h) => h.source).sort()).toEqual([
      'back-1',
      'front-1',
      'front-1',
      'istio-ingressgateway-7d9f-abcde',
      'stray-1',
    ]);
    expect(report.sources).toHaveLength(4);
    expect(
      server.requests.filter((r) => r.path.endsWith('/log')).every((r) => r.query.sinceSeconds === '7200'),
    ).toBe(true);
  });

  it('notes the pods it could not read and traces the rest', async () => {
    server.deny({ verb: 'get', resource: 'pods', subresource: 'log', namespace: 'back' });
    const report = await liveTrace(readerFor(server), ID, { namespaces: ['front', 'back'] });
    expect(report.hops.map((h) => h.source)).not.toContain('back-1');
    expect(report.hops).toHaveLength(3);
    const info = report.notes.filter((n) => n.kind === 'info').map((n) => n.message);
    expect(info).toContain(
      'back/back-1 not read: meshbot (as system:serviceaccount:meshbot:meshbot) may not get pods/log in namespace back (403 Forbidden); grant it with the ClusterRole in deploy/rbac.yaml',
    );
    expect(report.sources.map((s) => s.name)).not.toContain('back/back-1');
  });

  it('keeps at most the configured number of log reads in flight', async () => {
    for (let i = 0; i < 12; i++) server.addPod({ namespace: 'front', name: `extra-${i}`, istio: 'sidecar' });
    server.delayLogs(10);
    server.resetCounters();
    const report = await liveTrace(readerFor(server), ID, { namespaces: ['front'], maxLogRequests: 3 });
    expect(report.logs_searched).toBe(14);
    expect(report.sources.map((s) => s.name)).toEqual([
      'istio-system/istio-ingressgateway-7d9f-abcde',
      'front/front-1',
    ]);
    expect(server.maxInFlight).toBeLessThanOrEqual(3);
  });

  it('says a -n namespace does not exist, with the closest names, as logs does', async () => {
    await expect(liveTrace(readerFor(server), ID, { namespaces: ['fornt'] })).rejects.toMatchObject({
      code: 'target_not_found',
      message: 'namespace fornt does not exist; did you mean front?',
    });
  });

  it('an id found nowhere is an answer saying where it looked and what to try', async () => {
    const report = await liveTrace(readerFor(server), 'ffffffff-0000-4000-8000-000000000000', {
      namespaces: ['front'],
    });
    expect(report.hops).toEqual([]);
    expect(report.notes.map((n) => n.message).join('\n')).toMatch(
      /not found in namespace front: try -A, -n NAMESPACE or a wider --since/,
    );
  });

  it('rejects a bad id before calling the API', async () => {
    server.clearRequests();
    await expect(liveTrace(readerFor(server), 'a b', {})).rejects.toMatchObject({
      code: 'invalid_request_id',
    });
    expect(server.requests).toHaveLength(0);
  });

  it('meshbot trace ID -A --kubeconfig FILE -o json', async () => {
    const io = captureIo();
    const code = await runCli(
      ['trace', ID, '-A', '--kubeconfig', kubeconfigFile(server, 'front'), '-o', 'json'],
      io,
    );
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(io.out()) as TraceReport;
    expect(report.hops).toHaveLength(5);
  });

  it('meshbot trace ID --since 1m leaves out hops that started before the window, and says so', async () => {
    const back = podIp(server, 'back', 'back-1');
    const front = podIp(server, 'front', 'front-1');
    // Written 30 s ago (so the kubelet returns it for sinceSeconds=60), but started 90 s ago: a slow
    // request of the same id, an earlier attempt.
    const slow = accessLine({
      secondsAgo: 90,
      direction: 'inbound',
      id: ID,
      service: 'back.back.svc.cluster.local',
      serverIp: back,
      clientIp: front,
      durationMs: 60_000,
    });
    server.appendPodLog('back', 'back-1', 'istio-proxy', [
      { ...slow, time: new Date(NOW.getTime() - 30_000) },
    ]);
    const io = captureIo();
    const code = await runCli(
      [
        'trace',
        ID,
        '-n',
        'front',
        '-n',
        'back',
        '--since',
        '1m',
        '--kubeconfig',
        kubeconfigFile(server, 'front'),
        '-o',
        'json',
      ],
      io,
    );
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(io.out()) as TraceReport;
    const reads = server.requests.filter((r) => r.path.endsWith('/log'));
    // One instant for every pod: the API's sinceTime (kubectl --since-time), not sinceSeconds.
    for (const r of reads) expect(r.query).toMatchObject({ sinceTime: '2024-05-01T11:59:00Z' });
    for (const r of reads) expect(r.query.sinceSeconds).toBeUndefined();
    expect(report.hops.map((h) => [h.source, h.start_time])).toEqual([
      ['istio-ingressgateway-7d9f-abcde', '2024-05-01T11:59:50.000Z'],
      ['front-1', '2024-05-01T11:59:50.001Z'],
      ['front-1', '2024-05-01T11:59:50.002Z'],
      ['back-1', '2024-05-01T11:59:50.003Z'],
    ]);
    expect(report.notes.map((n) => n.message)).toContain(
      '1 entry of this request started before the --since window (2024-05-01T11:59:00.000Z; the newest at 2024-05-01T11:58:30.000Z) and is left out',
    );
    // The sources count the hops drawn from them, so they and the hop count agree.
    expect(report.sources.reduce((n, s) => n + s.entries, 0)).toBe(report.hops.length);
    expect(report.sources.find((s) => s.name === 'back/back-1')?.entries).toBe(1);
  });

  it('meshbot trace ID uses the context namespace by default', async () => {
    const io = captureIo();
    const code = await runCli(['trace', ID, '--kubeconfig', kubeconfigFile(server, 'front')], io);
    expect(code).toBe(0);
    expect(io.out()).toContain('front-1');
    expect(io.out()).toContain('istio-ingressgateway-7d9f-abcde');
  });
});
