/**
 * @module slack/slack-app
 * The Bolt app: its receiver (Socket Mode or HTTP, with `/healthz`, `/readyz`, `/metrics` on the same
 * port), and one listener per kind of input — the `/mesh` command, button clicks, the "Trace request ids
 * with meshbot" message shortcut, and `app_home_opened`. Every listener acks first, before any cluster
 * call, then hands the work to `handleInvocation`, tracked so shutdown can wait for it.
 */
import {
  App,
  type BlockAction,
  type ButtonAction,
  type CustomRoute,
  HTTPReceiver,
  LogLevel,
  type Receiver,
  SocketModeReceiver,
} from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import { parseTokens, prepareCommand } from '../commands/command-table.js';
import type { BotConfig } from '../core/config.js';
import { redactDeep } from '../core/redact.js';
import { toUserMessage } from '../core/user-message.js';
import { checkAccess } from './access-policy.js';
import { findRequestIds } from './find-request-ids.js';
import { type BotServices, handleInvocation, type Invocation, onlyAllowed } from './handle-invocation.js';
import { homeView } from './home-view.js';
import { CANCEL_ACTION, RUN_ACTION_PREFIX } from './reply-buttons.js';
import type { SlackOutbox } from './slack-outbox.js';
import { webOutbox } from './web-outbox.js';

/** The message shortcut's callback id, as in the app manifest. */
export const TRACE_SHORTCUT = 'mesh_trace';
/** Request ids traced from one message at most. */
export const MAX_SHORTCUT_IDS = 3;

export interface SlackAppOptions {
  config: BotConfig;
  /** Everything but the outbox, which is built on the app's Web API client. */
  services: Omit<BotServices, 'outbox'>;
  routes: CustomRoute[];
  /** `fetch` for the Web API client and `response_url` posts (tests; default global fetch). */
  fetch?: typeof fetch;
  /** Web API request timeout (default 10 s). */
  timeoutMs?: number;
}

export interface SlackApp {
  app: App;
  services: BotServices;
  /** Connected (Socket Mode) or listening (HTTP). */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Work still running (commands acked but not answered). */
  inFlight(): number;
  /** Resolves when every in-flight command has finished, or after `ms`. */
  drain(ms: number): Promise<boolean>;
  /** The HTTP port health and (in HTTP mode) Slack requests are served on. */
  port(): number;
  /** Whether the Slack side is up (socket connected / HTTP listening and auth.test passed). */
  slackReady(): boolean;
}

/** Text of a message for the shortcut: its text, attachments and blocks (alerts put ids anywhere). */
function messageText(message: Record<string, unknown>): string {
  const parts: string[] = [];
  const walk = (value: unknown, depth: number) => {
    if (depth > 8 || parts.length > 200) return;
    if (typeof value === 'string') parts.push(value);
    else if (Array.isArray(value)) for (const v of value) walk(v, depth + 1);
    else if (value !== null && typeof value === 'object')
      for (const v of Object.values(value)) walk(v, depth + 1);
  };
  walk(message.text, 0);
  walk(message.attachments, 0);
  walk(message.blocks, 0);
  return parts.join('\n').slice(0, 100_000);
}

export function createSlackApp(options: SlackAppOptions): SlackApp {
  const { config } = options;
  const clientOptions = {
    ...(config.slackApiUrl ? { slackApiUrl: config.slackApiUrl } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    timeout: options.timeoutMs ?? 10_000,
    retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 2000 },
    rejectRateLimitedCalls: true,
  };
  let socketConnected = false;
  let listening = false;
  let boundPort = config.port;
  let receiver: Receiver;
  if (config.mode === 'socket') {
    const socket = new SocketModeReceiver({
      appToken: config.appToken ?? '',
      customRoutes: options.routes,
      installerOptions: { port: config.port, clientOptions },
      logLevel: LogLevel.ERROR,
    });
    socket.client.on('connected', () => {
      socketConnected = true;
    });
    socket.client.on('disconnected', () => {
      socketConnected = false;
    });
    // With auto-reconnect on, a lost or refreshed link emits no `disconnected`: only the socket's `close`,
    // then (after clientPingTimeout) `reconnecting` and `connected` again. Not ready in between.
    socket.client.on('close', () => {
      socketConnected = socket.client.websocket?.isActive() === true;
    });
    socket.client.on('reconnecting', () => {
      socketConnected = false;
    });
    receiver = socket;
  } else {
    receiver = new HTTPReceiver({
      signingSecret: config.signingSecret ?? '',
      endpoints: '/slack/events',
      customRoutes: options.routes,
      processBeforeResponse: false,
      logLevel: LogLevel.ERROR,
    });
  }
  // One auth.test for the process (Bolt would otherwise call it for every event); retried after a failure.
  const client = new WebClient(config.botToken, { ...clientOptions, logLevel: LogLevel.ERROR });
  let identity: Promise<{ botId: string; botUserId: string }> | null = null;
  const whoAmI = () => {
    identity ??= client.auth.test().then(
      (r) => ({ botId: String(r.bot_id ?? ''), botUserId: String(r.user_id ?? '') }),
      (e: unknown) => {
        identity = null;
        throw e;
      },
    );
    return identity;
  };
  const app = new App({
    receiver,
    clientOptions,
    authorize: async () => ({ botToken: config.botToken, ...(await whoAmI()) }),
    logLevel: LogLevel.ERROR,
  });
  const outbox: SlackOutbox = webOutbox(client, {
    metrics: options.services.metrics,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    timeoutMs: options.timeoutMs ?? 10_000,
  });
  const services: BotServices = { ...options.services, outbox };
  // Clicks in the App Home come from the user's own tab, not a channel: only admin rights apply there.
  const homeServices: BotServices = { ...services, policy: { ...services.policy, allowedChannels: null } };
  const running = new Set<Promise<unknown>>();
  const track = (work: Promise<unknown>) => {
    running.add(work);
    void work.finally(() => running.delete(work));
  };
  const run = (invocation: Invocation, from: BotServices = services) => handleInvocation(from, invocation);

  async function publishHome(userId: string): Promise<void> {
    const nowMs = services.clock();
    let status: Parameters<typeof homeView>[0];
    try {
      const prepared = prepareCommand(parseTokens(['status'], 'slack'), {
        maxLoggingMs: services.maxLoggingMs,
      });
      const report = await prepared.run({
        clock: services.clock,
        requester: `slack:${userId}`,
        maxLoggingMs: services.maxLoggingMs,
        cluster: services.cluster,
        istio: services.istio,
        leases: services.leases,
      });
      const shown = onlyAllowed(report, services.policy.namespaces);
      if (!('command' in shown) || shown.command !== 'status') throw new Error('status returned no status');
      status = redactDeep(shown, services.redact);
    } catch (e) {
      status = { error: services.redact(toUserMessage(e, 'slack')) };
    }
    const groups =
      services.policy.admins.groups.length > 0
        ? await outbox.userGroups(userId, services.policy.admins.groups).catch((): string[] => [])
        : [];
    const view = homeView(status, {
      nowMs,
      isAdmin: (namespace) =>
        checkAccess(homeServices.policy, {
          userId,
          userGroups: groups,
          channelId: null,
          mutating: true,
          namespaces: [namespace],
        }).allowed,
    });
    await outbox.publishHome(userId, view);
  }

  app.command(/^\/[A-Za-z0-9_-]+$/, async ({ command, ack }) => {
    await ack();
    track(
      run({
        source: 'slash_command',
        text: command.text ?? '',
        userId: command.user_id,
        channelId: command.channel_id ?? null,
        responseUrl: command.response_url ?? null,
      }),
    );
  });

  app.action<BlockAction<ButtonAction>>(
    new RegExp(`^${RUN_ACTION_PREFIX}(:|$)`),
    async ({ ack, action, body }) => {
      await ack();
      const fromHome = body.container?.type === 'view';
      const invocation: Invocation = {
        source: fromHome ? 'home' : 'button',
        text: action.value ?? '',
        userId: body.user.id,
        channelId: fromHome ? null : (body.channel?.id ?? null),
        responseUrl: fromHome ? null : (body.response_url ?? null),
      };
      track(
        run(invocation, fromHome ? homeServices : services).then(async (result) => {
          if (fromHome) await publishHome(body.user.id);
          return result;
        }),
      );
    },
  );

  app.action<BlockAction<ButtonAction>>(CANCEL_ACTION, async ({ ack, body }) => {
    await ack();
    const url = body.response_url;
    if (url !== undefined && services.budget.take(url)) {
      track(
        outbox
          .respond(url, { text: 'Cancelled: nothing changed.', replace_original: true })
          .catch(() => undefined),
      );
    }
  });

  app.shortcut(TRACE_SHORTCUT, async ({ ack, shortcut }) => {
    await ack();
    if (shortcut.type !== 'message_action') return;
    const ids = findRequestIds(messageText(shortcut.message), MAX_SHORTCUT_IDS);
    const base = {
      source: 'shortcut' as const,
      userId: shortcut.user.id,
      channelId: shortcut.channel.id,
      responseUrl: shortcut.response_url,
    };
    if (ids.length === 0) {
      track(
        outbox
          .respond(shortcut.response_url, {
            response_type: 'ephemeral',
            text: 'No request ids found in that message: meshbot looks for x-request-id values shaped like a UUID (be5acb4a-9e3e-4540-814d-07c2c7dcf7f1).',
          })
          .catch(() => undefined),
      );
      return;
    }
    track(
      (async () => {
        for (const id of ids) await run({ ...base, text: `trace ${id} -A` });
      })(),
    );
  });

  app.event('app_home_opened', async ({ event }) => {
    if (event.tab !== undefined && event.tab !== 'home') return;
    track(
      publishHome(event.user).catch((e: unknown) =>
        services.log({ event: 'slack_error', call: 'views.publish', error: String(e) }),
      ),
    );
  });

  app.error(async (error) => {
    services.log({ event: 'error', source: 'bolt', error: error.message });
  });

  return {
    app,
    services,
    async start() {
      await whoAmI();
      if (config.mode === 'socket') {
        await app.start();
      } else {
        const server = (await app.start(config.port)) as { address?: () => unknown } | undefined;
        const address = server?.address?.();
        if (
          address !== null &&
          typeof address === 'object' &&
          'port' in address &&
          typeof address.port === 'number'
        ) {
          boundPort = address.port;
        }
        listening = true;
      }
    },
    async stop() {
      listening = false;
      await app.stop();
    },
    inFlight: () => running.size,
    port: () => boundPort,
    async drain(ms) {
      const deadline = Date.now() + ms;
      while (running.size > 0 && Date.now() < deadline) {
        await Promise.race([
          Promise.allSettled([...running]),
          new Promise((r) => setTimeout(r, Math.min(250, ms))),
        ]);
      }
      return running.size === 0;
    },
    slackReady: () => (config.mode === 'socket' ? socketConnected : listening),
  };
}
