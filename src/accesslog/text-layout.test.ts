/**
 * The TEXT tokenizer reads a line where it lies: a line laid out in place inside its chunk must come out
 * exactly as the line on its own — same status, same layout, same tokens (shifted by where it starts) —
 * on real, generated, hand-made and randomly damaged lines, whatever comes before and after it.
 */
import { describe, expect, it } from 'vitest';
import { FIXTURE_LINES as fixtureLines } from '../../test/support/fixture-lines.js';
import { damagedLines } from '../../test/support/random-damage.js';
import { TEXT_EDGE_LINES } from '../../test/support/text-edge-lines.js';
import { generateMeshLogs } from '../demo/synthetic-mesh.js';
import {
  ends,
  LAID_OUT,
  layout,
  layoutText,
  MALFORMED,
  NOT_ACCESS_LOG,
  quoted,
  starts,
} from './text-layout.js';

const generated = [...generateMeshLogs({ requests: 300, seed: 11, format: 'text', gapMs: 5 })].map(
  (l) => l.text,
);

const OK =
  '[2026-11-21T09:00:00.001Z] "GET /a HTTP/1.1" 200 - via_upstream - "-" 0 10 1 1 "-" "curl" "id-1" "api:80" "10.0.0.5:80" outbound|80||api.ns.svc.cluster.local 10.0.0.1:5000 10.96.0.5:80 10.0.0.1:4999 - default';

const KUMA =
  '[2026-11-21T09:00:00.001Z] default "POST /api HTTP/1.1" 200 - 28 15 4 4 "-" "Go-http-client/1.1" "-" "id-2" "kv:5050" "demo-app_kuma-demo_svc_5050" "kv" "10.42.0.7" "10.42.0.8:5050"';

/** A word before the request line without the rest of Kuma's shape: too long a name, no space before the
 * quote, two words, a name outside ASCII, no record after it, another program's line. */
const NOT_KUMA = [
  KUMA.replace(' default ', ` ${'m'.repeat(254)} `),
  KUMA.replace(' default "', ' default"'),
  KUMA.replace(' default ', ' de fault '),
  KUMA.replace(' default ', ' caf\u00e9 '),
  '[2026-11-21T09:00:00.001Z] default "GET / HTTP/1.1"',
  '[2026-11-21T09:00:00.001Z] info "a message in quotes" from some program',
];

/** Lines at the tokenizer's own edges: quotes, limits, the line's end, characters outside ASCII. */
const tokenizerEdges: string[] = [
  '',
  '[',
  '[2026-11-21T09:00:00.001Z]',
  '[2026-11-21T09:00:00.001Z] ',
  '[2026-11-21T09:00:00.001Z] "',
  '[2026-11-21T09:00:00.001Z] "GET / HTTP/1.1"',
  '[2026-11-21T09:00:00.001Z] "GET / HTTP/1.1" ',
  '[2026-11-21 09:00:00.001][22][warning][config] gRPC config stream closed',
  '[2026-11-21T09:00:00.001Z]x"GET / HTTP/1.1" 200',
  `[${'9'.repeat(70)}] "GET / HTTP/1.1" 200`,
  OK,
  `${OK} `,
  `${OK}   `,
  OK.replace('"curl"', '"curl "quoted" agent"'),
  OK.replace('"curl"', '"curl""'),
  OK.replace('"curl"', '"ends with a quote" "'),
  `${OK} "unterminated`,
  `${OK} "-"`,
  `${OK} "-`,
  `${OK} "`,
  OK.replace('"curl"', `"${'a'.repeat(10_000)}"`),
  OK.replace('"curl"', `"${' '.repeat(33)}"`),
  OK.replace(' 200 ', ` ${'1'.repeat(15)} `),
  OK.replace(' 200 ', ` ${'1'.repeat(16)} `),
  OK.replace(' 0 10 1 1 ', ' - - - - '),
  OK.replace(' 0 10 1 1 ', ' 0 1x 1 1 '),
  // OK has 20 tokens after the request line; 64 are allowed.
  `${OK}${' t'.repeat(44)}`,
  `${OK}${' t'.repeat(45)}`,
  OK.replace('/a', `/${'x'.repeat(13)}`),
  OK.replace('/a', `/${'x'.repeat(14)}`),
  OK.replace('/a', `/${'x'.repeat(15)}`),
  OK.replace('/a', `/${'x'.repeat(16)}`),
  OK.replace('curl', 'curl\u0000agent'),
  OK.replace('curl', 'curl\u00e9'),
  OK.replace('curl', 'curl \u{1F600}'),
  OK.replace('/a', '/caf\u00e9'),
  // Kuma: a mesh name between the time and the request line (synthetic, in the shape of kuma.jsonl).
  KUMA,
  KUMA.replace(' default ', ` ${'m'.repeat(253)} `),
  ...NOT_KUMA,
];

interface Laid {
  status: number;
  layout?: typeof layout;
  tokens?: [number, number, number][];
}

/** The layout of `text[from, to)`, with every offset made relative to `from`. */
function laidOut(text: string, from: number, to: number): Laid {
  const status = layoutText(text, from, to);
  if (status !== LAID_OUT) return { status };
  const tokens: [number, number, number][] = [];
  for (let i = 0; i < layout.count; i++) {
    tokens.push([(starts[i] ?? -1) - from, (ends[i] ?? -1) - from, quoted[i] ?? -1]);
  }
  const { close, reqStart, reqEnd, count, run, meshStart, meshEnd } = layout;
  const mesh = (at: number) => (at < 0 ? at : at - from);
  return {
    status,
    layout: {
      close: close - from,
      reqStart: reqStart - from,
      reqEnd: reqEnd - from,
      count,
      run,
      meshStart: mesh(meshStart),
      meshEnd: mesh(meshEnd),
    },
    tokens,
  };
}

/** What may surround a line in its chunk: other lines, quotes and brackets that must not be read. */
const SURROUNDINGS: [string, string][] = [
  ['', ''],
  ['x\n', '\n'],
  [`${OK}\n`, ' "quote" ]\n'],
  ['"\n', '"\n[2026-11-21T09:00:00.001Z] "GET / HTTP/1.1" 200'],
  ['] "', '" "-" - "'],
];

/** Lines laid out differently in place than alone (at most five, to read). */
function disagreements(lines: readonly string[]): { line: string; alone: Laid; inPlace: Laid }[] {
  const found: { line: string; alone: Laid; inPlace: Laid }[] = [];
  for (const line of lines) {
    const alone = laidOut(line, 0, line.length);
    for (const [before, after] of SURROUNDINGS) {
      const inPlace = laidOut(before + line + after, before.length, before.length + line.length);
      if (JSON.stringify(inPlace) !== JSON.stringify(alone)) found.push({ line, alone, inPlace });
    }
    if (found.length >= 5) break;
  }
  return found;
}

describe('the TEXT tokenizer', () => {
  it('lays out the real fixtures, generated traffic and edge shapes in place as it does alone', () => {
    expect(disagreements([...fixtureLines, ...generated, ...TEXT_EDGE_LINES, ...tokenizerEdges])).toEqual([]);
  });

  it('sees all three outcomes in those lines (so the comparison covers each)', () => {
    const statuses = new Set(tokenizerEdges.map((line) => layoutText(line)));
    expect([...statuses].sort()).toEqual([LAID_OUT, NOT_ACCESS_LOG, MALFORMED]);
  });

  it('lays out 20,000 randomly damaged lines in place as it does alone', () => {
    const base = [...TEXT_EDGE_LINES, ...generated.slice(0, 200), ...tokenizerEdges.slice(10)];
    expect(disagreements(damagedLines(base, 20_000, 2611))).toEqual([]);
  });

  it('finds the fields of a record', () => {
    expect(layoutText(OK)).toBe(LAID_OUT);
    const token = (i: number) => OK.slice(starts[i], ends[i]);
    expect([token(0), token(1), token(layout.run + 2), token(layout.count - 1)]).toEqual([
      '200',
      '-',
      'id-1',
      'default',
    ]);
    expect(OK.slice(layout.reqStart, layout.reqEnd)).toBe('GET /a HTTP/1.1');
    expect([layout.meshStart, layout.meshEnd]).toEqual([-1, -1]);
  });

  it('takes a mesh name before the request line only with the whole record after it (Kuma)', () => {
    expect(layoutText(KUMA)).toBe(LAID_OUT);
    expect(KUMA.slice(layout.meshStart, layout.meshEnd)).toBe('default');
    expect(KUMA.slice(layout.reqStart, layout.reqEnd)).toBe('POST /api HTTP/1.1');
    expect(layoutText(KUMA.replace(' default ', ` ${'m'.repeat(253)} `))).toBe(LAID_OUT);
    for (const line of NOT_KUMA) expect(layoutText(line), line).toBe(NOT_ACCESS_LOG);
  });
});
