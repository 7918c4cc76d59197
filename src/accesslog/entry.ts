/**
 * @module accesslog/entry
 * The *entry*: one parsed Envoy access-log record; beside it the *connection record* of ztunnel's L4 log.
 * Field names are snake_case because they are the wire contract of `meshbot parse` (NDJSON) and of the
 * JSON reports; the same object flows through parse → analyse → render without a mapping layer.
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

/**
 * The keys of an entry in `meshbot parse` output, in output order, after `"kind": "request"` (which tells
 * entries from connection records).
 */
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
 * A *connection record*: one L4 connection as Istio's ambient-mode node proxy, ztunnel, logs it (target
 * `access`: `connection opened`, `connection complete`, `connection failed`). Not an entry: it has no
 * request, code or route. Keys the record does not have are null (ztunnel leaves them out, never `-`).
 * Snake_case for the same reason as the entry's: they are `meshbot parse`'s keys.
 */
export interface ConnectionRecord {
  kind: 'connection';
  /** 1-based line number where the record starts in its input. */
  line: number;
  /** File name the record came from, or `-` for stdin. */
  source: string;
  /** `text`: ztunnel's default layouts; `json`: `LOG_FORMAT=json`. */
  format: EntryFormat;
  /** ISO 8601 with milliseconds (UTC), truncated as `start_time` is; null when the line has no time. */
  timestamp: string | null;
  /** The log level, lower case (`info`; `error` for a connection that ended in an error). */
  level: string | null;
  /** `connection complete`, `connection opened` or `connection failed`, as logged. */
  message: string | null;
  src_addr: string | null;
  src_workload: string | null;
  src_namespace: string | null;
  /** SPIFFE id of the source; absent without mTLS. */
  src_identity: string | null;
  /** `src.cluster`, written by builds from July 2026 on. */
  src_cluster: string | null;
  /** The address ztunnel connected to (the HBONE port 15008 of a peer ztunnel or waypoint, or the pod). */
  dst_addr: string | null;
  /** The address inside the HBONE tunnel (the pod or service port), when HBONE was used. */
  dst_hbone_addr: string | null;
  dst_service: string | null;
  dst_workload: string | null;
  dst_namespace: string | null;
  dst_identity: string | null;
  dst_cluster: string | null;
  /** As logged: `outbound` by the source's ztunnel, `inbound` by the destination's. */
  direction: 'inbound' | 'outbound' | null;
  bytes_sent: number | null;
  bytes_recv: number | null;
  /** From `duration="12ms"`; null on `connection opened`/`connection failed`, which have none. */
  duration_ms: number | null;
  /** The error text of a failed connection (`connection closed due to policy rejection: …`). */
  error: string | null;
  /** As {@link AccessLogEntry.origin}: the pod a log tool's prefix or the live reader named. Not output. */
  origin: string | null;
}

/** The keys of a connection record in `meshbot parse` output, in output order (`kind` first). */
export const CONNECTION_OUTPUT_KEYS = [
  'kind',
  'line',
  'source',
  'format',
  'timestamp',
  'level',
  'message',
  'src_addr',
  'src_workload',
  'src_namespace',
  'src_identity',
  'src_cluster',
  'dst_addr',
  'dst_hbone_addr',
  'dst_service',
  'dst_workload',
  'dst_namespace',
  'dst_identity',
  'dst_cluster',
  'direction',
  'bytes_sent',
  'bytes_recv',
  'duration_ms',
  'error',
] as const satisfies readonly (keyof ConnectionRecord)[];

/**
 * Why a line did not become an entry. Parsers never throw: every input line ends up as an entry or
 * as one of these, and summaries count them.
 */
export type SkipReason =
  /** Empty or whitespace-only. */
  | 'blank'
  /** A proxy/agent/app log line (pilot-agent, Envoy's own log, JSON app logs, ztunnel's non-access lines). */
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

/**
 * What a parser makes of one record: an access-log entry, a ztunnel connection record, or why it is neither.
 * `entry` and `connection` are never both set: test `result.connection !== undefined` (or `entry`) to tell.
 */
export type ParseResult =
  | { ok: true; entry: AccessLogEntry; connection?: undefined }
  | { ok: true; connection: ConnectionRecord; entry?: undefined }
  | { ok: false; reason: SkipReason };

/** Where a line came from: the input's name and the 1-based line number. */
export interface LineOrigin {
  source: string;
  line: number;
}

/**
 * A record as `meshbot parse` (and `logs --follow -o json`) writes it: `kind` first (`request` for an entry,
 * `connection` for a ztunnel record), its output keys, then `pod`: the pod named by a log tool's prefix
 * (`[pod/NAME/CONTAINER]` of `kubectl logs --prefix`, stern's `NAME CONTAINER`) or the live reader, else null.
 */
export function parseOutput(record: AccessLogEntry | ConnectionRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if ('kind' in record) {
    for (const key of CONNECTION_OUTPUT_KEYS) out[key] = record[key];
  } else {
    out.kind = 'request';
    for (const key of ENTRY_OUTPUT_KEYS) out[key] = record[key];
  }
  out.pod = record.origin;
  return out;
}
