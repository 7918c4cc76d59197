import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { createReadiness, formatReadiness, healthRoutes, type ReadinessCheck } from './health-routes.js';
import { createMetrics } from './metrics.js';

const ok = (name: string): ReadinessCheck => ({ name, check: async () => {} });
const failing = (name: string, message: string): ReadinessCheck => ({
  name,
  check: async () => {
    throw new Error(message);
  },
});

describe('createReadiness', () => {
  it('reports each check, with a short reason for failures', async () => {
    const readiness = createReadiness([ok('slack'), failing('kubernetes', 'connect ECONNREFUSED\nstack…')]);
    const results = await readiness();
    expect(formatReadiness(results)).toBe('slack: ok\nkubernetes: failed: connect ECONNREFUSED\n');
  });

  it('fails a check that exceeds the timeout', async () => {
    const hang: ReadinessCheck = { name: 'slack', check: () => new Promise(() => {}) };
    const results = await createReadiness([hang], { timeoutMs: 20 })();
    expect(results).toEqual([{ name: 'slack', ok: false, reason: 'timed out after 20 ms' }]);
  });

  it('fails a check that throws synchronously', async () => {
    const sync: ReadinessCheck = {
      name: 'kubernetes',
      check: () => {
        throw new Error('no kubeconfig');
      },
    };
    expect(await createReadiness([sync])()).toEqual([
      { name: 'kubernetes', ok: false, reason: 'no kubeconfig' },
    ]);
  });

  it('reuses a result for cacheMs and shares one run between concurrent probes', async () => {
    let t = 0;
    let calls = 0;
    const counted: ReadinessCheck = {
      name: 'kubernetes',
      check: async () => {
        calls += 1;
      },
    };
    const readiness = createReadiness([counted], { cacheMs: 1000, now: () => t });
    await Promise.all([readiness(), readiness(), readiness()]);
    expect(calls).toBe(1);
    t = 999;
    await readiness();
    expect(calls).toBe(1);
    t = 1000;
    await readiness();
    expect(calls).toBe(2);
  });
});

describe('healthRoutes over HTTP', () => {
  let app: App | undefined;

  afterEach(async () => {
    await app?.stop();
    app = undefined;
  });

  async function serve(options: Parameters<typeof healthRoutes>[0]): Promise<string> {
    app = new App({
      signingSecret: 'x',
      token: 'xoxb-test',
      tokenVerificationEnabled: false,
      logLevel: LogLevel.ERROR,
      customRoutes: healthRoutes(options),
    });
    const server = await app.start({ port: 0, host: '127.0.0.1' });
    const { port } = server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  it('serves /healthz, /readyz and /metrics', async () => {
    const metrics = createMetrics();
    let stopping = false;
    const base = await serve({
      metrics,
      checks: [ok('slack'), ok('kubernetes')],
      isStopping: () => stopping,
      cacheMs: 0,
    });

    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.text()).toBe('ok\n');

    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(ready.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await ready.text()).toBe('slack: ok\nkubernetes: ok\n');

    metrics.commandFinished('logs', 'ok', 1.5);
    const scrape = await fetch(`${base}/metrics`);
    expect(scrape.status).toBe(200);
    expect(scrape.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await scrape.text()).toContain('meshbot_commands_total{command="logs",outcome="ok"} 1');

    stopping = true;
    const stoppingHealth = await fetch(`${base}/healthz`);
    expect(stoppingHealth.status).toBe(503);
    expect(await stoppingHealth.text()).toBe('stopping\n');
    const stoppingReady = await fetch(`${base}/readyz`);
    expect(stoppingReady.status).toBe(503);
    expect(await stoppingReady.text()).toBe('stopping\n');
  });

  it('answers 503 naming the failing check', async () => {
    const base = await serve({
      metrics: createMetrics(),
      checks: [ok('slack'), failing('kubernetes', 'connect ECONNREFUSED 10.0.0.1:443')],
      isStopping: () => false,
    });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.text()).toBe('slack: ok\nkubernetes: failed: connect ECONNREFUSED 10.0.0.1:443\n');
    // Liveness does not depend on readiness.
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it('answers 500 when rendering metrics fails', async () => {
    const base = await serve({
      metrics: {
        render: async () => {
          throw new Error('collector broke');
        },
      },
      checks: [],
      isStopping: () => false,
    });
    const scrape = await fetch(`${base}/metrics`);
    expect(scrape.status).toBe(500);
    expect(await scrape.text()).toBe('error: collector broke\n');
  });
});
