/**
 * @module commands/trace-request
 * `meshbot trace ID`: find every entry with that request id across sources and link the hops.
 * Lines are filtered by the id before they are parsed, so large inputs cost little more than a scan.
 */
import type { RecordParser } from '../accesslog/custom-format.js';
import type { AccessLogEntry } from '../accesslog/entry.js';
import type { SourceStats, TraceReport } from '../analysis/report.js';
import { buildTrace } from '../analysis/trace.js';
import { MeshbotError } from '../core/errors.js';
import { escapeRegExp } from '../core/escape-reg-exp.js';
import type { LogSource } from './ports.js';
import { readSources } from './read-sources.js';

export interface TraceRequestOptions {
  customParser?: RecordParser | undefined;
}

/** Request ids are opaque (Envoy rewrites a UUID digit), but they never hold spaces, quotes or control characters. */
const REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:+/=-]{0,199}$/;

export function validateRequestId(id: string): string {
  const trimmed = id.trim();
  if (!REQUEST_ID.test(trimmed)) {
    throw new MeshbotError(
      'invalid_request_id',
      `"${trimmed.slice(0, 60).replace(/[^\x20-\x7e]/g, '?')}" is not a request id: expected the x-request-id value from an access log, e.g. be5acb4a-9e3e-4540-814d-07c2c7dcf7f1`,
      { id: trimmed.slice(0, 200) },
    );
  }
  return trimmed;
}

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
  const results = await readSources(
    sources,
    (entry) => {
      if (entry.request_id !== null && entry.request_id.toLowerCase() === lower) matches.push(entry);
    },
    { customParser: options.customParser, prefilter },
  );
  const stats: SourceStats[] = results.map(({ source, stats: s }) => ({
    name: source.name,
    entries: s.entries,
    skipped_lines: Object.values(s.skipped).reduce((a, b) => a + b, 0),
  }));
  return buildTrace(id, matches, {
    sources: stats,
    skipped_lines: stats.reduce((a, s) => a + s.skipped_lines, 0),
  });
}
