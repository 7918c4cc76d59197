/**
 * @module commands/summarize-logs
 * `meshbot logs`: read sources, summarise flows and findings. Shared by the CLI and the Slack bot.
 */
import type { RecordParser } from '../accesslog/custom-format.js';
import { writeChunk } from '../accesslog/kernel.js';
import { newLeanRecord, readLeanJson, readLeanText } from '../accesslog/lean-record.js';
import type { FastReader } from '../accesslog/log-parser.js';
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
   * Count plain TEXT and JSON records without building entries (accesslog/lean-record). Default true; the
   * report is the same either way (tested), so false exists for that test.
   */
  lean?: boolean | undefined;
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
      fast: options.lean === false ? undefined : leanReader(builder),
    },
    ({ source, stats }) => builder.addSource(source.name, stats.entries, stats.skipped),
  );
  return builder.result();
}

/** Counts plain records straight into the summary (see `FastReader`, accesslog/lean-record). */
function leanReader(builder: SummaryBuilder): FastReader {
  const record = newLeanRecord();
  // The chunk is written into the module's memory at its first record offered, so only once.
  let chunk = '';
  let written: boolean | null = null;
  const inChunk = (at: number): number => {
    if (at < 0) return -1;
    if (written === null) written = writeChunk(chunk);
    return written ? at : -1;
  };
  return {
    chunk(next) {
      chunk = next;
      written = null;
    },
    text(text, at) {
      return readLeanText(text, record, inChunk(at)) && builder.addLean(record);
    },
    json(text, at) {
      return readLeanJson(text, record, inChunk(at)) && builder.addLean(record);
    },
  };
}
