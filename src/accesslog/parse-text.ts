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
 *
 * The same layout covers the rest of the Envoy family's text: Envoy's own default (Contour, Gloo, Envoy
 * Gateway before v0.6, Emissary behind its `ACCESS ` prefix, which strip-prefix removes) ends at the upstream
 * host; waypoints and the 2022 Envoy-based ztunnel write Istio's format with `envoy://…` addresses and free
 * text after ROUTE; Kuma puts the mesh name before the request line and its own quoted fields at the end.
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
  // The five quoted fields: XFF, user agent, request id, authority, upstream host; then the Istio tail.
  let requestId = run + 2;
  let authority = run + 3;
  let upstreamHost = run + 4;
  let tailStart = run + 5;
  if (layout.meshStart >= 0 && count - run !== 5) {
    // A word before the request line, then neither Kuma's fields nor Envoy's default: another program's line.
    if (!isKumaTail(run, count)) return NOT_ACCESS_LOG_RESULT;
    // Kuma: `"XFF" "UA" ["TRACE ID"] "REQUEST ID" "AUTHORITY" "SOURCE" "DESTINATION" "SOURCE IP" "UPSTREAM"`
    // (the trace id is in MeshAccessLog's default, not in the older docs' format): read from the end, no tail.
    requestId = count - 6;
    authority = count - 5;
    upstreamHost = count - 1;
    tailStart = count;
  }
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
  // ROUTE is one token: what follows it is free text some builds append (the 2022 Envoy-based ztunnel's
  // `outbound tunnel`, `inbound hcm`), not part of the route.
  if (tailCount > 5) route = valueAt(text, tailStart + 5);

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
    request_id: valueAt(text, requestId),
    authority: valueAt(text, authority),
    upstream_host: valueAt(text, upstreamHost),
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

/**
 * Whether the tokens after the four numbers are Kuma's quoted fields: at least eight (nine with the trace id),
 * all quoted, nothing unquoted after them.
 */
function isKumaTail(run: number, count: number): boolean {
  if (count - run < 8 || count - run > 9) return false;
  for (let i = run; i < count; i++) if (!quoted[i]) return false;
  return true;
}

/** Token 1 (RESPONSE_FLAGS): `-` is by far the most common value. */
function flagsAt(text: string): string[] {
  if (isDashAt(text, 1)) return [];
  return splitFlags(text.slice(starts[1] ?? 0, ends[1] ?? 0));
}
