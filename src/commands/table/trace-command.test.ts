/** `trace ID --file … --since`: hops that started before the window are left out, and the report says so. */
import { describe, expect, it } from 'vitest';
import { accessLine } from '../../../test/integration/live-fixtures.js';
import type { TraceReport } from '../../analysis/report.js';
import type { CommandDeps } from '../command-deps.js';
import { parseTokens, prepareCommand } from '../command-table.js';
import { textSource } from '../ports.js';

const ID = 'be5acb4a-9e3e-4540-814d-07c2c7dcf7f1';
const notUsed = (): Promise<never> => Promise.reject(new Error('not used by this test'));

const line = (secondsAgo: number, direction: 'inbound' | 'outbound') =>
  accessLine({
    secondsAgo,
    direction,
    id: ID,
    service: 'back.shop.svc.cluster.local',
    serverIp: '10.1.0.5',
    clientIp: '10.1.0.9',
  }).text;

async function trace(args: string[], files: Record<string, string>): Promise<TraceReport> {
  const deps: CommandDeps = {
    clock: () => Date.parse('2030-01-01T00:00:00Z'),
    requester: 'test',
    maxLoggingMs: 3600_000,
    cluster: notUsed,
    istio: notUsed,
    leases: notUsed,
    files: async (paths) => paths.map((p) => textSource(p, files[p] ?? '')),
  };
  const prepared = prepareCommand(parseTokens(['trace', ID, ...args], 'cli'), { maxLoggingMs: 3600_000 });
  return (await prepared.run(deps)) as TraceReport;
}

describe('trace --file --since', () => {
  // The same id twice: an attempt 3 minutes before the newest entry, and the last one.
  const files = {
    'front.log': `${line(180, 'outbound')}\n${line(10, 'outbound')}\n`,
    'back.log': `${line(179.99, 'inbound')}\n${line(9.99, 'inbound')}\n`,
  };

  it('draws every hop without --since', async () => {
    const report = await trace(['-f', 'front.log', '-f', 'back.log'], files);
    expect(report.hops).toHaveLength(4);
  });

  it('counts the window back from the newest entry in the files and leaves older hops out', async () => {
    const report = await trace(['-f', 'front.log', '-f', 'back.log', '--since', '1m'], files);
    expect(report.hops.map((h) => h.start_time)).toEqual([
      '2024-05-01T11:59:50.000Z',
      '2024-05-01T11:59:50.010Z',
    ]);
    const notes = report.notes.map((n) => n.message);
    expect(
      notes.some((m) => m.startsWith('2 entries of this request started before the --since window')),
    ).toBe(true);
    expect(notes.some((m) => m.startsWith('--since 1m: entries that started after'))).toBe(true);
    expect(report.sources.map((s) => [s.name, s.entries])).toEqual([
      ['front.log', 1],
      ['back.log', 1],
    ]);
  });
});
