/**
 * `meshbot trace ID -A` across 200 pods over HTTPS (kube-sim with a TLS certificate, the real
 * @kubernetes/client-node kubeconfig handling): each log read once, the in-flight cap, connections reused,
 * the hops found and linked, what the report names (sources, logs searched, line numbers in the pod's log,
 * callers), and Ctrl-C through the built CLI. Sizes and speed are the bench's (scripts/bench-trace.mjs).
 */
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TraceReport } from '../../src/analysis/report.js';
import { liveTrace } from '../../src/commands/live-trace.js';
import { type FakeApiServer, type LogLine, startFakeApiServer } from '../../src/kube-sim/index.js';
import { createClusterReader } from '../../src/kubernetes/cluster-reader.js';
import { runMeshbot } from '../support/run-meshbot.js';
import { spawnMeshbot } from '../support/spawn-meshbot.js';
import { kubeconfigFile, podIp } from './live-fixtures.js';

const ID = 'c0ffee00-1234-4abc-8def-00000000a1b2';
const PODS = 200;
const NOISE = 300;
const GATEWAY = 'istio-ingressgateway-7d9f-abcde';

/** A TEXT access line (Istio's default format) written `secondsAgo` before `base`. */
function line(
  base: number,
  secondsAgo: number,
  s: {
    direction: 'inbound' | 'outbound';
    id: string;
    host: string;
    server: string;
    client: string;
    ms: number;
  },
): LogLine {
  const time = new Date(base - secondsAgo * 1000);
  const short = s.host.split('.')[0];
  const head = `[${time.toISOString()}] "GET /api/${short} HTTP/1.1" 200 - via_upstream - "-" 0 120 ${s.ms} ${s.ms - 1} "-" "curl/8.5.0" "${s.id}" "${short}:9080" "${s.server}:9080"`;
  const text =
    s.direction === 'inbound'
      ? `${head} inbound|9080|| 127.0.0.6:41000 ${s.server}:9080 ${s.client}:52000 outbound_.9080_._.${s.host} default`
      : `${head} outbound|9080||${s.host} ${s.client}:52000 10.96.0.50:9080 ${s.client}:51000 - default`;
  return { time, text };
}

const reads = (server: FakeApiServer) => server.requests.filter((r) => r.path.endsWith('/log'));

async function until(what: string, done: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('trace across 200 pods over HTTPS', () => {
  let server: FakeApiServer;
  let kubeconfig: string;
  /** Each chain pod's log, to check line numbers against. */
  const logs = new Map<string, LogLine[]>();

  beforeAll(async () => {
    server = await startFakeApiServer({
      tls: true,
      namespaces: ['default', 'front', 'back', 'bulk', 'istio-system'],
    });
    expect(server.url.startsWith('https://')).toBe(true);
    const base = Date.now();
    server.addPod({
      namespace: 'istio-system',
      name: GATEWAY,
      labels: { app: 'istio-ingressgateway', istio: 'ingressgateway' },
      containers: ['istio-proxy'],
    });
    server.addPod({ namespace: 'front', name: 'front-1', labels: { app: 'front' }, istio: 'sidecar' });
    server.addPod({ namespace: 'back', name: 'back-1', labels: { app: 'back' }, istio: 'sidecar' });
    const gw = podIp(server, 'istio-system', GATEWAY);
    const front = podIp(server, 'front', 'front-1');
    const back = podIp(server, 'back', 'back-1');
    // Shared noise: other requests, some with ids that share the traced id's digits.
    const noise = Array.from({ length: NOISE }, (_, i) =>
      line(base, 60 + i / 10, {
        direction: 'inbound',
        id: `c0ffee00-1234-4abc-8def-${String(i).padStart(12, '9')}`,
        host: 'bulk.bulk.svc.cluster.local',
        server: '10.9.0.1',
        client: '10.9.0.2',
        ms: 3,
      }),
    );
    const frontSvc = 'front.front.svc.cluster.local';
    const backSvc = 'back.back.svc.cluster.local';
    const chain: [string, string, LogLine[]][] = [
      [
        'istio-system',
        GATEWAY,
        [
          ...noise.slice(0, 100),
          line(base, 10, {
            direction: 'outbound',
            id: ID,
            host: frontSvc,
            server: front,
            client: gw,
            ms: 20,
          }),
          ...noise.slice(100),
        ],
      ],
      [
        'front',
        'front-1',
        [
          ...noise,
          line(base, 9.999, {
            direction: 'inbound',
            id: ID,
            host: frontSvc,
            server: front,
            client: gw,
            ms: 18,
          }),
          ...noise.slice(0, 7),
          line(base, 9.998, {
            direction: 'outbound',
            id: ID,
            host: backSvc,
            server: back,
            client: front,
            ms: 10,
          }),
        ],
      ],
      [
        'back',
        'back-1',
        [
          line(base, 9.997, {
            direction: 'inbound',
            id: ID,
            host: backSvc,
            server: back,
            client: front,
            ms: 8,
          }),
          ...noise,
        ],
      ],
    ];
    for (const [namespace, name, lines] of chain) {
      server.setPodLog(namespace, name, 'istio-proxy', lines);
      logs.set(`${namespace}/${name}`, lines);
    }
    for (let i = 3; i < PODS; i++) {
      const name = `bulk-${String(i).padStart(3, '0')}`;
      server.addPod({ namespace: 'bulk', name, labels: { app: 'bulk' }, istio: 'sidecar' });
      server.setPodLog('bulk', name, 'istio-proxy', noise);
    }
    kubeconfig = kubeconfigFile(server, 'default');
  });

  afterAll(async () => {
    await server.close();
  });

  it('reads each log once, at most --max-log-requests at a time over reused connections, and links the hops', async () => {
    server.clearRequests();
    server.resetCounters();
    server.delayLogs(5);
    const kc = new k8s.KubeConfig();
    kc.loadFromString(server.kubeconfigYaml('default'));
    const nowMs = Date.now();
    const report = await liveTrace(createClusterReader(kc), ID, {
      allNamespaces: true,
      maxLogRequests: 20,
      nowMs,
    });
    server.delayLogs(0);

    const paths = reads(server).map((r) => r.path);
    expect(paths).toHaveLength(PODS);
    expect(new Set(paths).size).toBe(PODS);
    expect(server.maxInFlight).toBeGreaterThan(1);
    expect(server.maxInFlight).toBeLessThanOrEqual(20);
    // One TLS connection per read slot (plus the pod list's), not one per read.
    expect(server.connections).toBeLessThanOrEqual(20 + 2);
    // Every pod from one instant, in whole seconds (as kubectl --since-time sends it).
    const sinceTime = `${new Date(Math.floor((nowMs - 3600_000) / 1000) * 1000).toISOString().slice(0, 19)}Z`;
    for (const r of reads(server)) expect(r.query).toMatchObject({ container: 'istio-proxy', sinceTime });

    expect(report.hops.map((h) => [h.source, h.direction, h.parent, h.link])).toEqual([
      [GATEWAY, 'outbound', null, 'root'],
      ['front-1', 'inbound', 0, 'address'],
      ['front-1', 'outbound', 1, 'address'],
      ['back-1', 'inbound', 2, 'address'],
    ]);
    // The callers are the pods of the hops that called them, not their addresses.
    expect(report.hops.map((h) => h.peer)).toEqual([
      'front.front:9080',
      GATEWAY,
      'back.back:9080',
      'front-1',
    ]);
    expect(report.sources).toEqual([
      { name: `istio-system/${GATEWAY}`, entries: 1, skipped_lines: 0 },
      { name: 'front/front-1', entries: 2, skipped_lines: 0 },
      { name: 'back/back-1', entries: 1, skipped_lines: 0 },
    ]);
    expect(report.logs_searched).toBe(PODS);
    expect(report.notes.map((n) => n.message)).toContain(
      `searched ${PODS} of ${PODS} istio-proxy logs in any namespace (last 1h, from ${sinceTime})`,
    );

    // A hop's line is its line in the pod's log: the seeded lines, and the log the API returns from sinceTime.
    expect(report.hops.map((h) => h.line)).toEqual([101, NOISE + 1, NOISE + 9, 1]);
    const reader = createClusterReader(kc);
    for (const hop of report.hops) {
      expect(logs.get(hop.file)?.[hop.line - 1]?.text).toContain(ID);
      const [namespace = '', pod = ''] = hop.file.split('/');
      const text = await reader.readProxyLog(namespace, pod, { sinceTimeMs: Date.parse(sinceTime) });
      const logged = text.split('\n')[hop.line - 1] ?? '';
      expect(logged).toContain(ID);
      expect(logged).toContain(hop.direction === 'inbound' ? 'inbound|9080' : 'outbound|9080');
    }
    expect(report.notes.at(-1)?.message).toBe(
      `a hop's line is its line in the pod's istio-proxy log from ${sinceTime}, e.g. #0: kubectl logs -n istio-system ${GATEWAY} -c istio-proxy --since-time=${sinceTime} | sed -n 101p`,
    );
  });

  it('meshbot trace ID -A -o json (the built CLI): only the pods with hops as sources, and how many were searched', async () => {
    server.clearRequests();
    const run = await runMeshbot(['trace', ID, '-A', '--kubeconfig', kubeconfig, '-o', 'json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as TraceReport;
    expect(report.hops).toHaveLength(4);
    expect(report.sources.map((s) => s.name)).toEqual([
      `istio-system/${GATEWAY}`,
      'front/front-1',
      'back/back-1',
    ]);
    expect(report.logs_searched).toBe(PODS);
    expect(reads(server)).toHaveLength(PODS);
    const text = await runMeshbot(['trace', ID, '-A', '--kubeconfig', kubeconfig]);
    expect(text.stdout).toContain(`${PODS} logs searched`);
    expect(text.stdout).toContain('front/front-1:301');
  });

  for (const format of ['json', 'text'] as const) {
    it(`Ctrl-C in the middle of the reads: the trace of what was searched, "interrupted: partial input", exit 130 (${format})`, async () => {
      server.clearRequests();
      server.delayLogs(400);
      const child = spawnMeshbot([
        'trace',
        ID,
        '-A',
        '--max-log-requests',
        '5',
        '--kubeconfig',
        kubeconfig,
        ...(format === 'json' ? ['-o', 'json'] : []),
      ]);
      try {
        // Some reads answered, others in flight.
        await until('reads done and in flight', () => reads(server).length >= 15 && server.inFlight > 0);
        child.signal('SIGINT');
        const exit = await child.waitForExit(15_000);
        expect(exit.code).toBe(130);
        const read = reads(server).length;
        expect(read).toBeLessThan(PODS);
        if (format === 'json') {
          const report = JSON.parse(child.stdout) as TraceReport;
          expect(report).toMatchObject({ interrupted: true, partial_input: true });
          expect(report.notes[0]?.message).toMatch(
            new RegExp(
              `^interrupted: partial input\\. The search stopped at the signal after \\d+ of ${PODS} istio-proxy logs`,
            ),
          );
          expect(report.logs_searched).toBeGreaterThanOrEqual(10);
          expect(report.logs_searched).toBeLessThanOrEqual(read);
        } else {
          expect(child.stdout).toContain('interrupted: partial input');
        }
      } finally {
        server.delayLogs(0);
        await child.kill();
      }
    });
  }
});
