/**
 * @module commands/trace-request
 * `meshbot trace ID`: find every entry with that request id across sources and link the hops.
 * Lines are filtered by the id before they are parsed, so large inputs cost little more than a scan.
 */
import type { RecordParser } from '../accesslog/custom-format.js';
import type { AccessLogEntry } from '../accesslog/entry.js';
import type { SourceStats, TraceReport } from '../analysis/report.js';
import { buildTrace, type TraceContext } from '../analysis/trace.js';
import { escapeRegExp } from '../core/escape-reg-exp.js';
import type { LogSource } from './ports.js';
import { readSources } from './read-sources.js';
import { validateRequestId } from './request-id.js';

export interface TraceRequestOptions {
  customParser?: RecordParser | undefined;
  /** Entries that started before this instant (epoch ms) are left out (`--since`). */
  sinceMs?: number | null | undefined;
  /**
   * A source's line number as the report gives it, from its line number in the text read: a live trace
   * reads only the lines holding the id, and its hops name their lines in the pod's log.
   */
  lineOf?: ((source: string, line: number) => number) | undefined;
  /** How many logs were searched (default: the sources given). */
  logsSearched?: number | undefined;
  /** Reading stops when this aborts (Ctrl-C): the trace is of what was read, and says so. */
  signal?: AbortSignal | undefined;
}

/** The note a trace of files cut short by a signal starts with. */
export const INTERRUPTED_TRACE_NOTE =
  'interrupted: partial input. Reading stopped at the signal; hops in what was not read are missing.';

/** Shortest id taken as a prefix, and bounds on what a prefix search keeps. */
const MIN_PREFIX = 8;
const MAX_CANDIDATES = 20;
const MAX_PREFIXED = 5000;

export async function traceRequest(
  requestId: string,
  sources: readonly LogSource[],
  options: TraceRequestOptions = {},
): Promise<TraceReport> {
  const id = validateRequestId(requestId);
  const lower = id.toLowerCase();
  // One case-insensitive scan per record, no allocation: most records do not hold the id.
  const mentionsId = new RegExp(escapeRegExp(id), 'i');
  const prefilter = (text: string) => mentionsId.test(text);
  const matches: AccessLogEntry[] = [];
  // A prefix (users copy the first 8 characters) finds the full id when no entry has exactly this one.
  const byPrefix = new Map<string, AccessLogEntry[]>();
  let prefixed = 0;
  const lineOf = options.lineOf;
  const results = await readSources(
    sources,
    (entry) => {
      const found = entry.request_id?.toLowerCase();
      if (found === undefined) return;
      if (lineOf !== undefined) entry.line = lineOf(entry.source, entry.line);
      if (found === lower) matches.push(entry);
      else if (id.length >= MIN_PREFIX && found.startsWith(lower) && prefixed < MAX_PREFIXED) {
        const list = byPrefix.get(found);
        if (list !== undefined) list.push(entry);
        else if (byPrefix.size < MAX_CANDIDATES) byPrefix.set(found, [entry]);
        prefixed++;
      }
    },
    { customParser: options.customParser, prefilter, signal: options.signal },
  );
  const stats: SourceStats[] = results.map(({ source, stats: s }) => ({
    name: source.name,
    entries: s.entries,
    skipped_lines: Object.values(s.skipped).reduce((a, b) => a + b, 0),
  }));
  const totals = {
    sources: stats,
    logs_searched: options.logsSearched ?? sources.length,
    skipped_lines: stats.reduce((a, s) => a + s.skipped_lines, 0),
    sinceMs: options.sinceMs,
  };
  const report = traceOf(id, matches, byPrefix, totals);
  if (options.signal?.aborted !== true) return report;
  report.notes.unshift({ kind: 'info', hop: null, message: INTERRUPTED_TRACE_NOTE });
  return { ...report, interrupted: true, partial_input: true };
}

function traceOf(
  id: string,
  matches: AccessLogEntry[],
  byPrefix: Map<string, AccessLogEntry[]>,
  totals: TraceContext,
): TraceReport {
  if (matches.length === 0 && byPrefix.size === 1) {
    const [[full, entries] = ['', []]] = [...byPrefix];
    const original = entries[0]?.request_id ?? full;
    const report = buildTrace(original, entries, totals);
    report.notes.unshift({
      kind: 'info',
      hop: null,
      message: `${id} is the start of ${original}: traced that`,
    });
    return report;
  }
  if (matches.length === 0 && byPrefix.size > 1) {
    const report = buildTrace(id, [], totals);
    const candidates = [...byPrefix.values()].map((e) => e[0]?.request_id ?? '').filter((c) => c !== '');
    report.notes.unshift({
      kind: 'info',
      hop: null,
      message: `${byPrefix.size >= MAX_CANDIDATES ? 'many' : byPrefix.size} request ids start with ${id}: ${candidates.slice(0, 5).join(', ')}${candidates.length > 5 ? ', …' : ''}; give more of the id`,
    });
    return report;
  }
  return buildTrace(id, matches, totals);
}
