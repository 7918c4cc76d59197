/** Runs the built CLI (dist/cli/main.js) as a child process. `npm test` builds before running tests. */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The built CLI started as a child process: its output so far, and its result once it exits. */
export function startMeshbot(
  args: readonly string[],
  options: { env?: Record<string, string> } = {},
): { child: ChildProcessWithoutNullStreams; result: Promise<RunResult>; out(): string; err(): string } {
  const child = spawn(process.execPath, [MAIN, ...args], {
    cwd: REPO,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...options.env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  const result = new Promise<RunResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { child, result, out: () => stdout, err: () => stderr };
}

export function runMeshbot(
  args: readonly string[],
  options: { stdin?: string | Buffer; env?: Record<string, string> } = {},
): Promise<RunResult> {
  const { child, result } = startMeshbot(args, options);
  child.stdin.end(options.stdin ?? '');
  return result;
}
