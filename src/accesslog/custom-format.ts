/**
 * @module accesslog/custom-format
 * `--log-format`: compiles an Envoy format string (e.g. meshConfig.accessLogFormat) into a record parser.
 * TEXT formats (`[%START_TIME%] "%REQ(:METHOD)% …"`) become an anchored regular expression with one
 * group per operator; JSON-shaped formats (`{"status": "%RESPONSE_CODE%", …}`) become a JSON key map.
 */
import { escapeRegExp } from '../core/escape-reg-exp.js';
import { directionOfCluster } from './cluster.js';
import type { AccessLogEntry, ParseResult } from './entry.js';
import { cleanCluster, nullable, splitFlags, toInt, toIsoTime } from './fields.js';
import { DEFAULT_JSON_KEYS, type JsonField, type JsonKeyMap, parseJsonRecord } from './parse-json.js';

/** Parses one record (prefixes already removed). */
export type RecordParser = (text: string, source: string, line: number, origin: string | null) => ParseResult;

export type CompiledFormat =
  | { ok: true; parser: RecordParser; fields: JsonField[] }
  | { ok: false; message: string };

const OPERATOR = /%([A-Z_0-9]+)(?:\(([^)]*)\))?(?::\d+)?%/g;

/** Envoy command operator → entry field. Header operators are keyed `REQ(HEADER)` in upper case. */
const OPERATOR_FIELDS: Readonly<Record<string, JsonField>> = {
  START_TIME: 'start_time',
  'REQ(:METHOD)': 'method',
  'REQ(X-ENVOY-ORIGINAL-PATH?:PATH)': 'path',
  'REQ(:PATH)': 'path',
  'REQ(:PATH?X-ENVOY-ORIGINAL-PATH)': 'path',
  REQ_WITHOUT_QUERY: 'path',
  PATH: 'path',
  PROTOCOL: 'protocol',
  RESPONSE_CODE: 'response_code',
  RESPONSE_FLAGS: 'response_flags',
  RESPONSE_FLAGS_LONG: 'response_flags',
  RESPONSE_CODE_DETAILS: 'response_code_details',
  CONNECTION_TERMINATION_DETAILS: 'connection_termination_details',
  UPSTREAM_TRANSPORT_FAILURE_REASON: 'upstream_transport_failure_reason',
  BYTES_RECEIVED: 'bytes_received',
  BYTES_SENT: 'bytes_sent',
  DURATION: 'duration_ms',
  'RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)': 'upstream_service_time_ms',
  'REQ(X-FORWARDED-FOR)': 'x_forwarded_for',
  'REQ(USER-AGENT)': 'user_agent',
  'REQ(X-REQUEST-ID)': 'request_id',
  'REQ(:AUTHORITY)': 'authority',
  'REQ(HOST)': 'authority',
  UPSTREAM_HOST: 'upstream_host',
  UPSTREAM_CLUSTER: 'upstream_cluster',
  UPSTREAM_CLUSTER_RAW: 'upstream_cluster',
  UPSTREAM_LOCAL_ADDRESS: 'upstream_local_address',
  DOWNSTREAM_LOCAL_ADDRESS: 'downstream_local_address',
  DOWNSTREAM_REMOTE_ADDRESS: 'downstream_remote_address',
  DOWNSTREAM_DIRECT_REMOTE_ADDRESS: 'downstream_remote_address',
  REQUESTED_SERVER_NAME: 'requested_server_name',
  ROUTE_NAME: 'route_name',
};

function fieldOfOperator(name: string, arg: string | undefined): JsonField | undefined {
  if (arg !== undefined && (name === 'REQ' || name === 'RESP')) {
    return OPERATOR_FIELDS[`${name}(${arg.toUpperCase()})`];
  }
  return OPERATOR_FIELDS[name];
}

const MAX_FORMAT_LENGTH = 8192;

/** Compiles a format string. Returns a clear message when it cannot be used; never throws. */
export function compileLogFormat(format: string): CompiledFormat {
  const trimmed = format.replace(/\\n$|\n$/, '');
  if (trimmed.trim() === '') return { ok: false, message: 'the log format is empty' };
  if (trimmed.length > MAX_FORMAT_LENGTH) {
    return { ok: false, message: `the log format is longer than ${MAX_FORMAT_LENGTH} characters` };
  }
  if (trimmed.trimStart().startsWith('{')) return compileJsonFormat(trimmed);
  return compileTextFormat(trimmed);
}

function compileJsonFormat(format: string): CompiledFormat {
  let value: unknown;
  try {
    value = JSON.parse(format);
  } catch {
    return { ok: false, message: 'the log format starts with "{" but is not valid JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, message: 'a JSON log format must be an object of "key": "%OPERATOR%" pairs' };
  }
  const keys: Record<string, string[]> = {};
  const fields: JsonField[] = [];
  for (const [key, operator] of Object.entries(value)) {
    if (typeof operator !== 'string') continue;
    const m = /^%([A-Z_0-9]+)(?:\(([^)]*)\))?(?::\d+)?%$/.exec(operator.trim());
    if (m === null) continue;
    const field = fieldOfOperator(m[1] ?? '', m[2]);
    if (field === undefined) continue;
    const list = keys[field] ?? [];
    list.push(key);
    keys[field] = list;
    fields.push(field);
  }
  if (!usable(fields)) return unusable();
  const map = Object.fromEntries(
    (Object.keys(DEFAULT_JSON_KEYS) as JsonField[]).map((f) => [f, keys[f] ?? []]),
  ) as unknown as JsonKeyMap;
  const parser: RecordParser = (text, source, line, origin) =>
    parseJsonRecord(text, source, line, origin, map);
  return { ok: true, parser, fields };
}

function usable(fields: readonly JsonField[]): boolean {
  return fields.some(
    (f) => f === 'response_code' || f === 'response_flags' || f === 'request_id' || f === 'upstream_cluster',
  );
}

function unusable(): CompiledFormat {
  return {
    ok: false,
    message:
      'the log format has none of %RESPONSE_CODE%, %RESPONSE_FLAGS%, %REQ(X-REQUEST-ID)% or %UPSTREAM_CLUSTER%: meshbot cannot use its lines',
  };
}

function compileTextFormat(format: string): CompiledFormat {
  const slots: (JsonField | null)[] = [];
  let pattern = '^';
  let last = 0;
  const matches = [...format.matchAll(OPERATOR)];
  if (matches.length === 0) return { ok: false, message: 'the log format has no %OPERATOR% in it' };
  matches.forEach((m, i) => {
    const literal = format.slice(last, m.index);
    pattern += escapeRegExp(literal);
    const next = matches[i + 1];
    const followedByLiteral =
      next === undefined ? m.index + m[0].length < format.length : next.index > m.index + m[0].length;
    // Lazy groups up to the next literal; an operator glued to the next one takes one token.
    // Fields that never hold spaces take one token, so text the format does not describe makes the line
    // malformed instead of landing in a field; free text (times, user agents, reasons) reaches the next literal.
    const field = fieldOfOperator(m[1] ?? '', m[2]) ?? null;
    const token = field !== null && TOKEN_FIELDS.has(field);
    const isLast = i === matches.length - 1;
    pattern += followedByLiteral ? (token ? '(\\S*?)' : '(.*?)') : isLast && !token ? '(.*)' : '(\\S*)';
    slots.push(field);
    last = m.index + m[0].length;
  });
  const prefixPattern = `${pattern}${escapeRegExp(format.slice(last))}`;
  pattern = `${prefixPattern}\\s*$`;
  const fields = slots.filter((f): f is JsonField => f !== null);
  if (!usable(fields)) return unusable();
  let regex: RegExp;
  let prefix: RegExp;
  try {
    regex = new RegExp(pattern);
    prefix = new RegExp(prefixPattern);
  } catch {
    return { ok: false, message: 'the log format could not be compiled' };
  }
  const parser: RecordParser = (text, source, line, origin) => {
    const m = regex.exec(text);
    // A line that starts as the format says but goes on past it is a damaged record, not another log.
    if (m === null) return { ok: false, reason: prefix.test(text) ? 'malformed' : 'not_access_log' };
    const values: Partial<Record<JsonField, string>> = {};
    slots.forEach((field, i) => {
      if (field !== null && values[field] === undefined) values[field] = m[i + 1] ?? '';
    });
    for (const field of NUMERIC_FIELDS) {
      const value = values[field];
      if (value !== undefined && value !== '' && value !== '-' && !/^\d+$/.test(value)) {
        return { ok: false, reason: 'malformed' };
      }
    }
    return { ok: true, entry: entryFromStrings(values, source, line, origin) };
  };
  return { ok: true, parser, fields };
}

/** Fields whose values never contain spaces (Envoy writes `_` or encodes them). */
const TOKEN_FIELDS: ReadonlySet<JsonField> = new Set<JsonField>([
  'response_code',
  'response_flags',
  'bytes_received',
  'bytes_sent',
  'duration_ms',
  'upstream_service_time_ms',
  'method',
  'path',
  'protocol',
  'request_id',
  'authority',
  'upstream_host',
  'upstream_cluster',
  'upstream_local_address',
  'downstream_local_address',
  'downstream_remote_address',
  'requested_server_name',
  'route_name',
  'response_code_details',
]);

/** Fields that must be a whole number (or `-`) for a line to be a record of this format. */
const NUMERIC_FIELDS: readonly JsonField[] = [
  'response_code',
  'bytes_received',
  'bytes_sent',
  'duration_ms',
  'upstream_service_time_ms',
];

function entryFromStrings(
  v: Partial<Record<JsonField, string>>,
  source: string,
  line: number,
  origin: string | null,
): AccessLogEntry {
  const cluster = cleanCluster(v.upstream_cluster);
  return {
    line,
    source,
    format: 'text',
    start_time: toIsoTime(v.start_time),
    method: nullable(v.method),
    path: nullable(v.path),
    protocol: nullable(v.protocol),
    response_code: v.response_code === undefined ? null : (toInt(v.response_code) ?? 0),
    response_flags: splitFlags(v.response_flags),
    response_code_details: nullable(v.response_code_details),
    connection_termination_details: nullable(v.connection_termination_details),
    upstream_transport_failure_reason: nullable(v.upstream_transport_failure_reason),
    bytes_received: toInt(v.bytes_received),
    bytes_sent: toInt(v.bytes_sent),
    duration_ms: toInt(v.duration_ms),
    upstream_service_time_ms: toInt(v.upstream_service_time_ms),
    x_forwarded_for: nullable(v.x_forwarded_for),
    user_agent: nullable(v.user_agent),
    request_id: nullable(v.request_id),
    authority: nullable(v.authority),
    upstream_host: nullable(v.upstream_host),
    upstream_cluster: cluster,
    upstream_local_address: nullable(v.upstream_local_address),
    downstream_local_address: nullable(v.downstream_local_address),
    downstream_remote_address: nullable(v.downstream_remote_address),
    requested_server_name: nullable(v.requested_server_name),
    route_name: nullable(v.route_name),
    direction: directionOfCluster(cluster),
    origin,
  };
}
