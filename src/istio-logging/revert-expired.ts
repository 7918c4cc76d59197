/**
 * @module istio-logging/revert-expired
 * Reverting what expired, shared by `reconcile` (every namespace) and by `enable-logging` /
 * `disable-logging`, which revert the expired changes they come across in the namespace they already
 * write to. Same safety everywhere: only what meshbot created or patched, re-read and guarded by the
 * resourceVersion, and only while the fresh object is still expired.
 */
import { asMeshbotError } from '../core/errors.js';
import type { IstioConfigPort, JsonMap, LoggingApi } from './logging-port.js';
import { managementOf, nameOf, namespaceOf, untilOf } from './logging-resources.js';
import type { LoggingChange, ReconcileFailure } from './logging-result.js';
import { revertLogging } from './revert-logging.js';

/** A meshbot change whose until-time is at or before `nowMs`. */
export function isExpiredMeshbotChange(object: JsonMap, nowMs: number): boolean {
  if (managementOf(object).kind === 'none') return false;
  const untilMs = untilOf(object);
  return untilMs !== undefined && untilMs <= nowMs;
}

export interface ExpiredReverts {
  reverted: LoggingChange[];
  failures: ReconcileFailure[];
}

/** Reverts each expired meshbot change among `objects` (listed with `api`); failures do not stop the rest. */
export async function revertExpired(
  istio: IstioConfigPort,
  api: LoggingApi,
  objects: readonly JsonMap[],
  nowMs: number,
  dryRun: boolean,
): Promise<ExpiredReverts> {
  const out: ExpiredReverts = { reverted: [], failures: [] };
  for (const object of objects) {
    if (!isExpiredMeshbotChange(object, nowMs)) continue;
    const namespace = namespaceOf(object);
    const name = nameOf(object);
    try {
      const change = await revertLogging(istio, api, namespace, name, {
        dryRun,
        stillWanted: (fresh) => isExpiredMeshbotChange(fresh, nowMs),
      });
      if (change !== null) out.reverted.push(change);
    } catch (e) {
      out.failures.push({ kind: api.kind, namespace, name, message: asMeshbotError(e).message });
    }
  }
  return out;
}
