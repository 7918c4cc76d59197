import { describe, expect, it } from 'vitest';
import { makeEntry } from '../../test/support/make-entry.js';
import type { AccessLogEntry } from '../accesslog/entry.js';
import { RESPONSE_FLAGS } from '../accesslog/response-flags.js';
import { isError, type Outcome, outcomeOf, outcomeOfFields } from './classify.js';

const TCP: Partial<AccessLogEntry> = { method: null, protocol: null, path: null };

describe('outcomeOf', () => {
  it.each<[string, Partial<AccessLogEntry>, Outcome]>([
    ['200 no flags', { response_code: 200 }, 'ok'],
    ['503 UH', { response_code: 503, response_flags: ['UH'] }, 'error'],
    ['500 from the app, no flag', { response_code: 500 }, 'error'],
    ['HTTP code 0 with DC: the client went away', { response_code: 0, response_flags: ['DC'] }, 'warning'],
    ['HTTP code 0, no flag: no response, no reason', { response_code: 0 }, 'error'],
    ['HTTP/2 code 0 without a method', { response_code: 0, method: null, protocol: 'HTTP/2' }, 'error'],
    ['TCP code 0 without flags is fine', { response_code: 0, ...TCP }, 'ok'],
    ['TCP code 0 with UF,URX', { response_code: 0, response_flags: ['UF', 'URX'], ...TCP }, 'error'],
    ['TCP code 0 with UH', { response_code: 0, response_flags: ['UH'], ...TCP }, 'error'],
    ['TCP code 0 with DC', { response_code: 0, response_flags: ['DC'], ...TCP }, 'warning'],
    ['TCP code 0 with DI only', { response_code: 0, response_flags: ['DI'], ...TCP }, 'ok'],
    ['404 NR is an error (flag)', { response_code: 404, response_flags: ['NR'] }, 'error'],
    ['418 without flags is a client error', { response_code: 418 }, 'client_error'],
    ['429 RL is a warning (a policy did its job)', { response_code: 429, response_flags: ['RL'] }, 'warning'],
    ['403 UAEX is a warning', { response_code: 403, response_flags: ['UAEX'] }, 'warning'],
    ['503 DC is an error (the code decides)', { response_code: 503, response_flags: ['DC'] }, 'error'],
    [
      'DC with UC is an error (the worst flag decides)',
      { response_code: 0, response_flags: ['DC', 'UC'] },
      'error',
    ],
    ['200 with DI (delay injected) only', { response_code: 200, response_flags: ['DI'] }, 'ok'],
    [
      '404 with RFCF only is a client error',
      { response_code: 404, response_flags: ['RFCF'] },
      'client_error',
    ],
    ['200 with UC after the response', { response_code: 200, response_flags: ['UC'] }, 'error'],
    ['an unknown flag is an error', { response_code: 200, response_flags: ['ZZ'] }, 'error'],
    [
      'a long flag name counts like its short code',
      { response_code: 0, response_flags: ['DownstreamConnectionTermination'] },
      'warning',
    ],
    ['no code logged (custom format), no flag', { response_code: null }, 'ok'],
    ['no code logged, UF', { response_code: null, response_flags: ['UF'] }, 'error'],
  ])('%s', (_name, fields, outcome) => {
    const entry = makeEntry(fields);
    expect(outcomeOf(entry)).toBe(outcome);
    expect(isError(entry)).toBe(outcome === 'error');
  });

  // Every catalogue flag × code class × protocol: the flag's catalogue severity decides, except that a
  // 5xx is always an error and that an HTTP code 0 without a flag saying why is one.
  const codes = [null, 0, 200, 404, 503];
  const cases = RESPONSE_FLAGS.flatMap((flag) =>
    codes.flatMap((code) => [true, false].map((http) => [flag.short, flag.severity, code, http] as const)),
  );
  it.each(cases)('%s (%s) with code %s, HTTP %s', (flag, severity, code, http) => {
    const entry = makeEntry({ response_code: code, response_flags: [flag], ...(http ? {} : TCP) });
    const expected: Outcome =
      code !== null && code >= 500
        ? 'error'
        : severity === 'critical' || severity === 'error'
          ? 'error'
          : severity === 'warning'
            ? 'warning'
            : code === 0 && http
              ? 'error'
              : code !== null && code >= 400
                ? 'client_error'
                : 'ok';
    expect(outcomeOf(entry)).toBe(expected);
    expect(outcomeOfFields(code, [flag], http)).toBe(expected);
  });
});
