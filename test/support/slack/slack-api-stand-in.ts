/**
 * A Slack Web API stand-in on loopback for integration tests that drive the real @slack/web-api (and Bolt):
 * records every call, answers the methods meshbot uses, takes external file uploads and `response_url`
 * posts, and injects rate limits, HTTP errors and `{ ok: false }` answers.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { multipartBoundary, parseMultipart } from './multipart.js';
import { DEFAULT_WAIT_MS, RecordSignal } from './wait.js';

export interface SlackApiStandInOptions {
  /** `usergroups.users.list` answers: usergroup id → user ids (unknown groups answer an empty list). */
  userGroups?: Record<string, readonly string[]>;
  /** What `apps.connections.open` returns as `url` (a Socket Mode stand-in's `url`); see `setSocketModeUrl`. */
  socketModeUrl?: string | (() => string);
  /**
   * Check tokens the way Slack does (default true): no token → `not_authed`; `apps.connections.open` only
   * with an app-level `xapp-` token and every other method only without one → `not_allowed_token_type`.
   */
  checkTokens?: boolean;
  /** How many posts each `response_url` takes before answering 404 (default 5, Slack's budget). */
  responseUrlMaxPosts?: number;
  /** The workspace `auth.test` reports (default `{ team_id: 'T1', user_id: 'UBOT', bot_id: 'BBOT' }`). */
  identity?: Partial<BotIdentity>;
}

export interface BotIdentity {
  team_id: string;
  team: string;
  user_id: string;
  user: string;
  bot_id: string;
}

export interface RecordedCall {
  /** The Web API method, e.g. `chat.postMessage`. */
  method: string;
  /**
   * The decoded request: form fields as sent (strings; nested values are JSON strings), a JSON body as parsed,
   * multipart file parts as `{ filename, contentType, bytes }`, query parameters merged in.
   */
  body: Record<string, unknown>;
  /** `body` with the JSON-encoded fields (`blocks`, `attachments`, `files`, `view`, `metadata`, …) decoded. */
  args: Record<string, unknown>;
  headers: Record<string, string>;
  /** The bearer token (or the `token` form field when no Authorization header came). */
  token: string | undefined;
  /** Epoch milliseconds when the request arrived. */
  at: number;
  /** The HTTP status answered. */
  status: number;
  /** The JSON answered. */
  response: Record<string, unknown>;
}

/** The bytes a client posted to an `upload_url` from `files.getUploadURLExternal`. */
export interface RecordedUpload {
  fileId: string;
  /** The `filename` given to `files.getUploadURLExternal`. */
  filename: string | undefined;
  /** The `length` given to `files.getUploadURLExternal`. */
  declaredLength: number | undefined;
  /** For multipart posts, the form field and filename of the file part (@slack/web-api sends `body`/`Untitled`). */
  partName: string | undefined;
  partFilename: string | undefined;
  contentType: string | undefined;
  bytes: Buffer;
  /** `bytes` as UTF-8. */
  text: string;
  headers: Record<string, string>;
  at: number;
}

/** A `files.completeUploadExternal` call: the files it shared and where. */
export interface CompletedUpload {
  files: { id: string; title: string | undefined }[];
  channelId: string | undefined;
  threadTs: string | undefined;
  initialComment: string | undefined;
  blocks: unknown;
  at: number;
}

/** A file that was uploaded and then completed (shared): the join of `uploads` and `completedUploads`. */
export interface SharedFile {
  id: string;
  filename: string | undefined;
  title: string | undefined;
  bytes: Buffer;
  text: string;
  channelId: string | undefined;
  threadTs: string | undefined;
  initialComment: string | undefined;
}

export interface ResponseUrlOptions {
  /** Posts accepted before answering 404 `expired_url` (default: the stand-in's `responseUrlMaxPosts`). */
  maxPosts?: number;
  /** Wait this long before answering each post. */
  delayMs?: number;
  /** Answer every post with this status (e.g. 500) instead of 200. */
  status?: number;
}

export interface RecordedResponse {
  /** The id in `/respond/<id>`. */
  id: string;
  /** The posted JSON (the raw text when it is not JSON). */
  body: unknown;
  text: string;
  headers: Record<string, string>;
  at: number;
  /** The HTTP status answered (404 once the URL's posts are used up). */
  status: number;
}

export interface ApiFault {
  /** HTTP status; default 429 when `retryAfterSeconds` is set, else 200 (with `{ ok: false, error }`). */
  status?: number;
  /** Sent as `Retry-After` (429 without it is answered without the header). */
  retryAfterSeconds?: number;
  /** The `error` in the `{ ok: false }` body (default `ratelimited` for 429, else `internal_error`). */
  error?: string;
  /** How many calls this fault answers (default 1). */
  times?: number;
  /** Wait this long before answering. */
  delayMs?: number;
}

export interface FaultHandle {
  /** How many calls the fault has answered. */
  readonly hits: number;
  remove(): void;
}

interface ActiveFault {
  method: string;
  fault: ApiFault;
  hits: number;
}

interface Answer {
  status: number;
  json: Record<string, unknown>;
  headers?: Record<string, string>;
  delayMs?: number;
}

/** Form fields @slack/web-api JSON-encodes that meshbot sends; decoded into `RecordedCall.args`. */
const JSON_FIELDS = new Set([
  'attachments',
  'blocks',
  'files',
  'metadata',
  'unfurls',
  'user_auth_blocks',
  'view',
]);

/** The pseudo-method `failNext` uses for posts to an `upload_url`. */
export const UPLOAD_METHOD = 'upload';

export class SlackApiStandIn {
  readonly calls: RecordedCall[] = [];
  readonly uploads: RecordedUpload[] = [];
  readonly completedUploads: CompletedUpload[] = [];
  readonly responses: RecordedResponse[] = [];
  /** Base URL, e.g. `http://127.0.0.1:PORT` (set by `listen`). */
  url = '';
  private readonly http: Server;
  private readonly signal = new RecordSignal();
  private readonly closing = new AbortController();
  private readonly userGroups = new Map<string, readonly string[]>();
  private readonly pendingUploads = new Map<
    string,
    { filename: string | undefined; length: number | undefined }
  >();
  private readonly responseUrls = new Map<string, ResponseUrlOptions & { posts: number }>();
  private faults: ActiveFault[] = [];
  private socketModeUrl: string | (() => string) | undefined;
  private readonly checkTokens: boolean;
  private readonly responseUrlMaxPosts: number;
  private readonly identity: BotIdentity;
  private sequence = 0;
  private closed = false;

  constructor(options: SlackApiStandInOptions = {}) {
    for (const [group, users] of Object.entries(options.userGroups ?? {})) this.userGroups.set(group, users);
    this.socketModeUrl = options.socketModeUrl;
    this.checkTokens = options.checkTokens ?? true;
    this.responseUrlMaxPosts = options.responseUrlMaxPosts ?? 5;
    this.identity = {
      team_id: 'T1',
      team: 'meshbot-test',
      user_id: 'UBOT',
      user: 'meshbot',
      bot_id: 'BBOT',
      ...options.identity,
    };
    this.http = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (res.headersSent) return;
        const message = error instanceof Error ? error.message : String(error);
        res.writeHead(500, { 'content-type': 'text/plain' }).end(message);
      });
    });
  }

  /** The Web API base URL to pass as `slackApiUrl` (ends with `/api/`). */
  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  /** Starts listening on 127.0.0.1 with an ephemeral port. */
  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = this.http.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
  }

  /** Stops the server, dropping open connections and abandoning delayed answers. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.closing.abort();
    const done = new Promise<void>((resolve) => this.http.close(() => resolve()));
    this.http.closeAllConnections();
    await done;
  }

  /** Sets what `apps.connections.open` returns as `url`. */
  setSocketModeUrl(url: string | (() => string)): void {
    this.socketModeUrl = url;
  }

  /** Sets the members `usergroups.users.list` reports for `group`. */
  setUserGroup(group: string, users: readonly string[]): void {
    this.userGroups.set(group, users);
  }

  /**
   * Answers the next `times` (default 1) calls of `method` (`'*'` = any method, `'upload'` = posts to an
   * upload URL) with a fault instead: 429 + Retry-After, an HTTP error status, or `{ ok: false, error }`.
   */
  failNext(method: string, fault: ApiFault = {}): FaultHandle {
    const active: ActiveFault = { method, fault, hits: 0 };
    this.faults.push(active);
    return {
      get hits() {
        return active.hits;
      },
      remove: () => {
        this.faults = this.faults.filter((f) => f !== active);
      },
    };
  }

  clearFaults(): void {
    this.faults = [];
  }

  /**
   * A `response_url` on this server (`/respond/<id>`, id generated when omitted). Posts to it are recorded in
   * `responses`; after `maxPosts` it answers 404 like Slack does once a URL is used up.
   */
  responseUrl(id?: string, options: ResponseUrlOptions = {}): string {
    const key = id ?? `R${this.next()}`;
    this.responseUrls.set(key, { ...options, posts: 0 });
    return `${this.url}/respond/${encodeURIComponent(key)}`;
  }

  /** The recorded calls of one method. */
  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** Uploaded-and-completed files, joined with where they were shared. */
  sharedFiles(): SharedFile[] {
    const shared: SharedFile[] = [];
    for (const completion of this.completedUploads) {
      for (const file of completion.files) {
        const upload = this.uploads.find((u) => u.fileId === file.id);
        shared.push({
          id: file.id,
          filename: upload?.filename,
          title: file.title,
          bytes: upload?.bytes ?? Buffer.alloc(0),
          text: upload?.text ?? '',
          channelId: completion.channelId,
          threadTs: completion.threadTs,
          initialComment: completion.initialComment,
        });
      }
    }
    return shared;
  }

  /** Forgets recorded traffic (calls, uploads, responses); faults and response URLs stay. */
  clearRecords(): void {
    this.calls.length = 0;
    this.uploads.length = 0;
    this.completedUploads.length = 0;
    this.responses.length = 0;
  }

  /**
   * Resolves with the first value `probe` returns that is not `undefined`/`null`/`false`, re-checking after
   * every recorded call, upload and response; rejects after `timeoutMs` naming `what`.
   */
  waitFor<T>(
    probe: () => T | undefined | null | false,
    timeoutMs = DEFAULT_WAIT_MS,
    what = 'a matching record',
  ): Promise<T> {
    return this.signal.waitFor(probe, timeoutMs, () => `${what}; ${this.summary()}`);
  }

  /** The first call (already made or yet to come) of `method` / matching `predicate`. */
  waitForCall(
    match: string | ((call: RecordedCall) => boolean),
    timeoutMs = DEFAULT_WAIT_MS,
  ): Promise<RecordedCall> {
    const predicate = typeof match === 'string' ? (call: RecordedCall) => call.method === match : match;
    const what = typeof match === 'string' ? `a ${match} call` : 'a matching Web API call';
    return this.waitFor(() => this.calls.find(predicate), timeoutMs, what);
  }

  /** The first `response_url` post (to response URL `id` / matching `predicate`). */
  waitForResponse(
    match?: string | ((response: RecordedResponse) => boolean),
    timeoutMs = DEFAULT_WAIT_MS,
  ): Promise<RecordedResponse> {
    const predicate =
      match === undefined
        ? () => true
        : typeof match === 'string'
          ? (response: RecordedResponse) => response.id === match
          : match;
    const what =
      typeof match === 'string' ? `a post to response_url ${match}` : 'a matching response_url post';
    return this.waitFor(() => this.responses.find(predicate), timeoutMs, what);
  }

  private summary(): string {
    const methods = this.calls.map((call) => call.method);
    return `calls so far: [${methods.join(', ')}], uploads: ${this.uploads.length}, response_url posts: ${this.responses.length}`;
  }

  private next(): number {
    this.sequence += 1;
    return this.sequence;
  }

  /** A fresh message timestamp, unique and increasing within this stand-in. */
  private ts(): string {
    return `${Math.floor(Date.now() / 1000)}.${String(this.next()).padStart(6, '0')}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const headers = flattenHeaders(req.headers);
    const at = Date.now();
    const api = /^\/api\/([^/]+)$/.exec(url.pathname);
    const upload = /^\/upload\/([^/]+)$/.exec(url.pathname);
    const respond = /^\/respond\/([^/]+)$/.exec(url.pathname);
    if (api?.[1] !== undefined) {
      await this.handleApi(decodeURIComponent(api[1]), url, raw, headers, at, res);
    } else if (upload?.[1] !== undefined && req.method === 'POST') {
      await this.handleUpload(decodeURIComponent(upload[1]), raw, headers, at, res);
    } else if (respond?.[1] !== undefined && req.method === 'POST') {
      await this.handleRespond(decodeURIComponent(respond[1]), raw, headers, at, res);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  }

  private async handleApi(
    method: string,
    url: URL,
    raw: Buffer,
    headers: Record<string, string>,
    at: number,
    res: ServerResponse,
  ): Promise<void> {
    const body: Record<string, unknown> = {
      ...Object.fromEntries(url.searchParams),
      ...decodeBody(raw, headers),
    };
    const bearer = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '')?.[1];
    const token = bearer ?? (typeof body.token === 'string' ? body.token : undefined);
    const answer = this.takeFault(method) ?? this.answer(method, body, token);
    this.calls.push({
      method,
      body,
      args: decodeJsonFields(body),
      headers,
      token,
      at,
      status: answer.status,
      response: answer.json,
    });
    this.signal.notify();
    await this.send(res, answer);
  }

  private takeFault(method: string): Answer | undefined {
    const active = this.faults.find(
      (f) => (f.method === method || f.method === '*') && f.hits < (f.fault.times ?? 1),
    );
    if (!active) return undefined;
    active.hits += 1;
    const { fault } = active;
    const status = fault.status ?? (fault.retryAfterSeconds !== undefined ? 429 : 200);
    const error = fault.error ?? (status === 429 ? 'ratelimited' : 'internal_error');
    const answer: Answer = { status, json: { ok: false, error } };
    if (fault.retryAfterSeconds !== undefined)
      answer.headers = { 'retry-after': String(fault.retryAfterSeconds) };
    if (fault.delayMs !== undefined) answer.delayMs = fault.delayMs;
    return answer;
  }

  private answer(method: string, body: Record<string, unknown>, token: string | undefined): Answer {
    const ok = (json: Record<string, unknown> = {}): Answer => ({ status: 200, json: { ok: true, ...json } });
    const error = (code: string): Answer => ({ status: 200, json: { ok: false, error: code } });
    if (this.checkTokens) {
      if (token === undefined || token === '') return error('not_authed');
      const appToken = token.startsWith('xapp-');
      if (appToken !== (method === 'apps.connections.open')) return error('not_allowed_token_type');
    }
    const str = (key: string): string | undefined => {
      const value = body[key];
      return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
    };
    const id = this.identity;
    switch (method) {
      case 'auth.test':
        return ok({
          url: `https://${id.team}.slack.com/`,
          team: id.team,
          user: id.user,
          team_id: id.team_id,
          user_id: id.user_id,
          bot_id: id.bot_id,
          is_enterprise_install: false,
        });
      case 'chat.postMessage': {
        const channel = str('channel');
        if (channel === undefined) return error('channel_not_found');
        if (body.text === undefined && body.blocks === undefined && body.attachments === undefined)
          return error('no_text');
        const ts = this.ts();
        const threadTs = str('thread_ts');
        return ok({
          channel,
          ts,
          message: {
            type: 'message',
            user: id.user_id,
            bot_id: id.bot_id,
            text: str('text') ?? '',
            ts,
            ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
          },
        });
      }
      case 'chat.postEphemeral': {
        if (str('channel') === undefined) return error('channel_not_found');
        if (str('user') === undefined) return error('user_not_in_channel');
        // Slack answers `message_ts` here, not `ts`/`channel`.
        return ok({ message_ts: this.ts() });
      }
      case 'chat.update': {
        const channel = str('channel');
        const ts = str('ts');
        if (channel === undefined) return error('channel_not_found');
        if (ts === undefined) return error('message_not_found');
        return ok({ channel, ts, text: str('text') ?? '', message: { text: str('text') ?? '', ts } });
      }
      case 'conversations.open': {
        const users = (str('users') ?? '').split(',').filter((u) => u !== '');
        const first = users[0];
        const channel = str('channel');
        if (first === undefined)
          return channel === undefined ? error('users_list_not_supplied') : ok({ channel: { id: channel } });
        return ok({ channel: { id: `D${first}` } });
      }
      case 'views.publish': {
        const userId = str('user_id');
        if (userId === undefined) return error('invalid_arguments');
        const view = decodeJson(body.view);
        const viewObject = typeof view === 'object' && view !== null ? view : {};
        return ok({ view: { ...viewObject, id: `V${this.next()}`, team_id: id.team_id, bot_id: id.bot_id } });
      }
      case 'usergroups.users.list': {
        const group = str('usergroup');
        if (group === undefined) return error('invalid_arguments');
        return ok({ users: [...(this.userGroups.get(group) ?? [])] });
      }
      case 'files.getUploadURLExternal': {
        const filename = str('filename');
        const length = Number(str('length'));
        if (filename === undefined) return error('invalid_arguments');
        const fileId = `F${String(this.next()).padStart(6, '0')}`;
        this.pendingUploads.set(fileId, { filename, length: Number.isFinite(length) ? length : undefined });
        return ok({ upload_url: `${this.url}/upload/${fileId}`, file_id: fileId });
      }
      case 'files.completeUploadExternal': {
        const files = decodeJson(body.files);
        if (!Array.isArray(files)) return error('invalid_arguments');
        const entries: { id: string; title: string | undefined }[] = [];
        for (const file of files) {
          const fileId = isRecord(file) && typeof file.id === 'string' ? file.id : undefined;
          if (fileId === undefined || !this.pendingUploads.has(fileId)) return error('file_not_found');
          entries.push({
            id: fileId,
            title: isRecord(file) && typeof file.title === 'string' ? file.title : undefined,
          });
        }
        const channelId = str('channel_id') ?? str('channels');
        this.completedUploads.push({
          files: entries,
          channelId,
          threadTs: str('thread_ts'),
          initialComment: str('initial_comment'),
          blocks: decodeJson(body.blocks),
          at: Date.now(),
        });
        return ok({
          files: entries.map((entry) => {
            const pending = this.pendingUploads.get(entry.id);
            return {
              id: entry.id,
              name: pending?.filename,
              title: entry.title ?? pending?.filename,
              size: pending?.length,
              user: id.user_id,
              permalink: `https://${id.team}.slack.com/files/${id.user_id}/${entry.id}`,
            };
          }),
        });
      }
      case 'apps.connections.open': {
        const url = typeof this.socketModeUrl === 'function' ? this.socketModeUrl() : this.socketModeUrl;
        if (url === undefined) return error('socket_mode_url_not_set_in_stand_in');
        return ok({ url });
      }
      default:
        return error('unknown_method');
    }
  }

  private async handleUpload(
    fileId: string,
    raw: Buffer,
    headers: Record<string, string>,
    at: number,
    res: ServerResponse,
  ): Promise<void> {
    const fault = this.takeFault(UPLOAD_METHOD);
    const pending = this.pendingUploads.get(fileId);
    if (fault === undefined && pending === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('upload url not found');
      return;
    }
    const boundary = multipartBoundary(headers['content-type']);
    const parts = boundary === undefined ? [] : parseMultipart(raw, boundary);
    const part = parts.find((p) => p.filename !== undefined) ?? parts[0];
    const bytes = part?.data ?? raw;
    this.uploads.push({
      fileId,
      filename: pending?.filename,
      declaredLength: pending?.length,
      partName: part?.name,
      partFilename: part?.filename,
      contentType: part?.contentType ?? headers['content-type'],
      bytes,
      text: bytes.toString('utf8'),
      headers,
      at,
    });
    this.signal.notify();
    if (fault !== undefined) {
      await this.send(res, fault);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(`OK - ${bytes.length}`);
  }

  private async handleRespond(
    id: string,
    raw: Buffer,
    headers: Record<string, string>,
    at: number,
    res: ServerResponse,
  ): Promise<void> {
    let options = this.responseUrls.get(id);
    if (options === undefined) {
      options = { posts: 0 };
      this.responseUrls.set(id, options);
    }
    const text = raw.toString('utf8');
    const maxPosts = options.maxPosts ?? this.responseUrlMaxPosts;
    const expired = options.posts >= maxPosts;
    if (!expired) options.posts += 1;
    const status = expired ? 404 : (options.status ?? 200);
    const json =
      status === 200 ? { ok: true } : { ok: false, error: expired ? 'expired_url' : 'internal_error' };
    this.responses.push({ id, body: parseJsonOr(text), text, headers, at, status });
    this.signal.notify();
    const answer: Answer = { status, json };
    if (options.delayMs !== undefined) answer.delayMs = options.delayMs;
    await this.send(res, answer);
  }

  private async send(res: ServerResponse, answer: Answer): Promise<void> {
    if (answer.delayMs !== undefined && answer.delayMs > 0) {
      try {
        await sleep(answer.delayMs, undefined, { signal: this.closing.signal });
      } catch {
        return;
      }
    }
    res
      .writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', ...answer.headers })
      .end(JSON.stringify(answer.json));
  }
}

/** Starts a Slack Web API stand-in on 127.0.0.1 with an ephemeral port. */
export async function startSlackApiStandIn(options: SlackApiStandInOptions = {}): Promise<SlackApiStandIn> {
  const standIn = new SlackApiStandIn(options);
  await standIn.listen();
  return standIn;
}

/** Decodes a JSON-encoded form field (`blocks`, `files`, `view`, …); other values come back unchanged. */
export function decodeJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return value;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return value;
  }
}

/** A recorded call's field decoded from JSON (for fields `args` does not decode on its own). */
export function jsonField(call: RecordedCall, field: string): unknown {
  return decodeJson(call.body[field]);
}

function decodeJsonFields(body: Record<string, unknown>): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body))
    args[key] = JSON_FIELDS.has(key) ? decodeJson(value) : value;
  return args;
}

function decodeBody(raw: Buffer, headers: Record<string, string>): Record<string, unknown> {
  if (raw.length === 0) return {};
  const contentType = headers['content-type'] ?? '';
  const boundary = multipartBoundary(contentType);
  if (boundary !== undefined) {
    const fields: Record<string, unknown> = {};
    for (const part of parseMultipart(raw, boundary)) {
      if (part.name === undefined) continue;
      fields[part.name] =
        part.filename === undefined
          ? part.data.toString('utf8')
          : { filename: part.filename, contentType: part.contentType, bytes: part.data };
    }
    return fields;
  }
  const text = raw.toString('utf8');
  if (/^application\/json\b/i.test(contentType)) {
    const parsed = parseJsonOr(text);
    return isRecord(parsed) ? parsed : { body: parsed };
  }
  return Object.fromEntries(new URLSearchParams(text));
}

function parseJsonOr(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function flattenHeaders(headers: IncomingMessage['headers']): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers))
    if (value !== undefined) flat[key] = Array.isArray(value) ? value.join(', ') : value;
  return flat;
}
