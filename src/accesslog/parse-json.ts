/**
 * @module accesslog/parse-json
 * JSON access logs: Istio's typed JSON encoding (numbers, `null`), the older and EnvoyFilter-made JSON
 * where every value is a string and unset is `"-"` (the seed's format), keys in any order, a trailing
 * `;` on `upstream_cluster`, the other Envoy-family key sets through one alias table (Envoy Gateway,
 * Contour, Consul, Emissary, Gloo), Envoy Gateway's JSON-shaped text even when a header makes it invalid
 * JSON, and custom key names through a key map (`--log-format '{"status": …}'`).
 */
import { directionOfCluster } from './cluster.js';
import type { AccessLogEntry, ParseResult } from './entry.js';
import { cleanCluster, isoTimeIn, nullable, splitFlags, toInt, toIsoTime } from './fields.js';
import { readJsonShapedText } from './json-shaped-text.js';
import {
  ABSENT,
  BOOLEAN,
  ESCAPED,
  JsonKeyTable,
  NULL,
  NUMBER,
  newJsonScan,
  STRING,
  scanJson,
} from './scan-json.js';
import { connectionFromJson, isZtunnelAccessObject, mayBeZtunnelJson } from './ztunnel.js';

/** The entry fields a JSON record can fill. */
export type JsonField = Exclude<keyof AccessLogEntry, 'line' | 'source' | 'format' | 'direction' | 'origin'>;

/** For each entry field, the JSON keys that may hold it, first match wins. */
export type JsonKeyMap = Readonly<Record<JsonField, readonly string[]>>;

/**
 * The alias table: for each entry field, the JSON keys that hold it in the formats meshbot reads without
 * configuration, first match wins. One place for every key set:
 * - Istio's `EnvoyJSONLogFormatIstio` (also Consul's default and Emissary's `envoy_log_type: json` and
 *   `typed_json`, which use Istio's names), and common names from hand-written EnvoyFilters;
 * - Envoy Gateway (v0.6–v1.3 JSON-shaped text, v1.4+ typed JSON): header-like keys `:authority`,
 *   `x-envoy-origin-path`, `x-envoy-upstream-service-time`, `x-forwarded-for`, `user-agent`, `x-request-id`
 *   (internal/xds/translator/accesslog.go);
 * - Contour's JSON fields: `@timestamp` (or `ts`) for the start time, otherwise Istio's names
 *   (apis/projectcontour/v1alpha1/accesslog.go; `uber_trace_id`, `grpc_status` have no entry field);
 * - camelCase forms of Envoy's operator names (`upstreamHost`, `responseFlags`…), and the key set of Gloo's
 *   access-logging guide (`httpMethod`, `systemTime`, `clientDuration` = %DURATION%, `upstreamName` =
 *   %UPSTREAM_CLUSTER%, `remoteAddress`), plus `total_duration`.
 * Keys nobody documents for a field are left out: a field the line does not have stays null.
 */
export const DEFAULT_JSON_KEYS: JsonKeyMap = {
  start_time: ['start_time', 'startTime', 'timestamp', '@timestamp', 'ts', 'systemTime'],
  method: ['method', 'httpMethod', 'http_method'],
  path: ['path', 'x-envoy-origin-path'],
  protocol: ['protocol'],
  response_code: ['response_code', 'status_code', 'responseCode'],
  response_flags: ['response_flags', 'responseFlags'],
  response_code_details: ['response_code_details', 'responseCodeDetails'],
  connection_termination_details: ['connection_termination_details', 'connectionTerminationDetails'],
  upstream_transport_failure_reason: ['upstream_transport_failure_reason', 'upstreamTransportFailureReason'],
  bytes_received: ['bytes_received', 'bytesReceived'],
  bytes_sent: ['bytes_sent', 'bytesSent'],
  duration_ms: ['duration', 'duration_ms', 'total_duration', 'totalDuration', 'clientDuration'],
  upstream_service_time_ms: [
    'upstream_service_time',
    'upstream_service_time_ms',
    'x-envoy-upstream-service-time',
    'upstreamServiceTime',
  ],
  x_forwarded_for: ['x_forwarded_for', 'x-forwarded-for', 'xForwardedFor'],
  user_agent: ['user_agent', 'user-agent', 'userAgent'],
  request_id: ['request_id', 'x_request_id', 'x-request-id', 'requestId'],
  authority: ['authority', ':authority'],
  upstream_host: ['upstream_host', 'upstreamHost'],
  upstream_cluster: ['upstream_cluster', 'upstreamCluster', 'upstreamName'],
  upstream_local_address: ['upstream_local_address', 'upstreamLocalAddress'],
  downstream_local_address: ['downstream_local_address', 'downstreamLocalAddress'],
  downstream_remote_address: ['downstream_remote_address', 'downstreamRemoteAddress', 'remoteAddress'],
  requested_server_name: ['requested_server_name', 'requestedServerName'],
  route_name: ['route_name', 'routeName'],
};

/**
 * A logging library's keys: a record with a `level` and a `msg`/`message` is a program's log line (a zap
 * JSON line of an access-log service that prints `request_path` and `response_code`, logrus's JSON…), never
 * an Envoy access record, whatever access-log-like keys it also has. Looked for only with the default keys.
 */
const LOGGER_LEVEL_KEYS: readonly string[] = ['level'];
const LOGGER_MESSAGE_KEYS: readonly string[] = ['msg', 'message'];

/** Fields whose presence says "this is a proxy access log", not an app's JSON log line. */
const ACCESS_LOG_MARKERS: readonly JsonField[] = [
  'response_code',
  'response_flags',
  'upstream_cluster',
  'duration_ms',
  'bytes_sent',
  'bytes_received',
  'upstream_host',
  'downstream_remote_address',
];

const NOT_ACCESS_LOG: ParseResult = { ok: false, reason: 'not_access_log' };
const MALFORMED: ParseResult = { ok: false, reason: 'malformed' };

/** The fields in key-map order: a field's index in the scanner's arrays. */
const JSON_FIELDS = Object.keys(DEFAULT_JSON_KEYS) as JsonField[];
const FIELD_INDEX = Object.fromEntries(JSON_FIELDS.map((f, i) => [f, i])) as Record<JsonField, number>;
const MARKER_INDEXES = ACCESS_LOG_MARKERS.map((f) => FIELD_INDEX[f]);
const F_START_TIME = FIELD_INDEX.start_time;
const F_METHOD = FIELD_INDEX.method;
const F_PATH = FIELD_INDEX.path;
const F_PROTOCOL = FIELD_INDEX.protocol;
const F_RESPONSE_CODE = FIELD_INDEX.response_code;
const F_RESPONSE_FLAGS = FIELD_INDEX.response_flags;
const F_RESPONSE_CODE_DETAILS = FIELD_INDEX.response_code_details;
const F_CONNECTION_TERMINATION_DETAILS = FIELD_INDEX.connection_termination_details;
const F_UPSTREAM_TRANSPORT_FAILURE_REASON = FIELD_INDEX.upstream_transport_failure_reason;
const F_BYTES_RECEIVED = FIELD_INDEX.bytes_received;
const F_BYTES_SENT = FIELD_INDEX.bytes_sent;
const F_DURATION_MS = FIELD_INDEX.duration_ms;
const F_UPSTREAM_SERVICE_TIME_MS = FIELD_INDEX.upstream_service_time_ms;
const F_X_FORWARDED_FOR = FIELD_INDEX.x_forwarded_for;
const F_USER_AGENT = FIELD_INDEX.user_agent;
const F_REQUEST_ID = FIELD_INDEX.request_id;
const F_AUTHORITY = FIELD_INDEX.authority;
const F_UPSTREAM_HOST = FIELD_INDEX.upstream_host;
const F_UPSTREAM_CLUSTER = FIELD_INDEX.upstream_cluster;
const F_UPSTREAM_LOCAL_ADDRESS = FIELD_INDEX.upstream_local_address;
const F_DOWNSTREAM_LOCAL_ADDRESS = FIELD_INDEX.downstream_local_address;
const F_DOWNSTREAM_REMOTE_ADDRESS = FIELD_INDEX.downstream_remote_address;
const F_REQUESTED_SERVER_NAME = FIELD_INDEX.requested_server_name;
const F_ROUTE_NAME = FIELD_INDEX.route_name;
const tables = new WeakMap<JsonKeyMap, JsonKeyTable>();
// The scanner's two slots after the fields: a logger's `level` and `msg` (default keys only).
const F_LOGGER_LEVEL = JSON_FIELDS.length;
const F_LOGGER_MESSAGE = JSON_FIELDS.length + 1;
// The scan of the record being parsed (reused: parsing is synchronous and not re-entrant).
const scan = newJsonScan(JSON_FIELDS.length + 2);

function tableFor(keys: JsonKeyMap): JsonKeyTable {
  let table = tables.get(keys);
  if (table === undefined) {
    const groups = JSON_FIELDS.map((f) => keys[f]);
    table = new JsonKeyTable(
      keys === DEFAULT_JSON_KEYS ? [...groups, LOGGER_LEVEL_KEYS, LOGGER_MESSAGE_KEYS] : groups,
    );
    tables.set(keys, table);
  }
  return table;
}

/**
 * Parses one JSON record (possibly re-joined from a pretty-printed block), `text[from, to)` (the whole text
 * by default). Objects without access-log keys (pilot-agent `--log_as_json`, app logs with `level`/`msg`)
 * are `not_access_log`.
 */
export function parseJsonRecord(
  text: string,
  source: string,
  line: number,
  origin: string | null,
  keys: JsonKeyMap = DEFAULT_JSON_KEYS,
  from = 0,
  to = text.length,
): ParseResult {
  if (scanJson(text, tableFor(keys), scan, from, to)) {
    // ztunnel's LOG_FORMAT=json records (issue 14: no response code, a `src.addr` key) take the object path.
    const ztunnel = scan.kinds[F_RESPONSE_CODE] === ABSENT && mayBeZtunnelJson(text, from, to);
    if (!ztunnel) return entryFromScan(text, source, line, origin);
  }
  const record = from === 0 && to === text.length ? text : text.slice(from, to);
  return parseJsonObjectRecord(record, source, line, origin, keys);
}

/** {@link parseJsonRecord} through `JSON.parse`: for records the scanner leaves alone, and as its oracle in tests. */
export function parseJsonObjectRecord(
  text: string,
  source: string,
  line: number,
  origin: string | null,
  keys: JsonKeyMap = DEFAULT_JSON_KEYS,
): ParseResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Envoy Gateway v0.6–v1.3 wrote JSON through a text format: values unescaped, so a `"` in a header
    // breaks the JSON. Read such a record by its shape.
    const shaped = readJsonShapedText(text);
    if (shaped === null) return MALFORMED;
    value = shaped;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return NOT_ACCESS_LOG;
  const record = value as Record<string, unknown>;
  const get = (field: JsonField) => pickFrom(record, keys[field]);
  // ztunnel's LOG_FORMAT=json access records (issue 14).
  if (get('response_code') === undefined && isZtunnelAccessObject(record)) {
    return connectionFromJson(record, source, line, origin);
  }

  let markers = 0;
  for (const field of ACCESS_LOG_MARKERS) if (get(field) !== undefined) markers++;
  if (markers < 2) return NOT_ACCESS_LOG;
  if (
    keys === DEFAULT_JSON_KEYS &&
    pickFrom(record, LOGGER_LEVEL_KEYS) !== undefined &&
    pickFrom(record, LOGGER_MESSAGE_KEYS) !== undefined
  ) {
    return NOT_ACCESS_LOG;
  }

  const cluster = cleanCluster(get('upstream_cluster'));
  const code = get('response_code');
  const entry: AccessLogEntry = {
    line,
    source,
    format: 'json',
    start_time: toIsoTime(get('start_time')),
    method: nullable(get('method')),
    path: nullable(get('path')),
    protocol: nullable(get('protocol')),
    response_code: code === undefined ? null : code === null || code === '-' ? 0 : toInt(code),
    response_flags: splitFlags(get('response_flags')),
    response_code_details: nullable(get('response_code_details')),
    connection_termination_details: nullable(get('connection_termination_details')),
    upstream_transport_failure_reason: nullable(get('upstream_transport_failure_reason')),
    bytes_received: toInt(get('bytes_received')),
    bytes_sent: toInt(get('bytes_sent')),
    duration_ms: toInt(get('duration_ms')),
    upstream_service_time_ms: toInt(get('upstream_service_time_ms')),
    x_forwarded_for: nullable(get('x_forwarded_for')),
    user_agent: nullable(get('user_agent')),
    request_id: nullable(get('request_id')),
    authority: nullable(get('authority')),
    upstream_host: nullable(get('upstream_host')),
    upstream_cluster: cluster,
    upstream_local_address: nullable(get('upstream_local_address')),
    downstream_local_address: nullable(get('downstream_local_address')),
    downstream_remote_address: nullable(get('downstream_remote_address')),
    requested_server_name: nullable(get('requested_server_name')),
    route_name: nullable(get('route_name')),
    direction: directionOfCluster(cluster),
    origin,
  };
  if (entry.response_code === null && code !== undefined) return MALFORMED;
  return { ok: true, entry };
}

function pickFrom(record: Record<string, unknown>, keys: readonly string[]): unknown {
  for (const key of keys) {
    const v = record[key];
    if (v !== undefined) return v;
  }
  return undefined;
}

/** The value of field `f` as `JSON.parse` would have given it (only for the rare kinds). */
function rawValueAt(text: string, f: number): unknown {
  const start = scan.starts[f] ?? 0;
  const end = scan.ends[f] ?? 0;
  switch (scan.kinds[f]) {
    case STRING:
      return text.slice(start, end);
    case ESCAPED:
      return JSON.parse(text.slice(start - 1, end + 1));
    case NUMBER:
      return Number(text.slice(start, end));
    case NULL:
      return null;
    case BOOLEAN:
      return end - start === 4;
    default:
      return undefined;
  }
}

/** `nullable(value)` of field `f`, slicing the string straight out of the record. */
function stringAt(text: string, f: number): string | null {
  if (scan.kinds[f] === STRING) {
    const start = scan.starts[f] ?? 0;
    const end = scan.ends[f] ?? 0;
    if (end === start || (end - start === 1 && text.charCodeAt(start) === 45)) return null;
    return text.slice(start, end);
  }
  return nullable(rawValueAt(text, f));
}

/** `toInt(value)` of field `f`: plain digits (as a number or a string) are read in place. */
function intAt(text: string, f: number): number | null {
  const kind = scan.kinds[f];
  if (kind === NUMBER || kind === STRING) {
    const start = scan.starts[f] ?? 0;
    const end = scan.ends[f] ?? 0;
    if (end > start && end - start <= 15) {
      let result = 0;
      let j = start;
      for (; j < end; j++) {
        const c = text.charCodeAt(j) - 48;
        if (c < 0 || c > 9) break;
        result = result * 10 + c;
      }
      if (j === end) return result;
    }
  }
  return toInt(rawValueAt(text, f));
}

/** The entry from a successful scan; the same entry {@link parseJsonObjectRecord} builds. */
function entryFromScan(text: string, source: string, line: number, origin: string | null): ParseResult {
  let markers = 0;
  for (const f of MARKER_INDEXES) if (scan.kinds[f] !== ABSENT) markers++;
  if (markers < 2) return NOT_ACCESS_LOG;
  if (scan.kinds[F_LOGGER_LEVEL] !== ABSENT && scan.kinds[F_LOGGER_MESSAGE] !== ABSENT) return NOT_ACCESS_LOG;
  const cluster = cleanCluster(stringAt(text, F_UPSTREAM_CLUSTER));
  let code: number | null = null;
  const codeKind = scan.kinds[F_RESPONSE_CODE];
  if (codeKind === NULL) code = 0;
  else if (codeKind !== ABSENT) {
    code = intAt(text, F_RESPONSE_CODE);
    if (code === null) {
      if (rawValueAt(text, F_RESPONSE_CODE) !== '-') return MALFORMED;
      code = 0;
    }
  }
  const entry: AccessLogEntry = {
    line,
    source,
    format: 'json',
    start_time:
      scan.kinds[F_START_TIME] === STRING
        ? isoTimeIn(text, scan.starts[F_START_TIME] ?? 0, scan.ends[F_START_TIME] ?? 0)
        : toIsoTime(rawValueAt(text, F_START_TIME)),
    method: stringAt(text, F_METHOD),
    path: stringAt(text, F_PATH),
    protocol: stringAt(text, F_PROTOCOL),
    response_code: code,
    response_flags: splitFlags(rawValueAt(text, F_RESPONSE_FLAGS)),
    response_code_details: stringAt(text, F_RESPONSE_CODE_DETAILS),
    connection_termination_details: stringAt(text, F_CONNECTION_TERMINATION_DETAILS),
    upstream_transport_failure_reason: stringAt(text, F_UPSTREAM_TRANSPORT_FAILURE_REASON),
    bytes_received: intAt(text, F_BYTES_RECEIVED),
    bytes_sent: intAt(text, F_BYTES_SENT),
    duration_ms: intAt(text, F_DURATION_MS),
    upstream_service_time_ms: intAt(text, F_UPSTREAM_SERVICE_TIME_MS),
    x_forwarded_for: stringAt(text, F_X_FORWARDED_FOR),
    user_agent: stringAt(text, F_USER_AGENT),
    request_id: stringAt(text, F_REQUEST_ID),
    authority: stringAt(text, F_AUTHORITY),
    upstream_host: stringAt(text, F_UPSTREAM_HOST),
    upstream_cluster: cluster,
    upstream_local_address: stringAt(text, F_UPSTREAM_LOCAL_ADDRESS),
    downstream_local_address: stringAt(text, F_DOWNSTREAM_LOCAL_ADDRESS),
    downstream_remote_address: stringAt(text, F_DOWNSTREAM_REMOTE_ADDRESS),
    requested_server_name: stringAt(text, F_REQUESTED_SERVER_NAME),
    route_name: stringAt(text, F_ROUTE_NAME),
    direction: directionOfCluster(cluster),
    origin,
  };
  return { ok: true, entry };
}
