import { describe, expect, it } from 'vitest';
import { checkCelSyntax, describeCelProblem } from './check-cel.js';

describe('checkCelSyntax', () => {
  it.each([
    // From Istio's Telemetry docs and tasks.
    'response.code >= 400',
    '!has(request.headers["x-skip"])',
    'xds.cluster_name.startsWith("outbound")',
    'connection.mtls && request.url_path.contains("/api")',
    "response.code >= 400 || xds.cluster_name == 'BlackHoleCluster' || xds.cluster_name == 'PassthroughCluster'",
    'request.headers["user-agent"].matches("^curl/.*")',
    // The rest of the grammar.
    'response.code in [500, 502, 503] && !(request.method == "GET")',
    'size(request.headers) > 3 ? request.host : "none"',
    '{"a": 1, "b": [1u, 2.5e3, 0x1F, -4]}["a"] == 1',
    "r'raw\\d' != b'\\x00' || null == null",
    'request.headers.all(k, k != "x") && [1, 2].exists(x, x > 1)',
    'duration("1s") < response.duration',
  ])('accepts %s', (expression) => {
    expect(checkCelSyntax(expression)).toEqual({ ok: true });
  });

  it.each([
    ['response.code >=', 1, 17, 'the expression ends too early'],
    ['response.code = 400', 1, 15, 'unexpected "=" (compare with ==)'],
    ['response.code == 4xx', 1, 19, 'unexpected character "x"'],
    ['has(request.headers["x"]', 1, 25, 'expected ")", but the expression ends there'],
    ['a ? b', 1, 6, 'expected ":", but the expression ends there'],
    ['a..b', 1, 3, 'expected a name, found "."'],
    ['"unterminated', 1, 1, 'unterminated string'],
    ['{1:}', 1, 4, 'unexpected "}"'],
    ['a &&\n  b +', 2, 6, 'the expression ends too early'],
    ['', 1, 1, 'the expression ends too early'],
  ])('refuses %j at line %i, column %i: %s', (expression, line, column, problem) => {
    const check = checkCelSyntax(expression);
    expect(check).toMatchObject({ ok: false, line, column });
    expect(check.ok ? '' : check.problem).toContain(problem);
  });

  it('does not blow the stack on deep nesting', () => {
    const check = checkCelSyntax(`${'('.repeat(100_000)}1${')'.repeat(100_000)}`);
    expect(check.ok).toBe(false);
  });

  it('words a refusal with the expression, the place and the fix', () => {
    const check = checkCelSyntax('response.code >=');
    if (check.ok) throw new Error('expected a problem');
    expect(describeCelProblem('response.code >=', check)).toBe(
      `--filter "response.code >=" is not valid CEL at column 17: the expression ends too early (an operand, argument or closing bracket is missing). Envoy would reject the access-log config, so nothing was changed; fix the expression, e.g. --filter 'response.code >= 400'`,
    );
  });
});
