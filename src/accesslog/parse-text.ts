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
import { cleanCluster, nullable, splitFlags, toInt, toIsoTime } from './fields.js';

const MAX_TOKENS = 64;
const tokens: string[] = new Array<string>(MAX_TOKENS).fill('');
const quoted: boolean[] = new Array<boolean>(MAX_TOKENS).fill(false);

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
    if (quoted[k] && quoted[k + 1] && quoted[k + 2] && quoted[k + 3] && quoted[k + 4]) {
      if (!quoted[k - 1] && !quoted[k - 2] && !quoted[k - 3] && !quoted[k - 4]) {
        run = k;
        break;
      }
    }
  }
  if (run < 0) return MALFORMED;

  const code = toInt(tokens[0]);
  if (code === null || quoted[0] || quoted[1]) return MALFORMED;
  const bytesReceived = toInt(tokens[run - 4]);
  const bytesSent = toInt(tokens[run - 3]);
  const duration = toInt(tokens[run - 2]);
  if (!numericOrDash(tokens[run - 4]) || !numericOrDash(tokens[run - 3]) || !numericOrDash(tokens[run - 2])) {
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
    if (quoted[i]) quotedCount++;
    else unquotedCount++;
  }
  const tailStart = run + 5;
  const tailCount = count - tailStart;
  if (unquotedCount > 0) {
    // 1.9+: DETAILS TERMINATION "UTFR". Details never hold spaces (Envoy writes `_`), but stay tolerant.
    const unq: string[] = [];
    for (let i = 2; i < middleEnd; i++) {
      const token = tokens[i] ?? '';
      if (quoted[i]) transportFailure = nullable(token);
      else unq.push(token);
    }
    if (unq.length === 1) details = nullable(unq[0]);
    else {
      termination = nullable(unq.pop());
      details = nullable(unq.join(' '));
    }
  } else if (quotedCount >= 2) {
    // 1.2–1.7: "MIXER_STATUS" "UTFR".
    transportFailure = nullable(tokens[middleEnd - 1]);
  } else if (quotedCount === 1) {
    // 1.8 ("UTFR", tail has SNI and ROUTE) or 1.1 ("MIXER_STATUS", tail ends at SNI).
    const hasRoute = tailCount >= 6 || (tailCount === 5 && text.charCodeAt(text.length - 1) === 32);
    if (hasRoute) transportFailure = nullable(tokens[2]);
  }

  let cluster: string | null = null;
  let ula: string | null = null;
  let dla: string | null = null;
  let dra: string | null = null;
  let sni: string | null = null;
  let route: string | null = null;
  if (tailCount > 0) cluster = cleanCluster(tokens[tailStart]);
  if (tailCount > 1) ula = nullable(tokens[tailStart + 1]);
  if (tailCount > 2) dla = nullable(tokens[tailStart + 2]);
  if (tailCount > 3) dra = nullable(tokens[tailStart + 3]);
  if (tailCount > 4) sni = nullable(tokens[tailStart + 4]);
  if (tailCount > 5) {
    route =
      tailCount === 6
        ? nullable(tokens[tailStart + 5])
        : nullable(tokens.slice(tailStart + 5, count).join(' '));
  }

  let method: string | null = null;
  let path: string | null = null;
  let protocol: string | null = null;
  if (request !== '- - -') {
    const sp1 = request.indexOf(' ');
    if (sp1 < 0) {
      method = nullable(request);
    } else {
      method = nullable(request.slice(0, sp1));
      const sp2 = request.lastIndexOf(' ');
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
    response_flags: splitFlags(tokens[1]),
    response_code_details: details,
    connection_termination_details: termination,
    upstream_transport_failure_reason: transportFailure,
    bytes_received: bytesReceived,
    bytes_sent: bytesSent,
    duration_ms: duration,
    upstream_service_time_ms: toInt(tokens[run - 1]),
    x_forwarded_for: nullable(tokens[run]),
    user_agent: nullable(tokens[run + 1]),
    request_id: nullable(tokens[run + 2]),
    authority: nullable(tokens[run + 3]),
    upstream_host: nullable(tokens[run + 4]),
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

function numericOrDash(token: string | undefined): boolean {
  return token === '-' || toInt(token) !== null;
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

/** Splits on spaces outside quotes into the shared arrays; returns the count, or -1 when malformed. */
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
      tokens[count] = text.slice(i + 1, j);
      quoted[count] = true;
      i = j + 1;
    } else {
      let j = text.indexOf(' ', i);
      if (j < 0) j = n;
      tokens[count] = text.slice(i, j);
      quoted[count] = false;
      i = j;
    }
    count++;
  }
  return count;
}
