import { describe, expect, it } from 'vitest';
import { parseAll } from '../../test/support/parse-all.js';
import { compileLogFormat } from './custom-format.js';

function compile(format: string) {
  const compiled = compileLogFormat(format);
  if (!compiled.ok) throw new Error(compiled.message);
  return compiled.parser;
}

describe('--log-format', () => {
  it.each([
    ['[2024-05-01T12:00:00.000Z] abc GET /x', 'a response code that is not a number'],
    ['[2024-05-01T12:00:00.000Z] 200 GET /x extra trailing words', 'text past the end of the format'],
  ])('%s: a malformed line (%s), not an entry', (line, _why) => {
    const parser = compile(
      '[%START_TIME%] %RESPONSE_CODE% %REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%',
    );
    const { entries, stats } = parseAll(`${line}\n[2024-05-01T12:00:00.000Z] 200 GET /ok\n`, {
      customParser: parser,
    });
    expect(entries.map((e) => e.path)).toEqual(['/ok']);
    expect(stats.skipped.malformed).toBe(1);
  });

  it('compiles the retry-policy format from the ssup2 blog', () => {
    const parser = compile(
      '"%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%" %RESPONSE_CODE% retry_attempts=%UPSTREAM_REQUEST_ATTEMPT_COUNT% flags=%RESPONSE_FLAGS% details=%RESPONSE_CODE_DETAILS%\n',
    );
    const { entries } = parseAll('"GET /status/503" 503 retry_attempts=4 flags=URX details=via_upstream\n', {
      customParser: parser,
    });
    expect(entries[0]).toMatchObject({
      method: 'GET',
      path: '/status/503',
      response_code: 503,
      response_flags: ['URX'],
      response_code_details: 'via_upstream',
      start_time: null,
      direction: 'unknown',
    });
  });

  it('compiles a short text provider format', () => {
    const parser = compile(
      '[%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE% %RESPONSE_FLAGS% %REQ(X-REQUEST-ID)%',
    );
    const { entries } = parseAll('[2024-01-01T00:00:00.001Z] "POST /a/b HTTP/2" 200 - abc-123\n', {
      customParser: parser,
    });
    expect(entries[0]).toMatchObject({
      start_time: '2024-01-01T00:00:00.001Z',
      method: 'POST',
      protocol: 'HTTP/2',
      request_id: 'abc-123',
    });
  });

  it('reads epoch-seconds start times and upstream cluster direction', () => {
    const parser = compile('%START_TIME(%s)% %RESPONSE_CODE% %UPSTREAM_CLUSTER_RAW% %DURATION%');
    const { entries } = parseAll('1700000000 503 outbound|80||a.b.svc.cluster.local 12\n', {
      customParser: parser,
    });
    expect(entries[0]).toMatchObject({
      start_time: '2023-11-14T22:13:20.000Z',
      response_code: 503,
      direction: 'outbound',
      duration_ms: 12,
    });
  });

  it('falls back to the built-in formats for lines the custom one does not match', () => {
    const parser = compile('%RESPONSE_CODE% %REQ(X-REQUEST-ID)%');
    const { entries } = parseAll('{"response_code":200,"duration":1,"upstream_cluster":"inbound|80||"}\n', {
      customParser: parser,
    });
    expect(entries[0]).toMatchObject({ response_code: 200, direction: 'inbound' });
  });

  it('compiles a JSON-shaped format with custom key names', () => {
    const parser = compile(
      '{"ts": "%START_TIME%", "status": "%RESPONSE_CODE%", "flags": "%RESPONSE_FLAGS%", "rid": "%REQ(X-REQUEST-ID)%", "up": "%UPSTREAM_CLUSTER%"}',
    );
    const { entries } = parseAll(
      '{"ts":"2024-01-01T00:00:00.000Z","status":"504","flags":"UT","rid":"r-1","up":"outbound|80||x.y.svc.cluster.local"}\n',
      {
        customParser: parser,
      },
    );
    expect(entries[0]).toMatchObject({
      response_code: 504,
      response_flags: ['UT'],
      request_id: 'r-1',
      direction: 'outbound',
    });
  });

  it.each([
    ['', 'empty'],
    ['plain words', 'no %OPERATOR%'],
    ['%START_TIME% %PROTOCOL%', 'none of'],
    ['{"a": ', 'not valid JSON'],
    ['{"a": 1}', 'none of'],
    ['{}x', 'not valid JSON'],
  ])('rejects %j with a clear message', (format, message) => {
    const compiled = compileLogFormat(format);
    expect(compiled.ok).toBe(false);
    if (!compiled.ok) expect(compiled.message).toContain(message);
  });

  it('treats regex metacharacters in the format as literals', () => {
    const parser = compile('(%RESPONSE_CODE%) [%RESPONSE_FLAGS%] *%REQ(X-REQUEST-ID)%+');
    const { entries } = parseAll('(503) [UH] *id-9+\n', { customParser: parser });
    expect(entries[0]).toMatchObject({ response_code: 503, response_flags: ['UH'], request_id: 'id-9' });
  });
});
