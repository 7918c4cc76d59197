import { describe, expect, it } from 'vitest';
import { makeEntry } from '../../test/support/make-entry.js';
import { parseAll } from '../../test/support/parse-all.js';
import { newLeanRecord, readLeanText } from '../accesslog/lean-record.js';
import { SummaryBuilder, summarizeEntries } from './summarize.js';

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

  it('keeps no more peers than flows, whichever path counts the entries and even when --since drops them', () => {
    // Hostile input: every entry from a different caller. The peers kept must stay bounded by the flows.
    const lines = Array.from(
      { length: 3000 },
      (_, i) =>
        `[2024-01-01T00:00:00.000Z] "GET /a HTTP/1.1" 200 - via_upstream - "-" 0 1 1 1 "-" "c" "id" "web:80" "10.0.0.2:80" inbound|80|| 127.0.0.6:1 10.0.0.2:80 10.${i >> 8}.${i & 255}.1:5000 - default`,
    );
    const record = newLeanRecord();
    for (const sinceMs of [null, Date.parse('2025-01-01T00:00:00.000Z')]) {
      const lean = new SummaryBuilder({ maxFlows: 10, sinceMs });
      const full = new SummaryBuilder({ maxFlows: 10, sinceMs });
      for (const line of lines) {
        expect(readLeanText(line, record) && lean.addLean(record)).toBe(true);
        for (const entry of parseAll(line).entries) full.add(entry);
      }
      for (const builder of [lean, full]) {
        // Private on purpose; this is the one thing a report cannot show.
        const peers = (builder as unknown as { peers: Map<string, unknown> }).peers;
        expect(peers.size).toBeLessThanOrEqual(10);
      }
      expect(lean.result()).toEqual(full.result());
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
    expect(report.totals.skipped_lines).toBe(3);
    expect(report.skipped).toEqual({ not_access_log: 1, blank: 1, malformed: 1 });
    expect(report.sources).toEqual([
      { name: 'a.log', entries: 0, skipped_lines: 2 },
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
