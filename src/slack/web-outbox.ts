/**
 * @module slack/web-outbox
 * {@link SlackOutbox} over Slack's Web API (`@slack/web-api`'s client, as Bolt builds it) and plain
 * `fetch` for `response_url`s. Every call is bounded: a timeout, at most two quick retries by the client,
 * and a rate limit (429) waited out once when `Retry-After` is short, else given up on, so a dead or
 * throttled Slack never hangs a command.
 */
import { WebAPIRateLimitedError, type WebClient } from '@slack/web-api';
import type { Metrics } from './metrics.js';
import type { HomeView, ReplyPayload, SlackOutbox, UploadFile } from './slack-outbox.js';

export interface WebOutboxOptions {
  fetch?: typeof fetch;
  /** Per request (default 10 s). */
  timeoutMs?: number;
  /** The longest `Retry-After` waited out (default 30 s). */
  maxRetryAfterMs?: number;
  metrics: Metrics;
  /** How long user-group membership is cached (default 60 s). */
  groupCacheMs?: number;
  now?: () => number;
}

export function webOutbox(client: WebClient, options: WebOutboxOptions): SlackOutbox {
  const fetchFn = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 30_000;
  const now = options.now ?? Date.now;
  const groupCacheMs = options.groupCacheMs ?? 60_000;
  const groups = new Map<string, { users: Set<string>; at: number }>();

  async function call<T>(method: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (e) {
      if (e instanceof WebAPIRateLimitedError && e.retryAfter * 1000 <= maxRetryAfterMs) {
        options.metrics.slackApiError(method, 'rate_limited');
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, e.retryAfter * 1000)));
        return run().catch((again: unknown) => {
          options.metrics.slackApiError(
            method,
            again instanceof WebAPIRateLimitedError ? 'rate_limited' : 'failed',
          );
          throw again;
        });
      }
      options.metrics.slackApiError(method, e instanceof WebAPIRateLimitedError ? 'rate_limited' : 'failed');
      throw e;
    }
  }

  const message = (payload: ReplyPayload) => ({
    text: payload.text,
    ...(payload.blocks ? { blocks: payload.blocks } : {}),
    unfurl_links: false,
    unfurl_media: false,
  });

  return {
    async respond(responseUrl, payload) {
      const url = new URL(responseUrl);
      if (url.protocol !== 'https:' && url.protocol !== 'http:')
        throw new Error('response_url is not http(s)');
      const response = await fetchFn(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.arrayBuffer().catch(() => undefined);
      if (!response.ok) throw new Error(`response_url answered ${response.status}`);
    },
    async postMessage(channel, payload, threadTs) {
      const result = await call('chat.postMessage', () =>
        client.chat.postMessage({
          channel,
          ...message(payload),
          ...(threadTs ? { thread_ts: threadTs } : {}),
        }),
      );
      if (typeof result.ts !== 'string') throw new Error('chat.postMessage returned no ts');
      return result.ts;
    },
    async postEphemeral(channel, user, payload) {
      await call('chat.postEphemeral', () =>
        client.chat.postEphemeral({ channel, user, ...message(payload) }),
      );
    },
    async openDm(user) {
      const result = await call('conversations.open', () => client.conversations.open({ users: user }));
      const id = result.channel?.id;
      if (typeof id !== 'string') throw new Error('conversations.open returned no channel');
      return id;
    },
    async upload(channel, threadTs, files: readonly UploadFile[]) {
      await call('files.uploadV2', () =>
        client.files.uploadV2({
          channel_id: channel,
          thread_ts: threadTs,
          file_uploads: files.map((f) => ({ content: f.content, filename: f.filename, title: f.title })),
        }),
      );
    },
    async publishHome(user, view: HomeView) {
      await call('views.publish', () => client.views.publish({ user_id: user, view }));
    },
    async userGroups(user, candidates) {
      const member: string[] = [];
      for (const group of candidates) {
        let cached = groups.get(group);
        if (cached === undefined || now() - cached.at > groupCacheMs) {
          const result = await call('usergroups.users.list', () =>
            client.usergroups.users.list({ usergroup: group }),
          );
          cached = { users: new Set(result.users ?? []), at: now() };
          groups.set(group, cached);
        }
        if (cached.users.has(user)) member.push(group);
      }
      return member;
    },
  };
}
