/**
 * The Envoy family's HTTP access logs (issue 14): every real line of test/fixtures/envoy-family/ (waypoints,
 * Envoy's default, Emissary, Envoy Gateway's three eras, Kuma, custom JSON key sets, and the lines that only
 * look like access logs) through the real LogParser, auto-detected, every expected field compared; then each
 * format's edges on synthetic lines, labelled as such, where no published line exists.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FixtureRecord } from '../../test/support/envoy-family-fixtures.js';
import { parseAll } from '../../test/support/parse-all.js';
import type { AccessLogEntry, ParseResult } from './entry.js';
import { readJsonShapedText } from './json-shaped-text.js';
import { LogParser } from './log-parser.js';

const DIR = new URL('../../test/fixtures/envoy-family/', import.meta.url);
/** The HTTP formats this parser owns; ztunnel's connection records are tested in ztunnel.test.ts. */
const ENTRY_FILES =
  /^(envoy-default|emissary|envoy-gateway-.*|kuma|waypoint|contour.*|consul.*|custom.*)\.jsonl$/;

function records(file: string): FixtureRecord[] {
  return readFileSync(new URL(file, DIR), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as FixtureRecord);
}

const entryRecords = readdirSync(DIR)
  .filter((f) => ENTRY_FILES.test(f))
  .sort()
  .flatMap((file) => records(file).map((record, i) => ({ name: `${file}:${i + 1}`, record })));
const notEntries = records('not-an-entry.jsonl').filter((r) => !/ztunnel/i.test(String(r.expected.why)));

/** The one entry of a line (a failure names what came instead). */
function entryOf(line: string): AccessLogEntry {
  const { results } = parseAll(`${line}\n`);
  expect(results.map((r) => (r.ok ? (r.entry === undefined ? 'connection' : 'entry') : r.reason))).toEqual([
    'entry',
  ]);
  const result = results[0];
  if (result === undefined || !result.ok || result.entry === undefined) throw new Error('no entry');
  return result.entry;
}

function reasonOf(line: string): string {
  const { results } = parseAll(`${line}\n`);
  expect(results).toHaveLength(1);
  const result = results[0] as ParseResult;
  return result.ok ? 'entry' : result.reason;
}

/** The expected fields of a fixture, without `kind` and Kuma's extra fields (the entry has no place for them). */
function entryFields(expected: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(expected).filter(([k]) => k !== 'kind' && !k.startsWith('kuma_')));
}

describe('Envoy-family fixtures through the LogParser', () => {
  it('has the files and lines it tests', () => {
    const files = new Set(entryRecords.map((r) => r.record.format));
    for (const format of [
      'envoy-default',
      'emissary',
      'envoy-gateway-text',
      'envoy-gateway-json-text',
      'envoy-gateway-json',
      'kuma',
      'waypoint',
      'custom-json',
    ]) {
      expect(files).toContain(format);
    }
    expect(entryRecords.length).toBeGreaterThanOrEqual(20);
    expect(notEntries.length).toBeGreaterThanOrEqual(6);
  });

  it.each(entryRecords.map((r) => [r.name, r.record] as const))(
    '%s gives every expected field',
    (_n, record) => {
      const entry = entryOf(record.line);
      const expected = entryFields(record.expected);
      const got = Object.fromEntries(Object.keys(expected).map((k) => [k, entry[k as keyof AccessLogEntry]]));
      expect(got).toEqual(expected);
      expect(entry.format).toBe(record.line.includes('{') && !record.line.startsWith('[') ? 'json' : 'text');
      // Kuma's extra fields are not invented into entry fields.
      for (const [key, value] of Object.entries(record.expected)) {
        if (!key.startsWith('kuma_') || typeof value !== 'string') continue;
        const holders = Object.entries(entry).filter(([k, v]) => v === value && k !== 'line');
        expect(holders, key).toEqual([]);
      }
    },
  );

  it.each(notEntries.map((r) => [r.line.slice(0, 60), r] as const))(
    '%s is not an access log',
    (_n, record) => {
      expect(reasonOf(record.line)).toBe('not_access_log');
    },
  );

  it('reads every fixture line the same in place, amid the others, as each line alone the general way', () => {
    const lines = [...entryRecords.map((r) => r.record.line), ...notEntries.map((r) => r.line)];
    const inPlace: ParseResult[] = [];
    const general: ParseResult[] = [];
    const a = new LogParser('f.log', (r) => inPlace.push(r));
    const text = `${lines.join('\n')}\n`;
    // Odd chunk sizes: lines cut across chunks.
    for (let i = 0; i < text.length; i += 997) a.push(text.slice(i, i + 997));
    a.end();
    const b = new LogParser('f.log', (r) => general.push(r), { general: true });
    for (const line of lines) b.push(`${line}\n`);
    b.end();
    expect(inPlace).toEqual(general);
    expect(inPlace.filter((r) => r.ok)).toHaveLength(entryRecords.length);
  });
});

// --- Synthetic lines below: built for the test, in the shape of the real ones, where none was published. ---

const EG_TEXT = records('envoy-gateway-json-text.jsonl')[0]?.line ?? '';
const EMISSARY = records('emissary.jsonl')[0]?.line ?? '';
const KUMA = records('kuma.jsonl')[0]?.line ?? '';

describe('Emissary: the ACCESS prefix', () => {
  it('is taken off alone, after kubectl --timestamps, and after stern (synthetic prefixes on a real line)', () => {
    const bare = entryOf(EMISSARY);
    expect(bare.method).toBe('GET');
    expect(entryOf(`2019-04-30T06:23:58.601234567Z ${EMISSARY}`)).toEqual(bare);
    const stern = entryOf(`ambassador-6d9b8b7d6b-x2x7z ambassador ${EMISSARY}`);
    expect(stern).toEqual({ ...bare, origin: 'ambassador-6d9b8b7d6b-x2x7z' });
  });

  it('is not taken off anything else', () => {
    expect(reasonOf(EMISSARY.replace('ACCESS [', 'ACCESS ['.toLowerCase()))).toBe('not_access_log');
    expect(reasonOf(EMISSARY.replace('ACCESS [2', 'ACCESS [x'))).toBe('not_access_log');
    expect(reasonOf('ACCESS denied for user root')).toBe('not_access_log');
  });

  it("reads Emissary's envoy_log_type json and typed_json keys, Istio's names (synthetic)", () => {
    const typed = entryOf(
      '{"authority":"example.com","bytes_received":0,"bytes_sent":57,"downstream_local_address":"10.0.0.9:8080","downstream_remote_address":"10.0.0.1:5000","duration":3,"istio_policy_status":null,"method":"GET","path":"/backend/","protocol":"HTTP/1.1","request_id":"id-1","requested_server_name":null,"response_code":503,"response_flags":"UF","start_time":"2024-04-25T17:51:55.294Z","upstream_cluster":"cluster_quote_default_default","upstream_host":"10.0.0.7:8080","upstream_local_address":null,"upstream_service_time":null,"upstream_transport_failure_reason":"delayed connect error: 111","user_agent":"curl/8.4.0","x_forwarded_for":"10.0.0.1"}',
    );
    expect(typed).toMatchObject({
      method: 'GET',
      path: '/backend/',
      response_code: 503,
      response_flags: ['UF'],
      duration_ms: 3,
      upstream_cluster: 'cluster_quote_default_default',
      upstream_transport_failure_reason: 'delayed connect error: 111',
      upstream_service_time_ms: null,
      direction: 'unknown',
    });
    const strings = entryOf(
      '{"start_time":"2024-04-25T17:51:55.294Z","method":"GET","path":"/","protocol":"HTTP/1.1","response_code":"200","response_flags":"-","bytes_received":"0","bytes_sent":"141","duration":"1","upstream_service_time":"1","x_forwarded_for":"-","user_agent":"curl/8.4.0","request_id":"id-2","authority":"localhost:9001","upstream_host":"10.0.0.7:80","upstream_cluster":"cluster_backend","upstream_local_address":"-","downstream_local_address":"-","downstream_remote_address":"10.0.0.1:0","requested_server_name":"-","istio_policy_status":"-","upstream_transport_failure_reason":"-","dd.trace_id":"-","dd.span_id":"-"}',
    );
    expect(strings).toMatchObject({
      response_code: 200,
      duration_ms: 1,
      x_forwarded_for: null,
      route_name: null,
    });
  });
});

describe('Envoy Gateway: JSON-shaped text (v0.6–v1.3)', () => {
  const fields = (entry: AccessLogEntry) => ({ ...entry, line: 0 });

  it('reads a record whose header holds a quote, which makes it invalid JSON (synthetic, from the real line)', () => {
    const line = EG_TEXT.replace('"user-agent":"curl/7.86.0"', '"user-agent":"Mozilla "quoted" agent\\"');
    expect(() => JSON.parse(line)).toThrow();
    const entry = entryOf(line);
    expect(entry.user_agent).toBe('Mozilla "quoted" agent\\');
    expect(fields({ ...entry, user_agent: 'curl/7.86.0' })).toEqual(fields(entryOf(EG_TEXT)));
  });

  it('reads a quote followed by a comma inside a value, and a backslash in the path (synthetic)', () => {
    const line = EG_TEXT.replace('"curl/7.86.0"', '"a", "b"').replace('"/get"', '"/a\\b"');
    const entry = entryOf(line);
    expect(entry.user_agent).toBe('a", "b');
    expect(entry.path).toBe('/a\\b');
    expect(entry.request_id).toBe('df9cc5ed-8f92-4376-b045-34669dde0ea1');
  });

  it('gives null for every "-" and reads a 503 UF (synthetic)', () => {
    const line = EG_TEXT.replace(
      '"response_code":"200","response_flags":"-"',
      '"response_code":"503","response_flags":"UF"',
    )
      .replace(
        '"upstream_transport_failure_reason":"-"',
        '"upstream_transport_failure_reason":"delayed connect error: 111"',
      )
      .replace('"x-envoy-upstream-service-time":"0"', '"x-envoy-upstream-service-time":"-"');
    expect(entryOf(line)).toMatchObject({
      response_code: 503,
      response_flags: ['UF'],
      upstream_transport_failure_reason: 'delayed connect error: 111',
      upstream_service_time_ms: null,
      requested_server_name: null,
      connection_termination_details: null,
    });
  });

  it('leaves what is not that shape malformed', () => {
    expect(reasonOf('{start_time:"2023-08-30T19:39:16.694Z","response_code":"200","duration":"1"}')).toBe(
      'malformed',
    );
    expect(
      reasonOf('{"start_time":"2023-08-30T19:39:16.694Z","response_code":"200","duration":"1"} x}'),
    ).toBe('malformed');
  });

  it('runs a value with a stray quote on to the next key, as a header with a quote would read', () => {
    const entry = entryOf('{"response_code":"200","user-agent":"a" "b","duration":"1"}');
    expect([entry.user_agent, entry.duration_ms]).toEqual(['a" "b', 1]);
  });
});

describe('the JSON-shaped text reader', () => {
  it('reads flat records, strings raw, bare values as JSON would', () => {
    expect(readJsonShapedText('{}')).toEqual({});
    expect(readJsonShapedText(' {"a":"x\\"y","b":12,"c":null,"d":-,"e":true} ')).toEqual({
      a: 'x\\"y',
      b: 12,
      c: null,
      d: '-',
      e: true,
    });
    expect(readJsonShapedText('{"a":"1","a":"2"}')).toEqual({ a: '2' });
  });

  it('refuses what is not a flat record of that shape', () => {
    for (const text of [
      '',
      '{',
      '[1]',
      '{"a"}',
      '{"a":}',
      '{"a":"x"',
      '{a:"x"}',
      '{"a":"x",}',
      '{"a":1 2,"b":"y"} x}',
    ]) {
      expect(readJsonShapedText(text), text).toBeNull();
    }
  });

  it('does bounded work on a hostile 1 MB record', () => {
    const quotes = `{"a":"${'","'.repeat(300_000)}"}`;
    const commas = `{"a":"${'", "b'.repeat(250_000)}"}`;
    const started = Date.now();
    // Quotes and commas that never make a `"key":` stay inside the one value.
    expect(Object.keys(readJsonShapedText(quotes) ?? {})).toEqual(['a']);
    expect(readJsonShapedText(commas)?.a).toBe('", "b'.repeat(250_000));
    expect(reasonOf(quotes)).toBe('not_access_log');
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('Contour, Consul and custom JSON key sets (synthetic: no published output line)', () => {
  it("reads Contour's default JSON fields (@timestamp, uber_trace_id and grpc_status ignored)", () => {
    const entry = entryOf(
      '{"@timestamp":"2024-02-06T15:18:17.437Z","authority":"example.projectcontour.io","bytes_received":"0","bytes_sent":"91","downstream_local_address":"10.244.8.3:8080","downstream_remote_address":"103.67.2.26:53820","duration":"1998","grpc_status":"","method":"GET","path":"/","protocol":"HTTP/1.1","request_id":"d70640ec-2feb-46f8-9f63-24c44142c42e","requested_server_name":"","response_code":"503","response_flags":"UF","uber_trace_id":"","upstream_cluster":"default/app/80/da39a3ee5e","upstream_host":"10.244.8.27:8080","upstream_local_address":"","upstream_service_time":"","user_agent":"curl/8.4.0","x_forwarded_for":"103.67.2.26"}',
    );
    expect(entry).toMatchObject({
      start_time: '2024-02-06T15:18:17.437Z',
      response_code: 503,
      response_flags: ['UF'],
      duration_ms: 1998,
      upstream_cluster: 'default/app/80/da39a3ee5e',
      upstream_service_time_ms: null,
      requested_server_name: null,
      route_name: null,
      response_code_details: null,
      direction: 'unknown',
    });
    expect(entryOf('{"ts":"2024-02-06T15:18:17.437Z","response_code":200,"duration":3}').start_time).toBe(
      '2024-02-06T15:18:17.437Z',
    );
  });

  it("reads Consul's default JSON (Istio's names, Consul's cluster names)", () => {
    const entry = entryOf(
      '{"start_time":"2023-05-02T10:00:00.000Z","route_name":"default","method":"GET","path":"/api","protocol":"HTTP/1.1","response_code":200,"response_flags":"-","response_code_details":"via_upstream","connection_termination_details":null,"bytes_received":0,"bytes_sent":12,"duration":4,"upstream_service_time":"3","x_forwarded_for":null,"user_agent":"curl/7.85.0","request_id":"id-3","authority":"api","upstream_host":"10.0.0.8:8080","upstream_cluster":"api.default.dc1.internal.11111111-2222-3333-4444-555555555555.consul","upstream_local_address":"10.0.0.7:51234","downstream_local_address":"127.0.0.1:9191","downstream_remote_address":"127.0.0.1:40000","requested_server_name":null,"upstream_transport_failure_reason":null}',
    );
    expect(entry).toMatchObject({
      route_name: 'default',
      upstream_service_time_ms: 3,
      upstream_cluster: 'api.default.dc1.internal.11111111-2222-3333-4444-555555555555.consul',
      direction: 'unknown',
    });
  });

  it('maps camelCase and alias keys through the one table', () => {
    const entry = entryOf(
      '{"startTime":"2020-07-09T10:00:00.000Z","httpMethod":"POST","path":"/x","responseCode":"401","responseFlags":"UAEX","bytesReceived":5,"bytesSent":6,"total_duration":7,"upstreamServiceTime":"-","xForwardedFor":"1.2.3.4","userAgent":"ua","requestId":"id-4","authority":"a","upstreamHost":"10.0.0.1:80","upstreamCluster":"c","routeName":"r","downstreamRemoteAddress":"1.2.3.4:5","responseCodeDetails":"ext_authz_denied"}',
    );
    expect(entry).toMatchObject({
      start_time: '2020-07-09T10:00:00.000Z',
      method: 'POST',
      response_code: 401,
      response_flags: ['UAEX'],
      bytes_received: 5,
      bytes_sent: 6,
      duration_ms: 7,
      upstream_service_time_ms: null,
      x_forwarded_for: '1.2.3.4',
      user_agent: 'ua',
      request_id: 'id-4',
      upstream_host: '10.0.0.1:80',
      upstream_cluster: 'c',
      route_name: 'r',
      downstream_remote_address: '1.2.3.4:5',
      response_code_details: 'ext_authz_denied',
    });
  });

  it('prefers the first key of a field when a record has two', () => {
    expect(entryOf('{"path":"/a","x-envoy-origin-path":"/b","response_code":200,"duration":1}').path).toBe(
      '/a',
    );
  });
});

describe('lines that look like access logs but are not (synthetic)', () => {
  it("skips an access-log service's zap JSON with request_path and response_code", () => {
    const zap =
      '{"level":"info","ts":1712345678.123,"caller":"als/server.go:88","msg":"access log","request_path":"/get","response_code":200,"upstream_cluster":"httproute/default/backend/rule/0","duration":3}';
    expect(reasonOf(zap)).toBe('not_access_log');
    expect(reasonOf(zap.replace('"msg"', '"message"'))).toBe('not_access_log');
    // Pretty-printed over lines, through JSON.parse: the same.
    expect(parseAll(`${JSON.stringify(JSON.parse(zap), null, 2)}\n`).stats.skipped.not_access_log).toBe(1);
  });

  it('keeps an access record that merely has a level or a message', () => {
    expect(reasonOf('{"level":"info","response_code":200,"duration":3}')).toBe('entry');
    expect(reasonOf('{"message":"hi","response_code":200,"duration":3}')).toBe('entry');
  });

  it('counts logrus lines as a log’s lines', () => {
    const { stats } = parseAll(
      'time="2021-01-07 14:40:12" level=error msg="x status_code=500"\nlevel=info msg=y\n',
    );
    expect(stats.skipped.not_access_log).toBe(2);
    expect(stats.log_lines).toBe(2);
  });
});

describe('Kuma', () => {
  it("reads the format without the trace id (the docs' format string; synthetic from the real line)", () => {
    const line = KUMA.replace('"Go-http-client/1.1" "-" ', '"Go-http-client/1.1" ');
    const entry = entryOf(line);
    expect(entry).toMatchObject({
      request_id: '1f69806f-b476-4adc-b224-7450b3ca18fc',
      authority: 'kv.kuma-demo.svc.cluster.local:5050',
      upstream_host: '10.42.0.8:5050',
      upstream_cluster: null,
      downstream_remote_address: null,
    });
  });

  it('reads a 503 with flags in another mesh, behind kubectl --timestamps (synthetic)', () => {
    const line = KUMA.replace('] default ', '] payments-eu ')
      .replace(' 200 - 28 15 2004 2004 ', ' 503 UF,URX 28 91 12 - ')
      .replace(/^/, '2025-06-04T08:54:36.700000000Z ');
    expect(entryOf(line)).toMatchObject({
      response_code: 503,
      response_flags: ['UF', 'URX'],
      upstream_service_time_ms: null,
      duration_ms: 12,
    });
  });

  it('does not take a line with a word before the request but another shape', () => {
    expect(reasonOf(KUMA.replace(' "10.42.0.7" "10.42.0.8:5050"', ''))).toBe('not_access_log');
    expect(reasonOf(`${KUMA} extra`)).toBe('not_access_log');
    expect(
      reasonOf('[2025-06-04T08:54:36.673Z] UF default 10.42.0.7(demo-app)->10.42.0.8:5050(kv) took 3ms'),
    ).toBe('not_access_log');
  });
});

describe('waypoints and the 2022 Envoy-based ztunnel (synthetic, in the shape of blog-published lines)', () => {
  const ZT = '[2022-08-31T11:28:06.270Z] "- - -" 0 - - - "-" 1720 439 4 - "-" "-" "-" "-"';

  it('takes ROUTE as one token and ignores the free text after it', () => {
    const entry = entryOf(
      `${ZT} "10.101.1.4:15008" outbound_tunnel_clus_spiffe://cluster.local/ns/default/sa/recommendation 10.101.2.3:57192 10.101.1.4:8080 envoy://internal_client_address/ - - outbound tunnel`,
    );
    expect(entry).toMatchObject({
      response_code: 0,
      method: null,
      upstream_host: '10.101.1.4:15008',
      upstream_cluster: 'outbound_tunnel_clus_spiffe://cluster.local/ns/default/sa/recommendation',
      upstream_local_address: '10.101.2.3:57192',
      downstream_local_address: '10.101.1.4:8080',
      downstream_remote_address: 'envoy://internal_client_address/',
      requested_server_name: null,
      route_name: null,
      direction: 'outbound',
      bytes_received: 1720,
      bytes_sent: 439,
    });
  });

  it('reads CONNECT tunnel records and envoy:// upstream hosts holding //', () => {
    const connect = entryOf(
      '[2022-08-31T11:28:06.269Z] "CONNECT - HTTP/2" 200 - via_upstream - "-" 1718 824 5 - "-" "-" "5329e14b-506a-4fe4-be16-3fae92677fb6" "10.101.2.4:8080" "10.101.2.4:8080" virtual_inbound 10.101.2.3:56737 10.101.2.4:15088 10.101.2.3:44612 - - inbound hcm',
    );
    expect(connect).toMatchObject({
      method: 'CONNECT',
      path: null,
      protocol: 'HTTP/2',
      response_code: 200,
      response_code_details: 'via_upstream',
      request_id: '5329e14b-506a-4fe4-be16-3fae92677fb6',
      upstream_cluster: 'virtual_inbound',
      route_name: null,
      direction: 'inbound',
    });
    const internal = entryOf(
      `${ZT} "envoy://outbound_tunnel_lis_spiffe://cluster.local/ns/default/sa/recommendation/10.101.1.4:8080" spiffe://cluster.local/ns/default/sa/recommendation_to_http_purchase-history.default.svc.cluster.local_outbound_internal envoy://internal_client_address/ 10.101.1.4:8080 10.101.2.3:57191 - - outbound capture listener`,
    );
    expect(internal.upstream_host).toBe(
      'envoy://outbound_tunnel_lis_spiffe://cluster.local/ns/default/sa/recommendation/10.101.1.4:8080',
    );
    expect(internal.direction).toBe('outbound');
  });

  it("keeps a waypoint's route when nothing follows it", () => {
    const waypoint = records('waypoint.jsonl')[0]?.line ?? '';
    expect(entryOf(`${waypoint} trailing words`).route_name).toBe('default');
  });
});
