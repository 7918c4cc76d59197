/**
 * The two tokenizers of TEXT records: the WebAssembly module (kernel.wat) must lay out every line
 * exactly as the JavaScript one does — same status, same layout, same tokens — on real, generated,
 * hand-made and randomly damaged lines. And the committed module must be built from the committed source.
 */
import { execFileSync } from 'node:child_process';
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
  layoutTextInJs,
  MALFORMED,
  NOT_ACCESS_LOG,
  quoted,
  starts,
  usesWebAssembly,
} from './text-layout.js';

const generated = [...generateMeshLogs({ requests: 300, seed: 11, format: 'text', gapMs: 5 })].map(
  (l) => l.text,
);

const OK =
  '[2026-11-21T09:00:00.001Z] "GET /a HTTP/1.1" 200 - via_upstream - "-" 0 10 1 1 "-" "curl" "id-1" "api:80" "10.0.0.5:80" outbound|80||api.ns.svc.cluster.local 10.0.0.1:5000 10.96.0.5:80 10.0.0.1:4999 - default';

/** Lines at the tokenizer's own edges: where a 16-byte search block ends, quotes, limits, the line's end. */
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
];

interface Laid {
  status: number;
  layout?: typeof layout;
  tokens?: [number, number, number][];
}

function laidOut(lay: (text: string) => number, text: string): Laid {
  const status = lay(text);
  if (status !== LAID_OUT) return { status };
  const tokens: [number, number, number][] = [];
  for (let i = 0; i < layout.count; i++) tokens.push([starts[i] ?? -1, ends[i] ?? -1, quoted[i] ?? -1]);
  return { status, layout: { ...layout }, tokens };
}

/** Lines the two tokenizers lay out differently (at most five, to read). */
function disagreements(lines: readonly string[]): { line: string; wasm: Laid; js: Laid }[] {
  const found: { line: string; wasm: Laid; js: Laid }[] = [];
  for (const line of lines) {
    const wasm = laidOut(layoutText, line);
    const js = laidOut(layoutTextInJs, line);
    if (JSON.stringify(wasm) !== JSON.stringify(js)) found.push({ line, wasm, js });
    if (found.length === 5) break;
  }
  return found;
}

describe('the WebAssembly tokenizer', () => {
  it('is the one in use on this runtime (or the comparisons below would compare JavaScript with itself)', () => {
    expect(usesWebAssembly).toBe(true);
  });

  it('lays out the real fixtures, generated traffic and edge shapes as the JavaScript one does', () => {
    expect(disagreements([...fixtureLines, ...generated, ...TEXT_EDGE_LINES, ...tokenizerEdges])).toEqual([]);
  });

  it('sees all three outcomes in those lines (so the comparison covers each)', () => {
    const statuses = new Set(tokenizerEdges.map((line) => layoutText(line)));
    expect([...statuses].sort()).toEqual([LAID_OUT, NOT_ACCESS_LOG, MALFORMED]);
  });

  it('lays out 20,000 randomly damaged lines as the JavaScript one does', () => {
    const base = [...TEXT_EDGE_LINES, ...generated.slice(0, 200), ...tokenizerEdges.slice(10)];
    expect(disagreements(damagedLines(base, 20_000, 2611))).toEqual([]);
  });

  it('is built from the committed kernel.wat', () => {
    const script = new URL('../../scripts/build-wasm.mjs', import.meta.url).pathname;
    expect(() => execFileSync(process.execPath, [script, '--check'], { stdio: 'pipe' })).not.toThrow();
  });
});
