/**
 * A Slack Socket Mode stand-in on loopback: a `ws` server that greets each connection with `hello` the way
 * Slack's link servers do, pushes envelopes (slash commands, interactions, Events API) to the connected
 * client, and records the client's acks with their latency.
 */
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { SLACK_DEFAULTS, type SlashCommandFields, slashCommandFields } from './payloads.js';
import { DEFAULT_WAIT_MS, RecordSignal } from './wait.js';

export interface SocketModeStandInOptions {
  /** The app id in `hello` and the URL (default `A1`). */
  appId?: string;
  /** Greet each connection with `hello` (default true); without it `SocketModeClient.start()` never resolves. */
  hello?: boolean;
  /** Ping each client this often, as Slack does (default: no server pings). */
  pingIntervalMs?: number;
}

/** What Slack sends over Socket Mode for a request it would otherwise POST. */
export interface SocketModeEnvelope {
  /** Generated when omitted. */
  envelope_id?: string;
  type: 'slash_commands' | 'interactive' | 'events_api' | (string & {});
  payload: unknown;
  accepts_response_payload?: boolean;
  retry_attempt?: number;
  retry_reason?: string;
}

export interface SentEnvelope {
  envelopeId: string;
  envelope: SocketModeEnvelope & { envelope_id: string };
  /** `performance.now()` when sent. */
  sentAt: number;
}

/** A message the client sent (acks are `{ envelope_id, payload }`). */
export interface ReceivedMessage {
  data: unknown;
  text: string;
  at: number;
}

export interface RecordedAck {
  envelopeId: string;
  /** The ack's `payload` (the response payload for slash commands etc.; `{}` for a plain ack). */
  payload: unknown;
  /** Epoch milliseconds. */
  at: number;
  /** Milliseconds from `send` to the ack (undefined for an envelope this stand-in did not send). */
  ms: number | undefined;
}

export type DisconnectReason = 'warning' | 'refresh_requested' | 'link_disabled';

export class SocketModeStandIn {
  /** Every message clients sent, in order. */
  readonly received: ReceivedMessage[] = [];
  readonly acks: RecordedAck[] = [];
  readonly sent: SentEnvelope[] = [];
  /** The request URL (path and query) of each connection, in order. */
  readonly connectionUrls: string[] = [];
  /** Connections ever accepted. */
  totalConnections = 0;
  private readonly wss: WebSocketServer;
  private readonly sockets: WebSocket[] = [];
  private readonly signal = new RecordSignal();
  private readonly appId: string;
  private readonly hello: boolean;
  private readonly pingIntervalMs: number | undefined;
  private port = 0;
  private tickets = 0;
  private envelopes = 0;
  private closed = false;

  constructor(options: SocketModeStandInOptions = {}) {
    this.appId = options.appId ?? SLACK_DEFAULTS.apiAppId;
    this.hello = options.hello ?? true;
    this.pingIntervalMs = options.pingIntervalMs;
    this.wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    this.wss.on('connection', (socket, req) => this.accept(socket, req));
  }

  /** Waits until the server listens. */
  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.wss.once('error', reject);
      this.wss.once('listening', () => resolve());
    });
    this.port = (this.wss.address() as AddressInfo).port;
  }

  /**
   * A link URL like the one `apps.connections.open` returns (`ws://127.0.0.1:PORT/link/?ticket=…&app_id=A1`),
   * with a fresh ticket on each read; any path is accepted.
   */
  get url(): string {
    this.tickets += 1;
    return `ws://127.0.0.1:${this.port}/link/?ticket=ticket-${this.tickets}&app_id=${this.appId}`;
  }

  /** Open connections now. */
  get connections(): number {
    return this.open().length;
  }

  /**
   * Pushes an envelope to the most recently connected open client (as Slack picks one connection) and
   * returns its `envelope_id`. Throws when no client is connected.
   */
  send(envelope: SocketModeEnvelope): string {
    const socket = this.open().at(-1);
    if (socket === undefined) throw new Error('no Socket Mode client is connected to the stand-in');
    this.envelopes += 1;
    const envelopeId = envelope.envelope_id ?? `env-${this.envelopes}-${Date.now()}`;
    const full = { ...envelope, envelope_id: envelopeId };
    this.sent.push({ envelopeId, envelope: full, sentAt: performance.now() });
    socket.send(JSON.stringify(full));
    return envelopeId;
  }

  /** Sends Slack's `disconnect` message (the client is expected to reconnect through `apps.connections.open`). */
  disconnect(reason: DisconnectReason = 'refresh_requested'): void {
    const message = JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-stand-in' } });
    for (const socket of this.open()) socket.send(message);
  }

  /** Drops every connection without a close frame (a lost network, a dead link server). */
  dropConnections(): void {
    for (const socket of this.sockets) socket.terminate();
  }

  /** The ack of `envelopeId` (already received or yet to come). */
  waitForAck(envelopeId: string, timeoutMs = DEFAULT_WAIT_MS): Promise<RecordedAck> {
    return this.signal.waitFor(
      () => this.acks.find((ack) => ack.envelopeId === envelopeId),
      timeoutMs,
      () =>
        `the ack of envelope ${envelopeId}; acks so far: [${this.acks.map((a) => a.envelopeId).join(', ')}]`,
    );
  }

  /**
   * Resolves once `count` (default 1) connections are open here (`hello` sent). The client may not have read
   * the `hello` yet: wait for its `connected` event (or `start()`) before disconnecting it, since a client
   * stopped mid-(re)connect leaves an unhandled rejection behind.
   */
  async waitForConnection(timeoutMs = DEFAULT_WAIT_MS, count = 1): Promise<void> {
    await this.signal.waitFor(
      () => this.connections >= count,
      timeoutMs,
      () => `${count} Socket Mode connection(s); open now: ${this.connections}`,
    );
  }

  /** Resolves with the first client message matching `predicate`. */
  waitForMessage(
    predicate: (message: ReceivedMessage) => boolean,
    timeoutMs = DEFAULT_WAIT_MS,
  ): Promise<ReceivedMessage> {
    return this.signal.waitFor(
      () => this.received.find(predicate),
      timeoutMs,
      () => `a matching client message; received so far: ${this.received.length}`,
    );
  }

  /**
   * Closes every connection (a close handshake, up to `graceMs`, then terminated) and stops the server. The
   * grace matters after Bolt's `app.stop()`, which resolves before the client's close handshake is done.
   */
  async close(graceMs = 500): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const sockets = [...this.sockets];
    const closed = sockets.map(
      (socket) =>
        new Promise<void>((resolve) => {
          if (socket.readyState === socket.CLOSED) resolve();
          else socket.once('close', () => resolve());
        }),
    );
    for (const socket of sockets)
      if (socket.readyState === socket.OPEN) socket.close(1001, 'stand-in closing');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(closed),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs);
      }),
    ]);
    clearTimeout(timer);
    for (const socket of sockets) socket.terminate();
    await new Promise<void>((resolve, reject) =>
      this.wss.close((error) => (error ? reject(error) : resolve())),
    );
  }

  private open(): WebSocket[] {
    return this.sockets.filter((socket) => socket.readyState === socket.OPEN);
  }

  private accept(socket: WebSocket, req: IncomingMessage): void {
    this.sockets.push(socket);
    this.totalConnections += 1;
    this.connectionUrls.push(req.url ?? '/');
    let pinger: NodeJS.Timeout | undefined;
    if (this.pingIntervalMs !== undefined)
      pinger = setInterval(() => socket.ping(Buffer.from(`ping ${Date.now()}`)), this.pingIntervalMs);
    socket.on('close', () => {
      clearInterval(pinger);
      const index = this.sockets.indexOf(socket);
      if (index !== -1) this.sockets.splice(index, 1);
      this.signal.notify();
    });
    socket.on('error', () => socket.terminate());
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      const bytes = Array.isArray(data)
        ? Buffer.concat(data)
        : Buffer.isBuffer(data)
          ? data
          : Buffer.from(data);
      this.record(bytes.toString('utf8'));
    });
    if (this.hello) {
      socket.send(
        JSON.stringify({
          type: 'hello',
          num_connections: this.connections,
          debug_info: { host: 'applink-stand-in', build_number: 1, approximate_connection_time: 18060 },
          connection_info: { app_id: this.appId },
        }),
      );
    }
    this.signal.notify();
  }

  private record(text: string): void {
    const at = Date.now();
    let data: unknown = text;
    try {
      data = JSON.parse(text) as unknown;
    } catch {
      // not JSON: kept as text
    }
    this.received.push({ data, text, at });
    if (
      typeof data === 'object' &&
      data !== null &&
      'envelope_id' in data &&
      typeof data.envelope_id === 'string'
    ) {
      const envelopeId = data.envelope_id;
      const sent = this.sent.find((s) => s.envelopeId === envelopeId);
      this.acks.push({
        envelopeId,
        payload: 'payload' in data ? data.payload : undefined,
        at,
        ms: sent === undefined ? undefined : performance.now() - sent.sentAt,
      });
    }
    this.signal.notify();
  }
}

/** Starts a Socket Mode stand-in on 127.0.0.1 with an ephemeral port. */
export async function startSocketModeStandIn(
  options: SocketModeStandInOptions = {},
): Promise<SocketModeStandIn> {
  const standIn = new SocketModeStandIn(options);
  await standIn.listen();
  return standIn;
}

/** A `slash_commands` envelope (fields default as in `slashCommandFields`). */
export function slashCommandEnvelope(fields: Partial<SlashCommandFields> = {}): SocketModeEnvelope {
  return { type: 'slash_commands', payload: slashCommandFields(fields), accepts_response_payload: true };
}

/** An `interactive` envelope (block_actions, message_action, view_submission, …). */
export function interactiveEnvelope(payload: object): SocketModeEnvelope {
  const type = 'type' in payload ? payload.type : undefined;
  const acceptsResponse = type === 'view_submission' || type === 'block_suggestion';
  return { type: 'interactive', payload, accepts_response_payload: acceptsResponse };
}

/** An `events_api` envelope around an `event_callback` body (e.g. from `appHomeOpenedEvent`). */
export function eventsApiEnvelope(body: object, retryAttempt = 0): SocketModeEnvelope {
  return {
    type: 'events_api',
    payload: body,
    accepts_response_payload: false,
    retry_attempt: retryAttempt,
    retry_reason: retryAttempt === 0 ? '' : 'timeout',
  };
}
