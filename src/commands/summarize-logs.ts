/**
 * @module commands/summarize-logs
 * `meshbot logs`: read sources, summarise flows and findings. Shared by the CLI and the Slack bot.
 */
import type { RecordParser } from '../accesslog/custom-format.js';
import { writeChunk } from '../accesslog/kernel.js';
import { newLeanTextRecord, readLeanText } from '../accesslog/lean-text.js';
import type { FastTextReader } from '../accesslog/log-parser.js';
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
  /**
   * Count plain TEXT records without building entries (accesslog/lean-text). Default true; the report is
   * the same either way (tested), so false exists for that test.
   */
  leanText?: boolean | undefined;
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
    {
      customParser: options.customParser,
      fastText: options.leanText === false ? undefined : leanReader(builder),
    },
    ({ source, stats }) => builder.addSource(source.name, stats.entries, stats.skipped),
  );
  return builder.result();
}

/** Counts plain TEXT records straight into the summary (see `FastTextReader`, accesslog/lean-text). */
function leanReader(builder: SummaryBuilder): FastTextReader {
  const record = newLeanTextRecord();
  // The chunk is written into the module's memory at its first TEXT record: a chunk of JSON never is.
  let chunk = '';
  let written: boolean | null = null;
  return {
    chunk(next) {
      chunk = next;
      written = null;
    },
    record(text, at) {
      if (at >= 0 && written === null) written = writeChunk(chunk);
      return readLeanText(text, record, written === true ? at : -1) && builder.addLean(record);
    },
  };
}
