/**
 * @module commands/reconcile-logging
 * Reverts meshbot's logging changes whose until-time passed. All state is in the cluster (annotations),
 * so a restarted process loses nothing. `reconcileLogging` is one pass (`meshbot reconcile`);
 * `startReconciler` runs passes on an interval, only while holding a Lease, so one replica reverts.
 */
import { acquireLease } from '../istio-logging/acquire-lease.js';
import type { IstioConfigPort, LeasePort } from '../istio-logging/logging-port.js';
import { managementOf, nameOf, namespaceOf, untilOf } from '../istio-logging/logging-resources.js';
import type { ReconcileResult } from '../istio-logging/logging-result.js';
import { servedLoggingApis } from '../istio-logging/resolve-logging-api.js';
import { revertExpired } from '../istio-logging/revert-expired.js';
import type { Clock } from './ports.js';

export interface ReconcileDeps {
  istio: IstioConfigPort;
  clock: Clock;
}

/** One pass over every namespace. Failures on one object are reported and do not stop the others. */
export async function reconcileLogging(
  deps: ReconcileDeps,
  options: { dryRun?: boolean } = {},
): Promise<ReconcileResult> {
  const nowMs = deps.clock();
  const result: ReconcileResult = {
    command: 'reconcile',
    nowMs,
    ...(options.dryRun === true ? { dryRun: true } : {}),
    reverted: [],
    pending: [],
    failures: [],
  };
  for (const api of servedLoggingApis(await deps.istio.istioApis())) {
    const objects = await deps.istio.list(api, undefined);
    for (const object of objects) {
      const untilMs = untilOf(object);
      if (managementOf(object).kind === 'none' || untilMs === undefined || untilMs <= nowMs) continue;
      result.pending.push({ kind: api.kind, namespace: namespaceOf(object), name: nameOf(object), untilMs });
    }
    const done = await revertExpired(deps.istio, api, objects, nowMs, options.dryRun === true);
    result.reverted.push(...done.reverted);
    result.failures.push(...done.failures);
  }
  return result;
}

export interface ReconcilerOptions {
  istio: IstioConfigPort;
  leases: LeasePort;
  clock: Clock;
  /** This replica's name (pod name), written to the Lease. */
  identity: string;
  /** meshbot's namespace, where the Lease lives. */
  namespace: string;
  leaseName?: string;
  intervalMs: number;
  /** Default: three intervals, at least 15 s. */
  leaseDurationSeconds?: number;
  onPass?: (result: ReconcileResult) => void;
  onError?: (error: unknown) => void;
  /** Timer injection (tests); default setTimeout/clearTimeout. */
  setTimer?: (run: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export interface Reconciler {
  /** One tick: take or renew the Lease; when held, one reconcile pass. Null when another replica leads. */
  tick(): Promise<ReconcileResult | null>;
  stop(): Promise<void>;
}

export function startReconciler(options: ReconcilerOptions): Reconciler {
  const leaseDurationSeconds =
    options.leaseDurationSeconds ?? Math.max(15, Math.ceil((options.intervalMs * 3) / 1000));
  const lease = {
    leases: options.leases,
    namespace: options.namespace,
    // The same name as RECONCILER_LEASE_NAME (which enable-logging and status read); test/deploy reads it here.
    name: options.leaseName ?? 'meshbot-reconciler',
    identity: options.identity,
    leaseDurationSeconds,
  };
  const setTimer = options.setTimer ?? ((run: () => void, ms: number) => setTimeout(run, ms));
  const clearTimer =
    options.clearTimer ?? ((handle: unknown) => clearTimeout(handle as ReturnType<typeof setTimeout>));
  let stopped = false;
  let timer: unknown;
  let running: Promise<unknown> = Promise.resolve();

  const tick = async (): Promise<ReconcileResult | null> => {
    if (!(await acquireLease(lease, options.clock()))) return null;
    const result = await reconcileLogging({ istio: options.istio, clock: options.clock });
    options.onPass?.(result);
    return result;
  };
  const loop = (): void => {
    if (stopped) return;
    running = tick()
      .catch((e: unknown) => options.onError?.(e))
      .finally(() => {
        if (!stopped) timer = setTimer(loop, options.intervalMs);
      });
  };
  timer = setTimer(loop, 0);
  return {
    tick,
    async stop() {
      stopped = true;
      clearTimer(timer);
      await running;
    },
  };
}
