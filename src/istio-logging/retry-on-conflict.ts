/**
 * @module commands/retry-on-conflict
 * Optimistic concurrency: run `attempt` (which re-reads, then writes with a resourceVersion guard) again
 * when it fails with `k8s_conflict`, at most `times` times. Never a blind overwrite.
 */
import { isMeshbotError, MeshbotError } from '../core/errors.js';

export const CONFLICT_RETRIES = 5;

export async function retryOnConflict<T>(
  what: string,
  attempt: () => Promise<T>,
  times = CONFLICT_RETRIES,
): Promise<T> {
  let last: unknown;
  for (let i = 0; i < times; i++) {
    try {
      return await attempt();
    } catch (e) {
      if (!isMeshbotError(e) || e.code !== 'k8s_conflict') throw e;
      last = e;
    }
  }
  throw new MeshbotError(
    'k8s_conflict',
    `${what} kept changing while meshbot was updating it (${times} conflicts in a row); nothing was overwritten, try again`,
    {},
    { cause: last },
  );
}
