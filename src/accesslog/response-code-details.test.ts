import { describe, expect, it } from 'vitest';
import { lookupDetails, parseRbacPolicy, splitDetails } from './response-code-details.js';

describe('lookupDetails', () => {
  it.each([
    ['via_upstream', 'via_upstream', [], null],
    ['route_not_found', 'route_not_found', [], 'NR'],
    ['cluster_not_found', 'cluster_not_found', [], 'NC'],
    ['no_healthy_upstream', 'no_healthy_upstream', [], 'UH'],
    ['filter_chain_not_found', 'filter_chain_not_found', [], null],
    ['direct_response', 'direct_response', [], null],
    [
      'upstream_reset_before_response_started{connection_failure}',
      'upstream_reset_before_response_started',
      ['connection_failure'],
      'UF',
    ],
    [
      'upstream_reset_before_response_started{connection_failure,delayed_connect_error:_111}',
      'upstream_reset_before_response_started',
      ['connection_failure', 'delayed_connect_error:_111'],
      'UF',
    ],
    [
      'upstream_reset_before_response_started{remote_connection_failure|delayed_connect_error:_Connection_refused}',
      'upstream_reset_before_response_started',
      ['remote_connection_failure', 'delayed_connect_error:_Connection_refused'],
      'UF',
    ],
    [
      'upstream_reset_before_response_started{connection_timeout}',
      'upstream_reset_before_response_started',
      ['connection_timeout'],
      'UF',
    ],
    [
      'upstream_reset_before_response_started{connection_termination}',
      'upstream_reset_before_response_started',
      ['connection_termination'],
      'UC',
    ],
    [
      'upstream_reset_before_response_started{remote_reset}',
      'upstream_reset_before_response_started',
      ['remote_reset'],
      'UR',
    ],
    [
      'upstream_reset_before_response_started{overflow}',
      'upstream_reset_before_response_started',
      ['overflow'],
      'UO',
    ],
    [
      'upstream_reset_before_response_started{protocol_error}',
      'upstream_reset_before_response_started',
      ['protocol_error'],
      'UPE',
    ],
    [
      'upstream_reset_after_response_started{connection_termination}',
      'upstream_reset_after_response_started',
      ['connection_termination'],
      null,
    ],
    ['response_timeout', 'response_timeout', [], 'UT'],
    ['upstream_response_timeout', 'upstream_response_timeout', [], 'UT'],
    ['upstream_per_try_timeout', 'upstream_per_try_timeout', [], null],
    ['request_overall_timeout', 'request_overall_timeout', [], 'UT'],
    ['stream_idle_timeout', 'stream_idle_timeout', [], 'SI'],
    ['max_duration_timeout', 'max_duration_timeout', [], 'UMSDR'],
    ['downstream_remote_disconnect', 'downstream_remote_disconnect', [], 'DC'],
    [
      'downstream_local_disconnect(filter_chain_not_found)',
      'downstream_local_disconnect',
      ['filter_chain_not_found'],
      null,
    ],
    ['http2.remote_reset', 'http2.remote_reset', [], 'DR'],
    ['http1.codec_error', 'http1.codec_error', [], 'DPE'],
    ['http1.headers_too_large', 'http1.headers_too_large', [], null],
    ['http2.too_many_headers', 'http2.too_many_headers', [], null],
    ['low_version', 'low_version', [], null],
    ['upgrade_failed', 'upgrade_failed', [], null],
    ['overload', 'overload', [], 'OM'],
    ['drop_overload', 'drop_overload', [], 'DO'],
    ['maintenance_mode', 'maintenance_mode', [], null],
    ['ext_authz_denied', 'ext_authz_denied', [], 'UAEX'],
    ['ext_authz_error', 'ext_authz_error', [], null],
    ['request_rate_limited', 'request_rate_limited', [], 'RL'],
    ['local_rate_limited', 'local_rate_limited', [], null],
    ['rate_limiter_error', 'rate_limiter_error', [], 'RLSE'],
    ['rbac_access_denied_matched_policy[none]', 'rbac_access_denied_matched_policy', ['none'], null],
    [
      'rbac_access_denied_matched_policy[ns[foo]-policy[deny-all]-rule[0]]',
      'rbac_access_denied_matched_policy',
      ['ns[foo]-policy[deny-all]-rule[0]'],
      null,
    ],
  ])('%s', (details, base, inner, flag) => {
    const info = lookupDetails(details);
    expect(info?.base).toBe(base);
    expect(info?.inner).toEqual(inner);
    expect(info?.flag).toBe(flag);
    expect(info?.meaning).not.toBe('');
    expect(info?.causes.length).toBeGreaterThan(0);
    expect(info?.next_steps.length).toBeGreaterThan(0);
  });

  it('extracts the AuthorizationPolicy', () => {
    expect(
      lookupDetails('rbac_access_denied_matched_policy[ns[foo]-policy[deny-all]-rule[0]]')?.policy,
    ).toEqual({
      namespace: 'foo',
      name: 'deny-all',
      rule: '0',
    });
    expect(lookupDetails('rbac_access_denied_matched_policy[none]')?.policy).toBeNull();
    expect(parseRbacPolicy('ns[a]-policy[b]')).toEqual({ namespace: 'a', name: 'b', rule: null });
  });

  it('describes the reset reason', () => {
    expect(lookupDetails('upstream_reset_before_response_started{overflow}')?.meaning).toMatch(
      /circuit breaker/,
    );
  });

  it.each([['something_new'], ['-'], ['{}'], ['']])('unknown %j → undefined', (details) => {
    expect(lookupDetails(details)).toBeUndefined();
  });

  it.each([
    ['100k characters', 'x'.repeat(100_000)],
    ['100k inside braces', `upstream_reset_before_response_started{${'a,'.repeat(50_000)}}`],
    ['opening braces', '{{{{'],
    ['closing brace', '}'],
    ['unbalanced', 'upstream_reset_before_response_started{connection_failure'],
    ['nested junk', 'rbac_access_denied_matched_policy[[[[]'],
    ['mixed', '([{)]}'],
  ])('never throws on %s', (_name, details) => {
    expect(() => lookupDetails(details)).not.toThrow();
    const split = splitDetails(details);
    expect(split.inner.length).toBeLessThanOrEqual(16);
    for (const part of split.inner) expect(part.length).toBeLessThanOrEqual(256);
  });

  it('keeps the reason of an unclosed value', () => {
    expect(lookupDetails('upstream_reset_before_response_started{connection_failure')?.inner).toEqual([
      'connection_failure',
    ]);
  });
});
