/**
 * @module accesslog/lean-text
 * The summary's fast path for TEXT records: the few fields a flow summary reads, as numbers and offsets
 * into the line, without building an entry. It takes only the common case: a record with no response
 * flags, not a 5xx, an `outbound|…` or `inbound|…` cluster, a canonical start time and a plain request
 * line. Everything else (errors above all: their findings need the whole entry) is refused, and the
 * caller parses it in full. A summary built through here is the summary of the full entries: the
 * equivalence is tested on every kind of input (lean-summary.test.ts).
 */
import type { Direction } from './entry.js';
import { hasZeroPort } from './fields.js';
import {
  ends,
  intAt,
  isDashAt,
  isTcpRequest,
  LAID_OUT,
  layout,
  layoutText,
  methodEndOf,
  methodIn,
  protocolSpaceOf,
  starts,
  valueIn,
} from './text-layout.js';

/** One record read by `readLeanText`. Reused: valid until the next call. */
export interface LeanTextRecord {
  /**
   * The line, for the offsets below. START_TIME is `text[1, 25)`, in the canonical
   * `YYYY-MM-DDTHH:MM:SS.mmmZ` shape (read in place with `timeKeyAt(text, 1)`).
   */
  text: string;
  /** `outbound` or `inbound`: records with any other cluster take the full parser. */
  direction: Direction;
  response_code: number;
  /** Null only for a TCP entry (`"- - -"`), whose path is null too. */
  method: string | null;
  path: string | null;
  bytes_received: number | null;
  bytes_sent: number | null;
  duration_ms: number | null;
  upstream_cluster: string;
  /** DOWNSTREAM_REMOTE_ADDRESS of an inbound record (never null); null for outbound. */
  downstream_remote_address: string | null;
  /** X-FORWARDED-FOR of an inbound record whose remote port is 0 (the caller is named from it), else null. */
  x_forwarded_for: string | null;
  /** X-REQUEST-ID is `text[idStart, idEnd)`: sliced only when wanted (`leanRequestId`). */
  idStart: number;
  idEnd: number;
}

export function newLeanTextRecord(): LeanTextRecord {
  return {
    text: '',
    direction: 'unknown',
    response_code: 0,
    method: null,
    path: null,
    bytes_received: null,
    bytes_sent: null,
    duration_ms: null,
    upstream_cluster: '',
    downstream_remote_address: null,
    x_forwarded_for: null,
    idStart: 0,
    idEnd: 0,
  };
}

/** The record's request id, or null for `-`. */
export function leanRequestId(record: LeanTextRecord): string | null {
  return valueIn(record.text, record.idStart, record.idEnd);
}

/** Fills `out` from a TEXT record and returns true, or returns false when the record needs the full parser. */
export function readLeanText(text: string, out: LeanTextRecord): boolean {
  if (layoutText(text) !== LAID_OUT) return false;
  const { close, reqStart, count, run } = layout;
  // START_TIME exactly as `toIsoTime` passes it through unchanged.
  if (
    close !== 25 ||
    text.charCodeAt(24) !== 90 /* Z */ ||
    text.charCodeAt(11) !== 84 /* T */ ||
    text.charCodeAt(20) !== 46 /* . */
  ) {
    return false;
  }
  const code = intAt(text, 0) ?? 0;
  if (code >= 500 || !isDashAt(text, 1)) return false;

  const tail = run + 5;
  if (count <= tail) return false;
  const clusterStart = starts[tail] ?? 0;
  const clusterEnd = ends[tail] ?? 0;
  const c0 = text.charCodeAt(clusterStart);
  // A trailing `;` (istio#54219) is cleaned by the full parser.
  if (text.charCodeAt(clusterEnd - 1) === 59) return false;
  let direction: Direction;
  let remote: string | null = null;
  if (c0 === 111 /* o */ && text.startsWith('outbound|', clusterStart)) direction = 'outbound';
  else if (c0 === 105 /* i */ && text.startsWith('inbound|', clusterStart)) {
    direction = 'inbound';
    if (count <= tail + 3) return false;
    remote = valueIn(text, starts[tail + 3] ?? 0, ends[tail + 3] ?? 0);
    // No remote address (the caller is then named from X-Forwarded-For alone): full parser.
    if (remote === null) return false;
  } else return false;

  let method: string | null = null;
  let path: string | null = null;
  if (!isTcpRequest(text)) {
    const methodEnd = methodEndOf(text);
    if (methodEnd < 0) return false;
    const protocolSpace = protocolSpaceOf(text, methodEnd);
    if (protocolSpace < 0) return false;
    method = methodIn(text, reqStart, methodEnd);
    path = valueIn(text, methodEnd + 1, protocolSpace);
    // No method or no path: rare, and the summary's grouping of them lives with the full entry.
    if (method === null || path === null) return false;
    // Code 0 on an HTTP request is an error (no response was sent).
    if (code === 0) return false;
  }
  out.text = text;
  out.direction = direction;
  out.response_code = code;
  out.method = method;
  out.path = path;
  out.bytes_received = intAt(text, run - 4);
  out.bytes_sent = intAt(text, run - 3);
  out.duration_ms = intAt(text, run - 2);
  out.upstream_cluster = text.slice(clusterStart, clusterEnd);
  out.downstream_remote_address = remote;
  out.x_forwarded_for =
    remote !== null && hasZeroPort(remote) ? valueIn(text, starts[run] ?? 0, ends[run] ?? 0) : null;
  out.idStart = starts[run + 2] ?? 0;
  out.idEnd = ends[run + 2] ?? 0;
  return true;
}
