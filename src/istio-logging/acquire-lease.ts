/**
 * @module commands/acquire-lease
 * Leader election over a coordination.k8s.io Lease: create it, renew it while we hold it, or take it
 * over once the holder stopped renewing. Every write carries the resourceVersion; losing a race (409)
 * means someone else leads this round.
 */
import { isMeshbotError } from '../core/errors.js';
import type { LeasePort } from './logging-port.js';

export interface LeaseOptions {
  leases: LeasePort;
  namespace: string;
  name: string;
  identity: string;
  leaseDurationSeconds: number;
}

/** True when `identity` holds the lease after this call. */
export async function acquireLease(options: LeaseOptions, nowMs: number): Promise<boolean> {
  const { leases, namespace, name, identity, leaseDurationSeconds } = options;
  try {
    const lease = await leases.get(namespace, name);
    if (lease === null) {
      await leases.create(namespace, name, {
        holderIdentity: identity,
        leaseDurationSeconds,
        renewTimeMs: nowMs,
        acquireTimeMs: nowMs,
        leaseTransitions: 0,
      });
      return true;
    }
    const mine = lease.holderIdentity === identity;
    const expired =
      lease.holderIdentity === undefined ||
      lease.holderIdentity === '' ||
      lease.renewTimeMs === undefined ||
      lease.renewTimeMs + lease.leaseDurationSeconds * 1000 <= nowMs;
    if (!mine && !expired) return false;
    await leases.replace(
      namespace,
      name,
      {
        holderIdentity: identity,
        leaseDurationSeconds,
        renewTimeMs: nowMs,
        acquireTimeMs: mine ? (lease.acquireTimeMs ?? nowMs) : nowMs,
        leaseTransitions: mine ? lease.leaseTransitions : lease.leaseTransitions + 1,
      },
      lease.resourceVersion,
    );
    return true;
  } catch (e) {
    if (isMeshbotError(e) && e.code === 'k8s_conflict') return false;
    throw e;
  }
}
