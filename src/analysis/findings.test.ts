import { describe, expect, it } from 'vitest';
import { makeEntry } from '../../test/support/make-entry.js';
import type { AccessLogEntry } from '../accesslog/entry.js';
import { FindingsCollector } from './findings.js';
import { describePeer } from './peer.js';

const HTTPBIN = 'outbound|8000||httpbin.foo.svc.cluster.local';
const REVIEWS = 'outbound|9080||reviews.default.svc.cluster.local';

function uh(fields: Partial<AccessLogEntry> = {}): AccessLogEntry {
  return makeEntry({
    response_code: 503,
    response_flags: ['UH'],
    response_code_details: 'no_healthy_upstream',
    upstream_cluster: HTTPBIN,
    ...fields,
  });
}

function collect(entries: readonly AccessLogEntry[], collector = new FindingsCollector()): FindingsCollector {
  for (const e of entries) collector.add(e, describePeer(e));
  return collector;
}

describe('FindingsCollector grouping', () => {
  it('one cause on two services is one finding listing both peers', () => {
    const findings = collect([uh(), uh({ upstream_cluster: REVIEWS }), uh()]).result();
    expect(findings).toHaveLength(1);
    const [f] = findings;
    expect(f?.peers).toEqual(['httpbin.foo:8000', 'reviews.default:9080']);
    expect(f?.count).toBe(3);
    expect(f?.title).toBe('503 UH no_healthy_upstream → httpbin.foo:8000 +1 more');
    // Peers differ, so commands keep placeholders instead of naming one of them.
    expect(f?.next_steps).toContain(
      'kubectl get endpointslices -n <namespace> -l kubernetes.io/service-name=<service>',
    );
  });

  it('a single peer gets commands naming it', () => {
    const [f] = collect([uh(), uh()]).result();
    expect(f?.title).toBe('503 UH no_healthy_upstream → httpbin.foo:8000');
    expect(f?.next_steps).toContain(
      'kubectl get endpointslices -n foo -l kubernetes.io/service-name=httpbin',
    );
  });

  it.each<[string, Partial<AccessLogEntry>, Partial<AccessLogEntry>, number]>([
    ['different flags', { response_flags: ['UH'] }, { response_flags: ['UF'] }, 2],
    ['flag order does not matter', { response_flags: ['UF', 'URX'] }, { response_flags: ['URX', 'UF'] }, 1],
    [
      'reset reason changes the cause',
      {
        response_flags: [],
        response_code_details: 'upstream_reset_before_response_started{connection_failure}',
      },
      { response_flags: [], response_code_details: 'upstream_reset_before_response_started{protocol_error}' },
      2,
    ],
    [
      'errno spelling alone does not',
      {
        response_flags: ['UF'],
        response_code_details:
          'upstream_reset_before_response_started{connection_failure,delayed_connect_error:_111}',
      },
      {
        response_flags: ['UF'],
        response_code_details:
          'upstream_reset_before_response_started{connection_failure|delayed_connect_error:_Connection_refused}',
      },
      1,
    ],
    [
      'transport failure class changes the cause',
      { response_flags: ['UF'], upstream_transport_failure_reason: 'TLS_error:_CERTIFICATE_VERIFY_FAILED' },
      { response_flags: ['UF'], upstream_transport_failure_reason: 'delayed_connect_error:_111' },
      2,
    ],
    [
      'direction changes the cause',
      { response_flags: ['UF'], upstream_cluster: HTTPBIN },
      { response_flags: ['UF'], upstream_cluster: 'inbound|80||' },
      2,
    ],
    ['code class changes the cause', { response_code: 503 }, { response_code: 0 }, 2],
    [
      'same code class groups',
      { response_flags: [], response_code: 502 },
      { response_flags: [], response_code: 503 },
      1,
    ],
  ])('%s', (_name, a, b, groups) => {
    expect(collect([uh(a), uh(b)]).result()).toHaveLength(groups);
  });

  it('ignores entries that are not errors', () => {
    const findings = collect([makeEntry({ response_code: 200 }), makeEntry({ response_code: 404 })]).result();
    expect(findings).toEqual([]);
  });

  it('aggregates codes, example ids and the time window', () => {
    const [f] = collect([
      uh({ response_flags: [], response_code: 503, request_id: 'a', start_time: '2024-01-01T00:00:02.000Z' }),
      uh({ response_flags: [], response_code: 500, request_id: 'b', start_time: '2024-01-01T00:00:01.000Z' }),
      uh({ response_flags: [], response_code: 503, request_id: 'a', start_time: '2024-01-01T00:00:03.000Z' }),
      uh({ response_flags: [], response_code: 503, request_id: 'c', start_time: null }),
      uh({ response_flags: [], response_code: 503, request_id: 'd' }),
    ]).result();
    expect(f?.codes).toEqual([500, 503]);
    expect(f?.example_request_ids).toEqual(['a', 'b', 'c']);
    expect(f?.first_seen).toBe('2024-01-01T00:00:00.000Z');
    expect(f?.last_seen).toBe('2024-01-01T00:00:03.000Z');
    expect(f?.count).toBe(5);
  });

  it('lists at most max_peers peers and counts the rest', () => {
    const entries = Array.from({ length: 15 }, (_, i) =>
      uh({ upstream_cluster: `outbound|80||svc${i}.foo.svc.cluster.local` }),
    );
    const [f] = collect(entries, new FindingsCollector({ max_peers: 10 })).result();
    expect(f?.peers).toHaveLength(10);
    expect(f?.title).toMatch(/→ svc0\.foo:80 \+14 more$/);
  });
});

describe('FindingsCollector ordering', () => {
  it('sorts by severity, then count descending', () => {
    const dc = (): AccessLogEntry =>
      makeEntry({
        response_code: 0,
        response_flags: ['DC'],
        response_code_details: 'downstream_remote_disconnect',
      });
    const app500 = (): AccessLogEntry => makeEntry({ response_code: 500 });
    const findings = collect([dc(), dc(), dc(), app500(), app500(), uh(), app500()]).result();
    expect(findings.map((f) => [f.severity, f.count])).toEqual([
      ['critical', 1],
      ['error', 3],
      ['warning', 3],
    ]);
  });
});

describe('FindingsCollector bounds', () => {
  it('merges causes past the group limit into one "other errors" finding', () => {
    const collector = new FindingsCollector({ max_groups: 100 });
    for (let i = 0; i < 10_000; i++) {
      const e = makeEntry({ response_code: 503, response_flags: [`Z${i}`], request_id: `id-${i}` });
      collector.add(e, 'httpbin.default:8000');
    }
    const findings = collector.result();
    expect(findings).toHaveLength(101);
    const other = findings.find((f) => f.title.startsWith('other errors'));
    expect(other?.count).toBe(9_900);
    expect(other?.flags.length).toBeLessThanOrEqual(16);
    expect(findings.reduce((n, f) => n + f.count, 0)).toBe(10_000);
  });

  it('keeps hostile values bounded', () => {
    const huge = 'x'.repeat(100_000);
    const collector = new FindingsCollector();
    for (let i = 0; i < 100; i++) {
      collector.add(
        makeEntry({
          response_code: 503,
          response_flags: [`${huge}${i}`],
          response_code_details: `${huge}{${i}`,
          request_id: huge,
          upstream_transport_failure_reason: huge,
        }),
        huge,
      );
    }
    const findings = collector.result();
    expect(findings).toHaveLength(1);
    const [f] = findings;
    expect(f?.title.length).toBeLessThan(400);
    expect(f?.example_request_ids[0]?.length).toBeLessThanOrEqual(128);
    expect(f?.response_code_details?.length).toBeLessThanOrEqual(512);
    expect(f?.peers[0]?.length).toBeLessThanOrEqual(129);
  });
});

describe('finding titles', () => {
  it('points at the callee for outbound failures and at the caller for inbound ones', () => {
    const inbound = makeEntry({
      upstream_cluster: 'inbound|9080||',
      response_code: 0,
      response_flags: ['DC'],
      response_code_details: 'downstream_remote_disconnect',
      downstream_remote_address: '10.1.0.9:52000',
    });
    const [inboundFinding] = collect([inbound]).result();
    expect(inboundFinding?.title).toBe('0 DC downstream_remote_disconnect ← 10.1.0.9');
    const [outboundFinding] = collect([uh()]).result();
    expect(outboundFinding?.title).toMatch(/ → /);
  });
});
