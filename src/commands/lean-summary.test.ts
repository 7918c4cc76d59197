/**
 * The summary's lean TEXT path against the full one: for every input, `summarizeLogs` must give the same
 * report with the lean reader (accesslog/lean-text, `SummaryBuilder.addLean`) as without it — real
 * fixtures, generated traffic with errors, every TEXT shape the parser knows, `--since`, a resolver, and
 * random damage to real lines. And the lean path must actually take the common lines.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { damagedLines } from '../../test/support/random-damage.js';
import { TEXT_EDGE_LINES as edges } from '../../test/support/text-edge-lines.js';
import { newLeanTextRecord, readLeanText } from '../accesslog/lean-text.js';
import { generateMeshLogs } from '../demo/synthetic-mesh.js';
import type { LogSource } from './ports.js';
import { type SummarizeLogsOptions, summarizeLogs } from './summarize-logs.js';

const fixtureLines: string[] = readFileSync(
  new URL('../../test/fixtures/real-access-logs.jsonl', import.meta.url),
  'utf8',
)
  .trim()
  .split('\n')
  .map((l) => (JSON.parse(l) as { line: string }).line);

const generated: string[] = [...generateMeshLogs({ requests: 400, seed: 3, format: 'text', gapMs: 5 })].map(
  (l) => l.text,
);

/**
 * The lines as a file would come: in pieces (7,919 characters, so lines are cut across pieces and joined
 * again), or, with `piece: 0`, as one piece (past the 1 MiB the WebAssembly module takes at once, lines
 * are then written one by one).
 */
function source(lines: readonly string[], piece = 7919, eol = '\n'): LogSource {
  const text = `${lines.join(eol)}${eol}`;
  return {
    name: 'f.log',
    async *read() {
      if (piece === 0) yield text;
      else for (let i = 0; i < text.length; i += piece) yield text.slice(i, i + piece);
    },
  };
}

async function agree(
  lines: readonly string[],
  options: SummarizeLogsOptions = {},
  piece?: number,
  eol?: string,
): Promise<void> {
  const lean = await summarizeLogs([source(lines, piece, eol)], { ...options, leanText: true });
  const full = await summarizeLogs([source(lines, piece, eol)], { ...options, leanText: false });
  expect(lean).toEqual(full);
}

describe('the lean TEXT path of the summary', () => {
  it('takes the common lines of generated traffic (or this test would prove nothing)', () => {
    const record = newLeanTextRecord();
    const taken = generated.filter((line) => readLeanText(line, record)).length;
    expect(taken / generated.length).toBeGreaterThan(0.8);
  });

  it('gives the full path’s report on generated traffic with errors', async () => {
    await agree(generated);
  });

  it('gives the same report however the input is cut: one piece, CRLF, one line per piece', async () => {
    const lines = [...edges, ...generated];
    await agree(lines, {}, 0);
    await agree(lines, {}, 7919, '\r\n');
    await agree(lines.slice(0, 200), {}, 1);
    await agree(lines.slice(0, 200), {}, 333);
  });

  it('gives the full path’s report on the real fixtures', async () => {
    await agree(fixtureLines);
  });

  it('gives the full path’s report on lines at the edges of what it takes', async () => {
    await agree(edges);
    await agree([...edges, ...edges.map((l) => l.replace('- default', '- ')), ...edges]);
  });

  it('gives the full path’s report with --since and with a resolver', async () => {
    const times = generated.map((l) => l.slice(1, 25)).sort();
    const sinceMs = Date.parse(times[Math.floor(times.length / 2)] ?? '');
    await agree([...edges, ...generated], { sinceMs });
    await agree([...edges, ...generated], {
      resolve: (ip) => (ip.endsWith('.3') || ip.startsWith('fd00') ? `pod-${ip}` : undefined),
    });
  });

  it('gives the full path’s report when the interned ids start over (10,000 distinct paths)', async () => {
    // Distinct paths fill the intern table (8,192 ids) at least once; routes and callers stay under the
    // flow limit, so an id remembered across the restart would show up as a wrong route or caller.
    const words = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta', 'iota', 'kappa'];
    const lines: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const time = `2026-11-21T09:${String(Math.floor(i / 600) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.004Z`;
      const host = i % 1500;
      lines.push(
        i % 2 === 0
          ? `[${time}] "GET ${i % 10 !== 0 ? `/items/${i}` : `/${words[(i / 10) % 10]}`} HTTP/1.1" 200 - via_upstream - "-" 7 10 3 1 "-" "curl" "id-${i}" "api:80" "10.0.0.5:80" outbound|80||api.ns.svc.cluster.local 10.0.0.1:5000 10.96.0.5:80 10.0.0.1:4999 - default`
          : i % 7 === 1
            ? // From the gateway (remote port 0): the caller is the first X-Forwarded-For hop.
              `[${time}] "GET /${words[host % 10]}/y HTTP/1.1" 200 - via_upstream - "-" 7 10 3 1 "203.0.113.${i % 50}, 10.0.0.9" "curl" "id-${i}" "web:80" "10.0.0.2:80" inbound|80|| 127.0.0.6:40000 10.0.0.2:80 10.0.9.${i % 3}:0 - default`
            : `[${time}] "POST /${words[host % 10]}/x HTTP/1.1" 201 - via_upstream - "-" 7 10 3 1 "-" "curl" "id-${i}" "web:80" "10.0.0.2:80" inbound|80|| 127.0.0.6:40000 10.0.0.2:80 10.${host >> 8}.${host & 255}.7:${40000 + i} - default`,
      );
    }
    const report = await summarizeLogs([source(lines)]);
    expect(report.flows_truncated).toBe(0);
    await agree(lines);
  });

  it('gives the full path’s report on randomly damaged lines (10,000)', async () => {
    const base = [...edges, ...generated.slice(0, 300)];
    await agree([...base, ...damagedLines(base, 10_000, 20261121)]);
  });
});
