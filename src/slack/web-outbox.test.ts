/**
 * The Web API adapter against the Slack API stand-in on loopback, through the real `@slack/web-api` client:
 * rate limits waited out once or given up on, `response_url` timeouts and URL checks, the user-group cache,
 * and file uploads into a thread.
 */
import { LogLevel, WebClient, type WebClientOptions } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type SlackApiStandIn, startSlackApiStandIn } from '../../test/support/slack/index.js';
import { createMetrics, type Metrics } from './metrics.js';
import type { SlackOutbox } from './slack-outbox.js';
import { type WebOutboxOptions, webOutbox } from './web-outbox.js';

let api: SlackApiStandIn;
let metrics: Metrics;

function clientFor(options: WebClientOptions = {}): WebClient {
  return new WebClient('xoxb-t', {
    slackApiUrl: api.apiUrl,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    logLevel: LogLevel.ERROR,
    ...options,
  });
}

function outbox(options: Partial<WebOutboxOptions> = {}, client: WebClient = clientFor()): SlackOutbox {
  return webOutbox(client, { metrics, ...options });
}

async function metricLine(prefix: string): Promise<string | undefined> {
  const { body } = await metrics.render();
  return body.split('\n').find((l) => l.startsWith(prefix));
}

/** Milliseconds `promise` took to settle, and how. */
async function timed<T>(promise: Promise<T>): Promise<{ ms: number; value?: T; error?: unknown }> {
  const started = performance.now();
  try {
    const value = await promise;
    return { ms: performance.now() - started, value };
  } catch (error) {
    return { ms: performance.now() - started, error };
  }
}

beforeEach(async () => {
  api = await startSlackApiStandIn({ userGroups: { S1: ['U1', 'U2'], S2: ['U3'] } });
  metrics = createMetrics();
});

afterEach(async () => {
  await api.close();
});

describe('webOutbox: rate limits', () => {
  it('waits out a short Retry-After once and succeeds on the retry, counting the rate limit', async () => {
    const fault = api.failNext('chat.postMessage', { retryAfterSeconds: 1 });
    const result = await timed(outbox().postMessage('C1', { text: 'hello' }, '1700000000.000100'));
    expect(result.error).toBeUndefined();
    expect(result.value).toMatch(/^\d+\.\d{6}$/);
    expect(result.ms).toBeGreaterThanOrEqual(950);
    expect(result.ms).toBeLessThan(3000);
    expect(fault.hits).toBe(1);
    const calls = api.callsTo('chat.postMessage');
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
    expect(calls[1]?.at ?? 0).toBeGreaterThanOrEqual((calls[0]?.at ?? 0) + 950);
    expect(calls[1]?.args).toMatchObject({
      channel: 'C1',
      text: 'hello',
      thread_ts: '1700000000.000100',
      unfurl_links: 'false',
      unfurl_media: 'false',
    });
    expect(
      await metricLine('meshbot_slack_api_errors_total{method="chat.postMessage",kind="rate_limited"}'),
    ).toMatch(/ 1$/);
  });

  it('gives up at once on a Retry-After longer than it will wait (120 s)', async () => {
    api.failNext('chat.postMessage', { retryAfterSeconds: 120 });
    const result = await timed(outbox().postMessage('C1', { text: 'hello' }));
    expect(result.error).toBeInstanceOf(Error);
    expect((result.error as { code?: string }).code).toBe('slack_webapi_rate_limited_error');
    expect(result.ms).toBeLessThan(1000);
    expect(api.callsTo('chat.postMessage')).toHaveLength(1);
    expect(
      await metricLine('meshbot_slack_api_errors_total{method="chat.postMessage",kind="rate_limited"}'),
    ).toMatch(/ 1$/);
  });

  it('retries a rate limit only once: a second 429 rejects', async () => {
    api.failNext('conversations.open', { retryAfterSeconds: 0, times: 5 });
    const result = await timed(outbox().openDm('U1'));
    expect(result.error).toBeInstanceOf(Error);
    expect(api.callsTo('conversations.open')).toHaveLength(2);
    expect(
      await metricLine('meshbot_slack_api_errors_total{method="conversations.open",kind="rate_limited"}'),
    ).toMatch(/ 2$/);
  });

  it('counts other failures as failed (HTTP 500, ok: false)', async () => {
    api.failNext('chat.postEphemeral', { status: 500 });
    api.failNext('views.publish', { error: 'invalid_blocks' });
    const box = outbox();
    await expect(box.postEphemeral('C1', 'U1', { text: 'x' })).rejects.toThrow();
    await expect(box.publishHome('U1', { type: 'home', blocks: [] })).rejects.toThrow(/invalid_blocks/);
    expect(
      await metricLine('meshbot_slack_api_errors_total{method="chat.postEphemeral",kind="failed"}'),
    ).toMatch(/ 1$/);
    expect(await metricLine('meshbot_slack_api_errors_total{method="views.publish",kind="failed"}')).toMatch(
      / 1$/,
    );
  });

  it('a Web API call that never answers is cut off by the client timeout', async () => {
    api.failNext('chat.postMessage', { status: 200, delayMs: 10_000 });
    const result = await timed(outbox({}, clientFor({ timeout: 300 })).postMessage('C1', { text: 'x' }));
    expect(result.error).toBeInstanceOf(Error);
    expect(result.ms).toBeLessThan(2000);
  });
});

describe('webOutbox: response_url', () => {
  it('posts the payload as JSON', async () => {
    const url = api.responseUrl('r1');
    await outbox().respond(url, { text: 'hi', response_type: 'ephemeral', replace_original: true });
    const posted = await api.waitForResponse('r1');
    expect(posted.headers['content-type']).toBe('application/json');
    expect(posted.body).toEqual({ text: 'hi', response_type: 'ephemeral', replace_original: true });
  });

  it('rejects within about timeoutMs when the response_url does not answer', async () => {
    const url = api.responseUrl('slow', { delayMs: 10_000 });
    const result = await timed(outbox({ timeoutMs: 300 }).respond(url, { text: 'late' }));
    expect(result.error).toBeInstanceOf(Error);
    expect(result.ms).toBeGreaterThanOrEqual(250);
    expect(result.ms).toBeLessThan(1500);
  });

  it('rejects when Slack refuses the post (expired: 404, or 500)', async () => {
    const box = outbox();
    const once = api.responseUrl('once', { maxPosts: 1 });
    await box.respond(once, { text: 'first' });
    await expect(box.respond(once, { text: 'second' })).rejects.toThrow('response_url answered 404');
    await expect(box.respond(api.responseUrl('broken', { status: 500 }), { text: 'x' })).rejects.toThrow(
      'response_url answered 500',
    );
  });

  it.each(['file:///etc/passwd', 'javascript:alert(1)', 'ftp://127.0.0.1/respond/x', 'not a url'])(
    'refuses a response_url that is not http(s): %s',
    async (url) => {
      let fetched = false;
      const box = outbox({
        fetch: async () => {
          fetched = true;
          return new Response('{}');
        },
      });
      await expect(box.respond(url, { text: 'x' })).rejects.toThrow();
      expect(fetched).toBe(false);
    },
  );
});

describe('webOutbox: user groups', () => {
  it('caches membership: one usergroups.users.list per group within the cache time', async () => {
    let now = 1_000_000;
    const box = outbox({ now: () => now, groupCacheMs: 60_000 });
    expect(await box.userGroups('U1', ['S1', 'S2'])).toEqual(['S1']);
    expect(await box.userGroups('U3', ['S1', 'S2'])).toEqual(['S2']);
    expect(api.callsTo('usergroups.users.list').map((c) => c.args.usergroup)).toEqual(['S1', 'S2']);
    api.setUserGroup('S2', ['U3', 'U1']);
    now += 30_000;
    expect(await box.userGroups('U1', ['S2'])).toEqual([]);
    expect(api.callsTo('usergroups.users.list')).toHaveLength(2);
    now += 30_001;
    expect(await box.userGroups('U1', ['S2'])).toEqual(['S2']);
    expect(api.callsTo('usergroups.users.list')).toHaveLength(3);
  });

  it('rejects when the lookup fails (the caller treats that as no groups)', async () => {
    api.failNext('usergroups.users.list', { error: 'missing_scope' });
    await expect(outbox().userGroups('U1', ['S1'])).rejects.toThrow(/missing_scope/);
  });
});

describe('webOutbox: messages and uploads', () => {
  it('opens a DM and posts into it', async () => {
    const box = outbox();
    const channel = await box.openDm('U7');
    expect(channel).toBe('DU7');
    const ts = await box.postMessage(channel, { text: 'hello', blocks: [{ type: 'divider' }] });
    expect(ts).toMatch(/^\d+\.\d{6}$/);
    expect(api.callsTo('chat.postMessage')[0]?.args).toMatchObject({
      channel: 'DU7',
      blocks: [{ type: 'divider' }],
    });
  });

  it('uploads files into the thread of a message', async () => {
    const box = outbox();
    const ts = await box.postMessage('C1', { text: 'too big, see the thread' });
    const report = `${'flow line\n'.repeat(2000)}end\n`;
    await box.upload('C1', ts, [
      { filename: 'meshbot-logs.txt', title: '/mesh logs helloworld', content: report },
      { filename: 'meshbot-logs-lines.log', title: 'Matching access-log lines', content: 'a line\n' },
    ]);
    const shared = api.sharedFiles();
    expect(shared.map((f) => [f.filename, f.title, f.channelId, f.threadTs])).toEqual([
      ['meshbot-logs.txt', '/mesh logs helloworld', 'C1', ts],
      ['meshbot-logs-lines.log', 'Matching access-log lines', 'C1', ts],
    ]);
    expect(shared[0]?.text).toBe(report);
    expect(shared[1]?.text).toBe('a line\n');
    expect(api.callsTo('files.getUploadURLExternal').map((c) => c.args.length)).toEqual([
      String(Buffer.byteLength(report)),
      '7',
    ]);
  });

  it('an upload that fails rejects and is counted', async () => {
    api.failNext('files.completeUploadExternal', { error: 'not_in_channel' });
    await expect(
      outbox().upload('C9', '1.000001', [{ filename: 'a.txt', title: 'a', content: 'a' }]),
    ).rejects.toThrow();
    expect(await metricLine('meshbot_slack_api_errors_total{method="files.uploadV2",kind="failed"}')).toMatch(
      / 1$/,
    );
  });
});
