/**
 * @module kubernetes/log-request
 * Bounded pod log reads (`GET …/pods/{pod}/log`, never `follow`), and the pod lists of `trace -A` (paged,
 * read as plain JSON: client-node's typed models cost ~0.2 s and ~30 MB per 1,000 pods), over `node:https`
 * with the kubeconfig's
 * own TLS and auth options (`KubeConfig.applyToHTTPSOptions`, as `logs --follow` does), through ONE
 * keep-alive agent per reader: client-node 1.4 makes a new agent, so a new TCP connection and TLS
 * handshake, for every request (`connection: close`), which at 1,000 pods cost more than reading the logs.
 * The body is handed over as it streams (Buffers), so a caller can search it without holding it whole.
 * The pod log API's query (`sinceTime`, `sinceSeconds`, `limitBytes`…) is built here from validated values.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { createSecureContext } from 'node:tls';
import type * as k8s from '@kubernetes/client-node';
import type { LogReadOptions } from '../commands/cluster-port.js';

/** Thrown for an answer other than 200: `code` and the body, as client-node's ApiException has them. */
export class LogHttpError extends Error {
  readonly code: number;
  readonly body: string;
  constructor(code: number, body: string) {
    super(`HTTP ${code}`);
    this.code = code;
    this.body = body;
  }
}

/**
 * `sinceTime` as sent: RFC 3339 in whole seconds (rounded down), as kubectl sends `--since-time`, so that
 * `kubectl logs --since-time=T` returns the same lines and line numbers.
 */
export function sinceTimeText(ms: number): string {
  return `${new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)}Z`;
}

/** The pod log API's query for a bounded read of `container` (no `follow`). */
export function logQuery(container: string, read: LogReadOptions, limitBytes: number): URLSearchParams {
  const query = new URLSearchParams({ container });
  // The API takes one of sinceTime and sinceSeconds; sinceTime is one instant for every pod read.
  if (read.sinceTimeMs !== undefined) query.set('sinceTime', sinceTimeText(read.sinceTimeMs));
  else if (read.sinceSeconds !== undefined)
    query.set('sinceSeconds', String(Math.max(1, Math.ceil(read.sinceSeconds))));
  query.set('limitBytes', String(limitBytes));
  if (read.tailLines !== undefined) query.set('tailLines', String(read.tailLines));
  if (read.previous) query.set('previous', 'true');
  if (read.timestamps) query.set('timestamps', 'true');
  return query;
}

export interface LogRequester {
  /**
   * GETs `path?query` (an API path built from validated names, such as the pod-log path of cluster-reader).
   * Resolves with the 200 answer, whose body the caller must read or destroy; rejects with
   * {@link LogHttpError} for any other status, or with the network error. `signal` aborts the request and
   * the body.
   */
  open(
    path: string,
    query: URLSearchParams,
    signal: AbortSignal,
    accept?: string,
  ): Promise<http.IncomingMessage>;
  /** GETs `path?query` and parses the 200 answer as JSON (a body that is not JSON rejects with a SyntaxError). */
  getJson(path: string, query: URLSearchParams, signal: AbortSignal): Promise<unknown>;
}

/** How long the kubeconfig's credentials are reused before they are read again. */
const CREDENTIALS_TTL_MS = 10_000;

export function createLogRequester(kc: k8s.KubeConfig, server: string): LogRequester {
  const base = server.replace(/\/+$/, '');
  let agent: http.Agent | undefined;

  /** One keep-alive agent with the kubeconfig's TLS material (a proxy's agent is used as the kubeconfig makes it). */
  function agentFor(tls: boolean, options: https.RequestOptions): http.Agent | undefined {
    if (agent !== undefined) return agent;
    if (kc.getCurrentCluster()?.proxyUrl) {
      agent = options.agent instanceof http.Agent ? options.agent : undefined;
      return agent;
    }
    agent = tls
      ? new https.Agent({
          keepAlive: true,
          // One TLS context (CA and client certificate parsed once) for every connection of the pool.
          secureContext: createSecureContext({
            ca: options.ca,
            cert: options.cert,
            key: options.key,
            pfx: options.pfx,
            passphrase: options.passphrase,
          }),
          ...(options.rejectUnauthorized === undefined
            ? {}
            : { rejectUnauthorized: options.rejectUnauthorized }),
          ...(options.servername === undefined ? {} : { servername: options.servername }),
        })
      : new http.Agent({ keepAlive: true });
    return agent;
  }

  // The kubeconfig's headers and TLS options, asked again after CREDENTIALS_TTL_MS (exec and token-file
  // credentials rotate): not for every request, whose garbage (an agent each) filled the heap at 3,000 pods.
  let cached: { at: number; options: Promise<https.RequestOptions> } | undefined;
  function credentials(): Promise<https.RequestOptions> {
    const now = Date.now();
    if (cached === undefined || now - cached.at > CREDENTIALS_TTL_MS) {
      const options: https.RequestOptions = {};
      cached = { at: now, options: kc.applyToHTTPSOptions(options).then(() => options) };
      cached.options.catch(() => {
        cached = undefined;
      });
    }
    return cached.options;
  }

  async function open(
    path: string,
    query: URLSearchParams,
    signal: AbortSignal,
    accept = 'text/plain',
  ): Promise<http.IncomingMessage> {
    {
      const url = new URL(`${base}${path}?${query.toString()}`);
      const tls = url.protocol === 'https:';
      const options = await credentials();
      signal.throwIfAborted();
      const shared = agentFor(tls, options);
      return new Promise<http.IncomingMessage>((resolve, reject) => {
        const req = (tls ? https : http).request(
          url,
          {
            method: 'GET',
            headers: { ...options.headers, accept },
            ...(shared === undefined ? {} : { agent: shared }),
            ...(options.auth ? { auth: options.auth } : {}),
            signal,
          },
          (res) => {
            if (res.statusCode === 200) {
              resolve(res);
              return;
            }
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => {
              if (body.length < 65_536) body += chunk;
            });
            res.on('end', () => reject(new LogHttpError(res.statusCode ?? 0, body)));
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end();
      });
    }
  }

  return {
    open,
    async getJson(path, query, signal) {
      const res = await open(path, query, signal, 'application/json');
      const chunks: Buffer[] = [];
      for await (const chunk of res) chunks.push(chunk as Buffer);
      return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    },
  };
}
