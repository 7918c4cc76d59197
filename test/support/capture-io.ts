/** An in-process `CliIo` whose output is captured, for running `runCli` in tests. */
import { PassThrough } from 'node:stream';
import type { CliIo } from '../../src/cli/run-cli.js';

export interface CapturedIo extends CliIo {
  out(): string;
  err(): string;
}

export function captureIo(
  options: { env?: Record<string, string | undefined>; now?: () => number; signal?: AbortSignal } = {},
): CapturedIo {
  const out: string[] = [];
  const err: string[] = [];
  return {
    stdout: { write: (c: string) => out.push(c) > 0 },
    stderr: { write: (c: string) => err.push(c) > 0 },
    stdin: new PassThrough(),
    env: { HOME: '/nonexistent', ...options.env },
    now: options.now ?? Date.now,
    version: 'test',
    signal: options.signal,
    out: () => out.join(''),
    err: () => err.join(''),
  };
}
