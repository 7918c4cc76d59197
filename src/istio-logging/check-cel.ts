/**
 * @module istio-logging/check-cel
 * Checks that a `--filter` is syntactically valid CEL before meshbot writes it into a Telemetry: Envoy
 * rejects the whole listener config otherwise, and the proxies keep running without the new access log.
 * Syntax only — no evaluation, no type check (which attributes exist depends on the Envoy version).
 *
 * The parser is @marcbachmann/cel-js (maintained, no dependencies, the full CEL grammar: literals of every
 * kind, member access, index, calls and macros, unary/binary/ternary operators, lists, maps, `in`; nesting
 * is capped at 250, so a hostile expression cannot exhaust the stack).
 */
import { createRequire } from 'node:module';

type CelModule = typeof import('@marcbachmann/cel-js');
/** Loaded the first time a filter is checked: most commands never check one (~40 ms of start-up). */
let cel: CelModule | undefined;

export type CelCheck =
  | { ok: true }
  | {
      ok: false;
      /** 1-based, in characters. */
      line: number;
      column: number;
      /** What is wrong, in words (`the expression ends after ">="`). */
      problem: string;
    };

/** The parser's token names, as the characters a user typed. */
const TOKEN_WORDS: Readonly<Record<string, string>> = {
  COLON: '":"',
  COMMA: '","',
  DOT: '"."',
  QUESTION: '"?"',
  LPAREN: '"("',
  RPAREN: '")"',
  LBRACKET: '"["',
  RBRACKET: '"]"',
  LBRACE: '"{"',
  RBRACE: '"}"',
  PLUS: '"+"',
  MINUS: '"-"',
  MULTIPLY: '"*"',
  DIVIDE: '"/"',
  MODULO: '"%"',
  AND: '"&&"',
  OR: '"||"',
  NOT: '"!"',
  EQ: '"=="',
  NE: '"!="',
  LT: '"<"',
  LE: '"<="',
  GT: '">"',
  GE: '">="',
  IDENTIFIER: 'a name',
  NUMBER: 'a number',
  STRING: 'a string',
};

function words(summary: string, atEnd: boolean): string {
  const expected = /^Expected (\w+), got (\w+)$/.exec(summary);
  if (expected?.[1] !== undefined && expected[2] !== undefined) {
    const want = TOKEN_WORDS[expected[1]] ?? expected[1].toLowerCase();
    return expected[2] === 'EOF'
      ? `expected ${want}, but the expression ends there`
      : `expected ${want}, found ${TOKEN_WORDS[expected[2]] ?? expected[2].toLowerCase()}`;
  }
  const token = /^Unexpected token: (\w+)$/.exec(summary)?.[1];
  if (token !== undefined) {
    return token === 'EOF' || atEnd
      ? 'the expression ends too early (an operand, argument or closing bracket is missing)'
      : `unexpected ${TOKEN_WORDS[token] ?? token.toLowerCase()}`;
  }
  const character = /^Unexpected character: '?(.+?)'?$/.exec(summary)?.[1];
  if (character === '=') return 'unexpected "=" (compare with ==)';
  if (character !== undefined) return `unexpected character ${JSON.stringify(character)}`;
  return summary.charAt(0).toLowerCase() + summary.slice(1);
}

/** Parses `expression` as CEL; on a syntax error, says where (line and column) and what. Never throws. */
export function checkCelSyntax(expression: string): CelCheck {
  try {
    cel ??= createRequire(import.meta.url)('@marcbachmann/cel-js') as CelModule;
    cel.parse(expression);
    return { ok: true };
  } catch (e) {
    const error = e as { summary?: unknown; message?: unknown; range?: { start?: unknown } };
    const summary =
      typeof error.summary === 'string'
        ? error.summary
        : String(error.message ?? 'not valid CEL').split('\n')[0];
    const offset =
      typeof error.range?.start === 'number'
        ? Math.max(0, Math.min(error.range.start, expression.length))
        : expression.length;
    const before = expression.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - (before.lastIndexOf('\n') + 1) + 1;
    const atEnd = expression.slice(offset).trim() === '';
    return { ok: false, line, column, problem: words(summary ?? '', atEnd) };
  }
}

/** The refusal of a bad `--filter`: the expression (cut to 120 characters), where, what, and why it matters. */
export function describeCelProblem(expression: string, check: Extract<CelCheck, { ok: false }>): string {
  const where = check.line > 1 ? `line ${check.line}, column ${check.column}` : `column ${check.column}`;
  const shown = expression.length > 120 ? `${expression.slice(0, 120)}…` : expression;
  return `--filter ${JSON.stringify(shown)} is not valid CEL at ${where}: ${check.problem}. Envoy would reject the access-log config, so nothing was changed; fix the expression, e.g. --filter 'response.code >= 400'`;
}
