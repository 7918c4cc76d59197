/**
 * @module accesslog/entry
 * The *entry*: one parsed Envoy access-log record. Field names are snake_case because they are the
 * wire contract of `meshbot parse` (NDJSON) and of the JSON reports; the same object flows through
 * parse → analyse → render without a mapping layer.
 */

export type Direction = 'inbound' | 'outbound' | 'unknown';
export type EntryFormat = 'text' | 'json';

export interface AccessLogEntry {
  /** 1-based line number where the entry starts in its input. */
  line: number;
  /** File name the entry came from, or `-` for stdin. */
  source: string;
  format: EntryFormat;
  /** ISO 8601 with milliseconds (UTC), or null when the line has no parseable start time. */
  start_time: string | null;
  method: string | null;
  path: string | null;
  protocol: string | null;
  /** 0 for TCP or when no response was sent; null only when a custom format does not log it. */
  response_code: number | null;
  /** Short codes (`UH`, `UF`, …), `[]` for none. Unknown codes are kept as they were written. */
  response_flags: string[];
  response_code_details: string | null;
  connection_termination_details: string | null;
  upstream_transport_failure_reason: string | null;
  bytes_received: number | null;
  bytes_sent: number | null;
  duration_ms: number | null;
  upstream_service_time_ms: number | null;
  x_forwarded_for: string | null;
  user_agent: string | null;
  request_id: string | null;
  authority: string | null;
  upstream_host: string | null;
  upstream_cluster: string | null;
  upstream_local_address: string | null;
  downstream_local_address: string | null;
  downstream_remote_address: string | null;
  requested_server_name: string | null;
  route_name: string | null;
  direction: Direction;
  /**
   * Who wrote the line when a log tool said so: the pod of a `[pod container]` prefix (stern, kubetail,
   * `kubectl logs --prefix`), or the pod the live reader fetched it from. Not part of `meshbot parse` output.
   */
  origin: string | null;
}

/** The keys of `meshbot parse` output, in output order. */
export const ENTRY_OUTPUT_KEYS = [
  'line',
  'source',
  'format',
  'start_time',
  'method',
  'path',
  'protocol',
  'response_code',
  'response_flags',
  'response_code_details',
  'connection_termination_details',
  'upstream_transport_failure_reason',
  'bytes_received',
  'bytes_sent',
  'duration_ms',
  'upstream_service_time_ms',
  'x_forwarded_for',
  'user_agent',
  'request_id',
  'authority',
  'upstream_host',
  'upstream_cluster',
  'upstream_local_address',
  'downstream_local_address',
  'downstream_remote_address',
  'requested_server_name',
  'route_name',
  'direction',
] as const satisfies readonly (keyof AccessLogEntry)[];

/**
 * Why a line did not become an entry. Parsers never throw: every input line ends up as an entry or
 * as one of these, and summaries count them.
 */
export type SkipReason =
  /** Empty or whitespace-only. */
  | 'blank'
  /** A proxy/agent/app log line (pilot-agent, Envoy's own log, JSON app logs, ztunnel). */
  | 'not_access_log'
  /** Looked like an access log (bracketed time, JSON with access-log keys) but did not parse. */
  | 'malformed'
  /** Longer than the line limit; the rest of it was discarded without buffering. */
  | 'too_long'
  /** Control bytes or invalid UTF-8: binary data, not text. */
  | 'binary'
  /** The last line of the input ended mid-record (no newline and not parseable, or an unclosed JSON object). */
  | 'truncated';

export const SKIP_REASONS: readonly SkipReason[] = [
  'blank',
  'not_access_log',
  'malformed',
  'too_long',
  'binary',
  'truncated',
];

export type ParseResult = { ok: true; entry: AccessLogEntry } | { ok: false; reason: SkipReason };

/** Where a line came from: the input's name and the 1-based line number. */
export interface LineOrigin {
  source: string;
  line: number;
}
