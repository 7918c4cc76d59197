import { describe, expect, it } from 'vitest';
import { makeEntry } from '../../test/support/make-entry.js';
import type { AccessLogEntry } from '../accesslog/entry.js';
import type { TraceReport } from './report.js';
import { buildTrace, hopSourceName, MAX_TRACE_ENTRIES } from './trace.js';

const BASE = Date.parse('2024-05-01T10:00:00.000Z');
/** ISO time `ms` after BASE. */
const at = (ms: number): string => new Date(BASE + ms).toISOString();

const ID = '5ee694cf-f93b-9064-a1b2-0123456789ab';

/** A client-side (outbound) entry. */
function out(fields: Partial<AccessLogEntry>): AccessLogEntry {
  return makeEntry({ request_id: ID, direction: 'outbound', ...fields });
}

/** A server-side (inbound) entry. */
function inb(fields: Partial<AccessLogEntry>): AccessLogEntry {
  return makeEntry({
    request_id: ID,
    direction: 'inbound',
    upstream_cluster: 'inbound|80||',
    upstream_local_address: '127.0.0.6:51000',
    ...fields,
  });
}

const shape = (r: TraceReport) =>
  r.hops.map((h) => ({ source: h.source, direction: h.direction, parent: h.parent, depth: h.depth }));

const kinds = (r: TraceReport) => r.notes.map((n) => n.kind);

describe('hopSourceName', () => {
  it.each([
    ['logs/sleep.log', 'sleep'],
    ['sleep.log', 'sleep'],
    ['C:\\logs\\httpbin.jsonl', 'httpbin'],
    ['-', '-'],
    ['noext', 'noext'],
  ])('%s → %s', (file, name) => {
    expect(hopSourceName(file)).toBe(name);
  });
});

describe('buildTrace: real request pairs', () => {
  // Seed blog post (zufardhiyaulhaq): sleep → helloworld, Istio 1.7 JSON via EnvoyFilter.
  const seedId = 'be5acb4a-9e3e-4540-814d-07c2c7dcf7f1';
  const sleep = makeEntry({
    source: 'logs/sleep.log',
    format: 'json',
    request_id: seedId,
    start_time: '2020-10-23T11:15:19.184Z',
    duration_ms: 47,
    upstream_service_time_ms: 31,
    bytes_sent: 935,
    authority: 'helloworld',
    upstream_host: '10.244.1.10:80',
    upstream_cluster: 'outbound|80||helloworld.istio-testing.svc.cluster.local',
    upstream_local_address: '10.244.4.4:33806',
    downstream_local_address: '10.32.29.63:80',
    downstream_remote_address: '10.244.4.4:37034',
    user_agent: 'curl/7.69.1',
  });
  const helloworld = makeEntry({
    source: 'logs/helloworld.log',
    format: 'json',
    request_id: seedId,
    start_time: '2020-10-23T11:15:19.207Z',
    duration_ms: 1,
    upstream_service_time_ms: 1,
    bytes_sent: 935,
    authority: 'helloworld',
    upstream_host: '127.0.0.1:80',
    upstream_cluster: 'inbound|80|http|helloworld.istio-testing.svc.cluster.local',
    upstream_local_address: '127.0.0.1:52576',
    downstream_local_address: '10.244.1.10:80',
    downstream_remote_address: '10.244.4.4:33806',
    requested_server_name: 'outbound_.80_._.helloworld.istio-testing.svc.cluster.local',
    user_agent: 'curl/7.69.1',
  });

  it('seed: sleep outbound (47 ms) → helloworld inbound (1 ms)', () => {
    for (const input of [
      [sleep, helloworld],
      [helloworld, sleep],
    ]) {
      const r = buildTrace(seedId, input);
      expect(shape(r)).toEqual([
        { source: 'sleep', direction: 'outbound', parent: null, depth: 0 },
        { source: 'helloworld', direction: 'inbound', parent: 0, depth: 1 },
      ]);
      expect(r.hops.map((h) => h.duration_ms)).toEqual([47, 1]);
      expect(r.hops.map((h) => h.link)).toEqual(['root', 'address']);
      expect(r.hops.map((h) => h.offset_ms)).toEqual([0, 23]);
      expect(r.hops[0]?.peer).toBe('helloworld.istio-testing:80');
      expect(r.hops[1]?.file).toBe('logs/helloworld.log');
      expect(r.start_time).toBe('2020-10-23T11:15:19.184Z');
      expect(r.total_duration_ms).toBe(47);
      expect(r.notes).toEqual([]);
      // In the order of their first hops, whatever the input order.
      expect(r.sources).toEqual([
        { name: 'logs/sleep.log', entries: 1, skipped_lines: 0 },
        { name: 'logs/helloworld.log', entries: 1, skipped_lines: 0 },
      ]);
      expect(r.logs_searched).toBe(2);
      // The caller of the inbound hop is the hop that called it, named after its source.
      expect(r.hops[1]?.peer).toBe('sleep');
    }
  });

  // fixtures/real-access-logs.jsonl lines 1–2 (istio.io) and 3–4 (istio/istio#38213).
  const pairs: [string, AccessLogEntry, AccessLogEntry][] = [
    [
      '84961386 istio.io sleep → httpbin',
      makeEntry({
        source: 'sleep.log',
        request_id: '84961386-6d84-929d-98bd-c5aee93b5c88',
        start_time: '2020-11-25T21:26:18.409Z',
        path: '/status/418',
        response_code: 418,
        bytes_sent: 135,
        duration_ms: 4,
        upstream_service_time_ms: 4,
        authority: 'httpbin:8000',
        upstream_host: '10.44.1.27:80',
        upstream_cluster: 'outbound|8000||httpbin.foo.svc.cluster.local',
        upstream_local_address: '10.44.1.23:37652',
        downstream_local_address: '10.0.45.184:8000',
        downstream_remote_address: '10.44.1.23:46520',
      }),
      makeEntry({
        source: 'httpbin.log',
        request_id: '84961386-6d84-929d-98bd-c5aee93b5c88',
        start_time: '2020-11-25T21:26:18.409Z',
        path: '/status/418',
        response_code: 418,
        bytes_sent: 135,
        duration_ms: 3,
        upstream_service_time_ms: 1,
        authority: 'httpbin:8000',
        upstream_host: '127.0.0.1:80',
        upstream_cluster: 'inbound|8000||',
        upstream_local_address: '127.0.0.1:41854',
        downstream_local_address: '10.44.1.27:80',
        downstream_remote_address: '10.44.1.23:37652',
        requested_server_name: 'outbound_.8000_._.httpbin.foo.svc.cluster.local',
      }),
    ],
    [
      '200efb6c istio#38213 sleep → httpbin',
      makeEntry({
        source: 'sleep.log',
        request_id: '200efb6c-82be-4760-8ab6-7b6af588d4fb',
        start_time: '2022-04-01T03:23:12.736Z',
        path: '/get',
        duration_ms: 4,
        upstream_service_time_ms: 3,
        authority: 'httpbin:8000',
        upstream_host: '10.244.0.31:80',
        upstream_cluster: 'outbound|8000||httpbin.default.svc.cluster.local',
        upstream_local_address: '10.244.0.26:35086',
        downstream_local_address: '10.96.71.143:8000',
        downstream_remote_address: '10.244.0.26:41616',
      }),
      makeEntry({
        source: 'httpbin.log',
        request_id: '200efb6c-82be-4760-8ab6-7b6af588d4fb',
        start_time: '2022-04-01T03:23:12.738Z',
        path: '/get',
        duration_ms: 2,
        upstream_service_time_ms: 2,
        authority: 'httpbin:8000',
        upstream_host: '10.244.0.31:80',
        upstream_cluster: 'inbound|80||',
        upstream_local_address: '127.0.0.6:52027',
        downstream_local_address: '10.244.0.31:80',
        downstream_remote_address: '10.244.0.26:35086',
        requested_server_name: 'outbound_.8000_._.httpbin.default.svc.cluster.local',
      }),
    ],
  ];

  it.each(pairs)('%s', (_name, client, server) => {
    const id = client.request_id ?? '';
    const r = buildTrace(id, [server, client]);
    expect(shape(r)).toEqual([
      { source: 'sleep', direction: 'outbound', parent: null, depth: 0 },
      { source: 'httpbin', direction: 'inbound', parent: 0, depth: 1 },
    ]);
    expect(r.hops[1]?.link).toBe('address');
    expect(r.notes).toEqual([]);
  });

  // Lines 21–22: elastic/integrations fixture, productpage inbound (via a gateway, remote :0) and its reviews call,
  // logged in completion order (the nested outbound first).
  it('00bcf1d7 productpage inbound → reviews outbound, logged out of order', () => {
    const file = 'test-access-logs.log';
    const id = '00bcf1d7-12c4-93b9-b36a-bc0faac8e428';
    const reviews = makeEntry({
      source: file,
      line: 4,
      request_id: id,
      start_time: '2022-08-22T13:08:23.188Z',
      path: '/reviews/0',
      duration_ms: 12,
      upstream_service_time_ms: 12,
      authority: 'reviews:9080',
      upstream_host: '10.124.1.5:9080',
      upstream_cluster: 'outbound|9080||reviews.default.svc.cluster.local',
      upstream_local_address: '10.124.2.6:50960',
      downstream_local_address: '10.0.18.132:9080',
      downstream_remote_address: '10.124.2.6:52930',
    });
    const productpage = makeEntry({
      source: file,
      line: 5,
      request_id: id,
      start_time: '2022-08-22T13:08:23.169Z',
      path: '/productpage',
      duration_ms: 35,
      upstream_service_time_ms: 34,
      x_forwarded_for: '10.128.0.161',
      authority: '35.222.123.213',
      upstream_host: '10.124.2.6:9080',
      upstream_cluster: 'inbound|9080||',
      upstream_local_address: '127.0.0.6:47203',
      downstream_local_address: '10.124.2.6:9080',
      downstream_remote_address: '10.128.0.161:0',
      requested_server_name: 'outbound_.9080_._.productpage.default.svc.cluster.local',
    });
    const r = buildTrace(id, [reviews, productpage]);
    expect(shape(r)).toEqual([
      { source: 'test-access-logs', direction: 'inbound', parent: null, depth: 0 },
      { source: 'test-access-logs', direction: 'outbound', parent: 0, depth: 1 },
    ]);
    expect(r.hops.map((h) => h.line)).toEqual([5, 4]);
    expect(r.hops[1]?.link).toBe('address');
    expect(r.hops.map((h) => h.offset_ms)).toEqual([0, 19]);
    // External caller (remote port 0, XFF): no accusation, a pointer to the gateway instead.
    expect(r.notes.find((n) => n.hop === 0)).toMatchObject({ kind: 'info' });
    expect(r.notes.find((n) => n.hop === 0)?.message).toContain('10.128.0.161');
    // No reviews inbound entry was read.
    expect(r.notes.find((n) => n.hop === 1)).toMatchObject({ kind: 'missing_hop' });
    expect(r.notes.find((n) => n.hop === 1)?.message).toContain('no inbound entry at reviews.default:9080');
  });

  // Lines 35–38: CRI log lines of the reviews sidecar. Lines 36 and 37 share one pooled upstream connection
  // (10.24.0.10:33168) but belong to different requests.
  const criFile = 'test-access_container_logs.log';
  const d0 = 'd0caf832-6a17-916f-83b4-71a33dc038db';
  const o5 = '05106d2a-339c-996d-9fae-37276f2a6ac7';
  const pooled = [
    makeEntry({
      source: criFile,
      line: 35,
      request_id: d0,
      start_time: '2022-07-22T12:24:09.217Z',
      path: '/reviews/0',
      response_code: 0,
      response_flags: ['DC'],
      response_code_details: 'downstream_remote_disconnect',
      duration_ms: 3106,
      upstream_service_time_ms: null,
      authority: 'reviews:9080',
      upstream_host: '10.24.0.10:9080',
      upstream_cluster: 'inbound|9080||',
      upstream_local_address: '127.0.0.6:57403',
      downstream_local_address: '10.24.0.10:9080',
      downstream_remote_address: '10.24.0.11:49888',
      requested_server_name: 'outbound_.9080_._.reviews.default.svc.cluster.local',
    }),
    makeEntry({
      source: criFile,
      line: 36,
      request_id: d0,
      start_time: '2022-07-22T12:24:12.945Z',
      path: '/ratings/0',
      bytes_sent: 48,
      duration_ms: 62,
      upstream_service_time_ms: 61,
      authority: 'ratings:9080',
      upstream_host: '10.24.1.5:9080',
      upstream_cluster: 'outbound|9080||ratings.default.svc.cluster.local',
      upstream_local_address: '10.24.0.10:33168',
      downstream_local_address: '10.12.29.240:9080',
      downstream_remote_address: '10.24.0.10:40768',
    }),
    makeEntry({
      source: criFile,
      line: 37,
      request_id: o5,
      start_time: '2022-07-22T12:24:16.069Z',
      path: '/ratings/0',
      bytes_sent: 48,
      duration_ms: 2,
      upstream_service_time_ms: 2,
      authority: 'ratings:9080',
      upstream_host: '10.24.1.5:9080',
      upstream_cluster: 'outbound|9080||ratings.default.svc.cluster.local',
      upstream_local_address: '10.24.0.10:33168',
      downstream_local_address: '10.12.29.240:9080',
      downstream_remote_address: '10.24.0.10:40768',
    }),
    makeEntry({
      source: criFile,
      line: 38,
      request_id: o5,
      start_time: '2022-07-22T12:24:16.032Z',
      path: '/reviews/0',
      bytes_sent: 442,
      duration_ms: 52,
      upstream_service_time_ms: 52,
      authority: 'reviews:9080',
      upstream_host: '10.24.0.10:9080',
      upstream_cluster: 'inbound|9080||',
      upstream_local_address: '127.0.0.6:34585',
      downstream_local_address: '10.24.0.10:9080',
      downstream_remote_address: '10.24.0.11:49968',
      requested_server_name: 'outbound_.9080_._.reviews.default.svc.cluster.local',
    }),
  ];

  it('connection pooling: only the entries of the asked id, linked by pod and time', () => {
    const r = buildTrace(o5, pooled);
    expect(r.hops.map((h) => h.line)).toEqual([38, 37]);
    expect(shape(r).map((h) => h.parent)).toEqual([null, 0]);
    expect(r.hops[1]?.link).toBe('address');
    const callerNote = r.notes.find((n) => n.hop === 0);
    expect(callerNote?.kind).toBe('missing_hop');
    expect(callerNote?.message).toContain("the caller's outbound entry is missing");
    expect(callerNote?.message).toContain('10.24.0.11:49968');
    expect(callerNote?.message).not.toContain('no sidecar');
    expect(r.notes.find((n) => n.hop === 1)?.kind).toBe('missing_hop');
  });

  it('a call started after the caller disconnected (DC) still belongs to the inbound request', () => {
    const r = buildTrace(d0, pooled);
    expect(r.hops.map((h) => h.line)).toEqual([35, 36]);
    expect(r.hops[1]?.parent).toBe(0);
    const late = r.notes.find((n) => n.hop === 1 && n.kind === 'info');
    expect(late?.message).toContain('its caller had gone (DC)');
    const error = r.notes.find((n) => n.kind === 'error');
    expect(error?.hop).toBe(0);
    expect(error?.message).toContain('the caller disconnected');
  });
});

/** Bookinfo through an ingress gateway; `where` says how each proxy is identified. */
function bookinfo(where: (pod: string) => Partial<AccessLogEntry>): AccessLogEntry[] {
  const entries = [
    out({
      ...where('istio-ingressgateway-7d9f'),
      start_time: at(0),
      duration_ms: 60,
      path: '/productpage',
      authority: 'bookinfo.example.com',
      x_forwarded_for: '203.0.113.7',
      upstream_cluster: 'outbound|9080||productpage.default.svc.cluster.local',
      upstream_host: '10.0.0.10:9080',
      upstream_local_address: '10.0.0.2:40000',
      downstream_local_address: '10.0.0.2:8080',
      downstream_remote_address: '10.0.9.9:5555',
    }),
    inb({
      ...where('productpage-v1-5b6d'),
      start_time: at(2),
      duration_ms: 55,
      path: '/productpage',
      authority: 'bookinfo.example.com',
      x_forwarded_for: '203.0.113.7',
      upstream_cluster: 'inbound|9080||',
      downstream_local_address: '10.0.0.10:9080',
      downstream_remote_address: '10.0.0.2:40000',
    }),
    out({
      ...where('productpage-v1-5b6d'),
      start_time: at(5),
      duration_ms: 40,
      path: '/reviews/0',
      authority: 'reviews:9080',
      upstream_cluster: 'outbound|9080||reviews.default.svc.cluster.local',
      upstream_host: '10.0.0.20:9080',
      upstream_local_address: '10.0.0.10:41000',
      downstream_local_address: '10.96.0.20:9080',
      downstream_remote_address: '10.0.0.10:52000',
    }),
    inb({
      ...where('reviews-v3-9c8b'),
      start_time: at(6),
      duration_ms: 38,
      path: '/reviews/0',
      authority: 'reviews:9080',
      upstream_cluster: 'inbound|9080||',
      downstream_local_address: '10.0.0.20:9080',
      downstream_remote_address: '10.0.0.10:41000',
    }),
    out({
      ...where('reviews-v3-9c8b'),
      start_time: at(10),
      duration_ms: 20,
      path: '/ratings/0',
      authority: 'ratings:9080',
      upstream_cluster: 'outbound|9080||ratings.default.svc.cluster.local',
      upstream_host: '10.0.0.30:9080',
      upstream_local_address: '10.0.0.20:42000',
      downstream_local_address: '10.96.0.30:9080',
      downstream_remote_address: '10.0.0.20:53000',
    }),
    inb({
      ...where('ratings-v1-1a2b'),
      start_time: at(11),
      duration_ms: 15,
      path: '/ratings/0',
      authority: 'ratings:9080',
      upstream_cluster: 'inbound|9080||',
      downstream_local_address: '10.0.0.30:9080',
      downstream_remote_address: '10.0.0.20:42000',
    }),
  ];
  return entries.map((e, i) => ({ ...e, line: i + 1 }));
}

/** Completion order, as proxies write them: innermost first. */
function logOrder(entries: AccessLogEntry[]): AccessLogEntry[] {
  return [...entries].sort((a, b) => {
    const end = (e: AccessLogEntry) => Date.parse(e.start_time ?? '') + (e.duration_ms ?? 0);
    return end(a) - end(b);
  });
}

describe('buildTrace: bookinfo chain', () => {
  const chainShape = (names: string[]) => [
    { source: names[0], direction: 'outbound', parent: null, depth: 0 },
    { source: names[1], direction: 'inbound', parent: 0, depth: 1 },
    { source: names[1], direction: 'outbound', parent: 1, depth: 2 },
    { source: names[2], direction: 'inbound', parent: 2, depth: 3 },
    { source: names[2], direction: 'outbound', parent: 3, depth: 4 },
    { source: names[3], direction: 'inbound', parent: 4, depth: 5 },
  ];
  const pods = ['istio-ingressgateway-7d9f', 'productpage-v1-5b6d', 'reviews-v3-9c8b', 'ratings-v1-1a2b'];

  it.each<[string, (pod: string) => Partial<AccessLogEntry>, string[]]>([
    ['pods from a [pod container] prefix, one stream', (pod) => ({ origin: pod, source: '-' }), pods],
    ['one file per pod', (pod) => ({ source: `logs/${pod}.log` }), pods],
    ['everything on stdin: addresses only', () => ({ source: '-' }), ['-', '-', '-', '-']],
  ])('%s', (_name, where, names) => {
    const entries = bookinfo(where);
    for (const input of [entries, logOrder(entries), [...entries].reverse()]) {
      const r = buildTrace(ID, input);
      expect(shape(r)).toEqual(chainShape(names));
      expect(r.hops.map((h) => h.link)).toEqual([
        'root',
        'address',
        'address',
        'address',
        'address',
        'address',
      ]);
      expect(r.hops.map((h) => h.offset_ms)).toEqual([0, 2, 5, 6, 10, 11]);
      expect(r.total_duration_ms).toBe(60);
      expect(r.notes).toEqual([]);
    }
  });

  it('the deepest failing hop is named as the origin', () => {
    const entries = bookinfo((pod) => ({ origin: pod })).map((e, i) =>
      i >= 1 ? { ...e, response_code: 500, response_code_details: 'via_upstream' } : e,
    );
    const r = buildTrace(ID, entries);
    const errors = r.notes.filter((n) => n.kind === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.hop).toBe(5);
    expect(errors[0]?.message).toContain('the app behind ratings-v1-1a2b answered 500');
    expect(errors[0]?.message).toContain('surfaces again at reviews-v3-9c8b outbound');
  });
});

describe('buildTrace: notes', () => {
  const client = (fields: Partial<AccessLogEntry> = {}) =>
    out({
      source: 'sleep.log',
      start_time: at(0),
      duration_ms: 100,
      authority: 'httpbin:8000',
      upstream_cluster: 'outbound|8000||httpbin.default.svc.cluster.local',
      upstream_host: '10.1.0.5:80',
      upstream_local_address: '10.1.0.9:40000',
      downstream_remote_address: '10.1.0.9:50000',
      ...fields,
    });
  const server = (fields: Partial<AccessLogEntry> = {}) =>
    inb({
      source: 'httpbin.log',
      start_time: at(2),
      duration_ms: 5,
      authority: 'httpbin:8000',
      downstream_local_address: '10.1.0.5:80',
      downstream_remote_address: '10.1.0.9:40000',
      requested_server_name: 'outbound_.8000_._.httpbin.default.svc.cluster.local',
      ...fields,
    });

  it.each([
    ['on one pooled connection', ['10.1.0.9:40000', '10.1.0.9:40000', '10.1.0.9:40000']],
    ['on a new connection each', ['10.1.0.9:40010', '10.1.0.9:40020', '10.1.0.9:40000']],
  ])('retries %s: attempts numbered, "retried 2 times"', (_name, remotes) => {
    const attempts = [
      server({
        line: 1,
        start_time: at(2),
        response_code: 503,
        downstream_remote_address: remotes[0] ?? null,
      }),
      server({
        line: 2,
        start_time: at(30),
        response_code: 503,
        downstream_remote_address: remotes[1] ?? null,
      }),
      server({
        line: 3,
        start_time: at(60),
        response_code: 200,
        downstream_remote_address: remotes[2] ?? null,
      }),
    ];
    const r = buildTrace(ID, [...attempts.reverse(), client()]);
    expect(shape(r).map((h) => h.parent)).toEqual([null, 0, 0, 0]);
    expect(r.hops.map((h) => h.attempt)).toEqual([null, 1, 2, 3]);
    expect(r.hops.map((h) => h.response_code)).toEqual([200, 503, 503, 200]);
    const retry = r.notes.filter((n) => n.kind === 'retry');
    expect(retry).toHaveLength(1);
    expect(retry[0]?.hop).toBe(0);
    expect(retry[0]?.message).toContain('retried 2 times');
    const errors = r.notes.filter((n) => n.kind === 'error');
    expect(errors.map((n) => n.hop)).toEqual([1, 2]);
    expect(errors[0]?.message).toContain('attempt 1 of 3 failed');
    expect(errors[0]?.message).toContain('a retry succeeded');
  });

  it('fan-out: productpage calls reviews and details', () => {
    const pp = { origin: 'productpage-v1' };
    const r = buildTrace(ID, [
      out({
        ...pp,
        line: 3,
        start_time: at(20),
        duration_ms: 10,
        upstream_cluster: 'outbound|9080||reviews.default.svc.cluster.local',
        upstream_host: '10.2.0.20:9080',
      }),
      out({
        ...pp,
        line: 2,
        start_time: at(5),
        duration_ms: 10,
        upstream_cluster: 'outbound|9080||details.default.svc.cluster.local',
        upstream_host: '10.2.0.30:9080',
      }),
      inb({
        ...pp,
        line: 4,
        start_time: at(0),
        duration_ms: 40,
        downstream_remote_address: '10.9.9.9:0',
        x_forwarded_for: '1.2.3.4',
      }),
    ]);
    expect(shape(r).map((h) => h.parent)).toEqual([null, 0, 0]);
    expect(r.hops.map((h) => h.peer)).toEqual(['1.2.3.4', 'details.default:9080', 'reviews.default:9080']);
    const fan = r.notes.find((n) => n.kind === 'fan_out');
    expect(fan?.hop).toBe(0);
    expect(fan?.message).toContain('2 services');
    expect(fan?.message).toContain('details.default, reviews.default');
  });

  it('missing caller: an inbound entry with an in-mesh caller and no outbound entry', () => {
    const r = buildTrace(ID, [
      server({ downstream_remote_address: '10.1.0.9:40000', requested_server_name: null }),
    ]);
    expect(r.hops).toHaveLength(1);
    expect(r.notes).toHaveLength(1);
    expect(r.notes[0]).toMatchObject({ kind: 'missing_hop', hop: 0 });
    expect(r.notes[0]?.message).toContain("the caller's outbound entry is missing");
    expect(r.notes[0]?.message).toContain('10.1.0.9:40000');
    expect(r.notes[0]?.message).toContain('no sidecar');
  });

  it('missing callee: a mesh call with no inbound entry', () => {
    const r = buildTrace(ID, [client()]);
    expect(r.notes).toEqual([
      {
        kind: 'missing_hop',
        hop: 0,
        message:
          'no inbound entry at httpbin.default:8000 (10.1.0.5:80): its sidecar is not logging, its logs were not read, or the request never arrived',
      },
    ]);
  });

  it('a call that failed before connecting (UH) does not blame the server sidecar', () => {
    const r = buildTrace(ID, [
      client({
        response_code: 503,
        response_flags: ['UH'],
        response_code_details: 'no_healthy_upstream',
        upstream_host: null,
        upstream_local_address: null,
      }),
    ]);
    expect(kinds(r)).toEqual(['info', 'error']);
    expect(r.notes[0]?.message).toContain('before it reached a server (UH)');
    expect(r.notes[1]?.message).toContain(
      "sleep's proxy failed calling httpbin.default:8000: 503 UH no_healthy_upstream",
    );
  });

  it('clock skew: server starts 30 ms before its client; the link stays and offsets stay sane', () => {
    const r = buildTrace(ID, [
      server({ start_time: at(70), duration_ms: 10 }),
      client({ start_time: at(100), duration_ms: 50 }),
    ]);
    expect(shape(r).map((h) => h.parent)).toEqual([null, 0]);
    expect(r.hops[1]?.link).toBe('address');
    const skew = r.notes.find((n) => n.kind === 'clock_skew');
    expect(skew?.hop).toBe(1);
    expect(skew?.message).toContain('clock skew? child starts 30 ms before its parent (sleep → httpbin)');
    expect(r.hops[0]?.offset_ms).toBe(0);
    const offset = r.hops[1]?.offset_ms ?? -1;
    expect(offset).toBeGreaterThanOrEqual(0);
    expect(offset + 10).toBeLessThanOrEqual(50);
    expect(r.start_time).toBe(at(100));
    expect(r.total_duration_ms).toBe(50);
  });

  it('clock skew: a server that ends 12 ms after its client gets a note saying so', () => {
    const r = buildTrace(ID, [
      client({ start_time: at(0), duration_ms: 20 }),
      server({ start_time: at(10), duration_ms: 22 }),
    ]);
    const skew = r.notes.find((n) => n.kind === 'clock_skew');
    expect(skew?.hop).toBe(1);
    expect(skew?.message).toMatch(/^clock skew\? child ends 12 ms after its parent \(sleep → httpbin\)/);
    // Within the tolerance (5 ms) it is timing noise, not skew.
    const close = buildTrace(ID, [
      client({ start_time: at(0), duration_ms: 20 }),
      server({ start_time: at(10), duration_ms: 14 }),
    ]);
    expect(close.notes.some((n) => n.kind === 'clock_skew')).toBe(false);
  });

  it('--since leaves out older hops, says how many, and the sources count the hops drawn', () => {
    const entries = [
      client({ start_time: at(0), line: 1 }),
      server({ start_time: at(2), line: 1 }),
      // The same id again a minute later (a client that reuses its request id).
      client({ start_time: at(60_000), line: 2 }),
      server({ start_time: at(60_002), line: 2 }),
      makeEntry({ request_id: 'another-request', source: 'sleep.log', start_time: at(60_005) }),
    ];
    const sources = [
      { name: 'sleep.log', entries: 3, skipped_lines: 1 },
      { name: 'httpbin.log', entries: 2, skipped_lines: 0 },
      { name: 'quiet.log', entries: 4, skipped_lines: 0 },
    ];
    const all = buildTrace(ID, entries, { sources });
    expect(all.hops).toHaveLength(4);
    const r = buildTrace(ID, entries, { sources, sinceMs: BASE + 30_000 });
    expect(r.hops.map((h) => h.start_time)).toEqual([at(60_000), at(60_002)]);
    expect(r.notes[0]?.message).toBe(
      `2 entries of this request started before the --since window (${at(30_000)}; the newest at ${at(2)}) and are left out`,
    );
    // Only the sources with hops; how many were searched apart.
    expect(r.sources).toEqual([
      { name: 'sleep.log', entries: 1, skipped_lines: 1 },
      { name: 'httpbin.log', entries: 1, skipped_lines: 0 },
    ]);
    expect(r.logs_searched).toBe(3);
    expect(r.sources.reduce((n, s) => n + s.entries, 0)).toBe(r.hops.length);
    expect(r.skipped_lines).toBe(1);
  });

  it('old formats without addresses link by timing and host', () => {
    const noAddr = {
      upstream_host: null,
      upstream_local_address: null,
      downstream_local_address: null,
      downstream_remote_address: null,
    };
    const r = buildTrace(ID, [
      server({
        ...noAddr,
        line: 2,
        start_time: at(52),
        duration_ms: 3,
        authority: 'details:9080',
        requested_server_name: null,
      }),
      client({ ...noAddr, line: 1, start_time: at(0), duration_ms: 10 }),
      client({
        ...noAddr,
        line: 2,
        start_time: at(50),
        duration_ms: 10,
        authority: 'details:9080',
        upstream_cluster: 'outbound|9080||details.default.svc.cluster.local',
      }),
      server({ ...noAddr, start_time: at(1), duration_ms: 5, requested_server_name: null }),
    ]);
    expect(r.hops.map((h) => [h.authority, h.direction, h.parent, h.link])).toEqual([
      ['httpbin:8000', 'outbound', null, 'root'],
      ['httpbin:8000', 'inbound', 0, 'timing'],
      ['details:9080', 'outbound', null, 'root'],
      ['details:9080', 'inbound', 2, 'timing'],
    ]);
    expect(kinds(r)).toEqual(['broken_chain']);
  });
});

describe('buildTrace: input handling', () => {
  it('matches the id case-insensitively and in full', () => {
    const r = buildTrace(ID.toUpperCase(), [
      out({ line: 1 }),
      out({ line: 2, request_id: `${ID}0` }),
      out({ line: 3, request_id: ID.slice(1) }),
      out({ line: 4, request_id: null }),
      out({ line: 5, request_id: ID.toUpperCase() }),
    ]);
    expect(r.request_id).toBe(ID.toUpperCase());
    expect(r.hops.map((h) => h.line)).toEqual([1, 5]);
  });

  it('an empty id or no matching entries give an empty trace', () => {
    for (const id of ['', 'nope']) {
      const r = buildTrace(id, [out({})]);
      expect(r.hops).toEqual([]);
      expect(r.start_time).toBeNull();
      expect(r.total_duration_ms).toBeNull();
    }
  });

  it('the same line read twice is one hop', () => {
    const e = out({ source: 'sleep.log', line: 7 });
    const r = buildTrace(ID, [e, { ...e }, out({ source: 'other.log', line: 7 })]);
    expect(r.hops.map((h) => h.file)).toEqual(['sleep.log', 'other.log']);
    expect(r.notes[0]).toMatchObject({ kind: 'info', hop: null });
    expect(r.notes[0]?.message).toContain('1 duplicate entry');
  });

  it('entries without start_time do not crash and come last', () => {
    const r = buildTrace(ID, [
      inb({ source: 'b.log', start_time: null, downstream_remote_address: '10.3.0.1:4000' }),
      out({ source: 'c.log', start_time: null, upstream_local_address: '10.3.0.7:1' }),
      out({ source: 'a.log', start_time: at(10), upstream_local_address: '10.3.0.1:4000', duration_ms: 5 }),
    ]);
    expect(r.hops.map((h) => [h.source, h.parent, h.offset_ms])).toEqual([
      ['a', null, 0],
      ['b', 0, null],
      ['c', null, null],
    ]);
    expect(r.total_duration_ms).toBe(5);
    expect(r.start_time).toBe(at(10));
  });

  it('keeps the sources and skipped lines, each source counting the hops drawn from it', () => {
    const sources = [{ name: 'x.log', entries: 3, skipped_lines: 2 }];
    const r = buildTrace(ID, [out({ source: 'x.log' })], { sources, skipped_lines: 2 });
    expect(r.sources).toEqual([{ name: 'x.log', entries: 1, skipped_lines: 2 }]);
    expect(r.skipped_lines).toBe(2);
  });

  it('a hostile 5000-entry input returns', () => {
    const entries: AccessLogEntry[] = [];
    for (let i = 0; i < 5000; i++) {
      const fields: Partial<AccessLogEntry> = {
        line: i + 1,
        source: i % 3 === 0 ? '-' : `pod-${i % 7}.log`,
        start_time: i % 11 === 0 ? null : at(i % 50),
        duration_ms: i % 13,
        upstream_local_address: '10.0.0.1:1000',
        downstream_remote_address: '10.0.0.1:1000',
        downstream_local_address: '10.0.0.1:80',
        upstream_host: '10.0.0.1:80',
      };
      entries.push(i % 2 === 0 ? out(fields) : inb(fields));
    }
    const r = buildTrace(ID, entries);
    expect(r.hops).toHaveLength(MAX_TRACE_ENTRIES);
    expect(r.notes.some((n) => n.message.includes('only the first 1000'))).toBe(true);
    r.hops.forEach((h, i) => {
      if (h.parent !== null) expect(h.parent).toBeLessThan(i);
    });
  });
});
