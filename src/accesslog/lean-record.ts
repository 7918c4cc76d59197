/**
 * @module accesslog/lean-record
 * The summary's fast path for TEXT and JSON records: the few fields a flow summary reads, as numbers,
 * offsets into the line and interned ids, without building an entry. It takes only the common case: a
 * record with no response flags, a code below 500 (and not 0 on HTTP), an `outbound|…` or `inbound|…`
 * cluster, a canonical start time and a plain method and path. Everything else (errors above all: their
 * findings need the whole entry) is refused, and the caller parses it in full. A summary built through
 * here is the summary of the full entries: the equivalence is tested on every kind of input
 * (lean-summary.test.ts). The reading is done by the WebAssembly module (`readLean` and `readLeanJson`
 * in kernel.wat); this side only cuts out the strings a flow keys on, and only when it does not know them
 * by id yet.
 */
import type { Direction } from './entry.js';
import { kernel, kernelMemory, writeLine } from './kernel.js';
import { defaultJsonKeyTable } from './parse-json.js';
import { kernelScansWith } from './scan-json.js';
import { valueIn } from './text-layout.js';

/** LEAN and LEAN_F in the module's memory (see kernel.wat for the slots). */
const slots = new Int32Array(kernelMemory, 640, 32);
const numbers = new Float64Array(kernelMemory, 768, 4);
/** Method by the module's index (0: a TCP entry, no method). */
const METHODS = [null, 'GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'CONNECT', 'TRACE'];

/**
 * One record read by `readLeanText` or `readLeanJson`: numbers, and offsets into the line for the strings, which are cut
 * out only when the summary does not know them by id yet. Reused: valid until the next call.
 */
export interface LeanRecord {
  text: string;
  /** START_TIME as epoch ms (`timeKey` of the canonical `YYYY-MM-DDTHH:MM:SS.mmmZ` it was read from). */
  time_key: number;
  /** `outbound` or `inbound`: records with any other cluster take the full parser. */
  direction: Direction;
  response_code: number;
  /** Null only for a TCP entry (`"- - -"`), which has no path either. */
  method: string | null;
  bytes_received: number | null;
  bytes_sent: number | null;
  duration_ms: number | null;
  /**
   * Ids of the cluster (outbound), the caller's host (inbound), X-Forwarded-For (inbound from remote port
   * 0, whose caller is named from it) and the path, the same for the same string while `epoch` stays the
   * same (see "Interning" in kernel.wat); -1 for none.
   */
  cluster_id: number;
  host_id: number;
  forwarded_id: number;
  path_id: number;
  epoch: number;
  /** `[start, end)` offsets in `text`: the upstream cluster, the downstream remote address (inbound;
   * never unset), X-Forwarded-For, the path, X-Request-Id. */
  clusterStart: number;
  clusterEnd: number;
  remoteStart: number;
  remoteEnd: number;
  forwardedStart: number;
  forwardedEnd: number;
  pathStart: number;
  pathEnd: number;
  idStart: number;
  idEnd: number;
}

export function newLeanRecord(): LeanRecord {
  return {
    text: '',
    time_key: 0,
    direction: 'unknown',
    response_code: 0,
    method: null,
    bytes_received: null,
    bytes_sent: null,
    duration_ms: null,
    cluster_id: -1,
    host_id: -1,
    forwarded_id: -1,
    path_id: -1,
    epoch: 0,
    clusterStart: 0,
    clusterEnd: 0,
    remoteStart: 0,
    remoteEnd: 0,
    forwardedStart: 0,
    forwardedEnd: 0,
    pathStart: 0,
    pathEnd: 0,
    idStart: 0,
    idEnd: 0,
  };
}

export function leanCluster(record: LeanRecord): string {
  return record.text.slice(record.clusterStart, record.clusterEnd);
}

/** DOWNSTREAM_REMOTE_ADDRESS of an inbound record; null for outbound. */
export function leanRemoteAddress(record: LeanRecord): string | null {
  return record.direction === 'inbound' ? record.text.slice(record.remoteStart, record.remoteEnd) : null;
}

export function leanForwardedFor(record: LeanRecord): string | null {
  return valueIn(record.text, record.forwardedStart, record.forwardedEnd);
}

/** The path; null for a TCP entry. */
export function leanPath(record: LeanRecord): string | null {
  return record.method === null ? null : record.text.slice(record.pathStart, record.pathEnd);
}

/** The record's request id, or null for `-`. */
export function leanRequestId(record: LeanRecord): string | null {
  return valueIn(record.text, record.idStart, record.idEnd);
}

/** The module's -1 for `-` as null. */
function count(n: number | undefined): number | null {
  return n === undefined || n < 0 ? null : n;
}

/**
 * Fills `out` from a TEXT record and returns true, or returns false when the record needs the full parser
 * (and always without WebAssembly, or for a line that is not ASCII). `at` is where `text` starts in the
 * chunk last written with `writeChunk` (accesslog/kernel), or -1 when it is not a slice of one.
 */
export function readLeanText(text: string, out: LeanRecord, at = -1): boolean {
  if (kernel === null || text.charCodeAt(0) !== 91 /* [ */) return false;
  return read(kernel.readLean, kernel.readLeanAt, text, out, at);
}

/**
 * `readLeanText` for a JSON record (Istio's default keys). Until the full parser has read a record with
 * those keys (the module learns their order from it), every record is refused.
 */
export function readLeanJson(text: string, out: LeanRecord, at = -1): boolean {
  if (kernel === null || !kernelScansWith(defaultJsonKeyTable())) return false;
  return read(kernel.readLeanJson, kernel.readLeanJsonAt, text, out, at);
}

/** Has the module read the line (in place from the chunk when `at` says where), and fills `out`. */
function read(
  readLine: (length: number) => number,
  readInChunk: (at: number, length: number) => number,
  text: string,
  out: LeanRecord,
  at: number,
): boolean {
  if (at >= 0) {
    if (readInChunk(at, text.length) === 0) return false;
  } else {
    const length = writeLine(text);
    if (length < 0 || readLine(length) === 0) return false;
  }
  fill(text, out);
  return true;
}

/** Copies what the module read (LEAN, LEAN_F) into `out`. */
function fill(text: string, out: LeanRecord): void {
  const method = slots[2] ?? -1;
  out.text = text;
  out.time_key = numbers[0] ?? Number.NaN;
  out.direction = slots[0] === 0 ? 'inbound' : 'outbound';
  out.response_code = slots[1] ?? 0;
  out.method = method >= 0 ? (METHODS[method] ?? null) : text.slice(slots[3], slots[4]);
  out.bytes_received = count(numbers[1]);
  out.bytes_sent = count(numbers[2]);
  out.duration_ms = count(numbers[3]);
  out.pathStart = slots[5] ?? 0;
  out.pathEnd = slots[6] ?? 0;
  out.clusterStart = slots[7] ?? 0;
  out.clusterEnd = slots[8] ?? 0;
  out.remoteStart = slots[9] ?? 0;
  out.remoteEnd = slots[10] ?? 0;
  out.forwardedStart = slots[11] ?? 0;
  out.forwardedEnd = slots[12] ?? 0;
  out.idStart = slots[13] ?? 0;
  out.idEnd = slots[14] ?? 0;
  out.cluster_id = slots[15] ?? -1;
  out.host_id = slots[16] ?? -1;
  out.path_id = slots[17] ?? -1;
  out.forwarded_id = slots[19] ?? -1;
  out.epoch = slots[18] ?? 0;
}
