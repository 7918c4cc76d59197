/**
 * @module commands/command-deps
 * What a command's `run` may use, as ports. The CLI and the Slack bot each build one `CommandDeps`: the
 * CLI connects with the kubeconfig flags and reads files; the bot connects once, bounds log reads across
 * all users, limits namespaces and reports progress to Slack. Commands never import an adapter.
 */
import type { SummaryReport } from '../analysis/report.js';
import type { IstioConfigPort, LeasePort } from '../istio-logging/logging-port.js';
import type { ClusterReader } from './cluster-port.js';
import type { CommandReport } from './command-report.js';
import type { Clock, LogSource } from './ports.js';

/** `--kubeconfig` / `--context` (CLI only; the bot uses its own credentials). */
export interface Connection {
  kubeconfig?: string | undefined;
  context?: string | undefined;
}

/** `meshbot serve`. */
export interface ServeRequest {
  /** Check the configuration and the connections, then exit. */
  check: boolean;
}

/** `meshbot demo`: run the tour once, keep the simulated cluster serving, or show the answers as Slack messages. */
export type DemoRequest =
  | { mode: 'tour' }
  | { mode: 'serve' }
  /** Print the Block Kit messages, or post them to `channel` when Slack tokens are configured. */
  | { mode: 'slack'; channel?: string | undefined };

/** What `logs --file` summarises, as plain data (it crosses to a worker thread). */
export interface FileSummaryJob {
  /** Files, already checked and read once each (no `-`). */
  paths: string[];
  sinceMs: number | null;
  /** `--log-format`, compiled again where the job runs. */
  logFormat: string | undefined;
  /** The workload to keep (`logs --file F WORKLOAD`). */
  target: string | undefined;
  notes: string[];
}

export interface CommandDeps {
  clock: Clock;
  /** Who asks: the Slack user (`slack:U123`) or, on the CLI, `--requested-by`/$USER. Never typed text in Slack. */
  requester: string;
  /** `MESHBOT_MAX_LOGGING_DURATION`: default and ceiling of `enable-logging --for`. */
  maxLoggingMs: number;
  cluster(connection: Connection): Promise<ClusterReader>;
  istio(connection: Connection): Promise<IstioConfigPort>;
  leases(connection: Connection): Promise<LeasePort>;
  /**
   * `logs --file` over files (no stdin), summarised away from the main thread (the CLI's worker, see
   * cli/summarize-files); without it, or when it answers undefined (not regular files), the summary is
   * made here. The report is the same either way.
   */
  summarizeFiles?:
    | ((job: FileSummaryJob, signal: AbortSignal | undefined) => Promise<SummaryReport> | undefined)
    | undefined;
  /** Saved logs (`--file`, `-` for stdin); the CLI only. */
  files?: ((paths: readonly string[]) => Promise<LogSource[]>) | undefined;
  /** Where `parse` writes NDJSON; resolves when the consumer is ready for more. */
  ndjson?: ((chunk: string) => Promise<void>) | undefined;
  /**
   * Where `logs --follow` prints entries as they arrive (stdout on the CLI; absent in the bot, which
   * cannot follow); resolves when the consumer is ready for more.
   */
  lines?: ((chunk: string) => Promise<void>) | undefined;
  /** "Reading istio-proxy logs of 6 pods…", shown while a command works. */
  progress?: ((message: string) => void) | undefined;
  /** Given the raw log lines a command matched (a trace's lines of its id, the error lines of logs), by source. */
  matchingLines?: ((source: string, text: string) => void) | undefined;
  /** Aborted when the process is asked to stop; long-running commands end cleanly. */
  signal?: AbortSignal | undefined;
  /** Intermediate reports of a long-running command (each `reconcile --watch` pass that did something). */
  emit?: ((report: CommandReport) => void) | undefined;
  /** A message for the operator (stderr on the CLI, the log in the bot). */
  warn?: ((message: string) => void) | undefined;
  /** Defaults of `reconcile --watch` from the environment (the pod's namespace and name). */
  watchDefaults?: (() => { leaseNamespace: string; identity: string }) | undefined;
  /** `meshbot serve`: the bot, loaded only when asked for; resolves with the exit code when it stops. */
  serve?: ((request: ServeRequest) => Promise<number>) | undefined;
  /** `meshbot demo`: the simulated cluster and the tour, loaded only when asked for; resolves with the exit code. */
  demo?: ((request: DemoRequest) => Promise<number>) | undefined;
  version?: string | undefined;
}
