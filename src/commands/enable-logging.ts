/**
 * @module commands/enable-logging
 * `meshbot enable-logging NS`: switches Istio access logging on for a namespace (or one workload, or the
 * mesh) until a time, without clobbering: an existing selector-less Telemetry is patched (its previous
 * `accessLogging` recorded for an exact restore), never duplicated. Idempotent; retries on conflicts.
 */

import { formatDuration } from '../core/duration.js';
import { asMeshbotError, MeshbotError } from '../core/errors.js';
import { isDns1123Subdomain, validateNamespace } from '../core/kubernetes-names.js';
import type { IstioConfigPort, JsonMap, LeasePort, LoggingApi } from '../istio-logging/logging-port.js';
import {
  applyOps,
  buildLoggingResource,
  byAge,
  enableOps,
  isLoggingMode,
  isNamespaceWide,
  type LoggingMode,
  type LoggingRequest,
  managementOf,
  nameOf,
  resourceName,
  selectsExactly,
  targetsWaypoint,
  untilOf,
  type WorkloadSelector,
  withoutServerFields,
} from '../istio-logging/logging-resources.js';
import type { EnableLoggingResult, LoggingChange } from '../istio-logging/logging-result.js';
import {
  type ExistingLogging,
  existingLogging,
  type MeshConfigFact,
  type PodsFact,
  preflightRefusal,
  runPreflight,
} from '../istio-logging/preflight.js';
import { requireNamespaceExists } from '../istio-logging/require-namespace.js';
import { apiVersionOf, resolveLoggingApi, servedLoggingApis } from '../istio-logging/resolve-logging-api.js';
import { retryOnConflict } from '../istio-logging/retry-on-conflict.js';
import { type ExpiredReverts, revertExpired } from '../istio-logging/revert-expired.js';
import { readReverterStatus } from '../istio-logging/reverter-status.js';
import { USE_WAYPOINT_LABEL, USE_WAYPOINT_NAMESPACE_LABEL } from './ambient-sources.js';
import type { ClusterReader } from './cluster-port.js';
import { parseWorkloadSelector } from './label-selector.js';
import type { Clock } from './ports.js';
import { AMBIENT_REDIRECTION_ANNOTATION, DATAPLANE_MODE_LABEL } from './resolve-target.js';

export interface EnableLoggingInput {
  /** Required unless `mesh`. */
  namespace?: string | undefined;
  /** The mesh's root namespace (from the mesh config). */
  mesh?: boolean | undefined;
  /** How long; default and ceiling `maxMs`. */
  forMs?: number | undefined;
  maxMs: number;
  mode?: string | undefined;
  filter?: string | undefined;
  provider?: string | undefined;
  /** `LABEL=VALUE`. */
  workload?: string | undefined;
  requestedBy: string;
  dryRun?: boolean | undefined;
}

export interface EnableLoggingDeps {
  istio: IstioConfigPort;
  clock: Clock;
  /** Pods and namespace labels for the preflight; without it the workload and injection checks are skipped. */
  cluster?: Pick<ClusterReader, 'getNamespace' | 'listPods'> | undefined;
  /** The reconciler Lease, to say who will switch logging off; without it the result does not say. */
  leases?: LeasePort | undefined;
  /** Where the reconciler Lease lives (meshbot's namespace; default `meshbot`). */
  leaseNamespace?: string | undefined;
}

function checkInput(input: EnableLoggingInput): {
  mode: LoggingMode;
  forMs: number;
  workload: WorkloadSelector | undefined;
} {
  if (input.mesh !== true) {
    if (input.namespace === undefined) {
      throw new MeshbotError('usage', 'which namespace? Name one, or pass --mesh for the whole mesh');
    }
    validateNamespace(input.namespace);
  } else if (input.namespace !== undefined) {
    throw new MeshbotError('usage', 'pass a namespace or --mesh, not both');
  }
  const mode = input.mode ?? 'both';
  if (!isLoggingMode(mode)) {
    throw new MeshbotError(
      'invalid_argument',
      `--mode must be client, server or both (got "${mode.slice(0, 20)}")`,
    );
  }
  const forMs = input.forMs ?? input.maxMs;
  if (forMs > input.maxMs) {
    throw new MeshbotError(
      'invalid_argument',
      `--for ${formatDuration(forMs)} is longer than the allowed maximum of ${formatDuration(input.maxMs)} (access logs cost money; MESHBOT_MAX_LOGGING_DURATION sets the maximum)`,
      { forMs, maxMs: input.maxMs },
    );
  }
  if (input.filter !== undefined && input.filter.trim() === '') {
    throw new MeshbotError(
      'invalid_argument',
      '--filter is empty: give a CEL expression, e.g. --filter "response.code >= 400"',
    );
  }
  if (input.provider !== undefined && !/^[A-Za-z0-9][-A-Za-z0-9_.]*$/.test(input.provider)) {
    throw new MeshbotError(
      'invalid_argument',
      `--provider "${input.provider.slice(0, 40)}" is not a provider name`,
    );
  }
  const workload = input.workload === undefined ? undefined : parseWorkloadSelector(input.workload);
  return { mode, forMs, workload };
}

/** The object the request applies to in the namespace, if one exists (oldest first, as Istio picks). */
function findTarget(
  objects: readonly JsonMap[],
  api: LoggingApi,
  request: LoggingRequest,
): JsonMap | undefined {
  if (api.kind === 'EnvoyFilter') {
    const found = objects.find((o) => nameOf(o) === resourceName(request.workload));
    if (found !== undefined && managementOf(found).kind !== 'created') {
      throw new MeshbotError(
        'not_owned',
        `EnvoyFilter ${request.namespace}/${nameOf(found)} exists and was not created by meshbot; nothing changed`,
      );
    }
    return found;
  }
  const workload = request.workload;
  const waypoint = request.waypoint;
  const candidates = objects
    .filter((o) =>
      waypoint !== undefined
        ? targetsWaypoint(o, waypoint)
        : workload === undefined
          ? isNamespaceWide(o)
          : selectsExactly(o, workload),
    )
    .sort(byAge);
  return candidates[0];
}

/** The waypoint a namespace's ambient pods use (`istio.io/use-waypoint`), and where it runs. */
interface AmbientFacts {
  namespace: boolean;
  /** The waypoint's name when it runs in the namespace itself; `elsewhere` when in another one. */
  waypoint: string | undefined;
  waypointNamespace: string | undefined;
}

function ambientFacts(labels: Readonly<Record<string, string>> | undefined, namespace: string): AmbientFacts {
  const name = labels?.[USE_WAYPOINT_LABEL];
  const valid = name !== undefined && name !== '' && name !== 'none' && isDns1123Subdomain(name);
  const where = labels?.[USE_WAYPOINT_NAMESPACE_LABEL] ?? namespace;
  return {
    namespace: labels?.[DATAPLANE_MODE_LABEL] === 'ambient',
    waypoint: valid ? name : undefined,
    waypointNamespace: valid ? where : undefined,
  };
}

function reasonOf(e: unknown): string {
  return asMeshbotError(e).message;
}

/** Pods and namespace labels, for the injection/selector checks and the mesh config revision. */
async function podFacts(
  cluster: EnableLoggingDeps['cluster'],
  namespace: string,
): Promise<{ pods: PodsFact | undefined; revision: string | undefined; ambient: AmbientFacts | undefined }> {
  if (cluster === undefined) return { pods: undefined, revision: undefined, ambient: undefined };
  try {
    const ns = await cluster.getNamespace(namespace);
    const pods = await cluster.listPods(namespace);
    const ambient = ambientFacts(ns?.labels, namespace);
    return {
      revision: ns?.labels['istio.io/rev'],
      ambient,
      pods: {
        ok: true,
        ambientNamespace: ambient.namespace,
        pods: pods.map((p) => ({
          name: p.name,
          labels: p.labels,
          proxy: p.proxy.present,
          ambient: p.annotations[AMBIENT_REDIRECTION_ANNOTATION] === 'enabled',
        })),
      },
    };
  } catch (e) {
    return { pods: { ok: false, reason: reasonOf(e) }, revision: undefined, ambient: undefined };
  }
}

/**
 * An ambient namespace's pods have no Envoy: ztunnel logs their connections already, and HTTP requests
 * are logged by their waypoint, which the Telemetry must target. The waypoint to target (when it runs in
 * the namespace, and the user did not ask for a workload), and what to tell the user.
 */
function ambientPlan(
  facts: { pods: PodsFact | undefined; ambient: AmbientFacts | undefined },
  namespace: string,
  workload: WorkloadSelector | undefined,
  notes: string[],
): string | undefined {
  const ambient = facts.ambient;
  if (ambient === undefined || !ambient.namespace) return undefined;
  const sidecars = facts.pods?.ok === true && facts.pods.pods.some((p) => p.proxy);
  notes.push(
    `Namespace ${namespace} is in ambient mode: ztunnel already logs every connection (L4) at info level, with no change (meshbot logs reads it).`,
  );
  if (workload !== undefined) {
    notes.push(
      `A --workload rule applies to pods with their own Envoy (sidecars); ambient pods have none, so their HTTP requests are logged by the namespace's waypoint: run enable-logging ${namespace} without --workload for it.`,
    );
    return undefined;
  }
  if (ambient.waypoint === undefined) {
    if (!sidecars)
      throw new MeshbotError(
        'invalid_argument',
        `namespace ${namespace} is in ambient mode and no waypoint serves it, so no proxy logs its HTTP requests and a Telemetry would change nothing. ztunnel already logs its connections (meshbot logs -n ${namespace} TARGET). For HTTP access logs, add a waypoint (istioctl waypoint apply -n ${namespace} --enroll-namespace) and run enable-logging again`,
        { namespace },
      );
    return undefined;
  }
  if (ambient.waypointNamespace !== namespace) {
    notes.push(
      `Its waypoint ${ambient.waypoint} runs in namespace ${ambient.waypointNamespace ?? ''}: run enable-logging ${ambient.waypointNamespace ?? ''} to log its HTTP requests there.`,
    );
    return undefined;
  }
  return ambient.waypoint;
}

export async function enableLogging(
  input: EnableLoggingInput,
  deps: EnableLoggingDeps,
): Promise<EnableLoggingResult> {
  const { mode, forMs, workload } = checkInput(input);
  const api = resolveLoggingApi(await deps.istio.istioApis());
  const notes: string[] = [];
  const dryRun = input.dryRun === true;
  if (input.mesh !== true) await requireNamespaceExists(deps.istio, input.namespace ?? '');
  const facts =
    input.mesh === true
      ? { pods: undefined, revision: undefined, ambient: undefined }
      : await podFacts(deps.cluster, input.namespace ?? '');
  const waypoint =
    input.mesh === true ? undefined : ambientPlan(facts, input.namespace ?? '', workload, notes);
  let meshConfig: MeshConfigFact;
  try {
    meshConfig = { ok: true, info: await deps.istio.meshConfig(facts.revision) };
  } catch (e) {
    // The mesh's root namespace comes from the mesh config: without it, --mesh cannot know where to write.
    if (input.mesh === true) throw e;
    meshConfig = { ok: false, reason: reasonOf(e) };
  }
  const mesh = meshConfig.ok ? meshConfig.info : undefined;
  const namespace = input.mesh === true ? (mesh?.rootNamespace ?? 'istio-system') : (input.namespace ?? '');
  const provider = input.provider ?? 'envoy';
  if (api.kind === 'EnvoyFilter') {
    notes.push(
      'This cluster has no Telemetry API (Istio before 1.11), so meshbot used an EnvoyFilter that adds a JSON access log to /dev/stdout (HTTP traffic only).',
    );
    if (input.filter !== undefined) {
      throw new MeshbotError(
        'invalid_argument',
        '--filter needs the Telemetry API (Istio 1.11 or later); this cluster only has EnvoyFilter',
      );
    }
    if (provider !== 'envoy') {
      throw new MeshbotError(
        'invalid_argument',
        '--provider needs the Telemetry API (Istio 1.11 or later); this cluster only has EnvoyFilter',
      );
    }
  }
  if (mesh?.accessLogFile !== undefined) {
    notes.push(`The mesh config already logs every proxy (accessLogFile: ${mesh.accessLogFile}).`);
  }
  const sinceMs = deps.clock();
  if (waypoint !== undefined && api.kind === 'EnvoyFilter') {
    throw new MeshbotError(
      'invalid_argument',
      `namespace ${namespace} is in ambient mode: its waypoint is configured through the Telemetry API, which this cluster does not serve`,
    );
  }
  if (waypoint !== undefined)
    notes.push(
      `meshbot switches on access logging for its waypoint ${waypoint} (HTTP, L7) with a Telemetry that targets it (targetRefs: Gateway ${waypoint}).`,
    );
  const request: LoggingRequest = {
    namespace,
    workload,
    ...(waypoint === undefined ? {} : { waypoint }),
    mode,
    filter: input.filter,
    provider,
    requestedBy: input.requestedBy,
    sinceMs,
    untilMs: sinceMs + forMs,
  };

  // Preflight, dry run or not: refuse what cannot work before any write.
  const objects = await deps.istio.list(api, namespace);
  const rootNamespace = mesh?.rootNamespace ?? 'istio-system';
  let existing: ExistingLogging | undefined;
  if (api.kind === 'Telemetry') {
    const rootObjects =
      namespace === rootNamespace ? objects : await deps.istio.list(api, rootNamespace).catch(() => []);
    existing =
      waypoint !== undefined
        ? undefined
        : existingLogging({
            namespace,
            workload,
            target: findTarget(objects, api, request),
            namespaceObjects: objects,
            rootNamespace,
            rootObjects,
            meshConfig: mesh,
          });
  }
  const checks = runPreflight({
    api,
    namespace,
    mesh: input.mesh === true,
    workload,
    mode,
    provider,
    filter: input.filter,
    meshConfig,
    pods: facts.pods,
    existing,
  });
  const refusal = preflightRefusal(checks);
  if (refusal !== undefined) throw refusal;

  let previousUntilMs: number | undefined;
  let first = true;
  const change = await retryOnConflict(`${api.kind} in ${namespace}`, async () => {
    const listed = first ? objects : await deps.istio.list(api, namespace);
    first = false;
    const target = findTarget(listed, api, request);
    previousUntilMs =
      target === undefined || managementOf(target).kind === 'none' ? undefined : untilOf(target);
    return target === undefined
      ? createChange(deps, api, request, dryRun)
      : patchChange(deps, api, request, target, dryRun);
  });
  if (change.action === 'patch') {
    notes.push(
      `${change.kind} ${namespace}/${change.name} already configured this ${workload === undefined ? 'namespace' : 'workload'}; meshbot changed only its accessLogging and will restore it exactly.`,
    );
  }

  // meshbot already writes to this namespace: revert the expired changes it finds there (not the one it just renewed).
  const expired = await revertExpiredHere(deps, namespace, change, dryRun);
  const reverter =
    deps.leases === undefined
      ? undefined
      : await readReverterStatus(deps.leases, deps.leaseNamespace ?? 'meshbot', deps.clock());
  return {
    command: 'enable-logging',
    dryRun,
    mesh: input.mesh === true,
    ...(previousUntilMs === undefined ? {} : { previousUntilMs }),
    api,
    ...request,
    change,
    notes,
    checks,
    ...(reverter === undefined ? {} : { reverter }),
    expiredReverted: expired.reverted,
    ...(expired.failures.length === 0 ? {} : { expiredFailures: expired.failures }),
  };
}

async function revertExpiredHere(
  deps: EnableLoggingDeps,
  namespace: string,
  change: LoggingChange,
  dryRun: boolean,
): Promise<ExpiredReverts> {
  const out: ExpiredReverts = { reverted: [], failures: [] };
  for (const api of servedLoggingApis(await deps.istio.istioApis())) {
    const objects = (await deps.istio.list(api, namespace)).filter(
      (o) => !(api.kind === change.kind && nameOf(o) === change.name),
    );
    const done = await revertExpired(deps.istio, api, objects, deps.clock(), dryRun);
    out.reverted.push(...done.reverted);
    out.failures.push(...done.failures);
  }
  return out;
}

async function createChange(
  deps: EnableLoggingDeps,
  api: LoggingApi,
  request: LoggingRequest,
  dryRun: boolean,
): Promise<LoggingChange> {
  const body = buildLoggingResource(api, request);
  const object = dryRun ? body : withoutServerFields(await deps.istio.create(api, request.namespace, body));
  return {
    action: 'create',
    kind: api.kind,
    apiVersion: apiVersionOf(api),
    namespace: request.namespace,
    name: nameOf(body),
    object,
  };
}

async function patchChange(
  deps: EnableLoggingDeps,
  api: LoggingApi,
  request: LoggingRequest,
  target: JsonMap,
  dryRun: boolean,
): Promise<LoggingChange> {
  const owned = managementOf(target).kind === 'created';
  const ops = enableOps(target, api, request);
  const base = {
    kind: api.kind,
    apiVersion: apiVersionOf(api),
    namespace: request.namespace,
    name: nameOf(target),
  };
  const action = owned ? 'update' : 'patch';
  if (ops.length <= 1) return { ...base, action: 'none', object: withoutServerFields(target) };
  const object = dryRun
    ? withoutServerFields(applyOps(target, ops))
    : withoutServerFields(await deps.istio.patch(api, request.namespace, nameOf(target), ops));
  return { ...base, action, object };
}
