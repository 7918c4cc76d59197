/**
 * @module commands/summarize-logs
 * `meshbot logs`: read sources, summarise flows and findings. Shared by the CLI and the Slack bot.
 */
import type { RecordParser } from '../accesslog/custom-format.js';
import type { AccessLogEntry, ConnectionRecord } from '../accesslog/entry.js';
import type { ParseStats } from '../accesslog/log-parser.js';
import type { AddressResolver } from '../analysis/peer.js';
import type { PodDirectory } from '../analysis/pod-ref.js';
import type { SummaryReport } from '../analysis/report.js';
import { SummaryBuilder } from '../analysis/summarize.js';
import { timeKey } from '../analysis/time-key.js';
import type { LogSource } from './ports.js';
import { readSources } from './read-sources.js';

export interface SummarizeLogsOptions {
  /** Leave out entries that started before this instant (epoch ms). */
  sinceMs?: number | null | undefined;
  customParser?: RecordParser | undefined;
  resolve?: AddressResolver | undefined;
  /** The pods a live read listed: the findings' commands name their namespace and app container. */
  pods?: PodDirectory | undefined;
  /** Notes to carry into the report (e.g. pods whose logs could not be read). */
  notes?: readonly string[] | undefined;
  /**
   * Read every line the general way (see `LogParserOptions.general`): the report is the same either way
   * (tested), so this exists for that test.
   */
  general?: boolean | undefined;
  /** Only entries this keeps are counted (`logs --file F WORKLOAD`), and its note says what it matched. */
  filter?: EntryFilter | undefined;
  /**
   * Keeps the entries and connection records of shared logs that concern the target (an ambient pod's
   * ztunnel and waypoint, see commands/ambient-sources); may set an entry's direction. No note.
   */
  select?:
    | { entry(entry: AccessLogEntry): boolean; connection(record: ConnectionRecord): boolean }
    | undefined;
  /**
   * Reading stops when this aborts (Ctrl-C): the report covers what was read and says so
   * (`interrupted`, `partial_input`, and a note first).
   */
  signal?: AbortSignal | undefined;
}

/** Keeps some entries (`commands/workload-filter`). */
export interface EntryFilter {
  keep(entry: AccessLogEntry): boolean;
  /** ztunnel's connection records it keeps; without it, all of them. */
  keepConnection?(record: ConnectionRecord): boolean;
  /** What it kept and left out; asked once, after reading. */
  note(): string;
}

/** The note an interrupted summary starts with. */
export const INTERRUPTED_NOTE =
  'interrupted: partial input. Reading stopped at the signal; these counts cover only what was read until then.';

export async function summarizeLogs(
  sources: readonly LogSource[],
  options: SummarizeLogsOptions = {},
): Promise<SummaryReport> {
  const builder = new SummaryBuilder({
    sinceMs: options.sinceMs,
    resolve: options.resolve,
    pods: options.pods,
  });
  for (const note of options.notes ?? []) builder.note(note);
  const filter = options.filter;
  const select = options.select;
  const results = await readSources(
    sources,
    (entry) => {
      if ((select === undefined || select.entry(entry)) && (filter === undefined || filter.keep(entry)))
        builder.add(entry);
    },
    {
      customParser: options.customParser,
      general: options.general,
      signal: options.signal,
      onConnection: (record) => {
        if (select !== undefined && !select.connection(record)) return;
        if (filter?.keepConnection === undefined || filter.keepConnection(record))
          builder.addConnection(record);
      },
    },
    ({ source, stats }) => builder.addSource(source.name, stats.entries + stats.connections, stats.skipped),
  );
  const notALog = notLogLines(results.map((r) => r.stats));
  if (filter !== undefined) {
    builder.note(filter.note());
    if (results.some((r) => r.stats.entries > 0)) builder.explainEmpty();
  } else if (notALog > 0) {
    builder.explainEmpty(
      `No access-log entries found: ${notALog === 1 ? 'the line read is' : `the ${notALog} lines read are`} not an Istio proxy's log (no access-log entry, no timestamped log line). Check the input.`,
    );
  }
  const report = builder.result();
  if (options.signal?.aborted !== true) return report;
  return { ...report, notes: [INTERRUPTED_NOTE, ...report.notes], interrupted: true, partial_input: true };
}

/**
 * The lines of an input that is text but no proxy log at all (a README, a YAML file): no entry, no line
 * that looked like one, no timestamped log line. 0 otherwise, and for an empty input (a quiet proxy).
 */
export function notLogLines(stats: readonly ParseStats[]): number {
  let other = 0;
  for (const s of stats) {
    const k = s.skipped;
    if (s.entries > 0 || s.connections > 0 || s.log_lines > 0 || k.malformed + k.too_long + k.truncated > 0)
      return 0;
    other += k.not_access_log + k.binary;
  }
  return other;
}

/**
 * The start of the newest entry in `sources` (epoch ms), or null when none has a time: the first pass of
 * `--since` over saved files.
 */
export async function newestEntryMs(
  sources: readonly LogSource[],
  options: { customParser?: RecordParser | undefined; signal?: AbortSignal | undefined } = {},
): Promise<number | null> {
  let newest = Number.NEGATIVE_INFINITY;
  const see = (key: number) => {
    if (key > newest) newest = key;
  };
  await readSources(
    sources,
    (entry) => {
      if (entry.start_time !== null) see(timeKey(entry.start_time));
    },
    { customParser: options.customParser, signal: options.signal },
  );
  return Number.isFinite(newest) ? newest : null;
}
