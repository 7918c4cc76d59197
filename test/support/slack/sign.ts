/**
 * Slack request signing (v0 HMAC-SHA256) and helpers that post signed slash commands, interactions and
 * Events API envelopes to a Bolt HTTP receiver the way Slack does, timing each answer.
 */
import { createHmac } from 'node:crypto';
import { request } from 'node:http';
import { type SlashCommandFields, slashCommandFields } from './payloads.js';

export interface SlackSignatureHeaders {
  'x-slack-request-timestamp': string;
  'x-slack-signature': string;
}

/** Epoch seconds now. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** The headers Slack signs a request with: `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<raw body>`. */
export function signSlackRequest(
  signingSecret: string,
  rawBody: string,
  timestampSeconds: number = nowSeconds(),
): SlackSignatureHeaders {
  const digest = createHmac('sha256', signingSecret)
    .update(`v0:${timestampSeconds}:${rawBody}`)
    .digest('hex');
  return { 'x-slack-request-timestamp': String(timestampSeconds), 'x-slack-signature': `v0=${digest}` };
}

export interface SignedPostOptions {
  /** Sign (and send) this timestamp instead of now, e.g. a stale one. */
  timestamp?: number;
  /** Send this signature instead of the right one. */
  signature?: string;
  /** Extra headers (e.g. `x-slack-retry-num`). */
  headers?: Record<string, string>;
  /** Give up (reject) after this long (default 10 s). */
  timeoutMs?: number;
}

export interface SignedPostResult {
  status: number;
  body: string;
  headers: Record<string, string>;
  /** Milliseconds from sending the request to the end of the response (Slack gives up after 3 s). */
  ms: number;
}

/** Posts `rawBody` signed with `signingSecret` (on a fresh connection, no keep-alive). */
export function postSigned(
  url: string,
  signingSecret: string,
  rawBody: string,
  contentType: string,
  options: SignedPostOptions = {},
): Promise<SignedPostResult> {
  const signed = signSlackRequest(signingSecret, rawBody, options.timestamp);
  const headers: Record<string, string> = {
    'content-type': contentType,
    'content-length': String(Buffer.byteLength(rawBody)),
    'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    ...signed,
    ...(options.signature === undefined ? {} : { 'x-slack-signature': options.signature }),
    ...options.headers,
  };
  const timeoutMs = options.timeoutMs ?? 10_000;
  return new Promise<SignedPostResult>((resolve, reject) => {
    const started = performance.now();
    const req = request(url, { method: 'POST', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const flat: Record<string, string> = {};
        for (const [key, value] of Object.entries(res.headers))
          if (value !== undefined) flat[key] = Array.isArray(value) ? value.join(', ') : value;
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          headers: flat,
          ms: performance.now() - started,
        });
      });
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer from ${url} within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(rawBody);
  });
}

/** Posts a slash command (form-encoded, defaults from `slashCommandFields`: `/mesh` by U1 in C1). */
export function postSlashCommand(
  url: string,
  signingSecret: string,
  fields: Partial<SlashCommandFields> = {},
  options: SignedPostOptions = {},
): Promise<SignedPostResult> {
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(slashCommandFields(fields)))
    if (typeof value === 'string') form.set(key, value);
  return postSigned(url, signingSecret, form.toString(), 'application/x-www-form-urlencoded', options);
}

/** Posts an interaction payload (block_actions, message_action, view_submission, …) as form field `payload`. */
export function postInteraction(
  url: string,
  signingSecret: string,
  payload: object,
  options: SignedPostOptions = {},
): Promise<SignedPostResult> {
  const form = new URLSearchParams({ payload: JSON.stringify(payload) });
  return postSigned(url, signingSecret, form.toString(), 'application/x-www-form-urlencoded', options);
}

/** Posts an Events API body (an `event_callback` envelope, or `url_verification`) as JSON. */
export function postEvent(
  url: string,
  signingSecret: string,
  envelope: object,
  options: SignedPostOptions = {},
): Promise<SignedPostResult> {
  return postSigned(url, signingSecret, JSON.stringify(envelope), 'application/json', options);
}
