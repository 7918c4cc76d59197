import { describe, expect, it } from 'vitest';
import { makeEntry } from '../../test/support/make-entry.js';
import type { AccessLogEntry } from '../accesslog/entry.js';
import { FindingsCollector } from './findings.js';
import { describePeer, isGatewayEntry } from './peer.js';
import { podOf } from './pod-ref.js';

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

describe('one disconnect, one event', () => {
  const dc = (fields: Partial<AccessLogEntry>): AccessLogEntry =>
    makeEntry({
      response_code: 0,
      response_flags: ['DC'],
      response_code_details: 'downstream_remote_disconnect',
      request_id: 'req-1',
      origin: 'web-7d9f-abcde',
      ...fields,
    });

  it('counts a DC logged inbound and outbound by the same pod for the same request once', () => {
    const findings = collect([
      dc({ upstream_cluster: 'inbound|8080||', downstream_remote_address: '10.1.0.9:52000' }),
      dc({ upstream_cluster: REVIEWS }),
    ]).result();
    expect(findings.reduce((n, f) => n + f.count, 0)).toBe(1);
  });

  it('still counts other requests, other pods and other sources', () => {
    const findings = collect([
      dc({ upstream_cluster: 'inbound|8080||', downstream_remote_address: '10.1.0.9:52000' }),
      dc({ upstream_cluster: REVIEWS, request_id: 'req-2' }),
      dc({ upstream_cluster: REVIEWS, origin: 'web-7d9f-fghij' }),
      dc({ upstream_cluster: REVIEWS, origin: null, source: 'other.log' }),
      dc({ upstream_cluster: REVIEWS, request_id: null }),
    ]).result();
    expect(findings.reduce((n, f) => n + f.count, 0)).toBe(5);
  });
});

const SCANNED = [
  '/wp-login.php',
  '/.env',
  '/admin',
  '/phpmyadmin/index.php',
  '/cgi-bin/test',
  '/.git/config',
];

describe('ranking', () => {
  const scanner = (i: number): AccessLogEntry =>
    makeEntry({
      response_code: 404,
      response_flags: ['NR'],
      response_code_details: 'route_not_found',
      upstream_cluster: null,
      direction: 'unknown',
      path: SCANNED[i % SCANNED.length] ?? '/',
      authority: '203.0.113.10',
    });
  const app503 = (): AccessLogEntry => makeEntry({ response_code: 503, upstream_cluster: HTTPBIN });

  it('never ranks scanner 404s (no route, many paths) above a real 503', () => {
    const entries = [...Array.from({ length: 500 }, (_, i) => scanner(i)), app503(), app503()];
    const findings = collect(entries).result();
    expect(findings.map((f) => f.codes)).toEqual([[503], [404]]);
    const [, scanners] = findings;
    expect(scanners?.severity).toBe('warning');
    expect(scanners?.explanation).toMatch(
      /^6 distinct paths with no route, all answered 4xx: most likely scanners/,
    );
  });

  it('keeps a 404 NR on one route an error, ranked by count with other errors', () => {
    const entries = [
      ...Array.from({ length: 5 }, () => makeEntry({ ...scanner(0), path: '/api/items/1' })),
      makeEntry({ ...scanner(0), path: '/api/items/2' }),
      app503(),
    ];
    const findings = collect(entries).result();
    expect(findings.map((f) => [f.severity, f.codes, f.count])).toEqual([
      ['error', [404], 6],
      ['error', [503], 1],
    ]);
  });

  it('puts failures of the request (5xx, UH, UF, NR) before 4xx within a severity', () => {
    const app404 = (): AccessLogEntry => makeEntry({ response_code: 404, upstream_cluster: HTTPBIN });
    const rl = (): AccessLogEntry => makeEntry({ response_code: 429, response_flags: ['RL'] });
    const dcOnly = (): AccessLogEntry => makeEntry({ response_code: 0, response_flags: ['DC'] });
    // 404 from the app is a client error, not a finding; RL (4xx) and DC (code 0) are warnings.
    const findings = collect([app404(), rl(), rl(), rl(), dcOnly()]).result();
    expect(findings.map((f) => [f.severity, f.codes])).toEqual([
      ['warning', [0]],
      ['warning', [429]],
    ]);
  });
});

describe('who reported it', () => {
  const from = (pod: string, fields: Partial<AccessLogEntry> = {}): AccessLogEntry =>
    uh({ origin: pod, source: `prod/${pod}`, ...fields });

  it('lists up to three pods and counts the rest', () => {
    const collector = new FindingsCollector();
    for (const pod of ['web-v1-a', 'web-v1-b', 'web-v1-a', 'web-v2-c', 'web-v2-d', 'web-v2-e']) {
      const e = from(pod);
      collector.add(e, describePeer(e), undefined, podOf(e));
    }
    const [f] = collector.result();
    expect(f?.reported_by).toEqual(['web-v1-a', 'web-v1-b', 'web-v2-c']);
    expect(f?.reported_by_more).toBe(2);
  });

  it('fills the pod, its namespace and its app container in the commands when one pod reported it', () => {
    const refused = (pod: string): AccessLogEntry =>
      from(pod, {
        upstream_cluster: 'inbound|8080||',
        direction: 'inbound',
        response_flags: ['UF'],
        response_code_details: 'upstream_reset_before_response_started{connection_failure}',
        upstream_transport_failure_reason: 'delayed_connect_error:_111',
        downstream_remote_address: '10.1.0.9:52000',
      });
    const directory = (name: string) =>
      name === 'prod/ratings-v1-7d9f' ? { namespace: 'prod', app_container: 'ratings' } : undefined;
    const one = new FindingsCollector();
    const e = refused('ratings-v1-7d9f');
    one.add(e, describePeer(e), undefined, podOf(e, directory));
    const [f] = one.result();
    expect(f?.next_steps).toContain(
      'kubectl logs ratings-v1-7d9f -n prod -c ratings  # is the app up, which address does it bind?',
    );
    expect(f?.next_steps.join('\n')).not.toMatch(/<pod>|<pod-namespace>|<app-container>/);

    // Two pods: the commands cannot name one of them.
    const two = new FindingsCollector();
    for (const pod of ['ratings-v1-7d9f', 'ratings-v1-8a0b']) {
      const entry = refused(pod);
      two.add(entry, describePeer(entry), undefined, podOf(entry, directory));
    }
    const [g] = two.result();
    expect(g?.next_steps.join('\n')).toContain('kubectl logs <pod> -n <pod-namespace> -c <app-container>');
  });

  it('keeps <pod> when nothing said which pod wrote the line', () => {
    const [f] = collect([uh()]).result();
    expect(f?.next_steps.join('\n')).toContain('istioctl proxy-config endpoints <pod> -n <pod-namespace>');
  });

  it('never puts a pod name that is not a Kubernetes name into a command', () => {
    const e = uh({ origin: 'x; rm -rf /', source: 'prod/x; rm -rf /' });
    expect(podOf(e)).toBeNull();
  });
});

describe('gateway peers', () => {
  it('names the client, not the Host header, for a gateway entry with no route', () => {
    const e = makeEntry({
      response_code: 404,
      response_flags: ['NR'],
      upstream_cluster: null,
      direction: 'unknown',
      authority: 'shop.example.com',
      x_forwarded_for: '198.51.100.23, 10.0.0.4',
      downstream_remote_address: '10.0.0.4:51000',
      origin: 'istio-ingressgateway-5b8d-xk2lp',
    });
    expect(isGatewayEntry(e)).toBe(true);
    expect(describePeer(e)).toBe('198.51.100.23');
    expect(describePeer({ ...e, x_forwarded_for: null })).toBe('10.0.0.4');
    // A sidecar's entry with no route still names the host it asked for.
    expect(describePeer({ ...e, origin: 'web-7d9f-abcde' })).toBe('shop.example.com');
    // Saved gateway logs are recognised by their file name.
    expect(isGatewayEntry({ ...e, origin: null, source: 'logs/istio-ingressgateway.log' })).toBe(true);
  });
});
