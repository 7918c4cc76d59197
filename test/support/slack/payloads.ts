/**
 * Builders for realistic Slack request payloads (slash command fields, block_actions, message shortcuts,
 * Events API envelopes), shaped like Bolt's types so Bolt's routing sees what real Slack sends.
 */
import type {
  BlockAction,
  ButtonAction,
  EnvelopedEvent,
  MessageShortcut,
  SlashCommand,
  types,
} from '@slack/bolt';

/** The workspace, app and people the builders use unless told otherwise (matches the API stand-in). */
export const SLACK_DEFAULTS = {
  teamId: 'T1',
  teamDomain: 'meshbot-test',
  apiAppId: 'A1',
  userId: 'U1',
  userName: 'alice',
  channelId: 'C1',
  channelName: 'mesh-ops',
  botUserId: 'UBOT',
  botId: 'BBOT',
  verificationToken: 'verification-token',
  /**
   * The default `response_url`: a closed loopback port, so a test that forgot to pass the stand-in's
   * `responseUrl()` fails fast instead of reaching the internet.
   */
  responseUrl: 'http://127.0.0.1:1/response-url-not-set',
} as const;

let sequence = 0;
function next(): number {
  sequence += 1;
  return sequence;
}

/** A Slack-style timestamp (`<seconds>.<6 digits>`), unique within the process. */
export function slackTs(epochMs = Date.now()): string {
  return `${Math.floor(epochMs / 1000)}.${String(next() % 1_000_000).padStart(6, '0')}`;
}

function triggerId(): string {
  return `${next()}.${Date.now()}.trigger${next()}`;
}

/** The form fields of a slash command request (everything a Bolt `SlashCommand` carries, as strings). */
export interface SlashCommandFields {
  token: string;
  team_id: string;
  team_domain: string;
  channel_id: string;
  channel_name: string;
  user_id: string;
  user_name: string;
  command: string;
  text: string;
  api_app_id: string;
  is_enterprise_install: string;
  response_url: string;
  trigger_id: string;
  enterprise_id?: string;
  enterprise_name?: string;
}

/** Slash command fields with realistic defaults (`/mesh` by U1 in C1 of T1); `fields` override them. */
export function slashCommandFields(
  fields: Partial<SlashCommandFields> = {},
): SlashCommandFields & SlashCommand {
  return {
    token: SLACK_DEFAULTS.verificationToken,
    team_id: SLACK_DEFAULTS.teamId,
    team_domain: SLACK_DEFAULTS.teamDomain,
    channel_id: SLACK_DEFAULTS.channelId,
    channel_name: SLACK_DEFAULTS.channelName,
    user_id: SLACK_DEFAULTS.userId,
    user_name: SLACK_DEFAULTS.userName,
    command: '/mesh',
    text: '',
    api_app_id: SLACK_DEFAULTS.apiAppId,
    is_enterprise_install: 'false',
    response_url: SLACK_DEFAULTS.responseUrl,
    trigger_id: triggerId(),
    ...fields,
  };
}

export interface BlockActionOptions {
  actionId: string;
  value?: string;
  blockId?: string;
  /** The button's label. */
  buttonText?: string;
  userId?: string;
  userName?: string;
  channelId?: string;
  channelName?: string;
  /** Omitted for `container: 'home'` unless given (Slack sends none from the Home tab). */
  responseUrl?: string;
  /**
   * Where the button was: a bot message in a channel (default), an ephemeral message (no `message` in the
   * payload, like Slack), or the App Home view (a `view`, no `channel`/`message`/`response_url`).
   */
  container?: 'message' | 'ephemeral' | 'home';
  /** The ts of the message holding the button. */
  messageTs?: string;
  /** Set when the message is in a thread. */
  threadTs?: string;
  messageText?: string;
  messageBlocks?: unknown[];
  viewId?: string;
  triggerId?: string;
  teamId?: string;
  apiAppId?: string;
  token?: string;
}

/** A `block_actions` payload whose `response_url` may be absent (App Home). */
export type BlockActionPayload = Omit<BlockAction<ButtonAction>, 'response_url'> & { response_url?: string };

/** A `block_actions` payload for a button click, as Slack posts it (form field `payload`). */
export function blockActionPayload(options: BlockActionOptions): BlockActionPayload {
  const container = options.container ?? 'message';
  const userId = options.userId ?? SLACK_DEFAULTS.userId;
  const userName = options.userName ?? SLACK_DEFAULTS.userName;
  const teamId = options.teamId ?? SLACK_DEFAULTS.teamId;
  const channelId = options.channelId ?? SLACK_DEFAULTS.channelId;
  const messageTs = options.messageTs ?? slackTs();
  const blockId = options.blockId ?? `b${next()}`;
  const action: ButtonAction = {
    type: 'button',
    action_id: options.actionId,
    block_id: blockId,
    text: { type: 'plain_text', text: options.buttonText ?? options.actionId, emoji: true },
    action_ts: slackTs(),
    ...(options.value === undefined ? {} : { value: options.value }),
  };
  const base: BlockActionPayload = {
    type: 'block_actions',
    user: { id: userId, username: userName, name: userName, team_id: teamId },
    api_app_id: options.apiAppId ?? SLACK_DEFAULTS.apiAppId,
    token: options.token ?? SLACK_DEFAULTS.verificationToken,
    container: {},
    trigger_id: options.triggerId ?? triggerId(),
    team: { id: teamId, domain: SLACK_DEFAULTS.teamDomain },
    is_enterprise_install: false,
    state: { values: {} },
    actions: [action],
  };
  if (container === 'home') {
    const viewId = options.viewId ?? `V${next()}`;
    return {
      ...base,
      container: { type: 'view', view_id: viewId },
      view: {
        id: viewId,
        team_id: teamId,
        type: 'home',
        blocks: [],
        private_metadata: '',
        callback_id: '',
        state: { values: {} },
        hash: `${Date.now()}.hash${next()}`,
        title: { type: 'plain_text', text: 'View Title', emoji: true },
        clear_on_close: false,
        notify_on_close: false,
        close: null,
        submit: null,
        previous_view_id: null,
        root_view_id: viewId,
        app_id: options.apiAppId ?? SLACK_DEFAULTS.apiAppId,
        external_id: '',
        app_installed_team_id: teamId,
        bot_id: SLACK_DEFAULTS.botId,
      },
      ...(options.responseUrl === undefined ? {} : { response_url: options.responseUrl }),
    };
  }
  const withChannel: BlockActionPayload = {
    ...base,
    container: {
      type: 'message',
      message_ts: messageTs,
      channel_id: channelId,
      is_ephemeral: container === 'ephemeral',
      ...(options.threadTs === undefined ? {} : { thread_ts: options.threadTs }),
    },
    channel: { id: channelId, name: options.channelName ?? SLACK_DEFAULTS.channelName },
    response_url: options.responseUrl ?? SLACK_DEFAULTS.responseUrl,
  };
  if (container === 'ephemeral') return withChannel;
  return {
    ...withChannel,
    message: {
      type: 'message',
      subtype: 'bot_message',
      user: SLACK_DEFAULTS.botUserId,
      bot_id: SLACK_DEFAULTS.botId,
      ts: messageTs,
      text: options.messageText ?? '',
      blocks: options.messageBlocks ?? [],
      team: teamId,
      ...(options.threadTs === undefined ? {} : { thread_ts: options.threadTs }),
    },
  };
}

export interface MessageShortcutOptions {
  callbackId: string;
  /** The text of the message the shortcut was used on. */
  messageText: string;
  messageTs?: string;
  /** Who wrote the message (default U2). */
  messageUser?: string;
  messageBlocks?: unknown[];
  threadTs?: string;
  userId?: string;
  userName?: string;
  channelId?: string;
  channelName?: string;
  responseUrl?: string;
  triggerId?: string;
  teamId?: string;
  token?: string;
}

/** A message shortcut (`message_action`) payload, as Slack posts it (form field `payload`). */
export function messageShortcutPayload(options: MessageShortcutOptions): MessageShortcut {
  const teamId = options.teamId ?? SLACK_DEFAULTS.teamId;
  const userName = options.userName ?? SLACK_DEFAULTS.userName;
  const messageTs = options.messageTs ?? slackTs();
  return {
    type: 'message_action',
    token: options.token ?? SLACK_DEFAULTS.verificationToken,
    action_ts: slackTs(),
    team: { id: teamId, domain: SLACK_DEFAULTS.teamDomain },
    user: {
      id: options.userId ?? SLACK_DEFAULTS.userId,
      username: userName,
      name: userName,
      team_id: teamId,
    },
    channel: {
      id: options.channelId ?? SLACK_DEFAULTS.channelId,
      name: options.channelName ?? SLACK_DEFAULTS.channelName,
    },
    is_enterprise_install: false,
    callback_id: options.callbackId,
    trigger_id: options.triggerId ?? triggerId(),
    response_url: options.responseUrl ?? SLACK_DEFAULTS.responseUrl,
    message_ts: messageTs,
    message: {
      type: 'message',
      user: options.messageUser ?? 'U2',
      text: options.messageText,
      ts: messageTs,
      team: teamId,
      blocks: options.messageBlocks ?? [],
      ...(options.threadTs === undefined ? {} : { thread_ts: options.threadTs }),
    },
  };
}

export interface EventCallbackOptions {
  teamId?: string;
  apiAppId?: string;
  eventId?: string;
  /** Epoch seconds. */
  eventTime?: number;
  token?: string;
}

/** Wraps an event in the Events API `event_callback` envelope Slack posts (and sends over Socket Mode). */
export function eventCallback<E extends { type: string }>(
  event: E,
  options: EventCallbackOptions = {},
): EnvelopedEvent<E> {
  const teamId = options.teamId ?? SLACK_DEFAULTS.teamId;
  return {
    token: options.token ?? SLACK_DEFAULTS.verificationToken,
    team_id: teamId,
    context_team_id: teamId,
    api_app_id: options.apiAppId ?? SLACK_DEFAULTS.apiAppId,
    event,
    type: 'event_callback',
    event_id: options.eventId ?? `Ev${String(next()).padStart(8, '0')}`,
    event_time: options.eventTime ?? Math.floor(Date.now() / 1000),
    authorizations: [
      {
        enterprise_id: null,
        team_id: teamId,
        user_id: SLACK_DEFAULTS.botUserId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
  };
}

export interface AppHomeOpenedOptions extends EventCallbackOptions {
  userId?: string;
  /** The user's DM channel with the app (default `D<userId>`). */
  channel?: string;
  tab?: 'home' | 'messages';
}

/** An `app_home_opened` event in its `event_callback` envelope (ready for `postEvent` / `eventsApiEnvelope`). */
export function appHomeOpenedEvent(
  options: AppHomeOpenedOptions = {},
): EnvelopedEvent<types.AppHomeOpenedEvent> {
  const userId = options.userId ?? SLACK_DEFAULTS.userId;
  return eventCallback<types.AppHomeOpenedEvent>(
    {
      type: 'app_home_opened',
      user: userId,
      channel: options.channel ?? `D${userId}`,
      tab: options.tab ?? 'home',
      event_ts: slackTs(),
    },
    options,
  );
}

/** The `url_verification` body Slack posts when the Request URL is set (Bolt answers the challenge). */
export function urlVerificationBody(challenge = `challenge-${next()}`): {
  token: string;
  challenge: string;
  type: 'url_verification';
} {
  return { token: SLACK_DEFAULTS.verificationToken, challenge, type: 'url_verification' };
}
