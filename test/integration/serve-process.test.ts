/**
 * `meshbot serve` as a real process (the built dist/cli/main.js): start-up configuration errors, `--check`,
 * and graceful shutdown on SIGTERM — in-flight commands finish and are answered, new ones are told meshbot
 * is restarting, `/healthz` turns 503, and the process exits 0 — against the Slack Web API stand-in and the
 * fake Kubernetes API server on loopback.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeApiServer, type LogLine, startFakeApiServer } from '../../src/kube-sim/index.js';
import { runMeshbot } from '../support/run-meshbot.js';
import {
  postSlashCommand,
  type RecordedResponse,
  type SlackApiStandIn,
  startSlackApiStandIn,
} from '../support/slack/index.js';
import { freePort, httpGet, pollHttp, type SpawnedMeshbot, spawnMeshbot } from '../support/spawn-meshbot.js';
import { botEnv, meshLine, NOW, SECRET, seedMesh, USER } from './slack-bot-fixtures.js';

const STACK_FRAME = /^\s+at /m;
const BOT_TOKEN_SECRET = 'abc-not-a-token-SECRETVALUE';
const SIGNING_SECRET = 'sign-SECRET-d41d8cd98f00b204';
/** The request id of the only log line recent enough for the bot's default `--since` (15 minutes). */
const FRESH_ID = '0c1d2e3f-4a5b-4c6d-8e7f-001122334455';

/** A line the fixtures would write at `NOW - secondsAgo`, moved to the real clock (a child process uses it). */
function fresh(line: LogLine): LogLine {
  const time = new Date(line.time.getTime() + (Date.now() - NOW.getTime()));
  return { time, text: line.text.replace(line.time.toISOString(), time.toISOString()) };
}

function isFinal(body: unknown): boolean {
  const b = body as { text?: unknown; delete_original?: unknown };
  return b.delete_original !== true && !String(b.text ?? '').startsWith(':hourglass_flowing_sand:');
}

describe('meshbot serve: start-up configuration', () => {
  let kube: FakeApiServer | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await kube?.close();
    kube = undefined;
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('with an empty environment exits 2 listing every missing setting at once', async () => {
    const result = await runMeshbot(['serve']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('2 problems');
    expect(result.stderr).toMatch(/SLACK_BOT_TOKEN is not set/);
    expect(result.stderr).toMatch(/SLACK_SIGNING_SECRET is not set/);
    expect(result.stderr).not.toMatch(STACK_FRAME);
  });

  it('lists every invalid setting, never echoing a secret', async () => {
    const result = await runMeshbot(['serve'], {
      env: {
        SLACK_BOT_TOKEN: BOT_TOKEN_SECRET,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        PORT: '99999',
        MESHBOT_ADMINS: 'bogus',
        MESHBOT_REDACT: '[("unclosed"]',
      },
    });
    expect(result.code).toBe(2);
    const problems = result.stderr.split('\n').filter((l) => l.startsWith('  - '));
    expect(result.stderr).toContain(`${problems.length} problems`);
    for (const name of ['SLACK_BOT_TOKEN', 'PORT', 'MESHBOT_ADMINS', 'MESHBOT_REDACT']) {
      expect(problems.filter((p) => new RegExp(`^  - ${name}\\b`).test(p))).toHaveLength(1);
    }
    const output = result.stdout + result.stderr;
    expect(output).not.toContain('SECRETVALUE');
    expect(output).not.toContain('abc-not-a-token');
    expect(output).not.toContain(SIGNING_SECRET);
    expect(output).not.toMatch(STACK_FRAME);
  });

  it('--check with a valid environment and kubeconfig says "configuration ok" and exits 0 without serving', async () => {
    kube = await startFakeApiServer();
    dir = mkdtempSync(join(tmpdir(), 'meshbot-serve-'));
    const kubeconfig = join(dir, 'config');
    writeFileSync(kubeconfig, kube.kubeconfigYaml('istio-testing'));
    const result = await runMeshbot(['serve', '--check'], {
      env: {
        SLACK_BOT_TOKEN: 'xoxb-test-token',
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_MODE: 'http',
        PORT: String(await freePort()),
        KUBECONFIG: kubeconfig,
        HOME: dir,
      },
    });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain('configuration ok');
    expect(result.stdout).not.toContain('"event":"started"');
    expect(result.stdout).not.toContain(SIGNING_SECRET);
  });

  it('--help shows the serve help', async () => {
    const result = await runMeshbot(['serve', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: meshbot serve');
    expect(result.stdout).toContain('--check');
  });
});

describe('meshbot serve: stopping on SIGTERM', () => {
  let kube: FakeApiServer;
  let api: SlackApiStandIn;
  let dir: string;
  let bot: SpawnedMeshbot | undefined;
  let base: string;

  beforeEach(async () => {
    kube = await startFakeApiServer({ now: () => new Date() });
    await seedMesh(kube, ({ server, client }) => [
      fresh(
        meshLine({
          secondsAgo: 30,
          direction: 'inbound',
          path: '/fresh',
          code: 500,
          id: FRESH_ID,
          serverIp: server,
          clientIp: client,
        }),
      ),
    ]);
    api = await startSlackApiStandIn();
    dir = mkdtempSync(join(tmpdir(), 'meshbot-serve-'));
    writeFileSync(join(dir, 'config'), kube.kubeconfigYaml('istio-testing'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    bot = spawnMeshbot(['serve'], {
      env: botEnv(api, {
        SLACK_SIGNING_SECRET: SECRET,
        PORT: String(port),
        KUBECONFIG: join(dir, 'config'),
        HOME: dir,
        MESHBOT_SHUTDOWN_TIMEOUT: '10s',
        MESHBOT_RECONCILE_INTERVAL: '1h',
      }),
    });
    await bot.waitForLog((l) => l.event === 'started', 10_000);
    await pollHttp(`${base}/healthz`, (r) => 'status' in r && r.status === 200);
  });

  afterEach(async () => {
    await bot?.kill();
    bot = undefined;
    await api?.close();
    await kube?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  const slash = (text: string, id: string) =>
    postSlashCommand(`${base}/slack/events`, SECRET, {
      text,
      user_id: USER,
      channel_id: 'C1',
      response_url: api.responseUrl(id),
    });

  it('finishes the command in flight, turns new ones away, answers 503 on /healthz, then exits 0', async () => {
    const running = bot as SpawnedMeshbot;
    kube.delayLogs(2500);
    const ack = await slash('logs helloworld -n istio-testing', 'first');
    expect(ack.status).toBe(200);
    const signalled = performance.now();
    running.signal('SIGTERM');

    // Draining: the HTTP server is still open (the command is waiting for its log reads), liveness says so.
    const draining = await pollHttp(`${base}/healthz`, (r) => !('status' in r && r.status === 200), {
      timeoutMs: 2_000,
      intervalMs: 10,
    });
    expect(draining).toMatchObject({ status: 503 });

    // A command arriving now is acked and told to come back.
    const late = await slash('logs helloworld -n istio-testing', 'second');
    expect(late.status).toBe(200);
    const turnedAway = await api.waitForResponse('second', 3_000);
    expect(JSON.stringify(turnedAway.body)).toContain('meshbot is restarting');

    // The command in flight still gets its real answer.
    const answer = await api.waitFor<RecordedResponse>(
      () => api.responses.find((r) => r.id === 'first' && isFinal(r.body)),
      10_000,
      'the final answer to the first command',
    );
    const text = JSON.stringify(answer.body);
    expect(text).not.toContain('restarting');
    expect(text).toContain(FRESH_ID);
    expect(text).toContain('500');
    expect(answer.body).toMatchObject({ replace_original: true });

    const exit = await running.waitForExit(10_000);
    expect(exit.code).toBe(0);
    expect(performance.now() - signalled).toBeLessThan(10_000);
    expect(running.jsonLines()).toContainEqual(
      expect.objectContaining({ event: 'stopped', drained: true, abandoned: 0 }),
    );
    expect(await httpGet(`${base}/healthz`)).toMatchObject({ refused: true });
    expect(running.stderr).not.toMatch(STACK_FRAME);
  });

  it('exits 0 promptly when nothing is running', async () => {
    const running = bot as SpawnedMeshbot;
    const signalled = performance.now();
    running.signal('SIGTERM');
    const exit = await running.waitForExit(3_000);
    expect(exit.code).toBe(0);
    expect(performance.now() - signalled).toBeLessThan(3_000);
    expect(running.jsonLines()).toContainEqual(expect.objectContaining({ event: 'stopped', drained: true }));
    expect(running.stderr).toBe('');
  });
});
