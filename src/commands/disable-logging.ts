/**
 * @module commands/disable-logging
 * `meshbot disable-logging NS [--workload L=V]`: undoes meshbot's logging changes in a namespace —
 * deletes what it created, restores what it patched. Anything meshbot did not do is left alone.
 */
import { MeshbotError } from '../core/errors.js';
import { validateNamespace } from '../core/kubernetes-names.js';
import type { IstioConfigPort, JsonMap } from '../istio-logging/logging-port.js';
import {
  asMap,
  isNamespaceWide,
  managementOf,
  nameOf,
  scopeTextOf,
  selectsExactly,
  specOf,
} from '../istio-logging/logging-resources.js';
import type { DisableLoggingResult, LoggingChange } from '../istio-logging/logging-result.js';
import { servedLoggingApis } from '../istio-logging/resolve-logging-api.js';
import {
  type ExpiredReverts,
  isExpiredMeshbotChange,
  revertExpired,
} from '../istio-logging/revert-expired.js';
import { revertLogging } from '../istio-logging/revert-logging.js';
import { parseWorkloadSelector } from './label-selector.js';
import type { Clock } from './ports.js';

export interface DisableLoggingInput {
  namespace?: string | undefined;
  mesh?: boolean | undefined;
  /** `LABEL=VALUE`: only that workload's change; omitted = every meshbot change in the namespace. */
  workload?: string | undefined;
  dryRun?: boolean | undefined;
}

export async function disableLogging(
  input: DisableLoggingInput,
  deps: { istio: IstioConfigPort; clock?: Clock | undefined },
): Promise<DisableLoggingResult> {
  if (input.mesh !== true) {
    if (input.namespace === undefined) {
      throw new MeshbotError('usage', 'which namespace? Name one, or pass --mesh for the whole mesh');
    }
    validateNamespace(input.namespace);
  }
  const workload = input.workload === undefined ? undefined : parseWorkloadSelector(input.workload);
  const apis = servedLoggingApis(await deps.istio.istioApis());
  const namespace =
    input.mesh === true ? (await deps.istio.meshConfig()).rootNamespace : (input.namespace ?? '');
  const dryRun = input.dryRun === true;
  const changes: LoggingChange[] = [];
  const foreign: string[] = [];
  const remaining: string[] = [];
  const expired: ExpiredReverts = { reverted: [], failures: [] };
  const nowMs = deps.clock?.();
  for (const api of apis) {
    for (const object of await deps.istio.list(api, namespace)) {
      if (workload !== undefined && !selectsExactly(object, workload)) {
        // Another meshbot change whose time is up: revert it too, since meshbot is writing here anyway.
        if (nowMs !== undefined && isExpiredMeshbotChange(object, nowMs)) {
          const done = await revertExpired(deps.istio, api, [object], nowMs, dryRun);
          expired.reverted.push(...done.reverted);
          expired.failures.push(...done.failures);
          if (done.reverted.some((c) => c.action === 'delete')) continue;
        }
        if (logsAccess(api.kind, object)) remaining.push(describeObject(api.kind, object, input.mesh));
        continue;
      }
      if (managementOf(object).kind === 'none') {
        if (api.kind === 'Telemetry' && (workload !== undefined || isNamespaceWide(object))) {
          foreign.push(`${api.kind} ${nameOf(object)}`);
        }
        if (logsAccess(api.kind, object)) remaining.push(describeObject(api.kind, object, input.mesh));
        continue;
      }
      const change = await revertLogging(deps.istio, api, namespace, nameOf(object), { dryRun });
      if (change !== null) changes.push(change);
    }
  }
  if (changes.length === 0) {
    const where = input.mesh === true ? `the whole mesh (${namespace})` : namespace;
    const what =
      workload === undefined
        ? input.mesh === true
          ? where
          : `namespace ${namespace}`
        : `${workload.label}=${workload.value} in ${where}`;
    const others = foreign.length > 0 ? `; ${foreign.join(', ')} was not created or changed by meshbot` : '';
    throw new MeshbotError(
      'not_owned',
      `meshbot has not switched access logging on for ${what}${others}; nothing changed`,
      {
        namespace,
      },
    );
  }
  return {
    command: 'disable-logging',
    dryRun,
    namespace,
    ...(input.mesh === true ? { mesh: true } : {}),
    ...(workload === undefined ? {} : { workload: `${workload.label}=${workload.value}` }),
    changes,
    remaining,
    ...(expired.reverted.length === 0 ? {} : { expiredReverted: expired.reverted }),
    ...(expired.failures.length === 0 ? {} : { expiredFailures: expired.failures }),
  };
}

/** Whether an object switches access logging on: an EnvoyFilter, or a Telemetry with an enabled rule. */
function logsAccess(kind: 'Telemetry' | 'EnvoyFilter', object: JsonMap): boolean {
  if (kind === 'EnvoyFilter') return true;
  const rules = specOf(object).accessLogging;
  return Array.isArray(rules) && rules.some((r) => asMap(r)?.disabled !== true);
}

/** `Telemetry x (namespace-wide)`; in the root namespace (`--mesh`) a selector-less one is mesh-wide. */
function describeObject(kind: 'Telemetry' | 'EnvoyFilter', object: JsonMap, mesh?: boolean): string {
  const wide = mesh === true ? 'mesh-wide' : 'namespace-wide';
  return `${kind} ${nameOf(object)} (${isNamespaceWide(object) ? wide : scopeTextOf(object)})`;
}
