/**
 * The summary's lean path against the full one: for every input, `summarizeLogs` must give the same
 * report with the lean readers (accesslog/lean-record, `SummaryBuilder.addLean`) as without them — real
 * fixtures, generated TEXT and JSON traffic with errors, every TEXT shape the parser knows, JSON values of
 * every type, `--since`, a resolver, and random damage to real lines. And the lean path must actually
 * take the common lines.
 */
import { describe, expect, it } from 'vitest';
import { FIXTURE_LINES as fixtureLines } from '../../test/support/fixture-lines.js';
import { damagedLines } from '../../test/support/random-damage.js';
import { TEXT_EDGE_LINES as edges } from '../../test/support/text-edge-lines.js';
import { newLeanRecord, readLeanText } from '../accesslog/lean-record.js';
import { generateMeshLogs } from '../demo/synthetic-mesh.js';
import type { LogSource } from './ports.js';
import { type SummarizeLogsOptions, summarizeLogs } from './summarize-logs.js';

const generated: string[] = [...generateMeshLogs({ requests: 400, seed: 3, format: 'text', gapMs: 5 })].map(
  (l) => l.text,
);

const generatedJson: string[] = [
  ...generateMeshLogs({ requests: 400, seed: 4, format: 'json', gapMs: 5 }),
].map((l) => l.text);

/** A generated JSON record with some fields changed (undefined: the key left out). */
function jsonWith(index: number, changes: Record<string, unknown>): string {
  const record = JSON.parse(generatedJson[index] ?? '{}') as Record<string, unknown>;
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete record[key];
    else record[key] = value;
  }
  return JSON.stringify(record);
}

const inboundJson = generatedJson.findIndex((l) => l.includes('"upstream_cluster":"inbound|'));
const outboundJson = generatedJson.findIndex((l) => l.includes('"upstream_cluster":"outbound|'));

/** JSON records at the edges of what the lean JSON reader takes: every value type in every field it reads. */
const jsonEdges: string[] = [outboundJson, inboundJson].flatMap((i) => [
  jsonWith(i, { response_code: '200' }),
  jsonWith(i, { response_code: '404' }),
  jsonWith(i, { response_code: 0 }),
  jsonWith(i, { response_code: '0' }),
  jsonWith(i, { response_code: 200.0 }),
  jsonWith(i, { response_code: 2e2 }),
  jsonWith(i, { response_code: null }),
  jsonWith(i, { response_code: undefined }),
  jsonWith(i, { response_code: '-' }),
  jsonWith(i, { response_code: 503 }),
  jsonWith(i, { response_flags: 'UH' }),
  jsonWith(i, { response_flags: 'DI' }),
  jsonWith(i, { response_flags: null }),
  jsonWith(i, { response_flags: undefined }),
  jsonWith(i, { response_flags: '' }),
  jsonWith(i, { response_flags: 5 }),
  jsonWith(i, { method: undefined }),
  jsonWith(i, { method: '-' }),
  jsonWith(i, { method: 'PROPFIND' }),
  jsonWith(i, { method: 7 }),
  jsonWith(i, { path: '' }),
  jsonWith(i, { path: '/items/42?x=1' }),
  jsonWith(i, { upstream_cluster: 'outbound|80||api.ns.svc.cluster.local;' }),
  jsonWith(i, { upstream_cluster: 'inbound-vip|80||web.ns.svc.cluster.local' }),
  jsonWith(i, { upstream_cluster: 'outbound|80||' }),
  jsonWith(i, { upstream_cluster: null }),
  jsonWith(i, { downstream_remote_address: '-' }),
  jsonWith(i, { downstream_remote_address: undefined }),
  jsonWith(i, { downstream_remote_address: '10.0.0.3:0', x_forwarded_for: '198.51.100.7, 10.0.0.9' }),
  jsonWith(i, { downstream_remote_address: '10.0.0.3:0', x_forwarded_for: '-' }),
  jsonWith(i, { downstream_remote_address: '10.0.0.3:0', x_forwarded_for: null }),
  jsonWith(i, { downstream_remote_address: '10.0.0.3:0', x_forwarded_for: undefined }),
  jsonWith(i, { downstream_remote_address: '10.0.0.3:0', x_forwarded_for: 12 }),
  jsonWith(i, { downstream_remote_address: '[fd00::3]:51234' }),
  jsonWith(i, { bytes_received: '12', bytes_sent: '-', duration: null }),
  jsonWith(i, { bytes_received: 1.5 }),
  jsonWith(i, { bytes_sent: -3 }),
  jsonWith(i, { duration: undefined, bytes_sent: '' }),
  jsonWith(i, { duration: '7' }),
  jsonWith(i, { duration: true }),
  jsonWith(i, { request_id: null }),
  jsonWith(i, { request_id: 12 }),
  jsonWith(i, { request_id: '-' }),
  jsonWith(i, { start_time: '2026-11-21T09:00:00Z' }),
  jsonWith(i, { start_time: '2026-13-21T09:00:00.000Z' }),
  jsonWith(i, { start_time: '2026-11-21 09:00:00.000Z' }),
  jsonWith(i, { start_time: 1795251600 }),
  jsonWith(i, { start_time: undefined }),
  jsonWith(i, { startTime: '2026-11-21T09:00:00.500Z' }),
  jsonWith(i, { status_code: 201 }),
  jsonWith(i, { path: '/caf\u00e9' }),
]);

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
  const lean = await summarizeLogs([source(lines, piece, eol)], { ...options, lean: true });
  const full = await summarizeLogs([source(lines, piece, eol)], { ...options, lean: false });
  expect(lean).toEqual(full);
}

describe('the lean TEXT path of the summary', () => {
  it('takes the common lines of generated traffic (or this test would prove nothing)', () => {
    const record = newLeanRecord();
    const taken = generated.filter((line) => readLeanText(line, record)).length;
    expect(taken / generated.length).toBeGreaterThan(0.8);
  });

  it('gives the full path’s report on generated traffic with errors', async () => {
    await agree(generated);
  });

  it('gives the full path’s report on generated JSON traffic, JSON values of every type, and both mixed', async () => {
    expect(inboundJson).toBeGreaterThanOrEqual(0);
    expect(outboundJson).toBeGreaterThanOrEqual(0);
    await agree(generatedJson);
    await agree([...generatedJson.slice(0, 200), ...jsonEdges, ...generatedJson.slice(200)]);
    await agree([...generated.slice(0, 300), ...generatedJson.slice(0, 300), ...generated.slice(300)]);
  });

  it('names a gateway caller from X-Forwarded-For only when the record has one', async () => {
    // Records of one key order are read lean from the second on; the field left out of B must not be
    // read from what A left in the scanner's memory.
    const a = jsonWith(inboundJson, {
      downstream_remote_address: '10.0.0.3:0',
      x_forwarded_for: '198.51.100.7',
    });
    const b = jsonWith(inboundJson, { downstream_remote_address: '10.0.0.3:0', x_forwarded_for: undefined });
    // The same bytes where A has its X-Forwarded-For, under a key no field wants.
    const c = a.replace('"x_forwarded_for"', '"x_forwarded_fox"');
    await agree([a, a, a, b, b, b, a, b, a, c, c, c]);
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

  it('gives the full path’s report on randomly damaged JSON lines (10,000)', async () => {
    const base = [...jsonEdges, ...generatedJson.slice(0, 300)];
    await agree([...base, ...damagedLines(base, 10_000, 20261122)]);
  });

  it('gives the full path’s report on randomly damaged lines (10,000)', async () => {
    const base = [...edges, ...generated.slice(0, 300)];
    await agree([...base, ...damagedLines(base, 10_000, 20261121)]);
  });
});
