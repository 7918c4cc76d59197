/**
 * @module demo/traffic/mesh
 * A simulated mesh for the traffic profiles: services in namespaces, each with its own pods (addresses),
 * ClusterIP, routes and the services it calls; and the access-log entries one call writes at the client's
 * sidecar (outbound) and at the server's (inbound), for every outcome the profiles use. Both entries of a
 * call carry the request's x-request-id and matching addresses, as Istio's sidecars write them.
 */
import type { Hop, HopPod } from '../access-line.js';
import { pick } from '../random.js';
import { chance, clusterIp, type IdKind, idSegment, int, podIp, podName, type Random } from './values.js';

/** A path with ids in it: literal segments and the kind of id at the others. */
export type RouteTemplate = readonly (string | { id: IdKind })[];

export interface MeshService {
  name: string;
  namespace: string;
  port: number;
  clusterIp: string;
  /** TCP services (databases, caches) write `"- - -"` entries with code 0. */
  tcp: boolean;
  pods: HopPod[];
  routes: RouteTemplate[];
  /** Services this one calls. */
  calls: MeshService[];
  /** `outbound|PORT||FQDN`, the client sidecars' cluster for it. */
  outboundCluster: string;
  /** `outbound_.PORT_._.FQDN`, the SNI its sidecars see under mTLS. */
  serverName: string;
}

export interface MeshSpec {
  namespaces: readonly string[];
  /** HTTP services, named and given to namespaces in turn. */
  services: readonly string[];
  tcpServices?: readonly string[];
  replicas: readonly [number, number];
  /** How many services each one calls. */
  fanOut: readonly [number, number];
  /** Where this mesh's pod addresses start (two meshes in one profile must not share addresses). */
  firstPod?: number;
}

const RESOURCES = [
  'orders',
  'items',
  'users',
  'accounts',
  'carts',
  'products',
  'invoices',
  'payments',
  'shipments',
  'sessions',
  'reviews',
  'prices',
  'coupons',
  'addresses',
  'notifications',
  'messages',
  'files',
  'images',
  'reports',
  'events',
  'tenants',
  'devices',
  'subscriptions',
];
const SUBRESOURCES = [
  'items',
  'status',
  'history',
  'attachments',
  'comments',
  'lines',
  'members',
  'versions',
];
const ACTIONS = ['search', 'export', 'batch', 'validate', 'preview'];

function routeTemplates(random: Random): RouteTemplate[] {
  const routes: RouteTemplate[] = [];
  const count = int(random, 4, 9);
  const version = `v${int(random, 1, 3)}`;
  for (let i = 0; i < count; i++) {
    const res = pick(random, RESOURCES);
    const id = { id: pick(random, ['number', 'number', 'uuid', 'hex', 'token'] as const) };
    const shape = int(random, 0, 6);
    if (shape === 0) routes.push(['api', version, res]);
    else if (shape === 1) routes.push(['api', version, res, id]);
    else if (shape === 2) routes.push(['api', version, res, id, pick(random, SUBRESOURCES)]);
    else if (shape === 3)
      routes.push(['api', version, res, id, pick(random, SUBRESOURCES), { id: 'number' }]);
    else if (shape === 4) routes.push([res, 'by-email', { id: 'email' }]);
    else if (shape === 5) routes.push(['api', version, res, pick(random, ACTIONS)]);
    else routes.push(['v1', 'tenants', { id: 'uuid' }, res, id]);
  }
  return routes;
}

/** Builds a mesh: the same spec and random sequence always give the same mesh. */
export function buildMesh(random: Random, spec: MeshSpec): MeshService[] {
  let pod = spec.firstPod ?? 0;
  const make = (name: string, i: number, tcp: boolean): MeshService => {
    const namespace = spec.namespaces[i % spec.namespaces.length] ?? 'default';
    const port = tcp ? pick(random, [5432, 6379, 3306, 27017]) : pick(random, [8080, 8080, 9080, 3000, 8000]);
    const replicas = tcp ? int(random, 1, 3) : int(random, spec.replicas[0], spec.replicas[1]);
    const pods: HopPod[] = [];
    for (let r = 0; r < replicas; r++)
      pods.push({ name: podName(random, `${name}-v1`), ip: podIp(pod++), service: name, port });
    return {
      name,
      namespace,
      port,
      clusterIp: clusterIp(i),
      tcp,
      pods,
      routes: tcp ? [] : routeTemplates(random),
      calls: [],
      outboundCluster: `outbound|${port}||${name}.${namespace}.svc.cluster.local`,
      serverName: `outbound_.${port}_._.${name}.${namespace}.svc.cluster.local`,
    };
  };
  const http = spec.services.map((name, i) => make(name, i, false));
  const tcp = (spec.tcpServices ?? []).map((name, i) => make(name, spec.services.length + i, true));
  for (const s of http) {
    const n = int(random, spec.fanOut[0], spec.fanOut[1]);
    for (let k = 0; k < n; k++) {
      const target = pick(random, http);
      if (target !== s && !s.calls.includes(target)) s.calls.push(target);
    }
    if (tcp.length > 0 && chance(random, 0.6)) s.calls.push(pick(random, tcp));
  }
  return [...http, ...tcp];
}

export function fqdn(s: MeshService): string {
  return `${s.name}.${s.namespace}.svc.cluster.local`;
}

/** A concrete path for a template; `queryShare` of them get a query string. */
export function concretePath(random: Random, route: RouteTemplate, queryShare: number): string {
  let path = '';
  for (const seg of route) path += `/${typeof seg === 'string' ? seg : idSegment(random, seg.id)}`;
  if (chance(random, queryShare)) path += queryString(random);
  return path;
}

const QUERY_KEYS = [
  'page',
  'limit',
  'sort',
  'q',
  'filter',
  'fields',
  'lang',
  'cursor',
  'from',
  'to',
  'expand',
];
export function queryString(random: Random): string {
  const n = int(random, 1, 4);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    const key = pick(random, QUERY_KEYS);
    const value =
      key === 'cursor'
        ? idSegment(random, 'token')
        : key === 'q'
          ? pick(random, ['shoes', 'caf%C3%A9', 'red+dress', '%E6%97%A5%E6%9C%AC'])
          : String(int(random, 0, 500));
    parts.push(`${key}=${value}`);
  }
  return `?${parts.join('&')}`;
}

/** What happened to one call; decides both sidecars' entries. */
export type CallOutcome =
  | { kind: 'response'; code: number }
  | { kind: 'UH' }
  | { kind: 'UF'; reason: string }
  | { kind: 'UO' }
  | { kind: 'NR' }
  | { kind: 'URX'; flags: string; reason: string | null }
  | { kind: 'UT'; timeoutMs: number }
  | { kind: 'DC' };

/** Envoy's upstream transport failure reasons: refused and unreachable connections, and TLS failures. */
export const CONNECT_FAILURES: readonly string[] = [
  'delayed_connect_error:_111',
  'delayed_connect_error:_113',
];
export const TLS_FAILURES: readonly string[] = [
  'TLS_error:_268435581:SSL_routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED',
  'TLS_error:|268435703:SSL_routines:OPENSSL_internal:WRONG_VERSION_NUMBER:TLS_error_end',
  'TLS_error:|268436502:SSL_routines:OPENSSL_internal:SSLV3_ALERT_CERTIFICATE_EXPIRED:TLS_error_end',
];

export interface Call {
  client: HopPod;
  server: MeshService;
  serverPod: HopPod;
  method: string;
  path: string;
  requestId: string;
  ua: string;
  xff: string;
  startMs: number;
  /** The client's source port for this call's connection. */
  clientPort: number;
  /** The authority as the client wrote it (`svc:port` in the same namespace, `svc.ns:port` across). */
  authority: string;
}

const BODY = [19, 95, 178, 295, 358, 605, 1024, 2311, 5294, 18_022];

/** The client sidecar's entry. */
export function outboundHop(
  call: Call,
  o: {
    code: number;
    flags: string;
    details: string;
    utfr: string;
    durationMs: number;
    upstreamMs: number | null;
    bytesSent: number;
    connected: boolean;
    host: boolean;
    routed: boolean;
  },
): Hop {
  const s = call.server;
  // Written out in full, in Hop's key order: the bench generates millions of these.
  return {
    pod: call.client,
    direction: 'outbound',
    startMs: call.startMs,
    durationMs: o.durationMs,
    upstreamMs: o.upstreamMs,
    method: call.method,
    path: call.path,
    code: o.code,
    flags: o.flags,
    details: o.details,
    utfr: o.utfr,
    xff: call.xff,
    requestId: call.requestId,
    authority: call.authority,
    upstreamHost: o.host ? `${call.serverPod.ip}:${s.port}` : '-',
    cluster: o.routed ? s.outboundCluster : '-',
    ula: o.connected ? `${call.client.ip}:${call.clientPort}` : '-',
    dla: `${s.clusterIp}:${s.port}`,
    dra: `${call.client.ip}:${call.clientPort >= 60000 ? call.clientPort - 20000 : call.clientPort + 5000}`,
    sni: '-',
    route: o.routed ? 'default' : '-',
    bytesSent: o.bytesSent,
    ua: call.ua,
  };
}

/** The server sidecar's entry (`pod` defaults to the call's server pod; retries may reach others). */
export function inboundHop(
  call: Call,
  o: {
    code: number;
    flags: string;
    details: string;
    durationMs: number;
    upstreamMs: number | null;
    bytesSent: number;
  },
  pod: HopPod = call.serverPod,
  offsetMs = 1,
): Hop {
  const s = call.server;
  return {
    pod,
    direction: 'inbound',
    startMs: call.startMs + offsetMs,
    durationMs: o.durationMs,
    upstreamMs: o.upstreamMs,
    method: call.method,
    path: call.path,
    code: o.code,
    flags: o.flags,
    details: o.details,
    utfr: '-',
    xff: call.xff,
    requestId: call.requestId,
    authority: call.authority,
    upstreamHost: `${pod.ip}:${s.port}`,
    cluster: `inbound|${s.port}||`,
    ula: `127.0.0.6:${30000 + ((call.clientPort * 7) % 30000)}`,
    dla: `${pod.ip}:${s.port}`,
    dra: `${call.client.ip}:${call.clientPort}`,
    sni: s.serverName,
    route: 'default',
    bytesSent: o.bytesSent,
    ua: call.ua,
  };
}

/** A call whose connection to the server failed (`reason` as Envoy words it): the client's entry alone. */
function connectionFailure(
  call: Call,
  flags: string,
  reason: string,
  durationMs: number,
): { hops: Hop[]; durationMs: number } {
  const hop = outboundHop(call, {
    code: 503,
    flags,
    details: `upstream_reset_before_response_started{connection_failure,${reason}}`,
    utfr: reason,
    durationMs,
    upstreamMs: null,
    bytesSent: 91 + reason.length,
    connected: false,
    host: true,
    routed: true,
  });
  return { hops: [hop], durationMs };
}

/**
 * The entries one HTTP call writes, in the order the sidecars finish them (server first), and how long
 * the call took at the client. `latency` is the server's own time in ms.
 */
export function callHops(
  random: Random,
  call: Call,
  outcome: CallOutcome,
  latency: number,
): { hops: Hop[]; durationMs: number } {
  switch (outcome.kind) {
    case 'response': {
      const bytes = outcome.code >= 500 ? pick(random, [0, 19, 57, 134]) : pick(random, BODY);
      const inbound = inboundHop(call, {
        code: outcome.code,
        flags: '-',
        details: 'via_upstream',
        durationMs: latency,
        upstreamMs: latency,
        bytesSent: bytes,
      });
      const out = outboundHop(call, {
        code: outcome.code,
        flags: '-',
        details: 'via_upstream',
        utfr: '-',
        durationMs: latency + 2,
        upstreamMs: latency + 1,
        bytesSent: bytes,
        connected: true,
        host: true,
        routed: true,
      });
      return { hops: [inbound, out], durationMs: latency + 2 };
    }
    case 'UH':
      return {
        hops: [
          outboundHop(call, {
            code: 503,
            flags: 'UH',
            details: 'no_healthy_upstream',
            utfr: '-',
            durationMs: 0,
            upstreamMs: null,
            bytesSent: 19,
            connected: false,
            host: false,
            routed: true,
          }),
        ],
        durationMs: 0,
      };
    case 'UF': {
      const d = int(random, 0, 3);
      return connectionFailure(call, 'UF', outcome.reason, d);
    }
    case 'UO':
      return {
        hops: [
          outboundHop(call, {
            code: 503,
            flags: 'UO',
            details: 'upstream_reset_before_response_started{overflow}',
            utfr: '-',
            durationMs: 0,
            upstreamMs: null,
            bytesSent: 81,
            connected: false,
            host: false,
            routed: true,
          }),
        ],
        durationMs: 0,
      };
    case 'NR':
      return {
        hops: [
          outboundHop(call, {
            code: 404,
            flags: 'NR',
            details: 'route_not_found',
            utfr: '-',
            durationMs: 0,
            upstreamMs: null,
            bytesSent: 0,
            connected: false,
            host: false,
            routed: false,
          }),
        ],
        durationMs: 0,
      };
    case 'URX': {
      if (outcome.reason === null) {
        // Every attempt answered 503: the server's sidecars logged each one, on whichever pod it reached.
        const hops: Hop[] = [];
        let t = 1;
        for (let attempt = 0; attempt < 3; attempt++) {
          const pod = pick(random, call.server.pods);
          hops.push(
            inboundHop(
              call,
              {
                code: 503,
                flags: '-',
                details: 'via_upstream',
                durationMs: latency,
                upstreamMs: latency,
                bytesSent: 19,
              },
              pod,
              t,
            ),
          );
          t += latency + 25;
        }
        hops.push(
          outboundHop(call, {
            code: 503,
            flags: outcome.flags,
            details: 'via_upstream',
            utfr: '-',
            durationMs: t,
            upstreamMs: latency,
            bytesSent: 19,
            connected: true,
            host: true,
            routed: true,
          }),
        );
        return { hops, durationMs: t };
      }
      const d = int(random, 50, 200);
      return connectionFailure(call, outcome.flags, outcome.reason, d);
    }
    case 'UT': {
      const t = outcome.timeoutMs;
      // The server was still working when the client's sidecar gave up: its inbound entry ends in DC.
      const inbound = inboundHop(call, {
        code: 0,
        flags: 'DC',
        details: 'downstream_remote_disconnect',
        durationMs: t,
        upstreamMs: null,
        bytesSent: 0,
      });
      const out = outboundHop(call, {
        code: 504,
        flags: 'UT',
        details: 'response_timeout',
        utfr: '-',
        durationMs: t,
        upstreamMs: null,
        bytesSent: 24,
        connected: true,
        host: true,
        routed: true,
      });
      return { hops: [inbound, out], durationMs: t };
    }
    case 'DC': {
      const inbound = inboundHop(call, {
        code: 0,
        flags: 'DC',
        details: 'downstream_remote_disconnect',
        durationMs: latency,
        upstreamMs: null,
        bytesSent: 0,
      });
      const out = outboundHop(call, {
        code: 0,
        flags: 'DC',
        details: 'downstream_remote_disconnect',
        utfr: '-',
        durationMs: latency + 1,
        upstreamMs: null,
        bytesSent: 0,
        connected: true,
        host: true,
        routed: true,
      });
      return { hops: [inbound, out], durationMs: latency + 1 };
    }
  }
}

/** A TCP connection's entry at the client (`"- - -"`, code 0): served, refused, or with no endpoint. */
export function tcpHop(
  random: Random,
  client: HopPod,
  server: MeshService,
  startMs: number,
  port: number,
  failure: 'none' | 'UF' | 'UH' | 'NR',
): Hop {
  const target = pick(random, server.pods);
  const connected = failure === 'none';
  const utfr = failure === 'UF' ? pick(random, CONNECT_FAILURES) : '-';
  return {
    pod: client,
    direction: 'outbound',
    startMs,
    durationMs: connected ? int(random, 5, 600_000) : int(random, 0, 2),
    upstreamMs: null,
    method: '-',
    path: '-',
    code: 0,
    flags: failure === 'none' ? '-' : failure,
    details: failure === 'NR' ? 'filter_chain_not_found' : '-',
    utfr,
    xff: '-',
    requestId: '-',
    authority: '-',
    upstreamHost: failure === 'UH' || failure === 'NR' ? '-' : `${target.ip}:${server.port}`,
    cluster: failure === 'NR' ? '-' : server.outboundCluster,
    ula: connected ? `${client.ip}:${port}` : '-',
    dla: `${server.clusterIp}:${server.port}`,
    dra: `${client.ip}:${port + 1}`,
    sni: '-',
    route: '-',
    bytesSent: connected ? int(random, 100, 9_000_000) : 0,
    ua: '-',
  };
}
