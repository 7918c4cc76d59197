/**
 * Starts the built CLI (dist/cli/main.js) as a long-running child process (`meshbot serve`) and lets a test
 * talk to it while it runs: read its output so far, wait for a line, signal it, wait for its exit.
 * `runMeshbot` (run-meshbot.ts) is the one-shot variant that waits for the exit. `npm test` builds first.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { REPO } from './run-meshbot.js';

const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Milliseconds since the process was started. */
  atMs: number;
}

export interface SpawnedMeshbot {
  readonly child: ChildProcessWithoutNullStreams;
  /** Output so far. */
  readonly stdout: string;
  readonly stderr: string;
  /** Resolves when the process has exited and its output is closed. */
  readonly exited: Promise<ProcessExit>;
  /** The exit, once it happened. */
  readonly exit: ProcessExit | undefined;
  /** stdout lines that are JSON objects (the bot's log records), so far. */
  jsonLines(): Record<string, unknown>[];
  /** Resolves with the first JSON log line matching `match` (already written or yet to come). */
  waitForLog(
    match: (line: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
  /** Sends a signal (no-op once exited). */
  signal(signal: NodeJS.Signals): void;
  /** Resolves with the exit, or rejects after `timeoutMs` (the process is left running). */
  waitForExit(timeoutMs: number): Promise<ProcessExit>;
  /** SIGKILLs the process if it is still running and waits for its exit. */
  kill(): Promise<void>;
}

export function spawnMeshbot(
  args: readonly string[],
  options: { env?: Record<string, string> } = {},
): SpawnedMeshbot {
  const started = performance.now();
  const child = spawn(process.execPath, [MAIN, ...args], {
    cwd: REPO,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...options.env },
  });
  let stdout = '';
  let stderr = '';
  let exit: ProcessExit | undefined;
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of [...listeners]) listener();
  };
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
    notify();
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  child.stdin.end();
  const exited = new Promise<ProcessExit>((resolve) => {
    const done = (code: number | null, signal: NodeJS.Signals | null) => {
      exit = { code, signal, atMs: performance.now() - started };
      resolve(exit);
      notify();
    };
    child.on('close', done);
    child.on('error', () => done(null, null));
  });

  const jsonLines = (): Record<string, unknown>[] =>
    stdout.split('\n').flatMap((line) => {
      if (!line.startsWith('{')) return [];
      try {
        const value: unknown = JSON.parse(line);
        return value !== null && typeof value === 'object' && !Array.isArray(value)
          ? [value as Record<string, unknown>]
          : [];
      } catch {
        return [];
      }
    });

  const spawned: SpawnedMeshbot = {
    child,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    get exit() {
      return exit;
    },
    exited,
    jsonLines,
    waitForLog(match, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = jsonLines().find(match);
          if (found !== undefined) {
            finish();
            resolve(found);
          } else if (exit !== undefined) {
            finish();
            reject(new Error(`meshbot exited (${exit.code}) before the log line; ${describe()}`));
          }
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`no matching log line within ${timeoutMs} ms; ${describe()}`));
        }, timeoutMs);
        const finish = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
    signal(signal) {
      if (exit === undefined) child.kill(signal);
    },
    waitForExit(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`meshbot still running after ${timeoutMs} ms; ${describe()}`)),
          timeoutMs,
        );
      });
      return Promise.race([exited, timeout]).finally(() => clearTimeout(timer));
    },
    async kill() {
      if (exit === undefined) child.kill('SIGKILL');
      await exited;
    },
  };

  function describe(): string {
    return `stdout: ${stdout.slice(-1500)}\nstderr: ${stderr.slice(-1500)}`;
  }

  return spawned;
}

/** A TCP port that was free a moment ago on 127.0.0.1 (bound to port 0, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = address !== null && typeof address === 'object' ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export type HttpGetResult = { status: number; body: string } | { refused: true; code: string };

/**
 * GET on a fresh connection (no keep-alive, so the server can close at once). A refused or reset
 * connection is a result, not an error.
 */
export function httpGet(url: string, timeoutMs = 2_000): Promise<HttpGetResult> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', agent: false, headers: { connection: 'close' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer from ${url} within ${timeoutMs} ms`)));
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ECONNREFUSED' || e.code === 'ECONNRESET') resolve({ refused: true, code: e.code });
      else reject(e);
    });
    req.end();
  });
}

/** Polls `url` until `accept` says yes; rejects after `timeoutMs` with the last result. */
export async function pollHttp(
  url: string,
  accept: (result: HttpGetResult) => boolean,
  { timeoutMs = 5_000, intervalMs = 25 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<HttpGetResult> {
  const deadline = Date.now() + timeoutMs;
  let last: HttpGetResult | undefined;
  for (;;) {
    last = await httpGet(url).catch((e: unknown) => ({ refused: true as const, code: String(e) }));
    if (accept(last)) return last;
    if (Date.now() > deadline)
      throw new Error(`${url}: gave up after ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
