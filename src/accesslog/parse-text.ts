/**
 * @module accesslog/parse-text
 * Istio's default TEXT access-log format, every version from 1.0 to today, without configuration.
 *
 * The layout changed at 1.1, 1.2, 1.3, 1.8, 1.9 and 1.23 (../shared/notes/istio-access-logs.md §1.3),
 * so fields are found by shape, not position (`text-layout`). The middle, between FLAGS and the four
 * numbers, tells the version:
 *
 * | middle                                   | versions            |
 * |------------------------------------------|---------------------|
 * | (nothing)                                | Envoy default, 1.0, early 2019 |
 * | `"MIXER_STATUS"`                         | 1.1                 |
 * | `"MIXER_STATUS" "UTFR"`                  | 1.2 – 1.7           |
 * | `"UTFR"`                                 | 1.8                 |
 * | `DETAILS TERMINATION_DETAILS "UTFR"`     | 1.9 and later       |
 */
import { directionOfCluster } from './cluster.js';
import type { AccessLogEntry, ParseResult } from './entry.js';
import { cleanCluster, isoTimeIn, nullable, splitFlags } from './fields.js';
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
  NOT_ACCESS_LOG,
  protocolIn,
  protocolSpaceOf,
  quoted,
  starts,
  valueAt,
  valueIn,
} from './text-layout.js';

const NOT_ACCESS_LOG_RESULT: ParseResult = { ok: false, reason: 'not_access_log' };
const MALFORMED_RESULT: ParseResult = { ok: false, reason: 'malformed' };

/**
 * Parses one TEXT record (prefixes already removed), `text[from, to)` (the whole text by default):
 * `not_access_log` for lines that are not `[<ISO time>] "…`, `malformed` for lines that start like an
 * access log but do not have its shape.
 */
export function parseTextRecord(
  text: string,
  source: string,
  line: number,
  origin: string | null,
  from = 0,
  to = text.length,
): ParseResult {
  const status = layoutText(text, from, to);
  if (status !== LAID_OUT) return status === NOT_ACCESS_LOG ? NOT_ACCESS_LOG_RESULT : MALFORMED_RESULT;
  const { close, reqStart, reqEnd, count, run } = layout;
  const code = intAt(text, 0) ?? 0;

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
    let firstUnquoted = -1;
    let lastUnquoted = -1;
    for (let i = 2; i < middleEnd; i++) {
      if (quoted[i]) transportFailure = valueAt(text, i);
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
    const hasRoute = tailCount >= 6 || (tailCount === 5 && text.charCodeAt(to - 1) === 32);
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
  if (!isTcpRequest(text)) {
    const methodEnd = methodEndOf(text);
    if (methodEnd < 0) {
      method = valueIn(text, reqStart, reqEnd);
    } else {
      method = methodIn(text, reqStart, methodEnd);
      const protocolSpace = protocolSpaceOf(text, methodEnd);
      if (protocolSpace > 0) {
        path = valueIn(text, methodEnd + 1, protocolSpace);
        protocol = protocolIn(text, protocolSpace + 1, reqEnd);
      } else {
        const rest = text.slice(methodEnd + 1, reqEnd);
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
    start_time: isoTimeIn(text, from + 1, close),
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

/** Token 1 (RESPONSE_FLAGS): `-` is by far the most common value. */
function flagsAt(text: string): string[] {
  if (isDashAt(text, 1)) return [];
  return splitFlags(text.slice(starts[1] ?? 0, ends[1] ?? 0));
}
