/**
 * @module slack/health-routes — `/healthz`, `/readyz` and `/metrics` as Bolt custom routes
 * Served by whichever receiver runs the bot (HTTP mode on its port, socket mode on
 * `installerOptions.port`). Liveness only says the process is up and not stopping; readiness runs every
 * injected check (Slack connected, Kubernetes API reachable) in parallel, each within a timeout, and
 * caches the result briefly so frequent probes do not hammer the API server.
 */
import type { ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import type { Metrics } from './metrics.js';

export interface ReadinessCheck {
  name: string;
  /** Resolves when healthy; rejects (with a short message) when not. */
  check: () => Promise<void>;
}

export interface HealthRoutesOptions {
  metrics: Pick<Metrics, 'render'>;
  checks: readonly ReadinessCheck[];
  /** True once shutdown began: both probes answer 503 `stopping`. */
  isStopping: () => boolean;
  /** Per-check timeout. Default 2000 ms. */
  timeoutMs?: number;
  /** How long a readiness result is reused. Default 1000 ms; 0 disables the cache. */
  cacheMs?: number;
  /** Milliseconds clock for the cache. Default `Date.now`. */
  now?: () => number;
}

export interface CheckResult {
  name: string;
  ok: boolean;
  /** Why it failed, one short line. */
  reason?: string;
}

const MAX_REASON = 120;
const TEXT = 'text/plain; charset=utf-8';

function shortReason(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  const line = (message.split('\n')[0] ?? '').trim() || 'unknown error';
  return line.length > MAX_REASON ? `${line.slice(0, MAX_REASON - 1)}…` : line;
}

async function runCheck(check: ReadinessCheck, timeoutMs: number): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
    timer.unref();
  });
  try {
    await Promise.race([Promise.resolve().then(check.check), timeout]);
    return { name: check.name, ok: true };
  } catch (e) {
    return { name: check.name, ok: false, reason: shortReason(e) };
  } finally {
    clearTimeout(timer);
  }
}

/** Runs all checks, reusing a result younger than `cacheMs` and sharing one run between concurrent probes. */
export function createReadiness(
  checks: readonly ReadinessCheck[],
  {
    timeoutMs = 2000,
    cacheMs = 1000,
    now = Date.now,
  }: { timeoutMs?: number; cacheMs?: number; now?: () => number } = {},
): () => Promise<CheckResult[]> {
  let cached: { at: number; results: CheckResult[] } | undefined;
  let running: Promise<CheckResult[]> | undefined;
  return () => {
    if (cached !== undefined && cacheMs > 0) {
      const age = now() - cached.at;
      if (age >= 0 && age < cacheMs) return Promise.resolve(cached.results);
    }
    if (running !== undefined) return running;
    const run = Promise.all(checks.map((c) => runCheck(c, timeoutMs))).then((results) => {
      cached = { at: now(), results };
      return results;
    });
    running = run.finally(() => {
      running = undefined;
    });
    return running;
  };
}

export function formatReadiness(results: readonly CheckResult[]): string {
  return results
    .map((r) => (r.ok ? `${r.name}: ok\n` : `${r.name}: failed: ${r.reason ?? 'unknown error'}\n`))
    .join('');
}

function send(res: ServerResponse, status: number, body: string, contentType = TEXT): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  res.end(body);
}

/** Wraps an async handler: Bolt ignores the returned promise, so failures become a 500 here. */
function handle(fn: (res: ServerResponse) => Promise<void>): CustomRoute['handler'] {
  return (_req, res) => {
    fn(res).catch((e: unknown) => {
      if (!res.headersSent) send(res, 500, `error: ${shortReason(e)}\n`);
      else res.destroy();
    });
  };
}

export function healthRoutes(options: HealthRoutesOptions): CustomRoute[] {
  const { metrics, isStopping } = options;
  const readiness = createReadiness(options.checks, {
    ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
    ...(options.cacheMs !== undefined && { cacheMs: options.cacheMs }),
    ...(options.now !== undefined && { now: options.now }),
  });
  const methods = ['GET', 'HEAD'];
  return [
    {
      path: '/healthz',
      method: methods,
      handler: handle(async (res) => {
        if (isStopping()) send(res, 503, 'stopping\n');
        else send(res, 200, 'ok\n');
      }),
    },
    {
      path: '/readyz',
      method: methods,
      handler: handle(async (res) => {
        if (isStopping()) {
          send(res, 503, 'stopping\n');
          return;
        }
        const results = await readiness();
        // Shutdown may have begun while the checks ran.
        if (isStopping()) {
          send(res, 503, 'stopping\n');
          return;
        }
        send(res, results.every((r) => r.ok) ? 200 : 503, formatReadiness(results));
      }),
    },
    {
      path: '/metrics',
      method: methods,
      handler: handle(async (res) => {
        const { contentType, body } = await metrics.render();
        send(res, 200, body, contentType);
      }),
    },
  ];
}
