/**
 * @module commands/logging-resources
 * Pure builders of what meshbot writes to switch access logging on: the Telemetry (v1 / v1alpha1), the
 * legacy EnvoyFilter, the annotations that record who asked and until when, and the JSON-patch
 * operations that change (and later restore exactly) an existing Telemetry's `accessLogging`.
 */
import type { JsonMap, JsonPatchOp, LoggingApi } from './logging-port.js';

export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_VALUE = 'meshbot';

/** Annotations meshbot puts on what it creates or patches. */
export const ANNOTATIONS = {
  requestedBy: 'meshbot.io/requested-by',
  since: 'meshbot.io/since',
  until: 'meshbot.io/until',
  mode: 'meshbot.io/mode',
  filter: 'meshbot.io/filter',
  provider: 'meshbot.io/provider',
  /** On a Telemetry meshbot patched (not created): its `spec.accessLogging` before, as JSON, or {@link ABSENT}. */
  previous: 'meshbot.io/previous-access-logging',
} as const;

/** The value of {@link ANNOTATIONS.previous} when the Telemetry had no `accessLogging` at all. */
export const ABSENT = 'absent';

export const LOGGING_MODES = ['client', 'server', 'both'] as const;
export type LoggingMode = (typeof LOGGING_MODES)[number];

export interface WorkloadSelector {
  label: string;
  value: string;
}

/** What the user asked for, with times resolved. */
export interface LoggingRequest {
  namespace: string;
  workload?: WorkloadSelector | undefined;
  /**
   * An ambient namespace's waypoint (its Gateway's name, in `namespace`): the Telemetry targets it
   * (`targetRefs`), since ambient pods have no Envoy of their own. Never with `workload`.
   */
  waypoint?: string | undefined;
  mode: LoggingMode;
  filter?: string | undefined;
  provider: string;
  requestedBy: string;
  sinceMs: number;
  untilMs: number;
}

const TELEMETRY_MODE: Record<LoggingMode, string> = {
  client: 'CLIENT',
  server: 'SERVER',
  both: 'CLIENT_AND_SERVER',
};

const ENVOY_CONTEXT: Record<LoggingMode, string> = {
  client: 'SIDECAR_OUTBOUND',
  server: 'SIDECAR_INBOUND',
  both: 'ANY',
};

export function isLoggingMode(value: string): value is LoggingMode {
  return (LOGGING_MODES as readonly string[]).includes(value);
}

/** `2024-05-01T12:00:00.000Z` → `2024-05-01T12:00:00Z` (what the API server writes). */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The `spec.accessLogging` meshbot writes. `disabled: false` is explicit so a `disabled: true` higher up
 * (root namespace) does not win (Telemetry API: "`disabled: false` must be set explicitly to override").
 */
export function accessLoggingFor(request: Pick<LoggingRequest, 'mode' | 'provider' | 'filter'>): JsonMap[] {
  const rule: JsonMap = {
    providers: [{ name: request.provider }],
    match: { mode: TELEMETRY_MODE[request.mode] },
    disabled: false,
  };
  if (request.filter !== undefined) rule.filter = { expression: request.filter };
  return [rule];
}

/** The annotations recording who asked, when, until when, what. */
export function meshbotAnnotations(request: LoggingRequest): Record<string, string> {
  const out: Record<string, string> = {
    [ANNOTATIONS.requestedBy]: request.requestedBy,
    [ANNOTATIONS.since]: isoSeconds(request.sinceMs),
    [ANNOTATIONS.until]: isoSeconds(request.untilMs),
    [ANNOTATIONS.mode]: request.mode,
    [ANNOTATIONS.provider]: request.provider,
  };
  if (request.filter !== undefined) out[ANNOTATIONS.filter] = request.filter;
  return out;
}

/** `meshbot-access-logging`, or `meshbot-access-logging-app-reviews` for `--workload app=reviews`. */
export function resourceName(workload: WorkloadSelector | undefined): string {
  const base = 'meshbot-access-logging';
  if (workload === undefined) return base;
  const slug = `${workload.label}-${workload.value}`
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  const hash = fnv1a(`${workload.label}=${workload.value}`);
  return `${`${base}-${slug}`.slice(0, 53).replace(/-$/, '')}-${hash}`;
}

function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0').slice(0, 6);
}

/** The Gateway API group of a waypoint (`kind: Gateway`, class `istio-waypoint`). */
export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';

/** `meshbot-access-logging-waypoint-<name>-<hash>`: the Telemetry of a waypoint. */
export function waypointResourceName(waypoint: string): string {
  const base = 'meshbot-access-logging-waypoint';
  const slug = waypoint
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-|-$/g, '');
  return `${`${base}-${slug}`.slice(0, 53).replace(/-$/, '')}-${fnv1a(`waypoint=${waypoint}`)}`;
}

function metadataFor(request: LoggingRequest): JsonMap {
  return {
    name:
      request.waypoint === undefined
        ? resourceName(request.workload)
        : waypointResourceName(request.waypoint),
    namespace: request.namespace,
    labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE },
    annotations: meshbotAnnotations(request),
  };
}

/** A Telemetry meshbot creates (selector-less, or selecting `--workload`). */
export function buildTelemetry(version: 'v1' | 'v1alpha1', request: LoggingRequest): JsonMap {
  const spec: JsonMap = {};
  if (request.workload !== undefined) {
    spec.selector = { matchLabels: { [request.workload.label]: request.workload.value } };
  }
  if (request.waypoint !== undefined) {
    spec.targetRefs = [{ group: GATEWAY_API_GROUP, kind: 'Gateway', name: request.waypoint }];
  }
  spec.accessLogging = accessLoggingFor(request);
  return {
    apiVersion: `telemetry.istio.io/${version}`,
    kind: 'Telemetry',
    metadata: metadataFor(request),
    spec,
  };
}

/** Envoy's JSON access-log keys as Istio's default JSON format names them. */
export const ENVOY_JSON_FORMAT: Readonly<Record<string, string>> = {
  start_time: '%START_TIME%',
  method: '%REQ(:METHOD)%',
  path: '%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%',
  protocol: '%PROTOCOL%',
  response_code: '%RESPONSE_CODE%',
  response_flags: '%RESPONSE_FLAGS%',
  response_code_details: '%RESPONSE_CODE_DETAILS%',
  connection_termination_details: '%CONNECTION_TERMINATION_DETAILS%',
  upstream_transport_failure_reason: '%UPSTREAM_TRANSPORT_FAILURE_REASON%',
  bytes_received: '%BYTES_RECEIVED%',
  bytes_sent: '%BYTES_SENT%',
  duration: '%DURATION%',
  upstream_service_time: '%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)%',
  x_forwarded_for: '%REQ(X-FORWARDED-FOR)%',
  user_agent: '%REQ(USER-AGENT)%',
  request_id: '%REQ(X-REQUEST-ID)%',
  authority: '%REQ(:AUTHORITY)%',
  upstream_host: '%UPSTREAM_HOST%',
  upstream_cluster: '%UPSTREAM_CLUSTER%',
  upstream_local_address: '%UPSTREAM_LOCAL_ADDRESS%',
  downstream_local_address: '%DOWNSTREAM_LOCAL_ADDRESS%',
  downstream_remote_address: '%DOWNSTREAM_REMOTE_ADDRESS%',
  requested_server_name: '%REQUESTED_SERVER_NAME%',
  route_name: '%ROUTE_NAME%',
};

/**
 * The pre-Telemetry-API (Istio < 1.11) equivalent: an EnvoyFilter that MERGEs a JSON file access log to
 * /dev/stdout into every HTTP connection manager (v3 types). It cannot filter, pick a provider, or log TCP.
 */
export function buildEnvoyFilter(request: LoggingRequest): JsonMap {
  const spec: JsonMap = {};
  if (request.workload !== undefined) {
    spec.workloadSelector = { labels: { [request.workload.label]: request.workload.value } };
  }
  spec.configPatches = [
    {
      applyTo: 'NETWORK_FILTER',
      match: {
        context: ENVOY_CONTEXT[request.mode],
        listener: { filterChain: { filter: { name: 'envoy.filters.network.http_connection_manager' } } },
      },
      patch: {
        operation: 'MERGE',
        value: {
          typed_config: {
            '@type':
              'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
            access_log: [
              {
                name: 'envoy.access_loggers.file',
                typed_config: {
                  '@type': 'type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog',
                  path: '/dev/stdout',
                  log_format: { json_format: { ...ENVOY_JSON_FORMAT } },
                },
              },
            ],
          },
        },
      },
    },
  ];
  return {
    apiVersion: 'networking.istio.io/v1alpha3',
    kind: 'EnvoyFilter',
    metadata: metadataFor(request),
    spec,
  };
}

/** The object meshbot creates with the given API. */
export function buildLoggingResource(api: LoggingApi, request: LoggingRequest): JsonMap {
  return api.kind === 'Telemetry' ? buildTelemetry(api.version, request) : buildEnvoyFilter(request);
}

// ---- reading objects ------------------------------------------------------------------------------

export function asMap(value: unknown): JsonMap | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JsonMap)
    : undefined;
}

export function metadataOf(object: JsonMap): JsonMap {
  return asMap(object.metadata) ?? {};
}

export function specOf(object: JsonMap): JsonMap {
  return asMap(object.spec) ?? {};
}

export function stringMapOf(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(asMap(value) ?? {})) if (typeof v === 'string') out[k] = v;
  return out;
}

export function nameOf(object: JsonMap): string {
  return String(metadataOf(object).name ?? '');
}

export function namespaceOf(object: JsonMap): string {
  return String(metadataOf(object).namespace ?? '');
}

export function resourceVersionOf(object: JsonMap): string {
  return String(metadataOf(object).resourceVersion ?? '');
}

export function annotationsOf(object: JsonMap): Record<string, string> {
  return stringMapOf(metadataOf(object).annotations);
}

/** How meshbot relates to an object. */
export type Management =
  | { kind: 'created' }
  | { kind: 'patched'; previous: readonly unknown[] | typeof ABSENT }
  | { kind: 'none' };

export function managementOf(object: JsonMap): Management {
  if (stringMapOf(metadataOf(object).labels)[MANAGED_BY_LABEL] === MANAGED_BY_VALUE)
    return { kind: 'created' };
  const previous = annotationsOf(object)[ANNOTATIONS.previous];
  if (previous === undefined) return { kind: 'none' };
  if (previous === ABSENT) return { kind: 'patched', previous: ABSENT };
  try {
    const parsed: unknown = JSON.parse(previous);
    if (Array.isArray(parsed)) return { kind: 'patched', previous: parsed };
  } catch {
    // fall through: an unreadable record is treated as "not meshbot's"
  }
  return { kind: 'none' };
}

/** The `--workload` selector of a Telemetry (`selector.matchLabels`) or EnvoyFilter (`workloadSelector.labels`). */
export function selectorLabelsOf(object: JsonMap): Record<string, string> {
  const spec = specOf(object);
  const selector = asMap(spec.selector) ?? asMap(spec.workloadSelector);
  if (selector === undefined) return {};
  return stringMapOf(selector.matchLabels ?? selector.labels);
}

/** Applies to the whole namespace: no selector and no targetRef(s). */
export function isNamespaceWide(object: JsonMap): boolean {
  const spec = specOf(object);
  const refs = spec.targetRefs;
  return (
    Object.keys(selectorLabelsOf(object)).length === 0 &&
    spec.targetRef === undefined &&
    !(Array.isArray(refs) && refs.length > 0)
  );
}

/** The Gateways a Telemetry targets (`targetRefs`, or the older single `targetRef`), by name. */
export function targetGatewaysOf(object: JsonMap): string[] {
  const spec = specOf(object);
  const refs = Array.isArray(spec.targetRefs)
    ? spec.targetRefs
    : spec.targetRef === undefined
      ? []
      : [spec.targetRef];
  return refs
    .map((r) => asMap(r))
    .filter(
      (r): r is JsonMap =>
        r !== undefined && r.kind === 'Gateway' && (r.group ?? GATEWAY_API_GROUP) === GATEWAY_API_GROUP,
    )
    .map((r) => String(r.name ?? ''));
}

/** The Telemetry targets exactly the waypoint `name` (one Gateway ref, no selector). */
export function targetsWaypoint(object: JsonMap, name: string): boolean {
  const spec = specOf(object);
  const refs = Array.isArray(spec.targetRefs) ? spec.targetRefs.length : spec.targetRef === undefined ? 0 : 1;
  const gateways = targetGatewaysOf(object);
  return (
    refs === 1 &&
    gateways.length === 1 &&
    gateways[0] === name &&
    Object.keys(selectorLabelsOf(object)).length === 0
  );
}

/** What a Telemetry that is not namespace-wide applies to: `app=reviews`, `Gateway/waypoint`. */
export function scopeTextOf(object: JsonMap): string {
  const labels = Object.entries(selectorLabelsOf(object))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  if (labels !== '') return labels;
  const gateways = targetGatewaysOf(object);
  return gateways.length > 0 ? gateways.map((g) => `Gateway/${g}`).join(',') : 'targetRefs';
}

/** The Telemetry selects exactly `label=value`. */
export function selectsExactly(object: JsonMap, workload: WorkloadSelector): boolean {
  const labels = selectorLabelsOf(object);
  const keys = Object.keys(labels);
  return keys.length === 1 && labels[workload.label] === workload.value;
}

/** The meshbot until-time, or undefined. */
export function untilOf(object: JsonMap): number | undefined {
  const text = annotationsOf(object)[ANNOTATIONS.until];
  if (text === undefined) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Oldest first, as Istio ranks selector-less Telemetries (ties by name). */
export function byAge(a: JsonMap, b: JsonMap): number {
  const ta = String(metadataOf(a).creationTimestamp ?? '');
  const tb = String(metadataOf(b).creationTimestamp ?? '');
  return ta === tb ? nameOf(a).localeCompare(nameOf(b)) : ta < tb ? -1 : 1;
}

// ---- patches --------------------------------------------------------------------------------------

/** RFC 6901 escaping of one path segment. */
export function pointerSegment(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}

const ANNOTATION_KEYS: readonly string[] = Object.values(ANNOTATIONS);

function annotationOps(
  object: JsonMap,
  wanted: Record<string, string>,
  keep: readonly string[],
): JsonPatchOp[] {
  const existing = asMap(metadataOf(object).annotations);
  if (existing === undefined) return [{ op: 'add', path: '/metadata/annotations', value: wanted }];
  const ops: JsonPatchOp[] = [];
  for (const key of ANNOTATION_KEYS) {
    if (key in wanted || keep.includes(key) || !(key in existing)) continue;
    ops.push({ op: 'remove', path: `/metadata/annotations/${pointerSegment(key)}` });
  }
  for (const [key, value] of Object.entries(wanted)) {
    if (existing[key] !== value)
      ops.push({ op: 'add', path: `/metadata/annotations/${pointerSegment(key)}`, value });
  }
  return ops;
}

function guard(object: JsonMap): JsonPatchOp {
  return { op: 'test', path: '/metadata/resourceVersion', value: resourceVersionOf(object) };
}

/**
 * Ops that switch logging on in an existing object: its `spec.accessLogging` (or the EnvoyFilter's
 * `spec`) is replaced and the annotations updated. On a Telemetry meshbot did not create, the previous
 * `accessLogging` is recorded once (re-runs keep the first record). Nothing else is touched.
 */
export function enableOps(object: JsonMap, api: LoggingApi, request: LoggingRequest): JsonPatchOp[] {
  const management = managementOf(object);
  const wanted = meshbotAnnotations(request);
  const previousSince = annotationsOf(object)[ANNOTATIONS.since];
  if (management.kind !== 'none' && previousSince !== undefined) wanted[ANNOTATIONS.since] = previousSince;
  const spec = asMap(object.spec);
  const ops: JsonPatchOp[] = [guard(object)];
  if (api.kind === 'EnvoyFilter') {
    ops.push({
      op: spec === undefined ? 'add' : 'replace',
      path: '/spec',
      value: specOf(buildEnvoyFilter(request)),
    });
    return [...ops, ...annotationOps(object, wanted, [])];
  }
  if (management.kind === 'none') {
    wanted[ANNOTATIONS.previous] =
      spec?.accessLogging === undefined ? ABSENT : JSON.stringify(spec.accessLogging);
  }
  const value = accessLoggingFor(request);
  if (spec === undefined) ops.push({ op: 'add', path: '/spec', value: { accessLogging: value } });
  else if (JSON.stringify(spec.accessLogging) !== JSON.stringify(value)) {
    ops.push({ op: 'add', path: '/spec/accessLogging', value });
  }
  return [
    ...ops,
    ...annotationOps(object, wanted, management.kind === 'patched' ? [ANNOTATIONS.previous] : []),
  ];
}

/** Ops that put a patched Telemetry's `accessLogging` back exactly and remove meshbot's annotations. */
export function restoreOps(object: JsonMap, previous: readonly unknown[] | typeof ABSENT): JsonPatchOp[] {
  const ops: JsonPatchOp[] = [guard(object)];
  const spec = asMap(object.spec);
  if (previous === ABSENT) {
    if (spec?.accessLogging !== undefined) ops.push({ op: 'remove', path: '/spec/accessLogging' });
  } else if (spec === undefined) {
    ops.push({ op: 'add', path: '/spec', value: { accessLogging: previous } });
  } else {
    ops.push({ op: 'add', path: '/spec/accessLogging', value: previous });
  }
  return [...ops, ...removeAnnotationOps(object)];
}

/**
 * Ops that let go of a patched Telemetry without touching its spec: only meshbot's annotations go. Used
 * when its owner changed `accessLogging` after meshbot patched it, so restoring would clobber their edit.
 */
export function releaseOps(object: JsonMap): JsonPatchOp[] {
  return [guard(object), ...removeAnnotationOps(object)];
}

function removeAnnotationOps(object: JsonMap): JsonPatchOp[] {
  const annotations = asMap(metadataOf(object).annotations) ?? {};
  const others = Object.keys(annotations).filter((k) => !ANNOTATION_KEYS.includes(k));
  if (others.length === 0) return [{ op: 'remove', path: '/metadata/annotations' }];
  return ANNOTATION_KEYS.filter((key) => key in annotations).map((key) => ({
    op: 'remove' as const,
    path: `/metadata/annotations/${pointerSegment(key)}`,
  }));
}

/**
 * Whether a Telemetry meshbot patched still has the `accessLogging` meshbot wrote, rebuilt from meshbot's
 * own annotations. Key order is ignored: an API server re-serialises custom resources with sorted keys.
 */
export function stillAsMeshbotLeftIt(object: JsonMap): boolean {
  const annotations = annotationsOf(object);
  const mode = annotations[ANNOTATIONS.mode];
  const provider = annotations[ANNOTATIONS.provider];
  if (!LOGGING_MODES.some((m) => m === mode) || provider === undefined) return false;
  const wrote = accessLoggingFor({
    mode: mode as LoggingMode,
    provider,
    filter: annotations[ANNOTATIONS.filter],
  });
  return canonicalJson(asMap(object.spec)?.accessLogging) === canonicalJson(wrote);
}

/**
 * Whether a Telemetry meshbot created still holds only what meshbot put there (its rule and the workload
 * selector or waypoint ref). Istio honours one selector-less Telemetry per namespace, so teams may add their tracing or
 * metrics to meshbot's; deleting it would then take their config with it. EnvoyFilters are left as created.
 */
export function onlyWhatMeshbotCreated(object: JsonMap): boolean {
  if (object.kind !== 'Telemetry') return true;
  const spec = specOf(object);
  const extra = Object.keys(spec).filter(
    (key) => key !== 'accessLogging' && key !== 'selector' && key !== 'targetRefs',
  );
  // A waypoint's Telemetry: the one Gateway ref meshbot wrote, nothing more.
  const refs = spec.targetRefs;
  const ownRefs =
    refs === undefined || (Array.isArray(refs) && refs.length === 1 && targetGatewaysOf(object).length === 1);
  return extra.length === 0 && ownRefs && stillAsMeshbotLeftIt(object);
}

/** Ops that hand a Telemetry meshbot created, but others extended, over to them: meshbot's rule and marks go. */
export function handOverOps(object: JsonMap): JsonPatchOp[] {
  const ops: JsonPatchOp[] = [guard(object)];
  if (stillAsMeshbotLeftIt(object)) ops.push({ op: 'remove', path: '/spec/accessLogging' });
  const labels = stringMapOf(metadataOf(object).labels);
  if (Object.keys(labels).length === 1) ops.push({ op: 'remove', path: '/metadata/labels' });
  else ops.push({ op: 'remove', path: `/metadata/labels/${pointerSegment(MANAGED_BY_LABEL)}` });
  return [...ops, ...removeAnnotationOps(object)];
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** Applies add/replace/remove/test ops to a copy (for dry runs and tests); throws on a failed test. */
export function applyOps(object: JsonMap, ops: readonly JsonPatchOp[]): JsonMap {
  const copy = structuredClone(object);
  for (const op of ops) {
    const parts = op.path
      .split('/')
      .slice(1)
      .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
    const last = parts.pop();
    if (last === undefined) throw new Error(`bad path ${op.path}`);
    let parent: JsonMap = copy;
    for (const part of parts) {
      const next = asMap(parent[part]);
      if (next === undefined) throw new Error(`path ${op.path} does not exist`);
      parent = next;
    }
    switch (op.op) {
      case 'test':
        if (JSON.stringify(parent[last]) !== JSON.stringify(op.value))
          throw new Error(`test ${op.path} failed`);
        break;
      case 'add':
      case 'replace':
        parent[last] = structuredClone(op.value);
        break;
      case 'remove':
        delete parent[last];
        break;
    }
  }
  return copy;
}

/** A copy without what the server owns (resourceVersion, uid, generation, timestamps, managedFields, status). */
export function withoutServerFields(object: JsonMap): JsonMap {
  const copy = structuredClone(object);
  delete copy.status;
  const metadata = asMap(copy.metadata);
  if (metadata !== undefined) {
    for (const key of [
      'resourceVersion',
      'uid',
      'generation',
      'creationTimestamp',
      'managedFields',
      'selfLink',
    ]) {
      delete metadata[key];
    }
  }
  return copy;
}
