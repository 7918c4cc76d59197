/**
 * @module commands/logging-result
 * What `enable-logging`, `disable-logging`, `reconcile` and `status` return (the renderers' input).
 */
import type { IstioKind, JsonMap, LoggingApi, MeshConfigInfo } from './logging-port.js';
import type { LoggingRequest } from './logging-resources.js';
import type { PreflightCheck } from './preflight.js';
import type { ReverterStatus } from './reverter-status.js';

/** One write meshbot made (or, in a dry run, would make). */
export interface LoggingChange {
  /**
   * `create`/`delete` an object meshbot owns; `patch`/`restore` someone else's Telemetry; `update` meshbot's own;
   * `release`: stop managing a Telemetry whose `accessLogging` its owner changed after meshbot patched it (left as is).
   */
  action: 'create' | 'update' | 'patch' | 'restore' | 'release' | 'delete' | 'none';
  kind: IstioKind;
  apiVersion: string;
  namespace: string;
  name: string;
  /** The object as it is (or would be) after the change; undefined after a delete. */
  object?: JsonMap | undefined;
}

/** The request as resolved (namespace, mode, times, who…) plus what was done about it. */
export interface EnableLoggingResult extends LoggingRequest {
  command: 'enable-logging';
  dryRun: boolean;
  /** `--mesh`: the namespace is the mesh's root namespace. */
  mesh: boolean;
  /** When meshbot's logging was already on here: its expiry before this run. */
  previousUntilMs?: number | undefined;
  api: LoggingApi;
  change: LoggingChange;
  /** Things the user should know: EnvoyFilter fallback, patched an existing Telemetry, mesh already logs. */
  notes: string[];
  /** What was checked before writing (provider, filter, workload, injection, narrowing) and what it found. */
  checks?: PreflightCheck[] | undefined;
  /** Who will switch it off at `untilMs`: the reconciler holding the Lease, nobody, or unknown. */
  reverter?: ReverterStatus | undefined;
  /** Expired meshbot changes found in the namespace and reverted (in a dry run: that would be). */
  expiredReverted?: LoggingChange[] | undefined;
  expiredFailures?: ReconcileFailure[] | undefined;
}

export interface DisableLoggingResult {
  command: 'disable-logging';
  dryRun: boolean;
  namespace: string;
  /** `--mesh`: the namespace is the mesh's root namespace, and what it holds applies to the whole mesh. */
  mesh?: boolean | undefined;
  /** `--workload LABEL=VALUE`, when only that workload's change was undone. */
  workload?: string | undefined;
  changes: LoggingChange[];
  /** What still switches access logging on in the namespace afterwards (`Telemetry x (namespace-wide)`). */
  remaining: string[];
  /** With `--workload`: other expired meshbot changes in the namespace, reverted too (dry run: would be). */
  expiredReverted?: LoggingChange[] | undefined;
  expiredFailures?: ReconcileFailure[] | undefined;
}

export interface ReconcileFailure {
  kind: IstioKind;
  namespace: string;
  name: string;
  message: string;
}

export interface PendingExpiry {
  kind: IstioKind;
  namespace: string;
  name: string;
  untilMs: number;
}

export interface ReconcileResult {
  command: 'reconcile';
  nowMs: number;
  /** Nothing was changed; `reverted` lists what would have been. */
  dryRun?: boolean | undefined;
  reverted: LoggingChange[];
  pending: PendingExpiry[];
  failures: ReconcileFailure[];
}

/** One resource that configures access logging. */
export interface LoggingStatusEntry {
  kind: IstioKind;
  apiVersion: string;
  namespace: string;
  name: string;
  /** `mesh` (namespace-wide in the root namespace), `namespace`, or `workload` with the selector. */
  scope: 'mesh' | 'namespace' | 'workload';
  selector?: string | undefined;
  providers: string[];
  /** `CLIENT_AND_SERVER`, `CLIENT`, `SERVER`. */
  mode: string;
  filter?: string | undefined;
  /** Every rule has `disabled: true`. */
  disabled: boolean;
  managed: 'created' | 'patched' | 'none';
  requestedBy?: string | undefined;
  sinceMs?: number | undefined;
  untilMs?: number | undefined;
  /** A second selector-less Telemetry in its namespace: Istio ignores it (IST0160). */
  ignored: boolean;
}

/** For `status NS`: what switches access logging on (or off) for the namespace as a whole. */
export interface NamespaceRule {
  /** A selector-less Telemetry in NS, the mesh-wide one in the root namespace, the mesh config, or none. */
  source: 'namespace' | 'mesh' | 'mesh-config' | 'none';
  kind?: 'Telemetry' | 'EnvoyFilter' | undefined;
  namespace?: string | undefined;
  name?: string | undefined;
  /** Its rules switch logging off (`disabled: true`). */
  disabled?: boolean | undefined;
}

export interface LoggingStatusResult {
  command: 'status';
  /** A namespace, or `all`. */
  scope: string;
  nowMs: number;
  mesh: MeshConfigInfo | null;
  meshError?: string | undefined;
  entries: LoggingStatusEntry[];
  /** `status NS` only. */
  appliesToNamespace?: NamespaceRule | undefined;
  /** When meshbot manages something shown: who will revert it at expiry. */
  reverter?: ReverterStatus | undefined;
}

export type LoggingResult =
  | EnableLoggingResult
  | DisableLoggingResult
  | ReconcileResult
  | LoggingStatusResult;
