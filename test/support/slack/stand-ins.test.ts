/** The Slack stand-ins against the real Slack clients: @slack/web-api, @slack/socket-mode, Bolt's verifier. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isValidSlackRequest, verifySlackRequest } from '@slack/bolt';
import { SocketModeClient, LogLevel as SocketModeLogLevel } from '@slack/socket-mode';
import {
  ErrorCode,
  LogLevel,
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebClient,
} from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import {
  appHomeOpenedEvent,
  blockActionPayload,
  eventsApiEnvelope,
  interactiveEnvelope,
  messageShortcutPayload,
  postEvent,
  postInteraction,
  postSlashCommand,
  type SlackApiStandIn,
  type SocketModeStandIn,
  signSlackRequest,
  slashCommandEnvelope,
  startSlackApiStandIn,
  startSocketModeStandIn,
} from './index.js';

const BOT_TOKEN = 'xoxb-test-token';
const APP_TOKEN = 'xapp-1-A1-test';
const SECRET = 'shhh-signing-secret';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function apiStandIn(options?: Parameters<typeof startSlackApiStandIn>[0]): Promise<SlackApiStandIn> {
  const api = await startSlackApiStandIn(options);
  cleanups.push(() => api.close());
  return api;
}

async function socketStandIn(): Promise<SocketModeStandIn> {
  const socket = await startSocketModeStandIn();
  cleanups.push(() => socket.close());
  return socket;
}

function webClient(api: SlackApiStandIn): WebClient {
  return new WebClient(BOT_TOKEN, {
    slackApiUrl: api.apiUrl,
    logLevel: LogLevel.ERROR,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
  });
}

describe('Slack Web API stand-in', () => {
  it('records chat.postMessage with its token and form-encoded blocks, and answers a fresh ts', async () => {
    const api = await apiStandIn();
    const client = webClient(api);
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*5xx* in shop' } }];
    const first = await client.chat.postMessage({ channel: 'C1', text: 'hello', blocks });
    const second = await client.chat.postMessage({ channel: 'C1', text: 'again', thread_ts: first.ts ?? '' });

    expect(first.ok).toBe(true);
    expect(first.channel).toBe('C1');
    expect(second.ts).not.toBe(first.ts);
    const [call] = api.callsTo('chat.postMessage');
    expect(call?.token).toBe(BOT_TOKEN);
    expect(call?.headers.authorization).toBe(`Bearer ${BOT_TOKEN}`);
    expect(call?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(call?.body.blocks).toBe(JSON.stringify(blocks));
    expect(call?.args.blocks).toEqual(blocks);
    expect(api.calls.map((c) => c.method)).toEqual(['chat.postMessage', 'chat.postMessage']);
    expect(api.callsTo('chat.postMessage')[1]?.body.thread_ts).toBe(first.ts);
  });

  it('answers auth.test, conversations.open, views.publish, usergroups and unknown methods', async () => {
    const api = await apiStandIn({ userGroups: { S1: ['U1', 'U2'] } });
    const client = webClient(api);

    expect(await client.auth.test()).toMatchObject({
      ok: true,
      user_id: 'UBOT',
      bot_id: 'BBOT',
      team_id: 'T1',
    });
    expect((await client.conversations.open({ users: 'U7' })).channel?.id).toBe('DU7');
    await client.views.publish({ user_id: 'U1', view: { type: 'home', blocks: [] } });
    expect(api.callsTo('views.publish')[0]?.args.view).toEqual({ type: 'home', blocks: [] });
    expect((await client.usergroups.users.list({ usergroup: 'S1' })).users).toEqual(['U1', 'U2']);
    expect((await client.usergroups.users.list({ usergroup: 'S9' })).users).toEqual([]);
    expect(await client.chat.postEphemeral({ channel: 'C1', user: 'U1', text: 'psst' })).toMatchObject({
      ok: true,
      message_ts: expect.any(String),
    });
    const error = await client.apiCall('no.such.method').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebAPIPlatformError);
    expect((error as WebAPIPlatformError).data.error).toBe('unknown_method');
    expect(api.calls.at(-1)?.method).toBe('no.such.method');
  });

  it('takes files.uploadV2: upload URL, multipart bytes, completion into the thread', async () => {
    const api = await apiStandIn();
    const client = webClient(api);
    const content = 'ts,status\n2024-05-01T12:00:00Z,503\n';

    const result = await client.files.uploadV2({
      channel_id: 'C1',
      thread_ts: '1714564800.000100',
      initial_comment: 'the 503s',
      content,
      filename: 'errors.csv',
      title: 'errors',
    });

    expect(result.ok).toBe(true);
    expect(api.calls.map((c) => c.method)).toEqual([
      'files.getUploadURLExternal',
      'files.completeUploadExternal',
    ]);
    expect(api.calls[0]?.body).toMatchObject({ filename: 'errors.csv', length: String(content.length) });
    const [upload] = api.uploads;
    expect(upload?.text).toBe(content);
    expect(upload?.filename).toBe('errors.csv');
    expect(upload?.headers.authorization).toBe(`Bearer ${BOT_TOKEN}`);
    expect(api.completedUploads).toEqual([
      expect.objectContaining({ channelId: 'C1', threadTs: '1714564800.000100', initialComment: 'the 503s' }),
    ]);
    expect(api.sharedFiles()).toEqual([
      expect.objectContaining({ filename: 'errors.csv', title: 'errors', text: content, channelId: 'C1' }),
    ]);
  });

  it('injects a 429 with Retry-After, a 500 and an ok:false answer, each once', async () => {
    const api = await apiStandIn();
    const client = webClient(api);

    api.failNext('chat.postMessage', { retryAfterSeconds: 7 });
    const limited = await client.chat.postMessage({ channel: 'C1', text: 'x' }).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(WebAPIRateLimitedError);
    expect((limited as WebAPIRateLimitedError).code).toBe(ErrorCode.RateLimitedError);
    expect((limited as WebAPIRateLimitedError).retryAfter).toBe(7);

    api.failNext('chat.postMessage', { status: 500 });
    const broken = await client.chat.postMessage({ channel: 'C1', text: 'x' }).catch((e: unknown) => e);
    expect(broken).toBeInstanceOf(WebAPIHTTPError);
    expect((broken as WebAPIHTTPError).statusCode).toBe(500);

    const fault = api.failNext('chat.update', { error: 'message_not_found' });
    const refused = await client.chat
      .update({ channel: 'C1', ts: '1.2', text: 'x' })
      .catch((e: unknown) => e);
    expect((refused as WebAPIPlatformError).data.error).toBe('message_not_found');
    expect(fault.hits).toBe(1);

    expect((await client.chat.postMessage({ channel: 'C1', text: 'x' })).ok).toBe(true);
    expect(api.calls.map((c) => c.status)).toEqual([429, 500, 200, 200]);
  });

  it('checks token types like Slack', async () => {
    const api = await apiStandIn();
    const appClient = new WebClient(APP_TOKEN, { slackApiUrl: api.apiUrl, logLevel: LogLevel.ERROR });
    const error = await appClient.chat.postMessage({ channel: 'C1', text: 'x' }).catch((e: unknown) => e);
    expect((error as WebAPIPlatformError).data.error).toBe('not_allowed_token_type');
  });

  it('sinks response_url posts, answers 404 after the budget, and waits for them', async () => {
    const api = await apiStandIn();
    const url = api.responseUrl('cmd-1', { maxPosts: 2, delayMs: 50 });
    const pending = api.waitForResponse('cmd-1');

    const post = (text: string) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text }),
      });
    const started = performance.now();
    const first = await post('one');
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ ok: true });
    expect((await pending).body).toEqual({ text: 'one' });
    expect((await post('two')).status).toBe(200);
    const third = await post('three');
    expect(third.status).toBe(404);
    await third.body?.cancel();
    expect(api.responses.map((r) => r.status)).toEqual([200, 200, 404]);
  });

  it('rejects a wait that times out with what it waited for and what it saw', async () => {
    const api = await apiStandIn();
    await webClient(api).auth.test();
    await expect(api.waitForCall('chat.postMessage', 50)).rejects.toThrow(
      /timed out after 50 ms waiting for a chat.postMessage call; calls so far: \[auth.test\]/,
    );
  });
});

describe('Socket Mode stand-in', () => {
  async function connectedClient(): Promise<{
    api: SlackApiStandIn;
    socket: SocketModeStandIn;
    client: SocketModeClient;
  }> {
    const socket = await socketStandIn();
    const api = await apiStandIn({ socketModeUrl: () => socket.url });
    const client = new SocketModeClient({
      appToken: APP_TOKEN,
      logLevel: SocketModeLogLevel.ERROR,
      clientPingTimeout: 300,
      clientOptions: { slackApiUrl: api.apiUrl },
    });
    cleanups.push(() => client.disconnect());
    await client.start();
    await socket.waitForConnection();
    return { api, socket, client };
  }

  it('connects through apps.connections.open, says hello, and records the ack of a slash command', async () => {
    const { api, socket, client } = await connectedClient();
    const seen: unknown[] = [];
    client.on(
      'slash_commands',
      async ({ ack, body }: { ack: (r?: object) => Promise<void>; body: unknown }) => {
        seen.push(body);
        await ack({ text: 'on it' });
      },
    );

    const [open] = api.callsTo('apps.connections.open');
    expect(open?.token).toBe(APP_TOKEN);
    expect(socket.connectionUrls[0]).toMatch(/^\/link\/\?ticket=ticket-\d+&app_id=A1$/);
    expect(socket.connections).toBe(1);

    const id = socket.send(slashCommandEnvelope({ text: 'top 5xx' }));
    const ack = await socket.waitForAck(id);
    expect(ack.payload).toEqual({ text: 'on it' });
    expect(ack.ms).toBeGreaterThanOrEqual(0);
    expect(seen).toEqual([expect.objectContaining({ command: '/mesh', text: 'top 5xx', user_id: 'U1' })]);
  });

  it('delivers interactive and events_api envelopes the way the client dispatches them', async () => {
    const { socket, client } = await connectedClient();
    const types: string[] = [];
    client.on('slack_event', async ({ ack, type }: { ack: () => Promise<void>; type: string }) => {
      types.push(type);
      await ack();
    });

    const action = socket.send(interactiveEnvelope(blockActionPayload({ actionId: 'retry', value: 'q1' })));
    const home = socket.send(eventsApiEnvelope(appHomeOpenedEvent({ userId: 'U1' })));
    await socket.waitForAck(action);
    await socket.waitForAck(home);
    expect(types).toEqual(['interactive', 'events_api']);
    expect(socket.acks.find((a) => a.envelopeId === action)?.payload).toEqual({});
  });

  it('sends disconnect, after which the client reconnects through apps.connections.open', async () => {
    const { api, socket, client } = await connectedClient();
    const reconnected = new Promise<void>((resolve) => client.once('connected', () => resolve()));
    socket.disconnect('refresh_requested');
    await api.waitFor(
      () => api.callsTo('apps.connections.open').length >= 2,
      1_500,
      'a second apps.connections.open',
    );
    await reconnected;
    expect(socket.connections).toBe(1);
    expect(socket.totalConnections).toBe(2);
    expect(socket.connectionUrls[1]).not.toBe(socket.connectionUrls[0]);
  });
});

describe('signed requests', () => {
  it('signs the way Bolt verifies, and a wrong secret or stale timestamp fails', () => {
    const body = 'token=t&command=%2Fmesh&text=top';
    const now = Math.floor(Date.now() / 1000);
    const headers = signSlackRequest(SECRET, body, now);
    const verify = (secret: string, h = headers) =>
      verifySlackRequest({
        signingSecret: secret,
        body,
        headers: {
          'x-slack-signature': h['x-slack-signature'],
          'x-slack-request-timestamp': Number(h['x-slack-request-timestamp']),
        },
      });

    expect(() => verify(SECRET)).not.toThrow();
    expect(() => verify('other-secret')).toThrow(/signature mismatch/);
    expect(() => verify(SECRET, signSlackRequest(SECRET, body, now - 600))).toThrow(/stale/);
  });

  it('posts slash commands, interactions and events signed, form- or JSON-encoded, and times them', async () => {
    const received: { contentType: string; body: string; valid: boolean }[] = [];
    const server: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const valid = isValidSlackRequest({
          signingSecret: SECRET,
          body,
          headers: {
            'x-slack-signature': String(req.headers['x-slack-signature']),
            'x-slack-request-timestamp': Number(req.headers['x-slack-request-timestamp']),
          },
        });
        received.push({ contentType: req.headers['content-type'] ?? '', body, valid });
        res.writeHead(valid ? 200 : 401).end(valid ? 'ok' : 'bad signature');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;

    const command = await postSlashCommand(url, SECRET, {
      text: 'top 5xx',
      response_url: 'http://x/respond/1',
    });
    expect(command).toMatchObject({ status: 200, body: 'ok' });
    expect(command.ms).toBeGreaterThan(0);
    const shortcut = messageShortcutPayload({ callbackId: 'explain', messageText: '"GET /" 503 UF' });
    expect((await postInteraction(url, SECRET, shortcut)).status).toBe(200);
    expect((await postEvent(url, SECRET, appHomeOpenedEvent({ userId: 'U3' }))).status).toBe(200);
    expect((await postSlashCommand(url, 'wrong', {})).status).toBe(401);
    expect((await postSlashCommand(url, SECRET, {}, { signature: 'v0=00' })).status).toBe(401);

    const [slash, interaction, event] = received;
    expect(slash?.contentType).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(slash?.body))).toMatchObject({
      command: '/mesh',
      text: 'top 5xx',
      team_id: 'T1',
      channel_id: 'C1',
      user_id: 'U1',
      api_app_id: 'A1',
      response_url: 'http://x/respond/1',
    });
    const payload = JSON.parse(new URLSearchParams(interaction?.body).get('payload') ?? 'null') as unknown;
    expect(payload).toMatchObject({
      type: 'message_action',
      callback_id: 'explain',
      message: { text: '"GET /" 503 UF' },
    });
    expect(event?.contentType).toBe('application/json');
    expect(JSON.parse(event?.body ?? 'null')).toMatchObject({
      type: 'event_callback',
      event: { type: 'app_home_opened', user: 'U3', tab: 'home' },
    });
    expect(received.map((r) => r.valid)).toEqual([true, true, true, false, false]);
  });

  it('builds block_actions payloads for message, ephemeral and App Home buttons', () => {
    const inMessage = blockActionPayload({
      actionId: 'retry',
      value: 'q1',
      responseUrl: 'http://x/respond/2',
    });
    expect(inMessage).toMatchObject({
      type: 'block_actions',
      user: { id: 'U1' },
      channel: { id: 'C1' },
      container: { type: 'message', channel_id: 'C1', is_ephemeral: false },
      actions: [{ type: 'button', action_id: 'retry', value: 'q1' }],
      response_url: 'http://x/respond/2',
      message: { type: 'message' },
    });
    expect(blockActionPayload({ actionId: 'a', container: 'ephemeral' }).message).toBeUndefined();
    const home = blockActionPayload({ actionId: 'a', container: 'home' });
    expect(home.container).toMatchObject({ type: 'view' });
    expect(home.view?.type).toBe('home');
    expect(home.channel).toBeUndefined();
    expect('response_url' in home).toBe(false);
  });
});
