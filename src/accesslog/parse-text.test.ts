import { describe, expect, it } from 'vitest';
import { parseAll, parseOne } from '../../test/support/parse-all.js';

/**
 * One request written in each version's default TEXT layout (../shared/notes/istio-access-logs.md §1.3).
 * The transport failure reason is set where the format has it, so its position is checked too.
 */
const HEAD = '[2021-05-01T10:00:00.123Z] "GET /api/items/42?x=1 HTTP/1.1" 503 UF,URX';
const NUMS = '0 91 30 -';
const QUOTED = '"10.0.0.1" "curl/7.79.1" "5b2b5c1d-aaaa-4bbb-9ccc-1234567890ab" "api:8080" "10.1.2.3:8080"';
const ADDRS = 'outbound|8080||api.shop.svc.cluster.local - 10.96.0.10:8080 10.1.0.7:51234';

const versions = [
  {
    name: 'Envoy default (no Istio fields)',
    line: `${HEAD} ${NUMS} ${QUOTED}`,
    utfr: null,
    sni: null,
    route: null,
    cluster: null,
  },
  {
    name: '1.0-style (no SNI)',
    line: `${HEAD} ${NUMS} ${QUOTED} ${ADDRS}`,
    utfr: null,
    sni: null,
    route: null,
  },
  {
    name: 'early 2019 (SNI, no route)',
    line: `${HEAD} ${NUMS} ${QUOTED} ${ADDRS} api.example.com`,
    utfr: null,
    sni: 'api.example.com',
    route: null,
  },
  {
    name: '1.1 (mixer status)',
    line: `${HEAD} "UNAVAILABLE:no healthy upstream" ${NUMS} ${QUOTED} ${ADDRS} -`,
    utfr: null,
    sni: null,
    route: null,
  },
  {
    name: '1.2 (mixer status, UTFR)',
    line: `${HEAD} "-" "TLS_error:_CERTIFICATE_VERIFY_FAILED" ${NUMS} ${QUOTED} ${ADDRS} -`,
    utfr: 'TLS_error:_CERTIFICATE_VERIFY_FAILED',
    sni: null,
    route: null,
  },
  {
    name: '1.3–1.7 (route name)',
    line: `${HEAD} "-" "TLS_error:_CERTIFICATE_VERIFY_FAILED" ${NUMS} ${QUOTED} ${ADDRS} - default`,
    utfr: 'TLS_error:_CERTIFICATE_VERIFY_FAILED',
    sni: null,
    route: 'default',
  },
  {
    name: '1.8 (UTFR only)',
    line: `${HEAD} "TLS_error:_CERTIFICATE_VERIFY_FAILED" ${NUMS} ${QUOTED} ${ADDRS} - default`,
    utfr: 'TLS_error:_CERTIFICATE_VERIFY_FAILED',
    sni: null,
    route: 'default',
  },
  {
    name: '1.8 with an empty route (trailing space)',
    line: `${HEAD} "TLS_error:_X" ${NUMS} ${QUOTED} ${ADDRS} - `,
    utfr: 'TLS_error:_X',
    sni: null,
    route: null,
  },
  {
    name: '1.9+ (details, termination details)',
    line: `${HEAD} upstream_reset_before_response_started{connection_failure,TLS_error:_X} - "TLS_error:_X" ${NUMS} ${QUOTED} ${ADDRS} - default`,
    utfr: 'TLS_error:_X',
    sni: null,
    route: 'default',
    details: 'upstream_reset_before_response_started{connection_failure,TLS_error:_X}',
  },
  {
    name: '1.23+ (UPSTREAM_CLUSTER_RAW, same layout)',
    line: `${HEAD} via_upstream conn_term "-" ${NUMS} ${QUOTED} ${ADDRS} outbound_.8080_._.api.shop.svc.cluster.local vs-route.0`,
    utfr: null,
    sni: 'outbound_.8080_._.api.shop.svc.cluster.local',
    route: 'vs-route.0',
    details: 'via_upstream',
    termination: 'conn_term',
  },
];

describe('default TEXT format of every Istio version', () => {
  it.each(versions)('$name', (v) => {
    const e = parseOne(v.line);
    expect(e).toMatchObject({
      format: 'text',
      start_time: '2021-05-01T10:00:00.123Z',
      method: 'GET',
      path: '/api/items/42?x=1',
      protocol: 'HTTP/1.1',
      response_code: 503,
      response_flags: ['UF', 'URX'],
      bytes_received: 0,
      bytes_sent: 91,
      duration_ms: 30,
      upstream_service_time_ms: null,
      x_forwarded_for: '10.0.0.1',
      user_agent: 'curl/7.79.1',
      request_id: '5b2b5c1d-aaaa-4bbb-9ccc-1234567890ab',
      authority: 'api:8080',
      upstream_host: '10.1.2.3:8080',
      upstream_transport_failure_reason: v.utfr,
      requested_server_name: v.sni,
      route_name: v.route,
      response_code_details: v.details ?? null,
      connection_termination_details: v.termination ?? null,
    });
    if ('cluster' in v) {
      expect(e.upstream_cluster).toBeNull();
      expect(e.direction).toBe('unknown');
    } else {
      expect(e).toMatchObject({
        upstream_cluster: 'outbound|8080||api.shop.svc.cluster.local',
        upstream_local_address: null,
        downstream_local_address: '10.96.0.10:8080',
        downstream_remote_address: '10.1.0.7:51234',
        direction: 'outbound',
      });
    }
  });
});

describe('shapes real meshes produce', () => {
  it.each([
    {
      name: 'TCP connection',
      line: '[2022-04-15T00:25:20.722Z] "- - -" 0 UH - - "-" 0 0 8 - "-" "-" "-" "-" "-" BlackHoleCluster - 209.85.200.95:443 10.100.14.30:36098 - -',
      expected: {
        method: null,
        path: null,
        protocol: null,
        response_code: 0,
        response_flags: ['UH'],
        upstream_cluster: 'BlackHoleCluster',
        direction: 'outbound',
      },
    },
    {
      name: 'listener-level NR line',
      line: '[2021-03-25T23:59:51.372Z] "- - -" 0 NR filter_chain_not_found - "-" 0 0 0 - "-" "-" "-" "-" "-" - - 100.97.92.14:8443 172.20.49.60:57605 - -',
      expected: {
        response_code_details: 'filter_chain_not_found',
        upstream_cluster: null,
        downstream_local_address: '100.97.92.14:8443',
        direction: 'unknown',
      },
    },
    {
      name: 'details with a comma and a pipe inside braces',
      line: '[2022-09-01T13:15:09.085Z] "GET /reviews/0 HTTP/1.1" 503 UF upstream_reset_before_response_started{remote_connection_failure|delayed_connect_error:_Connection_refused,x} - "delayed_connect_error:_Connection_refused" 0 145 0 - "-" "ua" "56446678-64f3-9fbf-9c4a-eca01fafba4d" "reviews:9080" "10.124.2.14:9080" inbound|9080|| - 10.124.2.14:9080 10.124.1.6:48816 outbound_.9080_._.reviews.default.svc.cluster.local default',
      expected: {
        response_code_details:
          'upstream_reset_before_response_started{remote_connection_failure|delayed_connect_error:_Connection_refused,x}',
        upstream_transport_failure_reason: 'delayed_connect_error:_Connection_refused',
        response_flags: ['UF'],
        direction: 'inbound',
      },
    },
    {
      name: 'IPv6 addresses',
      line: '[2023-01-01T00:00:00.000Z] "GET / HTTP/2" 200 - via_upstream - "-" 0 10 1 1 "-" "ua" "id-1" "svc:5000" "[2a02:cf40::4e36]:5000" outbound|5000||svc.ns.svc.cluster.local [2a02:cf40::1]:40000 [fd00::10]:5000 [2a02:cf40::1]:39999 - default',
      expected: {
        upstream_host: '[2a02:cf40::4e36]:5000',
        upstream_local_address: '[2a02:cf40::1]:40000',
        downstream_remote_address: '[2a02:cf40::1]:39999',
      },
    },
    {
      name: 'envoy:// internal addresses (HBONE)',
      line: '[2024-05-01T00:00:00.000Z] "GET /a HTTP/1.1" 200 - via_upstream - "-" 0 3 2 2 "-" "ua" "id-2" "web:80" "envoy://connect_originate/10.199.174.112:80" outbound|80||web.ns.svc.cluster.local envoy://internal_client_address/ 10.96.1.1:80 10.0.0.5:44444 - default',
      expected: {
        upstream_host: 'envoy://connect_originate/10.199.174.112:80',
        upstream_local_address: 'envoy://internal_client_address/',
      },
    },
    {
      name: 'a user agent with quotes inside',
      line: '[2023-01-01T00:00:00.000Z] "GET / HTTP/1.1" 200 - via_upstream - "-" 0 10 1 1 "-" "Mozilla "quoted"agent" "id-3" "svc:80" "10.0.0.2:80" outbound|80||svc.ns.svc.cluster.local 10.0.0.1:1 10.96.0.1:80 10.0.0.1:2 - default',
      expected: { user_agent: 'Mozilla "quoted"agent', request_id: 'id-3', route_name: 'default' },
    },
    {
      name: 'malformed request line',
      line: '[2021-02-03T20:14:37.105Z] "- - HTTP/1.1" 400 DPE "-" 0 11 0 - "-" "-" "-" "-" "-" - - 10.36.1.146:8080 10.36.1.1:51981 - ',
      expected: {
        method: null,
        path: null,
        protocol: 'HTTP/1.1',
        response_code: 400,
        response_flags: ['DPE'],
        route_name: null,
      },
    },
    {
      name: 'long flag names (%RESPONSE_FLAGS_LONG%) become short codes, unknown ones stay',
      line: '[2023-01-01T00:00:00.000Z] "GET / HTTP/1.1" 503 NoHealthyUpstream,ZZ no_healthy_upstream - "-" 0 19 0 - "-" "ua" "id-4" "svc:80" "-" outbound|80||svc.ns.svc.cluster.local - 10.96.0.1:80 10.0.0.1:2 - default',
      expected: { response_flags: ['UH', 'ZZ'] },
    },
  ])('$name', ({ line, expected }) => {
    expect(parseOne(line)).toMatchObject(expected);
  });
});

describe('lines that are not access logs', () => {
  it.each([
    ['pilot-agent', '2021-03-16T09:29:20.897246Z\tinfo\tEnvoy proxy is ready'],
    [
      'Envoy own log (old style)',
      '[2019-08-13 17:36:34.683][22][warning][config] [bazel-out/k8-opt/bin/x.cc:92] gRPC config stream closed',
    ],
    ['Envoy epoch prefix', '[Envoy (Epoch 0)] [2020-08-11 18:34:17.805][22][warning][config] stream closed'],
    [
      'JSON pilot-agent',
      '{"level":"info","time":"2020-10-19T07:55:56.917455Z","scope":"sds","msg":"resource:default new connection"}',
    ],
    ['JSON app log with method and path', '{"level":"info","msg":"handled","method":"GET","path":"/"}'],
    // ztunnel's `access` target is a connection record (ztunnel.test.ts); its other targets are not.
    [
      'ztunnel, not its access target',
      '2025-04-22T08:28:06.295085Z\terror\tproxy::inbound\tconnection complete\tsrc.addr=10.244.3.75:53996',
    ],
    ['Go panic', 'goroutine 1 [running]:'],
    ['a bracketed line that is not an access log', '[2021-03-26T00:01:25.979Z] something else entirely'],
  ])('%s', (_name, line) => {
    const { entries, stats } = parseAll(`${line}\n`);
    expect(entries).toEqual([]);
    expect(stats.skipped.not_access_log).toBe(1);
  });

  it('counts a cut access-log line in the middle of the input as malformed', () => {
    const { entries, stats } = parseAll(
      '[2021-03-26T00:01:25.979Z] "GET /.env HTTP/1.1" 404 NR route_not_found\n',
    );
    expect(entries).toEqual([]);
    expect(stats.skipped.malformed).toBe(1);
  });
});
