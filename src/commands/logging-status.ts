/**
 * @module commands/logging-status
 * `meshbot status [NS|-A]`: which namespaces and workloads log, through which resource, provider, mode,
 * filter, since/until/by whom, whether meshbot manages it — and whether the mesh config already logs
 * everything (`accessLogFile`).
 */
import { asMeshbotError } from '../core/errors.js';
import { validateNamespace } from '../core/kubernetes-names.js';
import type { IstioConfigPort, JsonMap, LoggingApi, MeshConfigInfo } from '../istio-logging/logging-port.js';
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
  selectorLabelsOf,
  specOf,
  untilOf,
} from '../istio-logging/logging-resources.js';
import type { LoggingStatusEntry, LoggingStatusResult } from '../istio-logging/logging-result.js';
import { requireNamespaceExists } from '../istio-logging/require-namespace.js';
import { apiVersionOf, servedLoggingApis } from '../istio-logging/resolve-logging-api.js';
import type { Clock } from './ports.js';

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
  const labels = selectorLabelsOf(object);
  const namespace = namespaceOf(object);
  const wide = isNamespaceWide(object);
  const scope = !wide
    ? 'workload'
    : namespace === (mesh?.rootNamespace ?? 'istio-system')
      ? 'mesh'
      : 'namespace';
  const selector = wide
    ? undefined
    : Object.entries(labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(',') || 'targetRefs';
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

export async function loggingStatus(
  input: LoggingStatusInput,
  deps: { istio: IstioConfigPort; clock: Clock },
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
  const entries: LoggingStatusEntry[] = [];
  for (const api of apis) {
    const objects = await deps.istio.list(api, namespace);
    const oldestWide = new Map<string, string>();
    if (api.kind === 'Telemetry') {
      for (const o of objects.filter(isNamespaceWide).sort(byAge)) {
        if (!oldestWide.has(namespaceOf(o))) oldestWide.set(namespaceOf(o), nameOf(o));
      }
    }
    for (const object of objects) {
      const ignored =
        api.kind === 'Telemetry' &&
        isNamespaceWide(object) &&
        oldestWide.get(namespaceOf(object)) !== nameOf(object);
      const entry = entryFor(api, object, mesh, ignored);
      if (entry !== null) entries.push(entry);
    }
  }
  entries.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  return {
    command: 'status',
    scope: namespace ?? 'all',
    nowMs: deps.clock(),
    mesh,
    meshError,
    entries,
  };
}
