/** `parse`: NDJSON with a `pod` key from a log tool's prefix, and skipped lines counted as `logs` counts them. */
import { describe, expect, it } from 'vitest';
import { FIXTURE_LINES } from '../../../test/support/fixture-lines.js';
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
