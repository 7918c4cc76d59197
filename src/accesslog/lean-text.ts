/**
 * @module accesslog/lean-text
 * The summary's fast path for TEXT records: the few fields a flow summary reads, as numbers and offsets
 * into the line, without building an entry. It takes only the common case: a record with no response
 * flags, not a 5xx, an `outbound|…` or `inbound|…` cluster, a canonical start time and a plain request
 * line. Everything else (errors above all: their findings need the whole entry) is refused, and the
 * caller parses it in full. A summary built through here is the summary of the full entries: the
 * equivalence is tested on every kind of input (lean-summary.test.ts). The reading is done by the
 * WebAssembly module (`readLean` in text-kernel.wat); this side only cuts out the strings a flow keys on.
 */
import type { Direction } from './entry.js';
import { hasZeroPort } from './fields.js';
import { kernel, kernelMemory, writeLine } from './text-kernel.js';
import { valueIn } from './text-layout.js';

/** LEAN and LEAN_F in the module's memory (see text-kernel.wat for the slots). */
const slots = new Int32Array(kernelMemory, 640, 16);
const numbers = new Float64Array(kernelMemory, 704, 4);
/** Method by the module's index (0: a TCP entry, no method). */
const METHODS = [null, 'GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'CONNECT', 'TRACE'];

/** One record read by `readLeanText`. Reused: valid until the next call. */
export interface LeanTextRecord {
  /** The line, for the request id's offsets. */
  text: string;
  /** START_TIME as epoch ms (`timeKey` of the canonical `YYYY-MM-DDTHH:MM:SS.mmmZ` it was read from). */
  time_key: number;
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
    time_key: 0,
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

/** The module's -1 for `-` as null. */
function count(n: number | undefined): number | null {
  return n === undefined || n < 0 ? null : n;
}

/**
 * Fills `out` from a TEXT record and returns true, or returns false when the record needs the full parser
 * (and always without WebAssembly, or for a line that is not ASCII). `at` is where `text` starts in the
 * chunk last written with `writeChunk` (accesslog/text-kernel), or -1 when it is not a slice of one.
 */
export function readLeanText(text: string, out: LeanTextRecord, at = -1): boolean {
  if (kernel === null || text.charCodeAt(0) !== 91 /* [ */) return false;
  if (at >= 0) {
    if (kernel.readLeanAt(at, text.length) === 0) return false;
  } else {
    const length = writeLine(text);
    if (length < 0 || kernel.readLean(length) === 0) return false;
  }
  const method = slots[2] ?? -1;
  const inbound = slots[0] === 0;
  const remote = inbound ? text.slice(slots[9], slots[10]) : null;
  out.text = text;
  out.time_key = numbers[0] ?? Number.NaN;
  out.direction = inbound ? 'inbound' : 'outbound';
  out.response_code = slots[1] ?? 0;
  out.method = method >= 0 ? (METHODS[method] ?? null) : text.slice(slots[3], slots[4]);
  out.path = method === 0 ? null : text.slice(slots[5], slots[6]);
  out.bytes_received = count(numbers[1]);
  out.bytes_sent = count(numbers[2]);
  out.duration_ms = count(numbers[3]);
  out.upstream_cluster = text.slice(slots[7], slots[8]);
  out.downstream_remote_address = remote;
  out.x_forwarded_for =
    remote !== null && hasZeroPort(remote) ? valueIn(text, slots[11] ?? 0, slots[12] ?? 0) : null;
  out.idStart = slots[13] ?? 0;
  out.idEnd = slots[14] ?? 0;
  return true;
}
