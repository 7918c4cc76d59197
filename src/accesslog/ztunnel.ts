/**
 * @module accesslog/ztunnel
 * ztunnel's access records (Istio ambient mode's node proxy, issue 14): one line per L4 connection, target
 * `access`, read into a {@link ConnectionRecord}. Every layout it has written:
 *
 * - Istio's layout (1.22+): `<time>\t<level>\taccess\t<message>\t<key>=<value> …`; names bare in 1.22 and
 *   quoted from 1.23 (`dst.hbone_addr` quoted in early builds), tabs often pasted as spaces, the time
 *   sometimes cut off;
 * - the tracing crate's default layout of the first builds: `<time>  INFO access: <message> <key>=<value> …`;
 * - `LOG_FORMAT=json`: one flat object, dotted keys (`"src.addr"`), `"scope":"access"` (or `"target"` in the
 *   tracing crate's JSON of the first builds), bytes as numbers.
 *
 * Values are Rust's `Debug` of a string when quoted (`\"`, `\\`, `\n`, `\u{1b}` escapes) and `Display` when
 * bare; a key ztunnel has no value for is left out, never `-`. `duration` is `format!("{}ms", millis)` in
 * every build since the first (istio/ztunnel 7db20ba4, src/proxy/metrics.rs), so only `ms` is read. Unknown
 * keys are ignored. Lines of other targets (`proxy::inbound`, `ztunnel::state`, the old `complete dur=…`
 * span lines) are not records. Pure, and one pass over the line: no backtracking.
 */
import type { ConnectionRecord, ParseResult } from './entry.js';
import { toInt, toIsoTime } from './fields.js';

const MALFORMED: ParseResult = { ok: false, reason: 'malformed' };

/** Longest time token looked at (`2024-04-12T10:17:44.080629123+00:00` is 35). */
const MAX_TIME = 40;

function isSpace(c: number): boolean {
  return c === 32 || c === 9;
}

function skipSpace(line: string, i: number): number {
  while (i < line.length && isSpace(line.charCodeAt(i))) i++;
  return i;
}

function isKeyChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) /* a-z */ ||
    (c >= 65 && c <= 90) /* A-Z */ ||
    (c >= 48 && c <= 57) /* 0-9 */ ||
    c === 95 /* _ */ ||
    c === 46 /* . */
  );
}

/** The end of the `key=` that starts at `i` (the index of `=`), or -1 when no key starts there. */
function keyEnd(line: string, i: number): number {
  let j = i;
  while (j < line.length && isKeyChar(line.charCodeAt(j))) j++;
  return j > i && line.charCodeAt(j) === 61 /* = */ ? j : -1;
}

/** `trace`…`error` in any case (tracing writes `INFO`, Istio's layout `info`), lower case; null otherwise. */
function levelOf(word: string): string | null {
  const level = word.toLowerCase();
  return level === 'info' || level === 'debug' || level === 'warn' || level === 'error' || level === 'trace'
    ? level
    : null;
}

/** A record with every key null, to be filled. */
function emptyRecord(
  source: string,
  line: number,
  origin: string | null,
  format: ConnectionRecord['format'],
): ConnectionRecord {
  return {
    kind: 'connection',
    line,
    source,
    format,
    timestamp: null,
    level: null,
    message: null,
    src_addr: null,
    src_workload: null,
    src_namespace: null,
    src_identity: null,
    src_cluster: null,
    dst_addr: null,
    dst_hbone_addr: null,
    dst_service: null,
    dst_workload: null,
    dst_namespace: null,
    dst_identity: null,
    dst_cluster: null,
    direction: null,
    bytes_sent: null,
    bytes_recv: null,
    duration_ms: null,
    error: null,
    origin,
  };
}

/** `12ms` → 12; anything else null (ztunnel writes whole milliseconds only). */
export function durationMs(value: string): number | null {
  if (value.length < 3 || !value.endsWith('ms')) return null;
  return toInt(value.slice(0, -2));
}

/** Sets the field of `key` (ztunnel's dotted name) to `value`; unknown keys are ignored. First one wins. */
function assign(record: ConnectionRecord, key: string, value: string | null): void {
  switch (key) {
    case 'src.addr':
      record.src_addr ??= value;
      return;
    case 'src.workload':
      record.src_workload ??= value;
      return;
    case 'src.namespace':
      record.src_namespace ??= value;
      return;
    case 'src.identity':
      record.src_identity ??= value;
      return;
    case 'src.cluster':
      record.src_cluster ??= value;
      return;
    case 'dst.addr':
      record.dst_addr ??= value;
      return;
    case 'dst.hbone_addr':
      record.dst_hbone_addr ??= value;
      return;
    case 'dst.service':
      record.dst_service ??= value;
      return;
    case 'dst.workload':
      record.dst_workload ??= value;
      return;
    case 'dst.namespace':
      record.dst_namespace ??= value;
      return;
    case 'dst.identity':
      record.dst_identity ??= value;
      return;
    case 'dst.cluster':
      record.dst_cluster ??= value;
      return;
    case 'direction':
      record.direction ??= value === 'inbound' || value === 'outbound' ? value : null;
      return;
    case 'bytes_sent':
      record.bytes_sent ??= value === null ? null : toInt(value);
      return;
    case 'bytes_recv':
      record.bytes_recv ??= value === null ? null : toInt(value);
      return;
    case 'duration':
      record.duration_ms ??= value === null ? null : durationMs(value);
      return;
    case 'error':
      record.error ??= value;
      return;
    default:
      return;
  }
}

/**
 * Rust's `Debug` escapes of `line[start, end)` undone: `\"`, `\\`, `\'`, `\n`, `\r`, `\t`, `\0`, `\u{…}`.
 * An escape Rust does not write is kept as written.
 */
function unescapeDebug(line: string, start: number, end: number): string {
  let out = '';
  let from = start;
  let i = start;
  while (i < end) {
    if (line.charCodeAt(i) !== 92 /* \ */ || i + 1 >= end) {
      i++;
      continue;
    }
    out += line.slice(from, i);
    const c = line.charAt(i + 1);
    let next = i + 2;
    switch (c) {
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case '0':
        out += '\0';
        break;
      case '"':
      case "'":
      case '\\':
        out += c;
        break;
      case 'u': {
        // \u{1b}: 1 to 6 hex digits in braces.
        let j = i + 3;
        let code = 0;
        while (j < end && j < i + 9 && isHex(line.charCodeAt(j))) {
          code = code * 16 + Number.parseInt(line.charAt(j), 16);
          j++;
        }
        if (line.charCodeAt(i + 2) === 123 && line.charCodeAt(j) === 125 && j > i + 3 && code <= 0x10ffff) {
          out += String.fromCodePoint(code);
          next = j + 1;
        } else {
          out += line.slice(i, i + 2);
        }
        break;
      }
      default:
        out += line.slice(i, i + 2);
    }
    i = next;
    from = next;
  }
  return out + line.slice(from, end);
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/**
 * A ztunnel access record in one of its text layouts, or null when the line is not one (another target,
 * another program): the caller then classifies it as before. Looks at the first words only before deciding,
 * so other lines cost a few character reads. `malformed` when the line is an access record whose quoted
 * value never ends (cut off).
 */
export function parseZtunnelText(
  line: string,
  source: string,
  lineNo: number,
  origin: string | null,
): ParseResult | null {
  const n = line.length;
  let i = skipSpace(line, 0);
  // The time, if any: read only once the target turns out to be `access`.
  let timeStart = -1;
  let timeEnd = -1;
  const c0 = line.charCodeAt(i);
  if (c0 >= 48 && c0 <= 57) {
    timeStart = i;
    while (i < n && !isSpace(line.charCodeAt(i)) && i - timeStart <= MAX_TIME) i++;
    // A date (`2024-04-12T…`), not any number.
    if (i - timeStart > MAX_TIME || i - timeStart < 19 || i >= n || line.charCodeAt(timeStart + 4) !== 45) {
      return null;
    }
    timeEnd = i;
    i = skipSpace(line, i);
  }
  // The level: a word of at most 5 letters.
  const levelStart = i;
  while (i < n && i - levelStart <= 5 && !isSpace(line.charCodeAt(i))) i++;
  if (i === levelStart || i >= n || !isSpace(line.charCodeAt(i))) return null;
  const level = levelOf(line.slice(levelStart, i));
  if (level === null) return null;
  i = skipSpace(line, i);
  // The target: `access` (Istio's layout) or `access:` (tracing's default layout), then a space or tab.
  if (!line.startsWith('access', i)) return null;
  i += 6;
  if (line.charCodeAt(i) === 58 /* : */) i++;
  if (i >= n || !isSpace(line.charCodeAt(i))) return null;
  i = skipSpace(line, i);

  // The message: the words before the first `key=`.
  const messageStart = i;
  let messageEnd = i;
  while (i < n && keyEnd(line, i) < 0) {
    while (i < n && !isSpace(line.charCodeAt(i))) i++;
    messageEnd = i;
    i = skipSpace(line, i);
  }
  const record = emptyRecord(source, lineNo, origin, 'text');
  record.level = level;
  record.message = messageEnd > messageStart ? line.slice(messageStart, messageEnd) : null;

  // The fields: `key=value` or `key="value"`, separated by spaces (or tabs, or runs of them).
  while (i < n) {
    const eq = keyEnd(line, i);
    if (eq < 0) {
      // Not a field (trailing text): skipped.
      while (i < n && !isSpace(line.charCodeAt(i))) i++;
      i = skipSpace(line, i);
      continue;
    }
    const key = line.slice(i, eq);
    let value: string;
    i = eq + 1;
    if (line.charCodeAt(i) === 34 /* " */) {
      const start = i + 1;
      let j = start;
      let escaped = false;
      while (j < n) {
        const c = line.charCodeAt(j);
        if (c === 34) break;
        if (c === 92 /* \ */) {
          escaped = true;
          j += 2;
        } else j++;
      }
      if (j >= n) return MALFORMED;
      value = escaped ? unescapeDebug(line, start, j) : line.slice(start, j);
      i = j + 1;
    } else {
      const start = i;
      while (i < n && !isSpace(line.charCodeAt(i))) i++;
      value = line.slice(start, i);
    }
    assign(record, key, value === '' ? null : value);
    i = skipSpace(line, i);
  }
  if (record.src_addr === null && record.dst_addr === null) return null;
  if (timeStart >= 0) record.timestamp = toIsoTime(line.slice(timeStart, timeEnd));
  return { ok: true, connection: record };
}

/**
 * Whether the JSON record `text[from, to)` may be ztunnel's (it has a `"src.addr"` key or value): the cheap
 * test that sends it to the object path, where {@link isZtunnelAccessObject} decides.
 */
export function mayBeZtunnelJson(text: string, from: number, to: number): boolean {
  const record = from === 0 && to === text.length ? text : text.slice(from, to);
  return record.includes('"src.addr"');
}

/** Whether a parsed JSON object is a ztunnel access record: `scope` (or `target`) `access` and a `src.addr`. */
export function isZtunnelAccessObject(record: Record<string, unknown>): boolean {
  return (record.scope === 'access' || record.target === 'access') && typeof record['src.addr'] === 'string';
}

const JSON_STRING_KEYS = [
  'src.addr',
  'src.workload',
  'src.namespace',
  'src.identity',
  'src.cluster',
  'dst.addr',
  'dst.hbone_addr',
  'dst.service',
  'dst.workload',
  'dst.namespace',
  'dst.identity',
  'dst.cluster',
  'direction',
  'error',
] as const;

function stringOf(value: unknown): string | null {
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

/** The connection record of a ztunnel `LOG_FORMAT=json` object (see {@link isZtunnelAccessObject}). */
export function connectionFromJson(
  object: Record<string, unknown>,
  source: string,
  line: number,
  origin: string | null,
): ParseResult {
  const record = emptyRecord(source, line, origin, 'json');
  const time = object.time ?? object.timestamp;
  record.timestamp = toIsoTime(time);
  record.level = typeof object.level === 'string' ? levelOf(object.level) : null;
  record.message = stringOf(object.message);
  for (const key of JSON_STRING_KEYS) assign(record, key, stringOf(object[key]));
  record.bytes_sent = toInt(object.bytes_sent);
  record.bytes_recv = toInt(object.bytes_recv);
  const duration = object.duration;
  record.duration_ms = typeof duration === 'string' ? durationMs(duration) : null;
  return { ok: true, connection: record };
}
