/**
 * The summary's lean TEXT path against the full one: for every input, `summarizeLogs` must give the same
 * report with the lean reader (accesslog/lean-text, `SummaryBuilder.addLean`) as without it — real
 * fixtures, generated traffic with errors, every TEXT shape the parser knows, `--since`, a resolver, and
 * random damage to real lines. And the lean path must actually take the common lines.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
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

/** Hand-made shapes at the edges of what the lean reader takes. */
const edges: string[] = [
  // TCP, inbound with port 0 (caller from XFF) and without XFF, a trailing `;` on the cluster, 4xx, 5xx,
  // code 0 on HTTP, flags, no path, `-` method, IPv6 remote, an unusual method, a non-canonical time.
  '[2026-11-21T09:00:00.001Z] "- - -" 0 - - - "-" 120 340 7 - "-" "-" "-" "-" "10.0.0.9:3306" outbound|3306||mysql.db.svc.cluster.local 10.0.0.1:4000 10.96.0.9:3306 10.0.0.1:3999 - -',
  '[2026-11-21T09:00:00.002Z] "GET /a HTTP/1.1" 200 - via_upstream - "-" 0 10 1 1 "198.51.100.7, 10.0.0.3" "curl" "id-1" "web:80" "10.0.0.2:80" inbound|80|| 127.0.0.6:40000 10.0.0.2:80 10.0.0.3:0 outbound_.80_._.web.ns.svc.cluster.local default',
  '[2026-11-21T09:00:00.003Z] "GET /a HTTP/1.1" 200 - via_upstream - "-" 0 10 1 1 "-" "curl" "id-2" "web:80" "10.0.0.2:80" inbound|80|| 127.0.0.6:40000 10.0.0.2:80 10.0.0.3:0 outbound_.80_._.web.ns.svc.cluster.local default',
  '[2026-11-21T09:00:00.004Z] "GET /b/12 HTTP/1.1" 200 - via_upstream - "-" 0 10 1 1 "-" "curl" "id-3" "api:80" "10.0.0.5:80" outbound|80||api.ns.svc.cluster.local; 10.0.0.1:5000 10.96.0.5:80 10.0.0.1:4999 - default',
  '[2026-11-21T09:00:00.005Z] "GET /b/13 HTTP/1.1" 404 - via_upstream - "-" 0 10 1 1 "-" "curl" "id-4" "api:80" "10.0.0.5:80" outbound|80||api.ns.svc.cluster.local 10.0.0.1:5000 10.96.0.5:80 10.0.0.1:4999 - default',
  '[2026-11-21T09:00:00.006Z] "GET /b/14 HTTP/1.1" 503 - via_upstream - "-" 0 10 1 1 "-" "curl" "id-5" "api:80" "10.0.0.5:80" outbound|80||api.ns.svc.cluster.local 10.0.0.1:5000 10.96.0.5:80 10.0.0.1:4999 - default',
  '[2026-11-21T09:00:00.007Z] "GET /b/15 HTTP/1.1" 0 - - - "-" 0 0 1 - "-" "curl" "id-6" "api:80" "-" outbound|80||api.ns.svc.cluster.local - 10.96.0.5:80 10.0.0.1:4999 - default',
  '[2026-11-21T09:00:00.008Z] "GET /b/16 HTTP/1.1" 200 DI via_upstream - "-" 0 10 1 1 "-" "curl" "id-7" "api:80" "10.0.0.5:80" outbound|80||api.ns.svc.cluster.local 10.0.0.1:5000 10.96.0.5:80 10.0.0.1:4999 - default',
  '[2026-11-21T09:00:00.009Z] "GET HTTP/1.1" 200 - via_upstream - "-" 0 10 1 1 "-" "curl" "id-8" "api:80" "10.0.0.5:80" outbound|80||api.ns.svc.cluster.local 10.0.0.1:5000 10.96.0.5:80 10.0.0.1:4999 - default',
  '[2026-11-21T09:00:00.010Z] "- /x HTTP/1.1" 200 - via_upstream - "-" 0 10 1 1 "-" "curl" "id-9" "api:80" "10.0.0.5:80" outbound|80||api.ns.svc.cluster.local 10.0.0.1:5000 10.96.0.5:80 10.0.0.1:4999 - default',
  '[2026-11-21T09:00:00.011Z] "GET /c HTTP/1.1" 200 - via_upstream - "-" 0 10 1 1 "-" "curl" "id-10" "web:80" "[fd00::2]:80" inbound|80|| [::6]:40000 [fd00::2]:80 [fd00::3]:51234 - default',
  '[2026-11-21T09:00:00.012Z] "PROPFIND /d HTTP/1.1" 207 - via_upstream - "-" 0 10 1 1 "-" "dav" "id-11" "api:80" "10.0.0.5:80" outbound|80||api.ns.svc.cluster.local 10.0.0.1:5000 10.96.0.5:80 10.0.0.1:4999 - default',
  '[2026-11-21T09:00:00Z] "GET /e HTTP/1.1" 200 - via_upstream - "-" 0 10 1 1 "-" "curl" "id-12" "api:80" "10.0.0.5:80" outbound|80||api.ns.svc.cluster.local 10.0.0.1:5000 10.96.0.5:80 10.0.0.1:4999 - default',
  '[2026-13-21T09:00:00.013Z] "GET /e HTTP/1.1" 200 - via_upstream - "-" 0 10 1 1 "-" "curl" "id-13" "api:80" "10.0.0.5:80" outbound|80||api.ns.svc.cluster.local 10.0.0.1:5000 10.96.0.5:80 10.0.0.1:4999 - default',
  '[2026-11-21T09:00:00.014Z] "GET /f HTTP/1.1" 200 - via_upstream - "-" 0 10 1 1 "-" "curl" "id-14" "api:80" "10.0.0.5:80" outbound|80|v2|api.ns.svc.cluster.local 10.0.0.1:5000 10.96.0.5:80 10.0.0.1:4999 - default',
  '[2026-11-21T09:00:00.015Z] "GET /g HTTP/1.1" 200 - via_upstream - "-" 0 10 1 1 "-" "curl" "id-15" "api:80" "10.0.0.5:80" outbound|80|| 10.0.0.1:5000 10.96.0.5:80 10.0.0.1:4999 - default',
  '[2026-11-21T09:00:00.016Z] "GET /h HTTP/1.1" 200 - via_upstream - "-" 0 10 1 1 "-" "curl" "id-16" "other:80" "10.0.0.6:80" outbound|80|| 10.0.0.1:5000 10.96.0.6:80 10.0.0.1:4999 - default',
  '[2026-11-21T09:00:00.017Z] "GET /i HTTP/1.1" 200 - via_upstream - "-" 0 10 1 1 "-" "curl" "id-17" "web:80" "10.0.0.2:80" inbound-vip|80||web.ns.svc.cluster.local 10.0.0.2:40000 10.0.0.2:80 10.0.0.3:51234 - default',
  '[2026-11-21T09:00:00.018Z] "GET /j HTTP/1.1" 200 - via_upstream - "-" 0 10 1 1 "-" "curl" "id-18" "web:80" "10.0.0.2:80" inbound|80|| 127.0.0.6:40000 10.0.0.2:80 - - default',
];

function source(lines: readonly string[], name = 'f.log'): LogSource {
  return {
    name,
    async *read() {
      yield `${lines.join('\n')}\n`;
    },
  };
}

async function agree(lines: readonly string[], options: SummarizeLogsOptions = {}): Promise<void> {
  const lean = await summarizeLogs([source(lines)], { ...options, leanText: true });
  const full = await summarizeLogs([source(lines)], { ...options, leanText: false });
  expect(lean).toEqual(full);
}

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAMAGE = [' ', '"', '-', '0', '9', ':', ';', '|', ']', 'x', ',', '{'];

function damage(line: string, next: () => number): string {
  const at = Math.floor(next() * line.length);
  const r = next();
  const char = DAMAGE[Math.floor(next() * DAMAGE.length)] ?? ' ';
  if (r < 0.3) return line.slice(0, at) + line.slice(at + 1);
  if (r < 0.6) return line.slice(0, at) + char + line.slice(at);
  if (r < 0.9) return line.slice(0, at) + char + line.slice(at + 1);
  return line.slice(0, at);
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

  it('gives the full path’s report on randomly damaged lines (3,000)', async () => {
    const next = random(20261121);
    const base = [...edges, ...generated.slice(0, 300)];
    const damaged: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const line = base[Math.floor(next() * base.length)] ?? '';
      damaged.push(next() < 0.3 ? damage(damage(line, next), next) : damage(line, next));
    }
    await agree([...base, ...damaged]);
  });
});
