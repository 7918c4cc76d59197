/**
 * @module istio-logging/reverter-status
 * Who will switch time-boxed logging off: a reconciler holding the reconciler Lease (renewed within its
 * lease duration), or nobody. Read, never written: asking does not take the Lease.
 */
import { asMeshbotError } from '../core/errors.js';
import type { LeasePort, LeaseRecord } from './logging-port.js';

/** The Lease `reconcile --watch` and `meshbot serve` take (in meshbot's namespace). */
export const RECONCILER_LEASE_NAME = 'meshbot-reconciler';

export type ReverterStatus =
  /** A reconciler renewed the Lease within its duration: it will revert at expiry. */
  | { state: 'running'; leaseNamespace: string; holder: string; renewedAgoMs: number }
  /** No Lease, no holder, or a holder that stopped renewing (`holder`/`renewedAgoMs` then say who and when). */
  | {
      state: 'none';
      leaseNamespace: string;
      holder?: string | undefined;
      renewedAgoMs?: number | undefined;
    }
  /** The Lease could not be read (403, API error): meshbot cannot tell. */
  | { state: 'unknown'; leaseNamespace: string; reason: string };

/** Pure: what a Lease (or its absence) says at `nowMs`. */
export function reverterFromLease(
  lease: LeaseRecord | null,
  leaseNamespace: string,
  nowMs: number,
): ReverterStatus {
  const holder = lease?.holderIdentity;
  if (lease === null || holder === undefined || holder === '' || lease.renewTimeMs === undefined) {
    return { state: 'none', leaseNamespace };
  }
  const renewedAgoMs = Math.max(0, nowMs - lease.renewTimeMs);
  return lease.renewTimeMs + lease.leaseDurationSeconds * 1000 > nowMs
    ? { state: 'running', leaseNamespace, holder, renewedAgoMs }
    : { state: 'none', leaseNamespace, holder, renewedAgoMs };
}

/** Reads the reconciler Lease; a failure to read it is an answer ("cannot tell"), not an error. */
export async function readReverterStatus(
  leases: LeasePort,
  leaseNamespace: string,
  nowMs: number,
): Promise<ReverterStatus> {
  try {
    return reverterFromLease(await leases.get(leaseNamespace, RECONCILER_LEASE_NAME), leaseNamespace, nowMs);
  } catch (e) {
    return { state: 'unknown', leaseNamespace, reason: asMeshbotError(e).message };
  }
}
