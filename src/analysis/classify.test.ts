import { describe, expect, it } from 'vitest';
import { makeEntry } from '../../test/support/make-entry.js';
import { isClientError, isError } from './classify.js';

describe('isError / isClientError', () => {
  it.each([
    ['200 no flags', makeEntry({ response_code: 200 }), false, false],
    ['503 UH', makeEntry({ response_code: 503, response_flags: ['UH'] }), true, false],
    ['500 from the app, no flag', makeEntry({ response_code: 500 }), true, false],
    ['HTTP with code 0 (DC)', makeEntry({ response_code: 0, response_flags: ['DC'] }), true, false],
    ['HTTP with code 0, no flag', makeEntry({ response_code: 0 }), true, false],
    [
      'TCP code 0 without flags is fine',
      makeEntry({ response_code: 0, method: null, protocol: null, path: null }),
      false,
      false,
    ],
    [
      'TCP with UF,URX',
      makeEntry({ response_code: 0, method: null, protocol: null, response_flags: ['UF', 'URX'] }),
      true,
      false,
    ],
    ['404 NR is an error (flag)', makeEntry({ response_code: 404, response_flags: ['NR'] }), true, false],
    ['418 without flags is a client error', makeEntry({ response_code: 418 }), false, true],
    [
      '200 with DI (delay injected) only',
      makeEntry({ response_code: 200, response_flags: ['DI'] }),
      false,
      false,
    ],
    ['200 with UC after response', makeEntry({ response_code: 200, response_flags: ['UC'] }), true, false],
    ['unknown flag counts', makeEntry({ response_code: 200, response_flags: ['ZZ'] }), true, false],
  ])('%s', (_name, entry, error, clientError) => {
    expect(isError(entry)).toBe(error);
    expect(isClientError(entry)).toBe(clientError);
  });
});
