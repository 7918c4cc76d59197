/**
 * @module commands/logging-status
 * `meshbot status [NS|-A]`: which namespaces and workloads log, through which resource, provider, mode,
 * filter, since/until/by whom, whether meshbot manages it — and whether the mesh config already logs
 * everything (`accessLogFile`).
 */
import { asMeshbotError } from '../core/errors.js';
import { validateNamespace } from '../core/kubernetes-names.js';
import type {
  IstioConfigPort,
  JsonMap,
  LeasePort,
  LoggingApi,
  MeshConfigInfo,
} from '../istio-logging/logging-port.js';
import {
  ANNOTATIONS,
  annotationsOf,
  asMap,
  byAge,
  isNamespaceWide,
  managementOf,
  metadataOf,
  nameOf,
  namespaceOf,
  scopeTextOf,
  specOf,
  untilOf,
} from '../istio-logging/logging-resources.js';
import type {
  LoggingStatusEntry,
  LoggingStatusResult,
  NamespaceRule,
} from '../istio-logging/logging-result.js';
import { requireNamespaceExists } from '../istio-logging/require-namespace.js';
import { apiVersionOf, servedLoggingApis } from '../istio-logging/resolve-logging-api.js';
import { readReverterStatus } from '../istio-logging/reverter-status.js';
import type { Clock } from './ports.js';

/** Istio's default root namespace, where mesh-wide Telemetry lives unless the mesh config says otherwise. */
const DEFAULT_ROOT_NAMESPACE = 'istio-system';

export interface LoggingStatusInput {
  /** Undefined with `all` = every namespace. */
  namespace?: string | undefined;
  all?: boolean | undefined;
}

function parseTime(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

function entryFor(
  api: LoggingApi,
  object: JsonMap,
  mesh: MeshConfigInfo | null,
  ignored: boolean,
): LoggingStatusEntry | null {
  const spec = specOf(object);
  const namespace = namespaceOf(object);
  const wide = isNamespaceWide(object);
  const scope = !wide
    ? 'workload'
    : namespace === (mesh?.rootNamespace ?? DEFAULT_ROOT_NAMESPACE)
      ? 'mesh'
      : 'namespace';
  const selector = wide ? undefined : scopeTextOf(object);
  const annotations = annotationsOf(object);
  const management = managementOf(object);
  const common = {
    kind: api.kind,
    apiVersion: apiVersionOf(api),
    namespace,
    name: nameOf(object),
    scope,
    selector,
    managed: management.kind,
    requestedBy: annotations[ANNOTATIONS.requestedBy],
    sinceMs: parseTime(annotations[ANNOTATIONS.since] ?? metadataOf(object).creationTimestamp),
    untilMs: untilOf(object),
    ignored,
  } as const;
  if (api.kind === 'EnvoyFilter') {
    if (!JSON.stringify(spec).includes('access_log')) return null;
    const mode = annotations[ANNOTATIONS.mode];
    return {
      ...common,
      providers: ['envoy.access_loggers.file'],
      mode: mode === 'client' ? 'CLIENT' : mode === 'server' ? 'SERVER' : 'CLIENT_AND_SERVER',
      disabled: false,
    };
  }
  const rules = Array.isArray(spec.accessLogging) ? spec.accessLogging.map((r) => asMap(r) ?? {}) : undefined;
  if (rules === undefined) return null;
  const providers = rules.flatMap((r) =>
    Array.isArray(r.providers) ? r.providers.map((p) => String(asMap(p)?.name ?? '')) : [],
  );
  const modes = [...new Set(rules.map((r) => String(asMap(r.match)?.mode ?? 'CLIENT_AND_SERVER')))];
  const filters = rules
    .map((r) => asMap(r.filter)?.expression)
    .filter((f): f is string => typeof f === 'string');
  return {
    ...common,
    providers: providers.length > 0 ? providers : ['(mesh default providers)'],
    mode: modes.join(', ') || 'CLIENT_AND_SERVER',
    filter: filters.length > 0 ? filters.join(' || ') : undefined,
    disabled: rules.length > 0 && rules.every((r) => r.disabled === true),
  };
}

/** Entries of `objects` (listed with `api`), marking the selector-less Telemetries Istio ignores. */
function entriesOf(
  api: LoggingApi,
  objects: readonly JsonMap[],
  mesh: MeshConfigInfo | null,
): LoggingStatusEntry[] {
  const oldestWide = new Map<string, string>();
  if (api.kind === 'Telemetry') {
    for (const o of objects.filter(isNamespaceWide).sort(byAge)) {
      if (!oldestWide.has(namespaceOf(o))) oldestWide.set(namespaceOf(o), nameOf(o));
    }
  }
  const out: LoggingStatusEntry[] = [];
  for (const object of objects) {
    const ignored =
      api.kind === 'Telemetry' &&
      isNamespaceWide(object) &&
      oldestWide.get(namespaceOf(object)) !== nameOf(object);
    const entry = entryFor(api, object, mesh, ignored);
    if (entry !== null) out.push(entry);
  }
  return out;
}

/**
 * What decides access logging for `namespace` as a whole: its own selector-less Telemetry, else the
 * root namespace's (mesh-wide), else the mesh config's `accessLogFile`, else nothing.
 */
export function namespaceRuleOf(
  namespace: string,
  rootNamespace: string,
  entries: readonly LoggingStatusEntry[],
  mesh: MeshConfigInfo | null,
): NamespaceRule {
  const wide = (ns: string) =>
    entries.find(
      (e) => e.namespace === ns && e.scope !== 'workload' && !e.ignored && e.kind === 'Telemetry',
    ) ?? entries.find((e) => e.namespace === ns && e.scope !== 'workload' && e.kind === 'EnvoyFilter');
  const own = namespace === rootNamespace ? undefined : wide(namespace);
  const rule = own ?? wide(rootNamespace);
  if (rule !== undefined) {
    return {
      source: rule === own ? 'namespace' : 'mesh',
      kind: rule.kind,
      namespace: rule.namespace,
      name: rule.name,
      disabled: rule.disabled,
    };
  }
  return mesh?.accessLogFile !== undefined ? { source: 'mesh-config' } : { source: 'none' };
}

export async function loggingStatus(
  input: LoggingStatusInput,
  deps: {
    istio: IstioConfigPort;
    clock: Clock;
    /** The reconciler Lease, to say who will revert meshbot's changes; without it the result does not say. */
    leases?: LeasePort | undefined;
    leaseNamespace?: string | undefined;
  },
): Promise<LoggingStatusResult> {
  const namespace = input.all === true ? undefined : input.namespace;
  if (namespace !== undefined) {
    validateNamespace(namespace);
    await requireNamespaceExists(deps.istio, namespace);
  }
  const apis = servedLoggingApis(await deps.istio.istioApis());
  let mesh: MeshConfigInfo | null = null;
  let meshError: string | undefined;
  try {
    mesh = await deps.istio.meshConfig();
  } catch (e) {
    meshError = asMeshbotError(e).message;
  }
  const rootNamespace = mesh?.rootNamespace ?? DEFAULT_ROOT_NAMESPACE;
  const entries: LoggingStatusEntry[] = [];
  for (const api of apis) {
    entries.push(...entriesOf(api, await deps.istio.list(api, namespace), mesh));
    // The mesh-wide rule applies to this namespace too: show it beside the namespace's own.
    if (namespace !== undefined && namespace !== rootNamespace) {
      const root = (await deps.istio.list(api, rootNamespace)).filter(isNamespaceWide);
      entries.push(...entriesOf(api, root, mesh));
    }
  }
  entries.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  const nowMs = deps.clock();
  const reverter =
    deps.leases !== undefined && entries.some((e) => e.managed !== 'none')
      ? await readReverterStatus(deps.leases, deps.leaseNamespace ?? 'meshbot', nowMs)
      : undefined;
  return {
    command: 'status',
    scope: namespace ?? 'all',
    nowMs,
    mesh,
    meshError,
    entries,
    ...(namespace === undefined
      ? {}
      : { appliesToNamespace: namespaceRuleOf(namespace, rootNamespace, entries, mesh) }),
    ...(reverter === undefined ? {} : { reverter }),
  };
}
