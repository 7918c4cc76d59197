import { describe, expect, it } from 'vitest';
import { makeEntry } from '../../test/support/make-entry.js';
import { RESPONSE_FLAGS } from '../accesslog/response-flags.js';
import {
  type CauseInput,
  causeInputOf,
  classifyTransportFailure,
  explainCause,
  FLAG_SEVERITY,
} from './explain-cause.js';
import type { Severity } from './report.js';

const HTTPBIN = 'outbound|8000||httpbin.foo.svc.cluster.local';

function input(fields: Partial<CauseInput>): CauseInput {
  return {
    flags: [],
    response_code: 503,
    response_code_details: null,
    upstream_transport_failure_reason: null,
    direction: 'outbound',
    upstream_cluster: HTTPBIN,
    authority: 'httpbin:8000',
    method: 'GET',
    protocol: 'HTTP/1.1',
    ...fields,
  };
}

/** Every text of an explanation, for "mentions" checks. */
function text(e: { explanation: string; causes: string[]; next_steps: string[] }): string {
  return [e.explanation, ...e.causes, ...e.next_steps].join('\n');
}

describe('explainCause scenarios', () => {
  it.each<[string, CauseInput, Severity, RegExp, RegExp]>([
    [
      'UH: no endpoints',
      input({ flags: ['UH'], response_code_details: 'no_healthy_upstream' }),
      'critical',
      /no healthy endpoint/,
      /kubectl get endpointslices -n foo -l kubernetes\.io\/service-name=httpbin/,
    ],
    [
      'NR at an ingress gateway',
      input({
        flags: ['NR'],
        response_code: 404,
        response_code_details: 'route_not_found',
        direction: 'unknown',
        upstream_cluster: null,
        authority: 'shop.example.com',
      }),
      'error',
      /no route for host shop\.example\.com.*VirtualService bound to the Gateway/,
      /kubectl get gateways\.networking\.istio\.io -A/,
    ],
    [
      'UF with a TLS reason: mTLS mismatch',
      input({
        flags: ['UF', 'URX'],
        response_code_details: 'upstream_reset_before_response_started{connection_failure}',
        upstream_transport_failure_reason:
          'TLS_error:_268435581:SSL_routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED',
      }),
      'error',
      /TLS handshake.*mTLS/,
      /kubectl get peerauthentications -A/,
    ],
    [
      'UF 111 on inbound: app not listening',
      input({
        flags: ['UF'],
        response_code_details:
          'upstream_reset_before_response_started{connection_failure,delayed_connect_error:_111}',
        direction: 'inbound',
        upstream_cluster: 'inbound|9080||',
        requested_server_name: 'outbound_.9080_._.reviews.default.svc.cluster.local',
      }),
      'error',
      /local app refused the connection on port 9080/,
      /kubectl get svc reviews -n default -o yaml/,
    ],
    [
      'UO: circuit breaker',
      input({ flags: ['UO'], response_code_details: 'upstream_reset_before_response_started{overflow}' }),
      'error',
      /circuit breaker/,
      /--fqdn httpbin\.foo\.svc\.cluster\.local -o json/,
    ],
    [
      'URX alone',
      input({ flags: ['URX'] }),
      'error',
      /retry limit/,
      /retries for httpbin\.foo\.svc\.cluster\.local/,
    ],
    [
      'UT: route timeout',
      input({ flags: ['UT'], response_code: 504, response_code_details: 'response_timeout' }),
      'error',
      /route timeout/,
      /kubectl get virtualservices -A -o yaml/,
    ],
    [
      'DC: the client went away',
      input({
        flags: ['DC'],
        response_code: 0,
        response_code_details: 'downstream_remote_disconnect',
        direction: 'inbound',
        upstream_cluster: 'inbound|9080||',
      }),
      'warning',
      /client closed the connection/,
      /client timeout/,
    ],
    [
      'UAEX: ext-authz denied',
      input({ flags: ['UAEX'], response_code: 403, response_code_details: 'ext_authz_denied' }),
      'warning',
      /external authorization service denied/,
      /kubectl get authorizationpolicies -A/,
    ],
    [
      'RBAC 403 names the policy',
      input({
        response_code: 403,
        response_code_details: 'rbac_access_denied_matched_policy[ns[foo]-policy[deny-all]-rule[0]]',
        direction: 'inbound',
        upstream_cluster: 'inbound|80||',
      }),
      'warning',
      /denied by AuthorizationPolicy foo\/deny-all \(rule 0\)/,
      /kubectl get authorizationpolicy deny-all -n foo -o yaml/,
    ],
    [
      'RBAC 403 without a matching ALLOW rule',
      input({ response_code: 403, response_code_details: 'rbac_access_denied_matched_policy[none]' }),
      'warning',
      /none of their rules matched/,
      /kubectl get authorizationpolicies -A/,
    ],
    [
      'app 500 via upstream',
      input({ response_code: 500, response_code_details: 'via_upstream' }),
      'error',
      /upstream application returned 500 itself/,
      /application logs/,
    ],
    [
      '200 with UC: reset after the response started',
      input({
        flags: ['UC'],
        response_code: 200,
        response_code_details: 'upstream_reset_after_response_started{connection_termination}',
        protocol: 'HTTP/2',
      }),
      'error',
      /status 200 already sent.*truncated/,
      /kubectl get pods -n foo/,
    ],
    [
      'unknown flag',
      input({ flags: ['ZZ'], response_code: 503 }),
      'error',
      /unknown response flag ZZ \(custom or newer Envoy\)/,
      /Envoy access-log docs/,
    ],
    [
      'BlackHoleCluster (HTTP)',
      input({
        response_code: 502,
        response_code_details: 'direct_response',
        upstream_cluster: 'BlackHoleCluster',
      }),
      'error',
      /BlackHoleCluster.*REGISTRY_ONLY/,
      /ServiceEntry/,
    ],
    [
      'BlackHoleCluster (TCP, UH)',
      input({
        flags: ['UH'],
        response_code: 0,
        method: null,
        protocol: null,
        upstream_cluster: 'BlackHoleCluster',
      }),
      'error',
      /REGISTRY_ONLY/,
      /kubectl get serviceentries -A/,
    ],
    [
      '500 rate_limiter_error without a flag',
      input({ response_code: 500, response_code_details: 'rate_limiter_error' }),
      'error',
      /rate-limit service returned an error/,
      /rate-limit service pods/,
    ],
    [
      'DI only is informational',
      input({ flags: ['DI'], response_code: 200, response_code_details: 'via_upstream' }),
      'info',
      /delayed on purpose/,
      /fault\.delay/,
    ],
  ])('%s', (_name, given, severity, summaryOrCause, step) => {
    const e = explainCause(given);
    expect(e.severity).toBe(severity);
    expect([e.explanation, ...e.causes].join('\n')).toMatch(summaryOrCause);
    expect(text(e)).toMatch(step);
  });

  it('UF,URX says the connection failed and retries ran out', () => {
    const e = explainCause(input({ flags: ['UF', 'URX'] }));
    expect(e.explanation).toMatch(
      /^503 UF,URX \(httpbin\.foo:8000\): Envoy could not open a connection.*retry limit/,
    );
  });

  it('UF 111 on outbound points at the destination', () => {
    const e = explainCause(
      input({ flags: ['UF'], upstream_transport_failure_reason: 'delayed_connect_error:_111' }),
    );
    expect(e.explanation).toMatch(/destination refused the connection/);
    expect(e.next_steps).toContain(
      "istioctl proxy-config endpoints <pod> -n <pod-namespace> --cluster 'outbound|8000||httpbin.foo.svc.cluster.local'",
    );
  });

  it('keeps every unknown flag next to known ones', () => {
    const e = explainCause(input({ flags: ['UH', 'ZZ', 'QQ'] }));
    expect(e.explanation).toMatch(/ZZ/);
    expect(e.explanation).toMatch(/QQ/);
    expect(e.severity).toBe('critical');
  });

  it('HTTP code 0 without flags or details', () => {
    const e = explainCause(input({ response_code: 0, response_code_details: null }));
    expect(e.severity).toBe('error');
    expect(e.explanation).toMatch(/no response was sent/);
  });

  it('a 200 without flags is not a failure', () => {
    expect(explainCause(input({ response_code: 200, response_code_details: 'via_upstream' })).severity).toBe(
      'info',
    );
  });

  it('works from an entry', () => {
    const entry = makeEntry({
      response_code: 503,
      response_flags: ['UH'],
      response_code_details: 'no_healthy_upstream',
    });
    expect(explainCause(causeInputOf(entry)).severity).toBe('critical');
  });
});

describe('explainCause security: log values never reach commands unvalidated', () => {
  const hostile: [string, Partial<CauseInput>][] = [
    [
      'command substitution in the cluster host',
      { upstream_cluster: 'outbound|80||$(rm -rf /).evil.svc.cluster.local' },
    ],
    ['semicolon in the service name', { upstream_cluster: 'outbound|80||a;b.evil.svc.cluster.local' }],
    ['backticks in the namespace', { upstream_cluster: 'outbound|80||svc.`id`.svc.cluster.local' }],
    ['upper case service', { upstream_cluster: 'outbound|80||Evil.foo.svc.cluster.local' }],
    ['injected port', { upstream_cluster: 'outbound|80;reboot||httpbin.foo.svc.cluster.local' }],
    ['injected subset', { upstream_cluster: "outbound|80|v1'$(id)'|httpbin.foo.svc.cluster.local" }],
    ['semicolon in the authority', { authority: 'a;b', direction: 'unknown', upstream_cluster: null }],
    [
      'newline in the authority',
      { authority: 'shop.example.com\nrm -rf /', direction: 'unknown', upstream_cluster: null },
    ],
    [
      'hostile SNI on inbound',
      {
        direction: 'inbound',
        upstream_cluster: 'inbound|80||',
        requested_server_name: 'outbound_.80_._.$(id).x.svc.cluster.local',
      },
    ],
    [
      'hostile RBAC policy name',
      {
        response_code: 403,
        response_code_details: 'rbac_access_denied_matched_policy[ns[foo]-policy[$(id);x]-rule[0]]',
      },
    ],
  ];
  const flagSets = [['UH'], ['UF'], ['NR'], ['UO'], ['UF', 'URX'], ['$(rm -rf /)'], []];

  it.each(hostile)('%s', (_name, fields) => {
    for (const flags of flagSets) {
      const e = explainCause(input({ flags, ...fields }));
      const steps = e.next_steps.join('\n');
      expect(steps).not.toMatch(/\$\(|`id`|a;b|rm -rf|reboot|Evil|\nrm/);
      expect(e.explanation).not.toMatch(/\$\(|a;b|`|\n|rm -rf/);
    }
  });

  it('fills placeholders only from validated values', () => {
    const e = explainCause(
      input({ flags: ['UH'], upstream_cluster: 'outbound|80||$(rm -rf /).evil.svc.cluster.local' }),
    );
    expect(e.next_steps).toContain(
      'kubectl get endpointslices -n <namespace> -l kubernetes.io/service-name=<service>',
    );
  });
});

describe('FLAG_SEVERITY', () => {
  it('covers every catalogue flag and nothing else', () => {
    expect(new Set(Object.keys(FLAG_SEVERITY))).toEqual(new Set(RESPONSE_FLAGS.map((f) => f.short)));
  });

  it('is the catalogue severity', () => {
    for (const f of RESPONSE_FLAGS) expect(FLAG_SEVERITY[f.short]).toBe(f.severity);
  });
});

describe('classifyTransportFailure', () => {
  it.each([
    [null, [], 'none'],
    ['delayed_connect_error:_111', [], 'refused'],
    ['delayed_connect_error:_Connection_refused', [], 'refused'],
    [null, ['connection_failure', 'delayed_connect_error:_111'], 'refused'],
    ['TLS_error:_268435581:SSL_routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED', [], 'tls'],
    [null, ['connection_timeout'], 'timeout'],
    ['delayed_connect_error:_110', [], 'timeout'],
    ['delayed_connect_error:_113', [], 'unreachable'],
    ['delayed_connect_error:_104', [], 'reset'],
    ['something else', [], 'other'],
    [null, ['connection_failure'], 'none'],
  ])('%j %j → %s', (reason, inner, expected) => {
    expect(classifyTransportFailure(reason, inner)).toBe(expected);
  });
});
