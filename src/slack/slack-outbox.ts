/**
 * @module slack/slack-outbox
 * What the bot sends to Slack, as a port: replies through a `response_url`, messages, file uploads, DMs,
 * the App Home view, user-group membership. `web-outbox.ts` implements it over Slack's Web API; the
 * invocation handler never sees the SDK.
 */
import type { SlackBlock } from '../render/slack-message.js';

export interface ReplyPayload {
  text: string;
  blocks?: SlackBlock[] | undefined;
  response_type?: 'ephemeral' | 'in_channel' | undefined;
  replace_original?: boolean | undefined;
  delete_original?: boolean | undefined;
}

export interface UploadFile {
  filename: string;
  title: string;
  content: string;
}

export interface HomeView {
  type: 'home';
  blocks: SlackBlock[];
}

export interface SlackOutbox {
  /** POSTs to a `response_url`; rejects when Slack refuses it (expired, budget spent). */
  respond(responseUrl: string, payload: ReplyPayload): Promise<void>;
  /** `chat.postMessage`; resolves with the message's `ts`. */
  postMessage(channel: string, payload: ReplyPayload, threadTs?: string): Promise<string>;
  /** `chat.postEphemeral` to one user in a channel. */
  postEphemeral(channel: string, user: string, payload: ReplyPayload): Promise<void>;
  /** The DM channel between the bot and a user (`conversations.open`). */
  openDm(user: string): Promise<string>;
  /** `files.uploadV2` into a thread. */
  upload(channel: string, threadTs: string, files: readonly UploadFile[]): Promise<void>;
  publishHome(user: string, view: HomeView): Promise<void>;
  /** The user groups (of `candidates`) the user is in. */
  userGroups(user: string, candidates: readonly string[]): Promise<string[]>;
}
