import { describe, expect, it } from 'vitest';
import { MeshbotError } from '../core/errors.js';
import type { LeasePort, LeaseRecord } from './logging-port.js';
import { RECONCILER_LEASE_NAME, readReverterStatus, reverterFromLease } from './reverter-status.js';

const NOW = Date.parse('2024-05-01T12:00:00Z');

function lease(fields: Partial<LeaseRecord>): LeaseRecord {
  return {
    holderIdentity: 'meshbot-7d9f',
    leaseDurationSeconds: 180,
    renewTimeMs: NOW - 4000,
    acquireTimeMs: NOW - 3_600_000,
    leaseTransitions: 0,
    resourceVersion: '1',
    ...fields,
  };
}

describe('reverterFromLease', () => {
  it.each([
    [
      'a holder renewed within the lease duration',
      lease({}),
      { state: 'running', holder: 'meshbot-7d9f', renewedAgoMs: 4000 },
    ],
    ['no Lease', null, { state: 'none' }],
    ['a released Lease (no holder)', lease({ holderIdentity: '' }), { state: 'none' }],
    ['never renewed', lease({ renewTimeMs: undefined }), { state: 'none' }],
    [
      'a holder that stopped renewing',
      lease({ renewTimeMs: NOW - 181_000 }),
      { state: 'none', holder: 'meshbot-7d9f', renewedAgoMs: 181_000 },
    ],
  ])('%s', (_what, given, expected) => {
    expect(reverterFromLease(given, 'meshbot', NOW)).toEqual({ leaseNamespace: 'meshbot', ...expected });
  });
});

describe('readReverterStatus', () => {
  const port = (get: LeasePort['get']): LeasePort => ({
    get,
    create: () => Promise.reject(new Error('not used')),
    replace: () => Promise.reject(new Error('not used')),
  });

  it('reads the reconciler Lease by name in the given namespace', async () => {
    const asked: string[] = [];
    const status = await readReverterStatus(
      port(async (namespace, name) => {
        asked.push(`${namespace}/${name}`);
        return lease({});
      }),
      'ops',
      NOW,
    );
    expect(asked).toEqual(['ops/meshbot-reconciler']);
    expect(status.state).toBe('running');
  });

  it('cannot tell when the Lease is unreadable: an answer, not an error', async () => {
    const status = await readReverterStatus(
      port(() => Promise.reject(new MeshbotError('k8s_forbidden', 'meshbot may not get leases'))),
      'meshbot',
      NOW,
    );
    expect(status).toEqual({
      state: 'unknown',
      leaseNamespace: 'meshbot',
      reason: 'meshbot may not get leases',
    });
  });
});

describe('RECONCILER_LEASE_NAME', () => {
  it('is the Lease the reconciler takes', async () => {
    const { startReconciler } = await import('../commands/reconcile-logging.js');
    const names: string[] = [];
    const leases: LeasePort = {
      get: async (_namespace, name) => {
        names.push(name);
        return null;
      },
      create: () => Promise.reject(new MeshbotError('k8s_conflict', 'lost')),
      replace: () => Promise.reject(new Error('not used')),
    };
    const reconciler = startReconciler({
      istio: {} as never,
      leases,
      clock: () => NOW,
      identity: 'a',
      namespace: 'meshbot',
      intervalMs: 60_000,
      setTimer: () => undefined,
      clearTimer: () => undefined,
    });
    expect(await reconciler.tick()).toBeNull();
    await reconciler.stop();
    expect(names).toEqual([RECONCILER_LEASE_NAME]);
  });
});
