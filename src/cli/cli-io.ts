/**
 * @module cli/cli-io
 * What the CLI touches of its process, injected so tests run it in-process.
 */
import type { ClusterReader } from '../commands/cluster-port.js';
import type { Clock } from '../commands/ports.js';

export interface OutputStream {
  write(chunk: string): boolean;
  once?(event: 'drain', listener: () => void): unknown;
  isTTY?: boolean | undefined;
  columns?: number | undefined;
}

export interface ClusterConnectOptions {
  kubeconfig?: string | undefined;
  context?: string | undefined;
  env: Readonly<Record<string, string | undefined>>;
  /** Aborts requests in flight when the user presses Ctrl-C. */
  signal?: AbortSignal | undefined;
}

/** Makes the cluster reader for `logs TARGET` / `trace ID` without `--file`. */
export type ClusterConnector = (options: ClusterConnectOptions) => ClusterReader;

export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  stdin: NodeJS.ReadableStream;
  env: Readonly<Record<string, string | undefined>>;
  now: Clock;
  version: string;
  /** How to reach a cluster (default `connectCluster` of cli/connect-cluster); tests inject a fake. */
  connect?: ClusterConnector | undefined;
  /** Aborted when the process is asked to stop (SIGINT/SIGTERM): long-running commands end cleanly. */
  signal?: AbortSignal | undefined;
}
