import { describe, expect, it } from 'vitest';
import { INFORMATIONAL_FLAGS } from '../analysis/classify.js';
import { isKnownFlag, lookupFlag, RESPONSE_FLAGS, toShortFlag } from './response-flags.js';

const EXPECTED: readonly [string, string][] = [
  ['UH', 'NoHealthyUpstream'],
  ['UF', 'UpstreamConnectionFailure'],
  ['UO', 'UpstreamOverflow'],
  ['NR', 'NoRouteFound'],
  ['URX', 'UpstreamRetryLimitExceeded'],
  ['NC', 'NoClusterFound'],
  ['DT', 'DurationTimeout'],
  ['DC', 'DownstreamConnectionTermination'],
  ['LH', 'FailedLocalHealthCheck'],
  ['UT', 'UpstreamRequestTimeout'],
  ['LR', 'LocalReset'],
  ['UR', 'UpstreamRemoteReset'],
  ['UC', 'UpstreamConnectionTermination'],
  ['DI', 'DelayInjected'],
  ['FI', 'FaultInjected'],
  ['RL', 'RateLimited'],
  ['UAEX', 'UnauthorizedExternalService'],
  ['RLSE', 'RateLimitServiceError'],
  ['IH', 'InvalidEnvoyRequestHeaders'],
  ['SI', 'StreamIdleTimeout'],
  ['DPE', 'DownstreamProtocolError'],
  ['UPE', 'UpstreamProtocolError'],
  ['UMSDR', 'UpstreamMaxStreamDurationReached'],
  ['RFCF', 'ResponseFromCacheFilter'],
  ['NFCF', 'NoFilterConfigFound'],
  ['OM', 'OverloadManagerTerminated'],
  ['DF', 'DnsResolutionFailed'],
  ['DO', 'DropOverload'],
  ['DR', 'DownstreamRemoteReset'],
  ['UDO', 'UnconditionalDropOverload'],
];

/** Placeholders explain-cause knows how to fill; any other `<…>` is for the reader. */
const KNOWN_PLACEHOLDERS = /<(service|namespace|fqdn|port|cluster|host|pod-namespace|pod)>/g;

describe('RESPONSE_FLAGS catalogue', () => {
  it('has exactly the Envoy flags, once each', () => {
    expect(RESPONSE_FLAGS.map((f) => [f.short, f.long])).toEqual(EXPECTED);
    expect(new Set(RESPONSE_FLAGS.map((f) => f.short)).size).toBe(RESPONSE_FLAGS.length);
    expect(new Set(RESPONSE_FLAGS.map((f) => f.long.toLowerCase())).size).toBe(RESPONSE_FLAGS.length);
  });

  it.each(RESPONSE_FLAGS.map((f) => [f.short, f] as const))('%s is documented', (_short, flag) => {
    expect(flag.meaning.trim()).not.toBe('');
    expect(flag.meaning.endsWith('.')).toBe(false);
    expect(flag.causes.length).toBeGreaterThan(0);
    expect(flag.next_steps.length).toBeGreaterThan(0);
    for (const text of [...flag.causes, ...flag.next_steps]) expect(text.trim()).not.toBe('');
  });

  it('rates DI and RFCF informational, and nothing else', () => {
    const informational = RESPONSE_FLAGS.filter((f) => f.severity === 'info').map((f) => f.short);
    expect(new Set(informational)).toEqual(new Set(['DI', 'RFCF']));
    expect(new Set(INFORMATIONAL_FLAGS)).toEqual(new Set(['DI', 'RFCF']));
  });

  it('next_steps templates contain no shell substitution', () => {
    for (const flag of RESPONSE_FLAGS) {
      for (const step of flag.next_steps) {
        expect(step.replace(KNOWN_PLACEHOLDERS, '')).not.toMatch(/\$\(|`[^`]*\$/);
      }
    }
  });
});

describe('lookupFlag / toShortFlag / isKnownFlag', () => {
  it.each(EXPECTED)('%s ⇄ %s', (short, long) => {
    expect(toShortFlag(long)).toBe(short);
    expect(toShortFlag(short)).toBe(short);
    expect(lookupFlag(short)?.long).toBe(long);
    expect(lookupFlag(long)?.short).toBe(short);
    expect(lookupFlag(long.toUpperCase())?.short).toBe(short);
    expect(isKnownFlag(short)).toBe(true);
  });

  it.each([['ZZ'], ['SomethingNew'], [''], ['uh'], ['$(rm -rf /)']])('keeps unknown %j as it is', (code) => {
    expect(toShortFlag(code)).toBe(code);
    expect(isKnownFlag(code)).toBe(false);
  });

  it('short codes are case-sensitive', () => {
    expect(lookupFlag('uh')).toBeUndefined();
  });
});
