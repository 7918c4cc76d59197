/**
 * The Slack bot end to end in Socket Mode over real protocols on loopback: the real Bolt app with its
 * `SocketModeReceiver` connecting (through `apps.connections.open` on the Web API stand-in) to the Socket
 * Mode stand-in, slash commands and button clicks pushed as envelopes and acked over the WebSocket, answers
 * posted to `response_url`s, and the health routes served on `installerOptions.port`.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeApiServer } from '../../src/kube-sim/index.js';
import { startFakeApiServer } from '../../src/kube-sim/index.js';
import type { RunningBot } from '../../src/slack/start-bot.js';
import { startBot } from '../../src/slack/start-bot.js';
import {
  blockActionPayload,
  interactiveEnvelope,
  type RecordedResponse,
  type SlackApiStandIn,
  type SocketModeStandIn,
  slashCommandEnvelope,
  startSlackApiStandIn,
  startSocketModeStandIn,
} from '../support/slack/index.js';
import {
  botEnv,
  clusterFor,
  configFrom,
  everythingSent,
  LEAKED,
  NOW,
  seedMesh,
} from './slack-bot-fixtures.js';

interface Button {
  action_id: string;
  value: string;
  text: { text: string };
}

function buttons(body: unknown): Button[] {
  const blocks = (body as { blocks?: unknown }).blocks;
  if (!Array.isArray(blocks)) return [];
  return (blocks as { type: string; elements?: Button[] }[]).flatMap((b) =>
    b.type === 'actions' ? (b.elements ?? []) : [],
  );
}

/** A TCP port nobody listens on right now (listen on 0, read it, close). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function until(what: string, probe: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('meshbot serve (Socket Mode)', () => {
  let kube: FakeApiServer;
  let api: SlackApiStandIn;
  let socket: SocketModeStandIn;
  let bot: RunningBot;
  let port: number;
  const logs: Record<string, unknown>[] = [];
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);

  const finalAnswer = (id: string): Promise<RecordedResponse> =>
    api.waitFor(
      () =>
        api.responses.find((r) => {
          const body = r.body as { text?: string; delete_original?: boolean };
          return (
            r.id === id &&
            body.delete_original !== true &&
            !String(body.text ?? '').startsWith(':hourglass_flowing_sand:')
          );
        }),
      8000,
      `the final answer on ${id}`,
    );

  beforeAll(async () => {
    process.on('unhandledRejection', onRejection);
    kube = await startFakeApiServer({ now: () => NOW });
    await seedMesh(kube);
    socket = await startSocketModeStandIn();
    api = await startSlackApiStandIn({ socketModeUrl: () => socket.url });
    port = await freePort();
    const config = configFrom(
      botEnv(api, { SLACK_MODE: 'socket', SLACK_APP_TOKEN: 'xapp-1-test', PORT: String(port) }),
    );
    bot = await startBot({
      config,
      cluster: clusterFor(kube),
      clock: () => NOW.getTime(),
      identity: 'meshbot-socket-test',
      leaseNamespace: 'meshbot',
      reconcile: false,
      log: (record) => logs.push(record),
    });
    await socket.waitForConnection();
    // The receiver's client must have read `hello` (state `connected`) before anything may disconnect it.
    await until('the Socket Mode client to be connected', () => bot.slack.slackReady());
  });

  afterAll(async () => {
    try {
      await bot?.stop();
      await socket?.close();
      await api?.close();
      await kube?.close();
      // Give a late rejection (a client stopped mid-reconnect) the chance to surface.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });

  it('connected through apps.connections.open with the app-level token, then auth.test with the bot token', () => {
    const open = api.callsTo('apps.connections.open');
    expect(open.length).toBeGreaterThanOrEqual(1);
    expect(open[0]?.token).toBe('xapp-1-test');
    expect(api.callsTo('auth.test')[0]?.token).toBe('xoxb-test-token');
    expect(socket.connectionUrls[0]).toMatch(/^\/link\/\?ticket=ticket-\d+&app_id=A1$/);
    expect(bot.port).toBe(port);
  });

  it('serves /healthz and /readyz (slack: ok while connected) on installerOptions.port', async () => {
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.text()).toBe('ok\n');
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    const text = await ready.text();
    expect(ready.status).toBe(200);
    expect(text).toContain('slack: ok');
    expect(text).toContain('kubernetes: ok');
  });

  it('acks a slash command envelope at once (slow cluster), then answers on the response_url', async () => {
    kube.delayLogs(3500);
    try {
      const id = socket.send(
        slashCommandEnvelope({
          text: 'logs helloworld -n istio-testing',
          response_url: api.responseUrl('s1'),
          user_id: 'U1',
        }),
      );
      const ack = await socket.waitForAck(id, 3000);
      expect(ack.ms).toBeDefined();
      expect(ack.ms ?? Number.POSITIVE_INFINITY).toBeLessThan(3000);
      const answer = await finalAnswer('s1');
      const posts = api.responses.filter((r) => r.id === 's1');
      expect(JSON.stringify(posts[0]?.body)).toContain('Reading istio-proxy logs of 2 pods');
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ response_type: 'ephemeral', replace_original: true });
      const text = JSON.stringify(answer.body);
      expect(text).toContain('meshbot · logs');
      expect(text).toContain('500');
      expect(buttons(answer.body).map((b) => b.text.text)).toEqual(['Trace an example request', 'Refresh']);
      await until('the audit line', () => logs.some((l) => l.event === 'audit' && l.user === 'U1'));
      expect(logs.find((l) => l.event === 'audit' && l.user === 'U1')).toMatchObject({
        source: 'slash_command',
        command: 'logs',
        outcome: 'ok',
      });
      expect(everythingSent(api)).not.toContain(LEAKED);
    } finally {
      kube.delayLogs(0);
    }
  }, 15_000);

  it('a Refresh click (block_actions envelope) is acked and runs the button’s command again', async () => {
    const first = await finalAnswer('s1');
    const refresh = buttons(first.body).find((b) => b.text.text === 'Refresh');
    expect(refresh?.value).toBe('logs helloworld -n istio-testing');
    const id = socket.send(
      interactiveEnvelope(
        blockActionPayload({
          actionId: refresh?.action_id ?? '',
          value: refresh?.value ?? '',
          buttonText: 'Refresh',
          userId: 'U2',
          responseUrl: api.responseUrl('click'),
        }),
      ),
    );
    const ack = await socket.waitForAck(id, 3000);
    expect(ack.ms ?? Number.POSITIVE_INFINITY).toBeLessThan(3000);
    const answer = await finalAnswer('click');
    expect(JSON.stringify(answer.body)).toContain('meshbot · logs');
    await until('the click’s audit line', () => logs.some((l) => l.event === 'audit' && l.user === 'U2'));
    expect(logs.find((l) => l.event === 'audit' && l.user === 'U2')).toMatchObject({
      source: 'button',
      command: 'logs',
      outcome: 'ok',
      text: 'logs helloworld -n istio-testing',
    });
  });

  it('acked every envelope it received', () => {
    expect(socket.sent.map((s) => s.envelopeId).sort()).toEqual(socket.acks.map((a) => a.envelopeId).sort());
  });

  it('after Slack asks for a refresh: not ready while away, reconnected (about 5 s later) and taking commands', async () => {
    const before = socket.totalConnections;
    socket.disconnect('refresh_requested');
    await until('the client to notice', () => !bot.slack.slackReady(), 3000);
    await new Promise((resolve) => setTimeout(resolve, 1050)); // past the readiness cache
    const away = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(away.status).toBe(503);
    expect(await away.text()).toContain('slack: failed: not connected');
    // @slack/socket-mode waits clientPingTimeout (5 s) before it reconnects through apps.connections.open.
    await until('a new connection', () => socket.totalConnections > before && socket.connections === 1, 9000);
    await until('the client to be connected again', () => bot.slack.slackReady());
    await new Promise((resolve) => setTimeout(resolve, 1050));
    const back = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(back.status).toBe(200);
    expect(await back.text()).toContain('slack: ok');
    const id = socket.send(
      slashCommandEnvelope({ text: 'help', response_url: api.responseUrl('after'), user_id: 'U3' }),
    );
    await socket.waitForAck(id, 3000);
    expect(JSON.stringify((await finalAnswer('after')).body)).toContain('/mesh help');
  }, 15_000);
});
