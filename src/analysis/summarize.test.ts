import { describe, expect, it } from 'vitest';
import { makeEntry } from '../../test/support/make-entry.js';
import { parseAll } from '../../test/support/parse-all.js';
import { podDirectory } from './pod-ref.js';
import { countSkipped, describeSkipped } from './skip-reasons.js';
import { OTHER_ROUTES, SummaryBuilder, summarizeEntries } from './summarize.js';

const out = (fields: Parameters<typeof makeEntry>[0] = {}) =>
  makeEntry({ upstream_cluster: 'outbound|8000||httpbin.foo.svc.cluster.local', ...fields });
const inbound = (fields: Parameters<typeof makeEntry>[0] = {}) =>
  makeEntry({ upstream_cluster: 'inbound|80||', downstream_remote_address: '10.0.0.7:41000', ...fields });

describe('summarizeEntries', () => {
  it('groups by direction, peer, method, route pattern and outcome', () => {
    const report = summarizeEntries([
      out({ path: '/items/1' }),
      out({ path: '/items/2?x=y' }),
      out({ path: '/items/3', method: 'POST' }),
      out({ path: '/items/4', response_code: 503, response_flags: ['UH'] }),
      inbound({ path: '/status/418', response_code: 418 }),
    ]);
    expect(report.flows.map((f) => [f.direction, f.peer, f.method, f.route, f.outcome, f.count])).toEqual([
      ['inbound', '10.0.0.7', 'GET', '/status/{id}', 'client_error', 1],
      ['outbound', 'httpbin.foo:8000', 'GET', '/items/{id}', 'error', 1],
      ['outbound', 'httpbin.foo:8000', 'GET', '/items/{id}', 'ok', 2],
      ['outbound', 'httpbin.foo:8000', 'POST', '/items/{id}', 'ok', 1],
    ]);
    expect(report.totals).toMatchObject({
      entries: 5,
      inbound: 1,
      outbound: 4,
      unknown: 0,
      errors: 1,
      client_errors: 1,
    });
  });

  it('computes per-flow percentiles, codes, flags, bytes and the time window', () => {
    const entries = Array.from({ length: 100 }, (_, i) =>
      out({
        duration_ms: i + 1,
        bytes_sent: 10,
        bytes_received: 1,
        start_time: `2024-01-01T00:00:${String(i % 60).padStart(2, '0')}.000Z`,
      }),
    );
    const [flow] = summarizeEntries(entries).flows;
    expect(flow?.duration_ms).toEqual({ p50: 50, p95: 95, p99: 99, max: 100 });
    expect(flow).toMatchObject({ bytes_sent: 1000, bytes_received: 100, codes: { '200': 100 }, flags: {} });
    expect(flow?.first_seen).toBe('2024-01-01T00:00:00.000Z');
    expect(flow?.last_seen).toBe('2024-01-01T00:00:59.000Z');
  });

  it('labels TCP flows and their peers', () => {
    const report = summarizeEntries([
      makeEntry({
        method: null,
        path: null,
        protocol: null,
        response_code: 0,
        upstream_cluster: 'PassthroughCluster',
        authority: null,
        downstream_local_address: '104.20.28.24:443',
      }),
    ]);
    expect(report.flows[0]).toMatchObject({
      route: '(tcp)',
      peer: 'passthrough → 104.20.28.24:443',
      outcome: 'ok',
    });
  });

  it('prefers error request ids as examples', () => {
    const entries = [
      ...['a', 'b', 'c', 'd'].map((id) => out({ request_id: id })),
      out({ request_id: 'e1', response_code: 200, response_flags: ['UC'] }),
    ];
    const report = summarizeEntries(entries);
    const okFlow = report.flows.find((f) => f.outcome === 'ok');
    expect(okFlow?.example_request_ids).toEqual(['a', 'b', 'c']);
    expect(report.flows.find((f) => f.outcome === 'error')?.example_request_ids).toEqual(['e1']);
  });

  it('puts findings first, most severe and most frequent first', () => {
    const report = summarizeEntries([
      out({ response_code: 0, response_flags: ['DC'] }),
      out({
        response_code: 503,
        response_flags: ['UF'],
        response_code_details: 'upstream_reset_before_response_started{connection_failure}',
      }),
      out({
        response_code: 503,
        response_flags: ['UF'],
        response_code_details: 'upstream_reset_before_response_started{connection_failure}',
      }),
      out({ response_code: 503, response_flags: ['UH'], response_code_details: 'no_healthy_upstream' }),
    ]);
    expect(report.findings.map((f) => [f.flags.join(','), f.count, f.severity])).toEqual([
      ['UH', 1, 'critical'],
      ['UF', 2, 'error'],
      ['DC', 1, 'warning'],
    ]);
  });

  it('caps the number of flows and says so', () => {
    const report = summarizeEntries(
      Array.from({ length: 50 }, (_, i) =>
        out({ upstream_cluster: `outbound|80||svc-${i}.ns.svc.cluster.local` }),
      ),
      { maxFlows: 10 },
    );
    expect(report.flows).toHaveLength(11);
    expect(report.flows.find((f) => f.peer === '(other)')?.count).toBe(40);
    expect(report.flows_truncated).toBe(40);
    expect(report.notes.join(' ')).toContain('more than 10 distinct flows');
  });

  it('keeps no more peers than flows, even when --since drops the entries', () => {
    // Hostile input: every entry from a different caller. The peers kept must stay bounded by the flows.
    const lines = Array.from(
      { length: 3000 },
      (_, i) =>
        `[2024-01-01T00:00:00.000Z] "GET /a HTTP/1.1" 200 - via_upstream - "-" 0 1 1 1 "-" "c" "id" "web:80" "10.0.0.2:80" inbound|80|| 127.0.0.6:1 10.0.0.2:80 10.${i >> 8}.${i & 255}.1:5000 - default`,
    );
    for (const sinceMs of [null, Date.parse('2025-01-01T00:00:00.000Z')]) {
      const full = new SummaryBuilder({ maxFlows: 10, sinceMs });
      for (const line of lines) for (const entry of parseAll(line).entries) full.add(entry);
      // Private on purpose; this is the one thing a report cannot show.
      const peers = (full as unknown as { peers: Map<string, unknown> }).peers;
      expect(peers.size).toBeLessThanOrEqual(10);
    }
  });

  it('leaves out entries older than --since and explains an empty result', () => {
    const sinceMs = Date.parse('2024-01-01T00:10:00.000Z');
    const report = summarizeEntries(
      [
        out({ start_time: '2024-01-01T00:00:00.000Z' }),
        out({ start_time: '2024-01-01T00:11:00.000Z' }),
        out({ start_time: null }),
      ],
      { sinceMs },
    );
    expect(report.totals).toMatchObject({ entries: 1, filtered_out: 2 });
    const empty = summarizeEntries([out({ start_time: '2024-01-01T00:00:00.000Z' })], { sinceMs });
    expect(empty.notes[0]).toContain('older than the --since window');
  });

  it('says when there is nothing to summarise', () => {
    expect(summarizeEntries([]).notes[0]).toContain('No access-log entries found');
  });

  it('resolves inbound callers to names when a cluster told us', () => {
    const report = summarizeEntries([inbound()], {
      resolve: (ip) => (ip === '10.0.0.7' ? 'sleep-abc' : undefined),
    });
    expect(report.flows[0]?.peer).toBe('sleep-abc');
  });

  it('counts skipped lines per source and reason', () => {
    const builder = new SummaryBuilder();
    const { stats } = parseAll('garbage\n\n');
    builder.addSource('a.log', stats.entries, stats.skipped);
    builder.addSource('b.log', 2, { malformed: 1 });
    const report = builder.result();
    // Blank lines are not counted as skipped (analysis/skip-reasons), here as in `parse`.
    expect(report.totals.skipped_lines).toBe(2);
    expect(report.skipped).toEqual({ not_access_log: 1, malformed: 1 });
    expect(report.sources).toEqual([
      { name: 'a.log', entries: 0, skipped_lines: 1 },
      { name: 'b.log', entries: 2, skipped_lines: 1 },
    ]);
    expect(report.notes.join(' ')).toContain('--log-format');
  });
});

describe('callers named from the logs themselves', () => {
  it('names an inbound caller by the pod whose own entries show that IP', () => {
    const report = summarizeEntries([
      // sleep's outbound call: its upstream local address is sleep's own IP.
      out({ origin: 'sleep-7f8d', upstream_local_address: '10.0.0.7:41000' }),
      inbound({ origin: 'httpbin-5c9d', downstream_local_address: '10.0.0.9:80' }),
      inbound({ origin: 'httpbin-5c9d', downstream_remote_address: '10.0.0.99:5000' }),
    ]);
    const callers = report.flows.filter((f) => f.direction === 'inbound').map((f) => f.peer);
    expect(callers.sort()).toEqual(['10.0.0.99', 'sleep-7f8d']);
  });

  it('uses the learned name in findings too, even when the caller was seen before its pod was known', () => {
    const report = summarizeEntries([
      inbound({ origin: 'httpbin-5c9d', response_code: 0, response_flags: ['DC'] }),
      out({ origin: 'sleep-7f8d', upstream_local_address: '10.0.0.7:41000' }),
    ]);
    expect(report.findings[0]?.peers).toEqual(['sleep-7f8d']);
    expect(report.findings[0]?.title).toContain('← sleep-7f8d');
  });
});

describe('totals that add up', () => {
  it('counts errors, warnings and client errors apart, each entry once', () => {
    const report = summarizeEntries([
      out({ response_code: 503, response_flags: ['UH'] }),
      out({ response_code: 0, response_flags: ['DC'] }),
      out({ response_code: 429, response_flags: ['RL'] }),
      out({ response_code: 404 }),
      out({ response_code: 0, method: null, protocol: null, path: null }),
      out(),
    ]);
    expect(report.totals).toMatchObject({ entries: 6, errors: 1, warnings: 2, client_errors: 1 });
    const byOutcome = Object.fromEntries(report.flows.map((f) => [f.outcome, f]));
    expect(byOutcome.warning?.count).toBe(2);
    expect(byOutcome.warning?.warnings).toBe(2);
    expect(byOutcome.error?.errors).toBe(1);
    // Every finding's entries are errors or warnings: the findings add up to them.
    expect(report.findings.reduce((n, f) => n + f.count, 0)).toBe(3);
  });

  it('says which pods logged each flow (three, then a count)', () => {
    const pods = ['web-v1-a', 'web-v1-b', 'web-v2-c', 'web-v2-d'];
    const report = summarizeEntries(pods.map((origin) => out({ origin, source: `prod/${origin}` })));
    expect(report.flows[0]?.reported_by).toEqual(['web-v1-a', 'web-v1-b', 'web-v2-c']);
    expect(report.flows[0]?.reported_by_more).toBe(1);
    expect(summarizeEntries([out()]).flows[0]?.reported_by).toEqual([]);
  });

  it('fills the findings’ commands from the pod directory of a live read', () => {
    const report = summarizeEntries(
      [
        inbound({
          origin: 'ratings-v1-7d9f',
          source: 'prod/ratings-v1-7d9f',
          response_code: 503,
          response_flags: ['UF'],
          upstream_transport_failure_reason: 'delayed_connect_error:_111',
        }),
      ],
      { pods: () => ({ namespace: 'prod', app_container: 'ratings' }) },
    );
    expect(report.findings[0]?.next_steps.join('\n')).toContain(
      'kubectl logs ratings-v1-7d9f -n prod -c ratings',
    );
    expect(report.findings[0]?.reported_by).toEqual(['ratings-v1-7d9f']);
  });
});

describe('podDirectory', () => {
  it('gives each listed pod its namespace and the app container the injector named', () => {
    const directory = podDirectory([
      {
        namespace: 'prod',
        name: 'ratings-v1-7d9f',
        annotations: { 'kubectl.kubernetes.io/default-container': 'ratings' },
      },
      { namespace: 'prod', name: 'web-1', annotations: {} },
      { namespace: 'a', name: 'twin', annotations: {} },
      {
        namespace: 'b',
        name: 'twin',
        annotations: { 'kubectl.kubernetes.io/default-container': 'istio-proxy' },
      },
    ]);
    expect(directory('prod/ratings-v1-7d9f')).toEqual({ namespace: 'prod', app_container: 'ratings' });
    expect(directory('ratings-v1-7d9f')).toEqual({ namespace: 'prod', app_container: 'ratings' });
    expect(directory('web-1')).toEqual({ namespace: 'prod', app_container: null });
    // A name in two namespaces is only found with its namespace; istio-proxy is never the app.
    expect(directory('twin')).toBeUndefined();
    expect(directory('b/twin')).toEqual({ namespace: 'b', app_container: null });
  });
});

describe('skipped lines in words', () => {
  it('reads the same for every renderer, blank lines left out', () => {
    expect(describeSkipped({ blank: 4, not_access_log: 1, malformed: 2, too_long: 0 })).toBe(
      '1 not an access-log line, 2 malformed',
    );
    expect(describeSkipped({ not_access_log: 1200 }, (n) => n.toLocaleString('en-US'))).toBe(
      '1,200 not access-log lines',
    );
    expect(countSkipped({ blank: 4, binary: 1 })).toEqual({ total: 1, reasons: { binary: 1 } });
  });
});

describe('a summary that stays true at any cardinality', () => {
  const call = (caller: string, pod: string, path: string) =>
    inbound({ origin: pod, downstream_remote_address: `${caller}:41000`, path });

  it('groups inbound callers by workload, learned from their own entries even when seen later', () => {
    const entries = [
      // Two replicas of reviews-v1 and one of a StatefulSet call ratings before their own entries are read.
      call('10.0.1.1', 'ratings-v1-85c74b6cb4-vxqvh', '/ratings/1'),
      call('10.0.1.2', 'ratings-v1-85c74b6cb4-vxqvh', '/ratings/2'),
      call('10.0.1.3', 'ratings-v1-85c74b6cb4-vxqvh', '/ratings/3'),
      call('10.0.1.3', 'ratings-v1-85c74b6cb4-vxqvh', '/ratings/4'),
      out({ origin: 'reviews-v1-5b4f8c9d7-2kx8p', upstream_local_address: '10.0.1.1:5000' }),
      out({ origin: 'reviews-v1-5b4f8c9d7-9wq4t', upstream_local_address: '10.0.1.2:5000' }),
      out({ origin: 'cache-0', upstream_local_address: '10.0.1.3:5000' }),
      // Seen after: named at once.
      call('10.0.1.2', 'ratings-v1-85c74b6cb4-vxqvh', '/ratings/5'),
    ];
    const report = summarizeEntries(entries);
    const inboundFlows = report.flows.filter((f) => f.direction === 'inbound');
    expect(inboundFlows.map((f) => [f.peer, f.route, f.count, f.peer_group])).toEqual([
      ['reviews-v1', '/ratings/{id}', 3, null],
      ['cache', '/ratings/{id}', 2, null],
    ]);
  });

  it('puts callers no log names in one row per route: "N callers" and the top ones', () => {
    const entries = [];
    for (let i = 0; i < 3000; i++) entries.push(call(`10.9.${i >> 8}.${i & 255}`, 'web-1', `/a/${i}`));
    for (let i = 0; i < 500; i++) entries.push(call('10.8.0.1', 'web-1', '/a/1'));
    for (let i = 0; i < 300; i++) entries.push(call('10.8.0.2', 'web-1', '/b'));
    const report = summarizeEntries(entries);
    const rows = report.flows.filter((f) => f.direction === 'inbound');
    expect(rows.map((f) => f.route).sort()).toEqual(['/a/{id}', '/b']);
    const a = rows.find((f) => f.route === '/a/{id}');
    expect(a?.count).toBe(3500);
    expect(a?.peer).toMatch(/^\(\d[\d,]* callers\)$/);
    expect(a?.peer_group?.distinct_estimated).toBe(true);
    expect(Math.abs((a?.peer_group?.distinct ?? 0) - 3001) / 3001).toBeLessThan(0.08);
    expect(a?.peer_group?.top[0]).toEqual({ name: '10.8.0.1', count: expect.any(Number) });
    expect((a?.peer_group?.top[0]?.count ?? 0) >= 500).toBe(true);
    const group = a?.peer_group;
    expect((group?.top.reduce((n, t) => n + t.count, 0) ?? 0) + (group?.others ?? 0)).toBe(3500);
    // One caller: the row is named after it.
    expect(rows.find((f) => f.route === '/b')?.peer).toBe('10.8.0.2');
    // Bounded: callers kept apart (to be named at the end) are capped.
    const builder = new SummaryBuilder();
    for (const e of entries) builder.add(e);
    const apart = (builder as unknown as { addressPeers: Map<string, unknown> }).addressPeers;
    expect(apart.size).toBeLessThanOrEqual(128);
  });

  it('groups a gateway’s internet clients instead of a row per client', () => {
    const entries = Array.from({ length: 400 }, (_, i) =>
      makeEntry({
        origin: 'istio-ingressgateway-5c8b7d9f4-k7q2w',
        upstream_cluster: null,
        response_code: 404,
        response_flags: ['NR'],
        path: '/.env',
        downstream_remote_address: '10.128.0.60:0',
        x_forwarded_for: `203.0.${i >> 8}.${i & 255}`,
      }),
    );
    const report = summarizeEntries(entries);
    expect(report.flows).toHaveLength(1);
    expect(report.flows[0]?.peer).toMatch(/^\(\d+ clients\)$/);
    expect(report.flows[0]?.peer_group?.distinct_estimated).toBe(true);
    expect(Math.abs((report.flows[0]?.peer_group?.distinct ?? 0) - 400) / 400).toBeLessThan(0.08);
  });

  it('groups a peer’s routes past its limit into one row that counts them', () => {
    const entries = Array.from({ length: 210 }, (_, i) => out({ path: `/r${i % 70}x/page` }));
    const report = summarizeEntries(entries, { maxRoutesPerPeer: 10 });
    expect(report.flows).toHaveLength(11);
    const other = report.flows.find((f) => f.route === OTHER_ROUTES);
    expect(other?.count).toBe(180);
    const group = other?.route_group;
    expect(group).toMatchObject({ distinct: 60, distinct_estimated: false, top_exact: false });
    expect((group?.top.reduce((n, t) => n + t.count, 0) ?? 0) + (group?.others ?? 0)).toBe(180);
    expect(report.flows.reduce((n, f) => n + f.count, 0)).toBe(210);
  });

  it('keeps the heavy flows when full, moving the smallest into (other)', () => {
    const entries = [];
    for (let round = 0; round < 20; round++) {
      for (let heavy = 0; heavy < 4; heavy++) entries.push(out({ path: `/heavy${heavy}/x` }));
      for (let light = 0; light < 10; light++) entries.push(out({ path: `/light${round * 10 + light}/x` }));
    }
    const report = summarizeEntries(entries, { maxFlows: 16 });
    for (let heavy = 0; heavy < 4; heavy++)
      expect(report.flows.find((f) => f.route === `/heavy${heavy}/x`)?.count).toBeGreaterThan(10);
    expect(report.flows.length).toBeLessThanOrEqual(16 + 1);
    expect(report.flows.reduce((n, f) => n + f.count, 0)).toBe(entries.length);
    expect(report.flows.find((f) => f.peer === '(other)')?.count).toBe(report.flows_truncated);
  });

  it('can be asked for a result while entries still come (logs --follow), changing nothing', () => {
    const builder = new SummaryBuilder();
    builder.add(call('10.0.1.1', 'ratings-v1-85c74b6cb4-vxqvh', '/ratings/1'));
    builder.add(call('10.0.1.9', 'ratings-v1-85c74b6cb4-vxqvh', '/ratings/1'));
    const first = builder.result();
    builder.add(out({ origin: 'reviews-v1-5b4f8c9d7-2kx8p', upstream_local_address: '10.0.1.1:5000' }));
    builder.add(call('10.0.1.1', 'ratings-v1-85c74b6cb4-vxqvh', '/ratings/1'));
    const second = builder.result();
    expect(first.flows.map((f) => [f.peer, f.count])).toEqual([['(2 callers)', 2]]);
    expect(second.flows.filter((f) => f.direction === 'inbound').map((f) => [f.peer, f.count])).toEqual([
      ['reviews-v1', 2],
      ['10.0.1.9', 1],
    ]);
  });
});
