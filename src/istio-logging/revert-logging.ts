/**
 * @module commands/revert-logging
 * Undoes one meshbot change: deletes what meshbot created, or puts a patched Telemetry's
 * `accessLogging` back exactly as it was. Re-reads and guards every write with the resourceVersion.
 */
import type { IstioConfigPort, JsonMap, LoggingApi } from './logging-port.js';
import {
  applyOps,
  handOverOps,
  managementOf,
  nameOf,
  onlyWhatMeshbotCreated,
  releaseOps,
  resourceVersionOf,
  restoreOps,
  stillAsMeshbotLeftIt,
  withoutServerFields,
} from './logging-resources.js';
import type { LoggingChange } from './logging-result.js';
import { apiVersionOf } from './resolve-logging-api.js';
import { retryOnConflict } from './retry-on-conflict.js';

export interface RevertOptions {
  dryRun: boolean;
  /** Only revert while this still holds for the freshly read object (reconcile: still expired). */
  stillWanted?: (object: JsonMap) => boolean;
}

/** Returns the change made, or null when the object is gone, no longer meshbot's, or no longer wanted. */
export async function revertLogging(
  istio: IstioConfigPort,
  api: LoggingApi,
  namespace: string,
  name: string,
  options: RevertOptions,
): Promise<LoggingChange | null> {
  const base = { kind: api.kind, apiVersion: apiVersionOf(api), namespace, name };
  return retryOnConflict(`${api.kind} ${namespace}/${name}`, async () => {
    const current = await istio.get(api, namespace, name);
    if (current === null) return null;
    if (options.stillWanted !== undefined && !options.stillWanted(current)) return null;
    const management = managementOf(current);
    switch (management.kind) {
      case 'none':
        return null;
      case 'created': {
        if (onlyWhatMeshbotCreated(current)) {
          if (!options.dryRun)
            await istio.delete(api, namespace, nameOf(current), resourceVersionOf(current));
          return { ...base, action: 'delete' };
        }
        // Others added their own config to meshbot's Telemetry: remove only meshbot's part, keep theirs.
        const ops = handOverOps(current);
        const object = options.dryRun ? applyOps(current, ops) : await istio.patch(api, namespace, name, ops);
        return { ...base, action: 'release', object: withoutServerFields(object) };
      }
      case 'patched': {
        // Restoring over an edit its owner made after meshbot's patch would clobber it: let go instead.
        const intact = stillAsMeshbotLeftIt(current);
        const ops = intact ? restoreOps(current, management.previous) : releaseOps(current);
        const object = options.dryRun ? applyOps(current, ops) : await istio.patch(api, namespace, name, ops);
        return { ...base, action: intact ? 'restore' : 'release', object: withoutServerFields(object) };
      }
    }
  });
}
