/** `parse`: NDJSON with a `pod` key from a log tool's prefix, and skipped lines counted as `logs` counts them. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIXTURE_LINES } from '../../../test/support/fixture-lines.js';
import { CONNECTION_OUTPUT_KEYS, ENTRY_OUTPUT_KEYS } from '../../accesslog/entry.js';
import type { CommandDeps } from '../command-deps.js';
import { parseTokens, prepareCommand } from '../command-table.js';
import { textSource } from '../ports.js';
import { summarizeLogs } from '../summarize-logs.js';

const notUsed = (): Promise<never> => Promise.reject(new Error('not used by this test'));

async function parse(text: string): Promise<{ records: Record<string, unknown>[]; report: unknown }> {
  let out = '';
  const deps: CommandDeps = {
    clock: () => 0,
    requester: 'test',
    maxLoggingMs: 3600_000,
    cluster: notUsed,
    istio: notUsed,
    leases: notUsed,
    files: async (paths) => paths.map((p) => textSource(p, text)),
    ndjson: async (chunk) => {
      out += chunk;
    },
  };
  const prepared = prepareCommand(parseTokens(['parse', 'in.log'], 'cli'), { maxLoggingMs: 3600_000 });
  const report = await prepared.run(deps);
  const records = out
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { records, report };
}

const line = FIXTURE_LINES.find((l) => l.startsWith('[')) ?? '';
/** The first real ztunnel line of test/fixtures/envoy-family/ztunnel-text.jsonl (kiali/kiali's ztunnel.log). */
const ztunnel = (
  JSON.parse(
    readFileSync(
      new URL('../../../test/fixtures/envoy-family/ztunnel-text.jsonl', import.meta.url),
      'utf8',
    ).split('\n')[0] ?? '',
  ) as { line: string }
).line;

describe('parse', () => {
  it('keeps the pod of a [pod/NAME/CONTAINER] or stern prefix as a pod key, null without one', async () => {
    const { records } = await parse(
      [`[pod/reviews-v2-5d8f/istio-proxy] ${line}`, `reviews-v3-9a1b istio-proxy ${line}`, line, ''].join(
        '\n',
      ),
    );
    expect(records.map((r) => r.pod)).toEqual(['reviews-v2-5d8f', 'reviews-v3-9a1b', null]);
    expect(Object.keys(records[0] ?? {}).at(-1)).toBe('pod');
  });

  it('writes kind first: request for an entry, connection for a ztunnel record, each with its keys in order', async () => {
    const { records, report } = await parse(`${line}\n[pod/ztunnel-x7k2p/istio-proxy] ${ztunnel}\n`);
    expect(records.map((r) => Object.keys(r))).toEqual([
      ['kind', ...ENTRY_OUTPUT_KEYS, 'pod'],
      [...CONNECTION_OUTPUT_KEYS, 'pod'],
    ]);
    expect(records[0]).toMatchObject({ kind: 'request', line: 1 });
    expect(records[1]).toEqual({
      kind: 'connection',
      line: 2,
      source: 'in.log',
      format: 'text',
      timestamp: '2024-04-12T10:17:44.080Z',
      level: 'info',
      message: 'connection complete',
      src_addr: '10.244.0.16:52008',
      src_workload: 'productpage-v1-87d54dd59-fzflt',
      src_namespace: 'bookinfo',
      src_identity: 'spiffe://cluster.local/ns/bookinfo/sa/bookinfo-productpage',
      src_cluster: null,
      dst_addr: '10.244.0.14:15008',
      dst_hbone_addr: null,
      dst_service: 'reviews.bookinfo.svc.cluster.local',
      dst_workload: 'reviews-v2-6f9b55c5db-vnpzr',
      dst_namespace: 'bookinfo',
      dst_identity: 'spiffe://cluster.local/ns/bookinfo/sa/bookinfo-reviews',
      dst_cluster: null,
      direction: 'outbound',
      bytes_sent: 200,
      bytes_recv: 603,
      duration_ms: 2,
      error: null,
      pod: 'ztunnel-x7k2p',
    });
    // A connection record is not a skipped line.
    expect(report).toEqual({ kind: 'parse', lines: 2, skipped: {} });
  });

  it('counts skipped lines as logs does (blank lines are not skipped lines)', async () => {
    const text = [
      line,
      '',
      'pilot-agent says hello',
      '[2024-05-01T00:00:00.000Z] "GET / HTTP/1.1" x',
      '',
      line,
      '',
    ].join('\n');
    const { report } = await parse(text);
    const summary = await summarizeLogs([textSource('in.log', text)]);
    expect(report).toMatchObject({ kind: 'parse', skipped: summary.skipped });
    expect(summary.totals.skipped_lines).toBe(2);
    expect(
      Object.values((report as { skipped: Record<string, number> }).skipped).reduce((a, b) => a + b, 0),
    ).toBe(summary.totals.skipped_lines);
  });
});
