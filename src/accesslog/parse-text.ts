/**
 * @module accesslog/parse-text
 * Istio's default TEXT access-log format, every version from 1.0 to today, without configuration.
 *
 * The layout changed at 1.1, 1.2, 1.3, 1.8, 1.9 and 1.23 (../shared/notes/istio-access-logs.md §1.3),
 * so fields are found by shape, not position: after `[START_TIME] "REQUEST LINE"` come CODE and FLAGS,
 * a version-dependent middle, four numbers (bytes in/out, duration, upstream service time), a run of
 * five quoted tokens (XFF, user agent, request id, authority, upstream host), then CLUSTER, the three
 * addresses, and the optional SNI and ROUTE. The middle tells the version:
 *
 * | middle                                   | versions            |
 * |------------------------------------------|---------------------|
 * | (nothing)                                | Envoy default, 1.0, early 2019 |
 * | `"MIXER_STATUS"`                         | 1.1                 |
 * | `"MIXER_STATUS" "UTFR"`                  | 1.2 – 1.7           |
 * | `"UTFR"`                                 | 1.8                 |
 * | `DETAILS TERMINATION_DETAILS "UTFR"`     | 1.9 and later       |
 *
 * Hot path: one pass over the characters, tokens kept in reused arrays, no regular expressions.
 */
import { directionOfCluster } from './cluster.js';
import type { AccessLogEntry, ParseResult } from './entry.js';
import { cleanCluster, lastIndexOfCode, nullable, splitFlags, toIsoTime } from './fields.js';

const MAX_TOKENS = 64;
// Token boundaries of the line being parsed (reused: parsing is synchronous and not re-entrant).
const starts = new Int32Array(MAX_TOKENS);
const ends = new Int32Array(MAX_TOKENS);
const quotedFlags = new Uint8Array(MAX_TOKENS);

const NOT_ACCESS_LOG: ParseResult = { ok: false, reason: 'not_access_log' };
const MALFORMED: ParseResult = { ok: false, reason: 'malformed' };

/**
 * Parses one TEXT record (prefixes already removed). Lines that are not `[<ISO time>] "…` are
 * `not_access_log` (Envoy's own `[2020-08-11 18:34:17.805][22][warning]…` included); lines that start
 * like an access log but do not have its shape are `malformed`.
 */
export function parseTextRecord(
  text: string,
  source: string,
  line: number,
  origin: string | null,
): ParseResult {
  if (text.charCodeAt(0) !== 91 /* [ */) return NOT_ACCESS_LOG;
  const close = text.indexOf(']', 1);
  if (close < 11 || close > 64) return NOT_ACCESS_LOG;
  // `] "` must follow the time; Envoy's own log has `][` and a space instead of `T` in the time.
  if (text.charCodeAt(close + 1) !== 32 || text.charCodeAt(close + 2) !== 34 /* " */) return NOT_ACCESS_LOG;
  if (text.charCodeAt(11) !== 84 /* T */) return NOT_ACCESS_LOG;

  const reqStart = close + 3;
  const reqEnd = closingQuote(text, reqStart);
  if (reqEnd < 0) return MALFORMED;
  const request = text.slice(reqStart, reqEnd);

  const count = tokenize(text, reqEnd + 1);
  if (count < 0) return MALFORMED;

  // The run of five quoted tokens preceded by four unquoted numbers.
  let run = -1;
  for (let k = 6; k + 5 <= count; k++) {
    if (
      quotedFlags[k] &&
      quotedFlags[k + 1] &&
      quotedFlags[k + 2] &&
      quotedFlags[k + 3] &&
      quotedFlags[k + 4]
    ) {
      if (!quotedFlags[k - 1] && !quotedFlags[k - 2] && !quotedFlags[k - 3] && !quotedFlags[k - 4]) {
        run = k;
        break;
      }
    }
  }
  if (run < 0 || quotedFlags[0] || quotedFlags[1]) return MALFORMED;

  const code = intAt(text, 0);
  if (code === null) return MALFORMED;
  if (!numericOrDash(text, run - 4) || !numericOrDash(text, run - 3) || !numericOrDash(text, run - 2)) {
    return MALFORMED;
  }

  // Middle: tokens 2 .. run-5.
  let details: string | null = null;
  let termination: string | null = null;
  let transportFailure: string | null = null;
  const middleEnd = run - 4;
  let unquotedCount = 0;
  let quotedCount = 0;
  for (let i = 2; i < middleEnd; i++) {
    if (quotedFlags[i]) quotedCount++;
    else unquotedCount++;
  }
  const tailStart = run + 5;
  const tailCount = count - tailStart;
  if (unquotedCount > 0) {
    // 1.9+: DETAILS TERMINATION "UTFR". Details never hold spaces (Envoy writes `_`), but stay tolerant.
    let firstUnquoted = -1;
    let lastUnquoted = -1;
    for (let i = 2; i < middleEnd; i++) {
      if (quotedFlags[i]) transportFailure = valueAt(text, i);
      else {
        if (firstUnquoted < 0) firstUnquoted = i;
        lastUnquoted = i;
      }
    }
    if (unquotedCount === 1) details = valueAt(text, firstUnquoted);
    else {
      termination = valueAt(text, lastUnquoted);
      details = nullable(text.slice(starts[firstUnquoted], ends[lastUnquoted - 1]));
    }
  } else if (quotedCount >= 2) {
    // 1.2–1.7: "MIXER_STATUS" "UTFR".
    transportFailure = valueAt(text, middleEnd - 1);
  } else if (quotedCount === 1) {
    // 1.8 ("UTFR", tail has SNI and ROUTE) or 1.1 ("MIXER_STATUS", tail ends at SNI).
    const hasRoute = tailCount >= 6 || (tailCount === 5 && text.charCodeAt(text.length - 1) === 32);
    if (hasRoute) transportFailure = valueAt(text, 2);
  }

  let cluster: string | null = null;
  let ula: string | null = null;
  let dla: string | null = null;
  let dra: string | null = null;
  let sni: string | null = null;
  let route: string | null = null;
  if (tailCount > 0) cluster = cleanCluster(valueAt(text, tailStart));
  if (tailCount > 1) ula = valueAt(text, tailStart + 1);
  if (tailCount > 2) dla = valueAt(text, tailStart + 2);
  if (tailCount > 3) dra = valueAt(text, tailStart + 3);
  if (tailCount > 4) sni = valueAt(text, tailStart + 4);
  if (tailCount > 5) {
    route =
      tailCount === 6
        ? valueAt(text, tailStart + 5)
        : nullable(text.slice(starts[tailStart + 5], ends[count - 1]));
  }

  let method: string | null = null;
  let path: string | null = null;
  let protocol: string | null = null;
  if (request !== '- - -') {
    const sp1 = request.indexOf(' ');
    if (sp1 < 0) {
      method = nullable(request);
    } else {
      method = methodOf(request, sp1);
      const sp2 = lastIndexOfCode(request, 32);
      if (sp2 > sp1) {
        path = nullable(request.slice(sp1 + 1, sp2));
        protocol = nullable(request.slice(sp2 + 1));
      } else {
        const rest = request.slice(sp1 + 1);
        // 1.0-era builds glued the path to the protocol: `"HEAD /status/200HTTP/1.1"`.
        const glued = rest.lastIndexOf('HTTP/');
        if (glued > 0) {
          path = nullable(rest.slice(0, glued));
          protocol = rest.slice(glued);
        } else {
          path = nullable(rest);
        }
      }
    }
  }

  const entry: AccessLogEntry = {
    line,
    source,
    format: 'text',
    start_time: toIsoTime(text.slice(1, close)),
    method,
    path,
    protocol,
    response_code: code,
    response_flags: flagsAt(text),
    response_code_details: details,
    connection_termination_details: termination,
    upstream_transport_failure_reason: transportFailure,
    bytes_received: intAt(text, run - 4),
    bytes_sent: intAt(text, run - 3),
    duration_ms: intAt(text, run - 2),
    upstream_service_time_ms: intAt(text, run - 1),
    x_forwarded_for: valueAt(text, run),
    user_agent: valueAt(text, run + 1),
    request_id: valueAt(text, run + 2),
    authority: valueAt(text, run + 3),
    upstream_host: valueAt(text, run + 4),
    upstream_cluster: cluster,
    upstream_local_address: ula,
    downstream_local_address: dla,
    downstream_remote_address: dra,
    requested_server_name: sni,
    route_name: route,
    direction: directionOfCluster(cluster),
    origin,
  };
  return { ok: true, entry };
}

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'CONNECT', 'TRACE'];

/** The method of a request line, as a shared constant string when it is a standard one. */
function methodOf(request: string, end: number): string | null {
  for (const m of METHODS) if (m.length === end && request.startsWith(m)) return m;
  return nullable(request.slice(0, end));
}

/** Token `i` as a string, or null for `-` and empty. */
function valueAt(text: string, i: number): string | null {
  const start = starts[i] ?? 0;
  const end = ends[i] ?? 0;
  if (end - start === 0 || (end - start === 1 && text.charCodeAt(start) === 45)) return null;
  return text.slice(start, end);
}

/** Token `i` as a non-negative integer; null for `-`, empty or anything else. */
function intAt(text: string, i: number): number | null {
  const start = starts[i] ?? 0;
  const end = ends[i] ?? 0;
  if (end === start || end - start > 15) return null;
  let result = 0;
  for (let j = start; j < end; j++) {
    const c = text.charCodeAt(j) - 48;
    if (c < 0 || c > 9) return null;
    result = result * 10 + c;
  }
  return result;
}

function numericOrDash(text: string, i: number): boolean {
  const start = starts[i] ?? 0;
  const end = ends[i] ?? 0;
  return (end - start === 1 && text.charCodeAt(start) === 45) || intAt(text, i) !== null;
}

/** Token 1 (RESPONSE_FLAGS): `-` is by far the most common value. */
function flagsAt(text: string): string[] {
  const start = starts[1] ?? 0;
  const end = ends[1] ?? 0;
  if (end - start === 1 && text.charCodeAt(start) === 45) return [];
  return splitFlags(text.slice(start, end));
}

/**
 * The `"` that closes a quoted token: the first one followed by a space or the end of the line, so a
 * quote inside a user agent does not end the token early.
 */
function closingQuote(text: string, from: number): number {
  let j = text.indexOf('"', from);
  while (j >= 0 && j + 1 < text.length && text.charCodeAt(j + 1) !== 32) j = text.indexOf('"', j + 1);
  return j;
}

/** Splits on spaces outside quotes into the shared offset arrays; returns the count, or -1 when malformed. */
function tokenize(text: string, from: number): number {
  const n = text.length;
  let i = from;
  let count = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 32) {
      i++;
      continue;
    }
    if (count === MAX_TOKENS) return -1;
    if (c === 34) {
      const j = closingQuote(text, i + 1);
      if (j < 0) return -1;
      starts[count] = i + 1;
      ends[count] = j;
      quotedFlags[count] = 1;
      i = j + 1;
    } else {
      let j = text.indexOf(' ', i);
      if (j < 0) j = n;
      starts[count] = i;
      ends[count] = j;
      quotedFlags[count] = 0;
      i = j;
    }
    count++;
  }
  return count;
}
