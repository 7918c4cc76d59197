/**
 * @module render/sample-reports.test-helper
 * Hand-built reports for the renderer tests: a realistic summary (UH/NR/UF findings, inbound and
 * outbound flows), a realistic trace (gateway → sleep outbound → helloworld inbound), empty ones, and
 * hostile generators whose every log-derived string tries to mention, link, format or overflow.
 */

import { outcomeOfFields } from '../analysis/classify.js';
import type { Finding, Flow, SummaryReport, TraceHop, TraceReport } from '../analysis/report.js';
import type { LoggingStatusEntry } from '../istio-logging/logging-result.js';

function flow(fields: Partial<Flow> & Pick<Flow, 'direction' | 'peer' | 'route'>): Flow {
  return {
    method: 'GET',
    outcome: 'ok',
    count: 1,
    errors: 0,
    warnings: 0,
    client_errors: 0,
    codes: { '200': 1 },
    flags: {},
    duration_ms: { p50: 3, p95: 9, p99: 14, max: 20 },
    bytes_received: 0,
    bytes_sent: 120,
    example_request_ids: [],
    first_seen: '2025-03-04T10:00:00.120Z',
    last_seen: '2025-03-04T10:04:59.870Z',
    reported_by: [],
    reported_by_more: 0,
    peer_group: null,
    route_group: null,
    ...fields,
  };
}

const UH: Finding = {
  severity: 'critical',
  title: '503 UH no_healthy_upstream → httpbin.foo:8000',
  explanation:
    'The sidecar had no healthy endpoint for httpbin.foo:8000, so it answered 503 without sending the request.',
  causes: [
    'No ready pods behind the service (scaled to zero, crash-looping, failing readiness).',
    'Outlier detection ejected every endpoint.',
    'A DestinationRule subset matches no pod labels.',
  ],
  next_steps: [
    'kubectl get endpoints httpbin -n foo',
    'istioctl proxy-config endpoints deploy/sleep -n default --cluster "outbound|8000||httpbin.foo.svc.cluster.local"',
  ],
  flags: ['UH'],
  codes: [503],
  response_code_details: 'no_healthy_upstream',
  upstream_transport_failure_reason: null,
  direction: 'outbound',
  peers: ['httpbin.foo:8000'],
  count: 42,
  example_request_ids: ['5f1c2c4e-8d7a-4b8e-9a51-0c2d7f9e1a01'],
  first_seen: '2025-03-04T10:01:12.004Z',
  last_seen: '2025-03-04T10:04:58.310Z',
  reported_by: [],
  reported_by_more: 0,
};

const NR: Finding = {
  severity: 'error',
  title: '404 NR route_not_found → reviews.default:9080',
  explanation: 'No route matched the request, so the proxy answered 404 itself.',
  causes: ['A VirtualService does not cover this host/path.', 'The Host header does not match any route.'],
  next_steps: ['istioctl proxy-config routes deploy/productpage -o json'],
  flags: ['NR'],
  codes: [404],
  response_code_details: 'route_not_found',
  upstream_transport_failure_reason: null,
  direction: 'outbound',
  peers: ['reviews.default:9080'],
  count: 7,
  example_request_ids: ['0b3e5d1a-77c2-4a0e-8f33-2d1b9c4e6f10'],
  first_seen: '2025-03-04T10:02:00.000Z',
  last_seen: '2025-03-04T10:03:30.500Z',
  reported_by: [],
  reported_by_more: 0,
};

const UF: Finding = {
  severity: 'warning',
  title: '503 UF upstream_reset_before_response_started{connection_failure} → ratings.default:9080',
  explanation:
    'The sidecar could not connect to ratings.default:9080 (connection failure before any response).',
  causes: ['mTLS mode mismatch between client and server.', 'The app is not listening on the target port.'],
  next_steps: ['istioctl x describe pod ratings-v1-7d9c6b6f5-abcde -n default'],
  flags: ['UF', 'URX'],
  codes: [503],
  response_code_details: 'upstream_reset_before_response_started{connection_failure}',
  upstream_transport_failure_reason:
    'TLS_error:_268435703:SSL_routines:OPENSSL_internal:WRONG_VERSION_NUMBER',
  direction: 'outbound',
  peers: ['ratings.default:9080'],
  count: 3,
  example_request_ids: [],
  first_seen: '2025-03-04T10:03:01.000Z',
  last_seen: '2025-03-04T10:03:01.000Z',
  reported_by: [],
  reported_by_more: 0,
};

/** A realistic explanation: three findings, inbound and outbound flows, a few skipped lines. */
export const realisticSummary: SummaryReport = {
  kind: 'summary',
  totals: {
    entries: 1284,
    inbound: 812,
    outbound: 472,
    unknown: 0,
    errors: 52,
    warnings: 0,
    client_errors: 9,
    skipped_lines: 3,
    filtered_out: 0,
  },
  skipped: { not_access_log: 2, malformed: 1 },
  window: { from: '2025-03-04T10:00:00.120Z', to: '2025-03-04T10:04:59.870Z' },
  findings: [UF, UH, NR],
  flows: [
    flow({
      direction: 'inbound',
      peer: 'istio-ingressgateway',
      route: '/productpage',
      count: 640,
      codes: { '200': 640 },
      duration_ms: { p50: 41, p95: 180, p99: 420, max: 1210 },
      example_request_ids: ['9a7b1c2d-0000-4000-8000-000000000001'],
    }),
    flow({
      direction: 'inbound',
      peer: 'sleep-7f8d9c-xk2lp',
      route: '/items/{id}',
      method: 'POST',
      outcome: 'client_error',
      count: 172,
      client_errors: 9,
      codes: { '201': 163, '409': 9 },
      duration_ms: { p50: 6, p95: 22, p99: 35, max: 61 },
    }),
    flow({
      direction: 'outbound',
      peer: 'httpbin.foo:8000',
      route: '/status/{code}',
      outcome: 'error',
      count: 60,
      errors: 42,
      codes: { '503': 42, '200': 18 },
      flags: { UH: 42 },
      duration_ms: { p50: 0, p95: 2, p99: 3, max: 4 },
      example_request_ids: ['5f1c2c4e-8d7a-4b8e-9a51-0c2d7f9e1a01'],
    }),
    flow({
      direction: 'outbound',
      peer: 'reviews.default:9080',
      route: '/reviews/{id}',
      outcome: 'error',
      count: 400,
      errors: 7,
      codes: { '200': 393, '404': 7 },
      flags: { NR: 7 },
      duration_ms: { p50: 12, p95: 48, p99: 95, max: 310 },
      example_request_ids: ['0b3e5d1a-77c2-4a0e-8f33-2d1b9c4e6f10'],
    }),
    flow({
      direction: 'outbound',
      peer: 'ratings.default:9080',
      route: '(tcp)',
      method: null,
      outcome: 'error',
      count: 12,
      errors: 3,
      codes: { '0': 12 },
      flags: { UF: 3, URX: 3 },
      duration_ms: { p50: 1, p95: 1003, p99: 1003, max: 1003 },
    }),
  ],
  flows_truncated: 0,
  sources: [
    { name: 'istio-proxy-productpage', entries: 812, skipped_lines: 2 },
    { name: 'istio-proxy-sleep', entries: 472, skipped_lines: 1 },
  ],
  notes: [],
};

/** What an analysis of no input returns. */
export const emptySummary: SummaryReport = {
  kind: 'summary',
  totals: {
    entries: 0,
    inbound: 0,
    outbound: 0,
    unknown: 0,
    errors: 0,
    warnings: 0,
    client_errors: 0,
    skipped_lines: 0,
    filtered_out: 0,
  },
  skipped: {},
  window: { from: null, to: null },
  findings: [],
  flows: [],
  flows_truncated: 0,
  sources: [],
  notes: ['no access-log entries found: is access logging on? (meshConfig.accessLogFile)'],
};

function hop(fields: Partial<TraceHop> & Pick<TraceHop, 'source' | 'direction' | 'peer'>): TraceHop {
  return {
    start_time: '2025-03-04T10:01:12.000Z',
    duration_ms: 10,
    response_code: 200,
    response_flags: [],
    method: 'GET',
    path: '/hello',
    authority: 'helloworld.default:5000',
    upstream_cluster: null,
    parent: null,
    link: 'root',
    depth: 0,
    offset_ms: 0,
    attempt: null,
    upstream_service_time_ms: null,
    upstream_local_address: null,
    downstream_remote_address: null,
    upstream_host: null,
    line: 1,
    file: 'trace.log',
    ...fields,
    outcome: outcomeOfFields(
      fields.response_code === undefined ? 200 : fields.response_code,
      fields.response_flags ?? [],
      fields.method !== null,
    ),
  };
}

/** gateway → sleep outbound → helloworld inbound, with a retry and a failed first attempt. */
export const realisticTrace: TraceReport = {
  kind: 'trace',
  request_id: '7c0e3a52-1f4b-4d8e-b7a1-9e2f6c5d4b3a',
  hops: [
    hop({
      source: 'istio-ingressgateway',
      direction: 'outbound',
      peer: 'sleep.default:80',
      path: '/sleep/hello',
      authority: 'sleep.example.com',
      upstream_cluster: 'outbound|80||sleep.default.svc.cluster.local',
      duration_ms: 152,
      upstream_service_time_ms: 150,
      file: 'gateway.log',
      line: 18,
    }),
    hop({
      source: 'sleep',
      direction: 'outbound',
      peer: 'helloworld.default:5000',
      start_time: '2025-03-04T10:01:12.002Z',
      offset_ms: 2,
      duration_ms: 148,
      upstream_cluster: 'outbound|5000||helloworld.default.svc.cluster.local',
      parent: 0,
      link: 'address',
      depth: 1,
      upstream_service_time_ms: 146,
      file: 'sleep.log',
      line: 40,
    }),
    hop({
      source: 'helloworld-v1',
      direction: 'inbound',
      peer: 'sleep-7f8d9c-xk2lp',
      start_time: '2025-03-04T10:01:12.004Z',
      offset_ms: 4,
      duration_ms: 30,
      response_code: 503,
      response_flags: ['UC'],
      upstream_cluster: 'inbound|5000||',
      parent: 1,
      link: 'address',
      depth: 2,
      attempt: 1,
      file: 'helloworld-v1.log',
      line: 7,
    }),
    hop({
      source: 'helloworld-v2',
      direction: 'inbound',
      peer: 'sleep-7f8d9c-xk2lp',
      start_time: '2025-03-04T10:01:12.060Z',
      offset_ms: 60,
      duration_ms: 88,
      upstream_cluster: 'inbound|5000||',
      parent: 1,
      link: 'timing',
      depth: 2,
      attempt: 2,
      upstream_service_time_ms: 85,
      file: 'helloworld-v2.log',
      line: 9,
    }),
  ],
  notes: [
    { kind: 'retry', hop: 3, message: 'sleep retried helloworld.default:5000: attempt 1 failed with 503 UC' },
    {
      kind: 'clock_skew',
      hop: 2,
      message: 'helloworld-v1 starts 1 ms before its parent ends its handshake; clocks may differ',
    },
    {
      kind: 'missing_hop',
      hop: null,
      message: 'no log from the helloworld app container: is its sidecar logging?',
    },
  ],
  start_time: '2025-03-04T10:01:12.000Z',
  total_duration_ms: 152,
  sources: [
    { name: 'gateway', entries: 220, skipped_lines: 0 },
    { name: 'sleep', entries: 90, skipped_lines: 0 },
    { name: 'helloworld-v1', entries: 41, skipped_lines: 1 },
    { name: 'helloworld-v2', entries: 38, skipped_lines: 0 },
  ],
  logs_searched: 4,
  skipped_lines: 1,
};

/** A trace for an id that matched nothing. */
export const emptyTrace: TraceReport = {
  kind: 'trace',
  request_id: 'does-not-exist',
  hops: [],
  notes: [{ kind: 'info', hop: null, message: 'no access-log entries found with this x-request-id' }],
  start_time: null,
  total_duration_ms: null,
  sources: [],
  logs_searched: 3,
  skipped_lines: 0,
};

const HUGE = `Mozilla/5.0 <!channel> ${'A'.repeat(100_000)}`;

/** Attacker-controlled strings, each trying a different way to break out. */
export const HOSTILE_STRINGS: readonly string[] = [
  '<!channel> wake up',
  '<!here|here>',
  '<https://evil.example/|click me>',
  '<@U12345> <#C12345> <!subteam^S123>',
  'a & b &amp; &lt;tag&gt; &#39;',
  '*bold* _italic_ ~strike~ `code` ```block```',
  'line one\nline two\r\n> quoted\ttab',
  '\u001b[2J\u001b[31mred\u001b[0m \u001b]0;title\u0007 \u009b2J \u0007bell',
  '😀👨‍👩‍👧‍👦 🇩🇪 日本語 \ud83d', // ends in a lone high surrogate
  '\u202eevil-rtl\u202c',
  HUGE,
];

function hostile(i: number): string {
  return HOSTILE_STRINGS[i % HOSTILE_STRINGS.length] ?? '';
}

/** 1000 flows and 200 findings whose every log-derived string is hostile. */
export function hostileSummary(): SummaryReport {
  const flows: Flow[] = [];
  for (let i = 0; i < 1000; i++) {
    flows.push(
      flow({
        direction: i % 3 === 0 ? 'inbound' : i % 3 === 1 ? 'outbound' : 'unknown',
        peer: `${hostile(i)}-${i}`,
        route: hostile(i + 3),
        method: hostile(i + 5).slice(0, 50),
        outcome: i % 2 === 0 ? 'error' : 'ok',
        count: 1000 - i,
        errors: i % 2 === 0 ? 10 : 0,
        codes: { [hostile(i + 1).slice(0, 200)]: 3, '503': 10, '200': 5, '404': 1, '500': 2, '0': 1 },
        flags: { [hostile(i + 2).slice(0, 200)]: 1, UH: 2, UF: 3, NR: 4 },
        example_request_ids: [hostile(i + 4), hostile(i + 6)],
        peer_group:
          i % 5 === 0
            ? {
                distinct: 900 + i,
                distinct_estimated: true,
                top: [
                  { name: hostile(i + 7), count: 400 - i },
                  { name: hostile(i + 8), count: 200 },
                  { name: hostile(i + 9), count: 100 },
                  { name: hostile(i + 10), count: 50 },
                ],
                others: 250,
                top_exact: false,
              }
            : null,
        route_group:
          i % 7 === 0
            ? {
                distinct: 70,
                distinct_estimated: false,
                top: [{ name: hostile(i + 11), count: 3 }],
                others: 997 - i,
                top_exact: true,
              }
            : null,
      }),
    );
  }
  const findings: Finding[] = [];
  for (let i = 0; i < 200; i++) {
    findings.push({
      ...UH,
      severity: i % 4 === 0 ? 'critical' : i % 4 === 1 ? 'error' : i % 4 === 2 ? 'warning' : 'info',
      title: `${hostile(i)} ${i}`,
      explanation: hostile(i + 1),
      causes: [hostile(i + 2), hostile(i + 3), hostile(i + 4), hostile(i + 5)],
      next_steps: [hostile(i + 6), hostile(i + 7)],
      response_code_details: hostile(i + 8),
      peers: [hostile(i + 9), hostile(i + 10), hostile(i), hostile(i + 1)],
      example_request_ids: [hostile(i + 2)],
      first_seen: hostile(i + 3),
      last_seen: hostile(i + 4),
      reported_by: [],
      reported_by_more: 0,
    });
  }
  return {
    ...realisticSummary,
    window: { from: hostile(0), to: HUGE },
    findings,
    flows,
    flows_truncated: 12,
    skipped: { malformed: 3, binary: 7 },
    sources: HOSTILE_STRINGS.map((name, i) => ({ name, entries: i, skipped_lines: i })),
    notes: HOSTILE_STRINGS.slice(),
  };
}

/** A 500-hop trace whose sources, peers, paths and notes are hostile. */
export function hostileTrace(): TraceReport {
  const hops: TraceHop[] = [];
  for (let i = 0; i < 500; i++) {
    hops.push(
      hop({
        source: hostile(i),
        direction: i % 2 === 0 ? 'outbound' : 'inbound',
        peer: hostile(i + 1),
        method: hostile(i + 2),
        path: hostile(i + 3),
        authority: hostile(i + 4),
        file: hostile(i + 5),
        response_code: i % 5 === 0 ? 503 : 200,
        response_flags: i % 5 === 0 ? ['UH', hostile(i + 6)] : [],
        parent: i === 0 ? null : i - 1,
        depth: Math.min(i, 40),
        offset_ms: i % 7 === 0 ? null : i,
        duration_ms: i % 11 === 0 ? null : 1000 - i,
        link: i === 0 ? 'root' : 'address',
      }),
    );
  }
  return {
    ...realisticTrace,
    request_id: HUGE,
    hops,
    notes: HOSTILE_STRINGS.map((message, i) => ({ kind: 'missing_hop', hop: i, message })),
    sources: HOSTILE_STRINGS.map((name, i) => ({ name, entries: i, skipped_lines: i })),
  };
}

/** One `status` entry: a namespace-wide Telemetry meshbot created; `extra` overrides any field. */
export function sampleStatusEntry(extra: Partial<LoggingStatusEntry> = {}): LoggingStatusEntry {
  return {
    kind: 'Telemetry',
    apiVersion: 'telemetry.istio.io/v1',
    namespace: 'shop',
    name: 'meshbot-access-logging',
    scope: 'namespace',
    providers: ['envoy'],
    mode: 'CLIENT_AND_SERVER',
    disabled: false,
    managed: 'created',
    requestedBy: 'slack:U123',
    ignored: false,
    ...extra,
  };
}
