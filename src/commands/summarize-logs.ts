/**
 * @module commands/summarize-logs
 * `meshbot logs`: read sources, summarise flows and findings. Shared by the CLI and the Slack bot.
 */
import type { RecordParser } from '../accesslog/custom-format.js';
import type { AddressResolver } from '../analysis/peer.js';
import type { SummaryReport } from '../analysis/report.js';
import { SummaryBuilder } from '../analysis/summarize.js';
import type { LogSource } from './ports.js';
import { readSources } from './read-sources.js';

export interface SummarizeLogsOptions {
  /** Leave out entries that started before this instant (epoch ms). */
  sinceMs?: number | null | undefined;
  customParser?: RecordParser | undefined;
  resolve?: AddressResolver | undefined;
  /** Notes to carry into the report (e.g. pods whose logs could not be read). */
  notes?: readonly string[] | undefined;
}

export async function summarizeLogs(
  sources: readonly LogSource[],
  options: SummarizeLogsOptions = {},
): Promise<SummaryReport> {
  const builder = new SummaryBuilder({ sinceMs: options.sinceMs, resolve: options.resolve });
  for (const note of options.notes ?? []) builder.note(note);
  await readSources(
    sources,
    (entry) => builder.add(entry),
    { customParser: options.customParser },
    ({ source, stats }) => builder.addSource(source.name, stats.entries, stats.skipped),
  );
  return builder.result();
}
