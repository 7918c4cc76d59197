/**
 * A Kubernetes-API-compatible HTTP or HTTPS server on loopback for integration tests with the real
 * @kubernetes/client-node (and `meshbot demo`): discovery, core/apps/discovery/coordination resources, pod
 * logs, custom resources with schema validation, all patch types, RBAC-style denials and fault injection.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ApiResponse, ResourceContext, ResourceRequest } from './api-request.js';
import { Authorizer, type DenyRule, type RequestAttributes } from './authorization.js';
import { ClusterState } from './cluster-state.js';
import { apiGroup, coreVersions, groupList, resourceList, versionInfo } from './discovery.js';
import { type FaultHandle, FaultInjector, type FaultRule } from './faults.js';
import type { IstioGroupVersions } from './istio-crds.js';
import { isJsonObject, type JsonObject, parseJson } from './json.js';
import { kubeconfigFor } from './kubeconfig.js';
import {
  formatLogLine,
  logInstance,
  parsePodLogOptions,
  renderLog,
  resolveLogContainer,
} from './pod-logs.js';
import { parseRoute, type ResourceRoute } from './request-route.js';
import { handlePatch } from './resource-patch.js';
import { handleGet, handleList } from './resource-reads.js';
import type { ResourceType } from './resource-types.js';
import { handleCreate, handleDelete, handleDeleteCollection, handleUpdate } from './resource-writes.js';
import { generateServingCertificate, type ServingCertificate } from './serving-certificate.js';
import {
  ApiError,
  badRequest,
  forbidden,
  internalError,
  methodNotAllowed,
  notFound,
  pathNotFound,
  statusForCode,
  unauthorized,
} from './status.js';

export interface FakeApiServerOptions {
  /** The server clock (default: real time). Pod-log `sinceSeconds` and timestamps use it. */
  now?: () => Date;
  /** The bearer token in the kubeconfig (default `meshbot-test-token`). */
  token?: string;
  /** Answer 401 when the request lacks `Authorization: Bearer <token>` (default false). */
  requireToken?: boolean;
  /** The user named in 403 messages (default `system:serviceaccount:meshbot:meshbot`). */
  user?: string;
  /** Istio release whose CRDs are served (default `1.24`); see `setIstioVersions`. */
  istio?: string | IstioGroupVersions;
  /** Reported by /version (default `1.30.0`). */
  kubernetesVersion?: string;
  /** Namespaces created at start (default `default`, `kube-system`, `istio-system`). */
  namespaces?: string[];
  /**
   * Serve HTTPS (default false: plain HTTP). `true` makes a CA and a serving certificate for 127.0.0.1 and
   * localhost when the server starts; the kubeconfig then carries the CA as `certificate-authority-data`.
   */
  tls?: boolean | ServingCertificate;
}

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string;
}

const VERBS: Record<string, string> = {
  GET: 'get',
  POST: 'create',
  PUT: 'update',
  PATCH: 'patch',
  DELETE: 'delete',
};

export class FakeApiServer extends ClusterState {
  readonly requests: RecordedRequest[] = [];
  /** Pod log reads currently being answered. */
  inFlight = 0;
  /** The most pod log reads ever answered at once (reset with `resetCounters`). */
  maxInFlight = 0;
  /** TCP connections accepted (over HTTPS, each one a TLS handshake): how well clients reuse them. */
  connections = 0;
  /** Pod log reads being answered, told when their whole body has been handed to the socket. */
  private readonly answering = new WeakMap<ServerResponse, () => void>();
  private logDelayMs = 0;
  private readonly faults = new FaultInjector();
  private readonly authorizer = new Authorizer();
  private server: Server | undefined;
  private readonly tls: boolean | ServingCertificate;
  /** The TLS identity once an HTTPS server listens (its CA goes into the kubeconfig). */
  certificate: ServingCertificate | undefined;
  private readonly token: string;
  private readonly requireToken: boolean;
  private readonly user: string;
  private readonly kubernetesVersion: string;
  private closed = false;
  url = '';

  constructor(options: FakeApiServerOptions = {}) {
    super(options.now ?? (() => new Date()));
    this.token = options.token ?? 'meshbot-test-token';
    this.requireToken = options.requireToken ?? false;
    this.user = options.user ?? 'system:serviceaccount:meshbot:meshbot';
    this.kubernetesVersion = options.kubernetesVersion ?? '1.30.0';
    for (const ns of options.namespaces ?? ['default', 'kube-system', 'istio-system']) this.addNamespace(ns);
    this.setIstioVersions(options.istio ?? '1.24');
    this.tls = options.tls ?? false;
  }

  /** Starts listening on 127.0.0.1 with an ephemeral port (or `port`); over TLS, makes its certificate first. */
  async listen(port = 0): Promise<void> {
    if (this.server !== undefined) throw new Error('the fake API server is already listening');
    const handler = (req: IncomingMessage, res: ServerResponse) => {
      this.handle(req, res).catch((error: unknown) => {
        this.send(res, {
          code: 500,
          json: internalError(error instanceof Error ? error.message : String(error)).body,
        });
      });
    };
    if (this.tls !== false) {
      // Clients check the certificate against their real clock, never the simulated one.
      this.certificate = this.tls === true ? await generateServingCertificate({ now: new Date() }) : this.tls;
    }
    const server =
      this.certificate === undefined
        ? createServer(handler)
        : createHttpsServer({ key: this.certificate.keyPem, cert: this.certificate.certPem }, handler);
    this.server = server;
    server.on('connection', () => {
      this.connections++;
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    const address = server.address() as AddressInfo;
    this.url = `${this.certificate === undefined ? 'http' : 'https'}://127.0.0.1:${address.port}`;
  }

  /** Stops the server, dropping open connections (including requests held by `timeout` faults). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const server = this.server;
    if (server === undefined) return;
    const done = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await done;
  }

  /**
   * A kubeconfig (bearer token) whose current context uses `namespace`. Over HTTPS it trusts the server's CA
   * (`certificate-authority-data`); over plain HTTP it has nothing to verify. `contextName` names the cluster
   * and the context.
   */
  kubeconfigYaml(namespace = 'default', contextName = 'fake'): string {
    return kubeconfigFor(this.url, this.token, namespace, this.certificate?.caPem, contextName);
  }

  /** Answer matching requests with a status, late, or never. Returns a handle to count hits and remove it. */
  fail(rule: FaultRule): FaultHandle {
    return this.faults.add(rule);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  /** Delay every pod log answer by `ms` (0 to stop). */
  delayLogs(ms: number): void {
    this.logDelayMs = ms;
  }

  /** Deny requests (403 in the real message format). Returns a function that lifts the denial. */
  deny(rule: DenyRule): () => void {
    return this.authorizer.deny(rule);
  }

  clearDenials(): void {
    this.authorizer.clear();
  }

  clearRequests(): void {
    this.requests.length = 0;
  }

  resetCounters(): void {
    this.maxInFlight = this.inFlight;
    this.connections = 0;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = (req.method ?? 'GET').toUpperCase();
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    this.requests.push({
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      body,
    });

    const route = parseRoute(url.pathname);
    const resourceRoute = route?.kind === 'resource' ? route : undefined;
    const type = resourceRoute
      ? this.registry.find(resourceRoute.group, resourceRoute.version, resourceRoute.resource)
      : undefined;
    const isLogRead =
      method === 'GET' &&
      resourceRoute?.resource === 'pods' &&
      resourceRoute.subresource === 'log' &&
      resourceRoute.group === '';
    if (isLogRead) this.trackInFlight(res);

    if (this.requireToken && headers.authorization !== `Bearer ${this.token}`) {
      this.send(res, { code: 401, json: unauthorized().body });
      return;
    }
    const fault = this.faults.match(method, req.url ?? '/');
    if (fault) {
      if (fault.delayMs) await sleep(fault.delayMs);
      if (fault.timeout) return;
      if (fault.status !== undefined) {
        this.send(res, { code: fault.status, json: this.faultBody(fault, method, resourceRoute, type) });
        return;
      }
    }
    if (isLogRead && this.logDelayMs > 0) await sleep(this.logDelayMs);
    let response: ApiResponse;
    try {
      response = this.dispatch(method, url, body, headers, route);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      response = { code: error.code, json: error.body };
    }
    this.send(res, response);
  }

  private trackInFlight(res: ServerResponse): void {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    // Answered once the whole body is handed over (`send`); 'finish' and 'close' may come after the
    // client's next request on the same keep-alive connection.
    let done = false;
    const answered = () => {
      if (done) return;
      done = true;
      this.inFlight--;
    };
    this.answering.set(res, answered);
    res.once('close', answered);
  }

  private faultBody(
    fault: FaultRule,
    method: string,
    route: ResourceRoute | undefined,
    type: ResourceType | undefined,
  ): JsonObject {
    const error =
      fault.status === 403 && route && type
        ? forbidden({
            user: this.user,
            verb: this.verbOf(method, route),
            id: type,
            subresource: route.subresource,
            namespace: route.namespace,
            name: route.name,
          })
        : statusForCode(fault.status ?? 500, type, route?.name);
    const body: JsonObject = { ...error.body, code: fault.status ?? 500 };
    if (fault.message !== undefined) body.message = fault.message;
    return body;
  }

  private verbOf(method: string, route: ResourceRoute): string {
    const verb = VERBS[method] ?? method.toLowerCase();
    if (verb === 'get' && route.name === undefined) return 'list';
    if (verb === 'delete' && route.name === undefined) return 'deletecollection';
    return verb;
  }

  private dispatch(
    method: string,
    url: URL,
    body: string,
    headers: Record<string, string>,
    route: ReturnType<typeof parseRoute>,
  ): ApiResponse {
    if (!route) throw pathNotFound();
    const readOnly = (json: JsonObject | undefined): ApiResponse => {
      if (!json) throw pathNotFound();
      if (method !== 'GET') throw methodNotAllowed();
      return { code: 200, json };
    };
    switch (route.kind) {
      case 'version':
        return readOnly(versionInfo(this.kubernetesVersion));
      case 'health':
        return { code: 200, text: Buffer.from('ok') };
      case 'coreVersions':
        return readOnly(coreVersions(this.url.replace(/^https?:\/\//, '')));
      case 'groupList':
        return readOnly(groupList(this.registry));
      case 'group':
        return readOnly(apiGroup(this.registry, route.group));
      case 'resourceList':
        return readOnly(resourceList(this.registry, route.group, route.version));
      case 'resource':
        return this.dispatchResource(method, url, body, headers, route);
    }
  }

  private dispatchResource(
    method: string,
    url: URL,
    body: string,
    headers: Record<string, string>,
    route: ResourceRoute,
  ): ApiResponse {
    if (
      route.group === 'authorization.k8s.io' &&
      route.resource === 'selfsubjectaccessreviews' &&
      method === 'POST'
    ) {
      return this.selfSubjectAccessReview(body);
    }
    const type = this.registry.find(route.group, route.version, route.resource);
    if (!type) throw pathNotFound();
    if (
      type.namespaced !== (route.namespace !== undefined) &&
      !(type.namespaced && route.name === undefined && method === 'GET')
    ) {
      throw pathNotFound();
    }
    if (route.subresource !== undefined && !type.subresources.includes(route.subresource))
      throw pathNotFound();
    const verb = this.verbOf(method, route);
    const attrs: RequestAttributes = {
      verb,
      group: type.group,
      resource: type.resource,
      subresource: route.subresource,
      namespace: route.namespace,
      name: route.name,
    };
    if (this.authorizer.isDenied(attrs)) {
      throw forbidden({
        user: this.user,
        verb,
        id: type,
        subresource: route.subresource,
        namespace: route.namespace,
        name: route.name,
      });
    }
    const req: ResourceRequest = {
      verb,
      type,
      version: route.version,
      namespace: route.namespace,
      name: route.name,
      subresource: route.subresource,
      query: url.searchParams,
      body,
      contentType: headers['content-type'] ?? '',
      userAgent: headers['user-agent'] ?? '',
    };
    const ctx: ResourceContext = {
      store: this.store,
      registry: this.registry,
      now: this.now,
      onDeleted: (t, ns, name) => {
        if (t.group === '' && t.resource === 'pods') this.logs.deletePod(ns, name);
      },
    };
    if (route.subresource === 'log') {
      if (method !== 'GET') throw methodNotAllowed();
      return this.readLog(req);
    }
    if (route.subresource === 'status' && !['GET', 'PUT', 'PATCH'].includes(method)) throw methodNotAllowed();
    switch (verb) {
      case 'get':
        return handleGet(ctx, req);
      case 'list':
        return handleList(ctx, req);
      case 'create':
        if (route.name !== undefined) throw methodNotAllowed();
        return handleCreate(ctx, req);
      case 'update':
        if (route.name === undefined) throw methodNotAllowed();
        return handleUpdate(ctx, req);
      case 'patch':
        if (route.name === undefined) throw methodNotAllowed();
        return handlePatch(ctx, req);
      case 'delete':
        return handleDelete(ctx, req);
      case 'deletecollection':
        return handleDeleteCollection(ctx, req);
      default:
        throw methodNotAllowed();
    }
  }

  private readLog(req: ResourceRequest): ApiResponse {
    const namespace = req.namespace ?? '';
    const name = req.name ?? '';
    const pod = this.store.get('', 'pods', namespace, name);
    if (!pod) throw notFound(req.type, name);
    const options = parsePodLogOptions(name, req.query);
    const container = resolveLogContainer(pod.object, name, options.container);
    const instance = logInstance(pod.object, name, container, options.previous);
    const source = this.logs.get(namespace, name, container, instance === 'previous');
    const text = renderLog(source, { ...options, previous: instance === 'previous' }, this.now());
    const response: ApiResponse = { code: 200, text, headers: { 'content-type': 'text/plain' } };
    if (!options.follow || instance === 'previous') return response;
    // Like the kubelet: the stream carries lines written later, until limitBytes or the pod is gone.
    let remaining =
      options.limitBytes === undefined ? Number.POSITIVE_INFINITY : options.limitBytes - text.length;
    response.follow = (write, end) => {
      if (remaining <= 0) {
        end();
        return () => {};
      }
      return this.logs.subscribe(namespace, name, container, (lines) => {
        if (lines === null) return end();
        for (const line of lines) {
          const chunk = Buffer.from(formatLogLine(line, options.timestamps), 'utf8');
          write(chunk.length > remaining ? chunk.subarray(0, remaining) : chunk);
          remaining -= chunk.length;
          if (remaining <= 0) return end();
        }
      });
    };
    return response;
  }

  private selfSubjectAccessReview(body: string): ApiResponse {
    const parsed = parseJson(body);
    const spec = isJsonObject(parsed) && isJsonObject(parsed.spec) ? parsed.spec : undefined;
    const attrs = spec && isJsonObject(spec.resourceAttributes) ? spec.resourceAttributes : undefined;
    if (!attrs) throw badRequest('spec.resourceAttributes is required by the fake API server');
    const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
    const denied = this.authorizer.isDenied({
      verb: str(attrs.verb) ?? '',
      group: str(attrs.group) ?? '',
      resource: str(attrs.resource) ?? '',
      subresource: str(attrs.subresource),
      namespace: str(attrs.namespace),
      name: str(attrs.name),
    });
    return {
      code: 201,
      json: {
        kind: 'SelfSubjectAccessReview',
        apiVersion: 'authorization.k8s.io/v1',
        metadata: { creationTimestamp: null },
        spec: spec ?? {},
        status: denied
          ? { allowed: false, denied: true }
          : { allowed: true, reason: 'allowed by the fake API server' },
      },
    };
  }

  private send(res: ServerResponse, response: ApiResponse): void {
    if (res.headersSent || res.destroyed || this.closed) return;
    const body = response.text ?? Buffer.from(JSON.stringify(response.json ?? {}));
    const contentType = response.text ? 'text/plain; charset=utf-8' : 'application/json';
    const follow = response.follow;
    if (follow !== undefined) {
      res.writeHead(response.code, { 'content-type': contentType, ...response.headers });
      res.write(body);
      let ended = false;
      const end = () => {
        if (ended) return;
        ended = true;
        res.end();
      };
      const stop = follow((chunk) => {
        if (!ended) res.write(chunk);
      }, end);
      res.once('close', () => {
        ended = true;
        stop();
      });
      if (ended) stop();
      return;
    }
    res.writeHead(response.code, {
      'content-type': contentType,
      'content-length': String(body.length),
      ...response.headers,
    });
    res.end(body);
    this.answering.get(res)?.();
  }
}

/** Starts a fake API server on 127.0.0.1 (ephemeral port). Call `close()` when done. */
export async function startFakeApiServer(options: FakeApiServerOptions = {}): Promise<FakeApiServer> {
  const server = new FakeApiServer(options);
  await server.listen();
  return server;
}
