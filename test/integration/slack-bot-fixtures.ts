/**
 * The Slack bot's world for integration tests: the seed's mesh (`istio-testing` with `helloworld` and
 * `sleep`) behind the fake Kubernetes API server, the Slack Web API stand-in, and the real bot
 * (`startBot`: Bolt, the real client-node adapters) in HTTP or Socket Mode on loopback.
 */
import * as k8s from '@kubernetes/client-node';
import { type BotConfig, readBotConfig } from '../../src/core/config.js';
import { type FakeApiServer, type LogLine, startFakeApiServer } from '../../src/kube-sim/index.js';
import { createClusterReader } from '../../src/kubernetes/cluster-reader.js';
import { IstioConfigClient } from '../../src/kubernetes/istio-config-client.js';
import { LeaseClient } from '../../src/kubernetes/lease-client.js';
import { type RunningBot, startBot } from '../../src/slack/start-bot.js';
import { postSlashCommand, type SlackApiStandIn, startSlackApiStandIn } from '../support/slack/index.js';
import { podIp } from './live-fixtures.js';

export const NOW = new Date('2024-05-01T12:00:00.000Z');
export const SECRET = 'test-signing-secret';
export const ADMIN = 'UADMIN1';
export const USER = 'UREADER1';
/** A request that crosses sleep's sidecar and helloworld's, and fails with 503 UH. */
export const FAILED_ID = 'be5acb4a-9e3e-4540-814d-07c2c7dcf7f1';
export const OK_ID = '6f7e3b1a-1111-4c2d-9e8f-0123456789ab';
/** Query-string secret and bearer token in log lines: they must never reach Slack. */
export const LEAKED = 'sup3r-s3cret-value';
export const EVIL_AGENT = '<!channel> <https://evil.example|login>';

export interface LineSpec {
  secondsAgo: number;
  direction: 'inbound' | 'outbound';
  path: string;
  code: number;
  flags?: string;
  details?: string;
  id: string;
  agent?: string;
  serverIp: string;
  clientIp: string;
}

/** One line in Istio's default TEXT format (1.20+), inbound (helloworld's sidecar) or outbound (sleep's). */
export function meshLine(s: LineSpec): LogLine {
  const time = new Date(NOW.getTime() - s.secondsAgo * 1000);
  const upstream = s.code === 503 && s.flags === 'UH' ? '-' : `"${s.serverIp}:5000"`;
  const head = `[${time.toISOString()}] "GET ${s.path} HTTP/1.1" ${s.code} ${s.flags ?? '-'} ${s.details ?? 'via_upstream'} - "-" 0 120 7 6 "-" "${s.agent ?? 'curl/8.5.0'}" "${s.id}" "helloworld:5000" ${upstream}`;
  const text =
    s.direction === 'inbound'
      ? `${head} inbound|5000|| 127.0.0.6:41000 ${s.serverIp}:5000 ${s.clientIp}:52000 outbound_.5000_._.helloworld.istio-testing.svc.cluster.local default`
      : `${head} outbound|5000||helloworld.istio-testing.svc.cluster.local ${s.clientIp}:52000 10.96.0.50:5000 ${s.clientIp}:51000 - default`;
  return { time, text };
}

export interface BotWorld {
  kube: FakeApiServer;
  api: SlackApiStandIn;
  bot: RunningBot;
  config: BotConfig;
  /** `/slack/events` of the running bot (HTTP mode). */
  eventsUrl: string;
  base: string;
  logs: Record<string, unknown>[];
  /** Stops this bot and starts a fresh one over the same cluster and Slack (a restart). */
  restart(): Promise<void>;
  /** A slash command from `user` (default USER) to the bot, answered to `api.responseUrl(id)`. */
  slash(
    text: string,
    options?: { user?: string; channel?: string; id?: string },
  ): ReturnType<typeof postSlashCommand>;
  close(): Promise<void>;
}

export interface WorldOptions {
  env?: Record<string, string>;
  /**
   * Extra helloworld lines (e.g. thousands, for a result too big for one message), per helloworld pod:
   * `server` is that pod's IP, `client` sleep's, `pod` the pod's name.
   */
  extraLines?: (ips: { server: string; client: string; pod: string }) => LogLine[];
  /** The bot's clock (default: always NOW); tests move it to make changes expire. */
  clock?: () => number;
  /** Run the expiry reconciler inside the bot (default false). */
  reconcile?: boolean;
}

export function botEnv(api: SlackApiStandIn, env: Record<string, string> = {}): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_MODE: 'http',
    PORT: '0',
    SLACK_API_URL: api.apiUrl,
    MESHBOT_ADMINS: ADMIN,
    MESHBOT_MAX_LOG_REQUESTS: '4',
    ...env,
  };
}

export async function seedMesh(kube: FakeApiServer, extra?: WorldOptions['extraLines']): Promise<void> {
  kube.addNamespace('istio-testing', { 'istio-injection': 'enabled' });
  kube.addNamespace('meshbot');
  kube.addNamespace('secret-team', { 'istio-injection': 'enabled' });
  kube.addDeployment({
    namespace: 'istio-testing',
    name: 'helloworld',
    replicas: 2,
    istio: 'sidecar',
    createPods: true,
  });
  kube.addPod({
    namespace: 'istio-testing',
    name: 'sleep-7d4f8b8c9d-x2v5q',
    labels: { app: 'sleep' },
    istio: 'sidecar',
  });
  kube.addPod({ namespace: 'secret-team', name: 'vault-0', labels: { app: 'vault' }, istio: 'sidecar' });
  const client = podIp(kube, 'istio-testing', 'sleep-7d4f8b8c9d-x2v5q');
  const pods = kube
    .listObjects('v1', 'pods', 'istio-testing')
    .map((p) => String((p.metadata as { name: string }).name))
    .filter((n) => n.startsWith('helloworld-'));
  pods.forEach((name, i) => {
    const server = podIp(kube, 'istio-testing', name);
    const lines: LogLine[] = [
      meshLine({
        secondsAgo: 120,
        direction: 'inbound',
        path: '/hello',
        code: 200,
        id: `${OK_ID.slice(0, -1)}${i}`,
        serverIp: server,
        clientIp: client,
      }),
      meshLine({
        secondsAgo: 90,
        direction: 'inbound',
        path: `/hello?token=${LEAKED}&lang=en`,
        code: 500,
        id: i === 0 ? FAILED_ID : OK_ID,
        agent: EVIL_AGENT,
        serverIp: server,
        clientIp: client,
      }),
      ...(extra?.({ server, client, pod: name }) ?? []),
    ];
    kube.setPodLog('istio-testing', name, 'istio-proxy', lines);
  });
  kube.setPodLog('istio-testing', 'sleep-7d4f8b8c9d-x2v5q', 'istio-proxy', [
    meshLine({
      secondsAgo: 91,
      direction: 'outbound',
      path: `/hello?token=${LEAKED}&lang=en`,
      code: 500,
      id: FAILED_ID,
      agent: EVIL_AGENT,
      serverIp: podIp(kube, 'istio-testing', pods[0] ?? ''),
      clientIp: client,
    }),
    meshLine({
      secondsAgo: 60,
      direction: 'outbound',
      path: '/hello',
      code: 503,
      flags: 'UH',
      details: 'no_healthy_upstream',
      id: OK_ID,
      serverIp: '-',
      clientIp: client,
    }),
  ]);
  kube.setPodLog('secret-team', 'vault-0', 'istio-proxy', [
    meshLine({
      secondsAgo: 30,
      direction: 'inbound',
      path: '/v1/secret',
      code: 200,
      id: FAILED_ID,
      serverIp: '10.244.9.9',
      clientIp: client,
    }),
  ]);
}

export function clusterFor(kube: FakeApiServer) {
  const kc = new k8s.KubeConfig();
  kc.loadFromString(kube.kubeconfigYaml('istio-testing'));
  return { cluster: createClusterReader(kc), istio: new IstioConfigClient(kc), leases: new LeaseClient(kc) };
}

export function configFrom(env: Record<string, string>): BotConfig {
  const result = readBotConfig(env);
  if (!result.ok) throw new Error(`bad test config: ${result.problems.join('; ')}`);
  return result.config;
}

export async function startWorld(options: WorldOptions = {}): Promise<BotWorld> {
  const kube = await startFakeApiServer({ now: () => NOW });
  await seedMesh(kube, options.extraLines);
  const api = await startSlackApiStandIn();
  const env = botEnv(api, options.env);
  const config = configFrom(env);
  const logs: Record<string, unknown>[] = [];
  const launch = () =>
    startBot({
      config,
      cluster: clusterFor(kube),
      clock: options.clock ?? (() => NOW.getTime()),
      identity: 'meshbot-test',
      leaseNamespace: 'meshbot',
      reconcile: options.reconcile ?? false,
      log: (record) => logs.push(record),
    });
  let bot = await launch();
  const world: BotWorld = {
    kube,
    api,
    bot,
    config,
    logs,
    eventsUrl: `http://127.0.0.1:${bot.port}/slack/events`,
    base: `http://127.0.0.1:${bot.port}`,
    async restart() {
      await world.bot.stop();
      bot = await launch();
      world.bot = bot;
      world.eventsUrl = `http://127.0.0.1:${bot.port}/slack/events`;
      world.base = `http://127.0.0.1:${bot.port}`;
    },
    slash(text, opts = {}) {
      return postSlashCommand(world.eventsUrl, SECRET, {
        text,
        user_id: opts.user ?? USER,
        channel_id: opts.channel ?? 'C1',
        response_url: api.responseUrl(opts.id ?? 'r1'),
      });
    },
    async close() {
      await world.bot.stop();
      await api.close();
      await kube.close();
    },
  };
  return world;
}

/** Every string Slack received: Web API call bodies, response_url posts and uploaded files. */
export function everythingSent(api: SlackApiStandIn): string {
  return [
    ...api.calls.map((c) => JSON.stringify(c.body)),
    ...api.responses.map((r) => JSON.stringify(r.body)),
    ...api.uploads.map((u) => JSON.stringify(u)),
  ].join('\n');
}

/** Waits for audit lines (written after the reply, so a test must wait for them too). */
export async function auditLines(
  world: BotWorld,
  count = 1,
  match: (line: Record<string, unknown>) => boolean = () => true,
  timeoutMs = 10_000,
): Promise<Record<string, unknown>[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lines = world.logs.filter((l) => l.event === 'audit' && match(l));
    if (lines.length >= count) return lines;
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting for ${count} audit lines; have: ${JSON.stringify(world.logs.slice(-5))}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
