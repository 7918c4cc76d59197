/**
 * @module demo/ambient-mesh
 * The demo's ambient namespace (`ambient-demo`): a Bookinfo-like chain without sidecars. `curl` calls
 * `productpage`, which calls `reviews` (v1, v2, v3), and v2 calls `ratings`, every hop through the namespace's
 * waypoint. L4 is logged by one ztunnel per node (`istio-system`, DaemonSet `ztunnel`), L7 by the waypoint.
 * Pure and seeded like `demoTraffic`: `ambientTraffic(from, to)` returns the lines the ztunnels and the
 * waypoint wrote in that window.
 *
 * What each proxy writes, as Istio 1.24 does (ztunnel `src/proxy/metrics.rs` at tag 1.24.0, its formatter in
 * `src/telemetry.rs`; the waypoint is Envoy with Istio's default TEXT format):
 * - A client pod's node's ztunnel logs `direction="outbound"`: src = the client pod, dst.addr = the waypoint
 *   pod's HBONE port 15008, dst.hbone_addr = the Service's ClusterIP and port, dst.workload = the waypoint.
 * - The waypoint logs each HTTP request: cluster `inbound-vip|9080|http|<fqdn>`, upstream host
 *   `envoy://connect_originate/<pod>:9080`, upstream local address `envoy://internal_client_address/`.
 * - The server pod's node's ztunnel logs `direction="inbound"` for the waypoint's HBONE connection: src = the
 *   waypoint pod, dst.addr = the pod's 15008, dst.hbone_addr = the pod's port.
 * The waypoint pod itself is not captured (Istio's waypoint template labels it `istio.io/dataplane-mode: none`;
 * it speaks HBONE itself), so no ztunnel logs the waypoint's side of either connection.
 *
 * Failures, with ztunnel's own error texts (Display strings of `proxy::Error` in ztunnel 1.24.0):
 * - `reviews-refused`: reviews-v3's app does not listen on the Service's port. Its ztunnel logs
 *   `connection failed: Connection refused (os error 111)`; the waypoint answers productpage 503 UC.
 * - `policy-denied`: curl calls reviews-v1's pod IP directly (bypassing the waypoint); the DENY
 *   AuthorizationPolicy `ambient-demo/deny-curl` rejects it: `connection closed due to policy rejection:
 *   explicitly denied by: ambient-demo/deny-curl` (inbound), `http status: 401 Unauthorized` (outbound).
 * - `hbone-blocked`: curl calls ratings' pod IP directly; a NetworkPolicy lets only the waypoint reach
 *   ratings on 15008, so the connect times out after 10 s: `connection timed out, maybe a NetworkPolicy is
 *   blocking HBONE port 15008: deadline has elapsed` (outbound only: nothing reaches ratings' ztunnel).
 * - `no-endpoints`: curl calls `reviews-canary`, a Service with no pods; the waypoint answers 503 UH.
 */

import { type Hop, type HopPod, renderText } from './access-line.js';
import type { DemoLine } from './demo-mesh.js';
import { pick, seeded } from './random.js';

export const AMBIENT_NAMESPACE = 'ambient-demo';
const ISTIO_NAMESPACE = 'istio-system';

/** The ambient namespace's labels: captured by ztunnel, served by the waypoint named `waypoint`. */
export const AMBIENT_NAMESPACE_LABELS: Readonly<Record<string, string>> = {
  'istio.io/dataplane-mode': 'ambient',
  'istio.io/use-waypoint': 'waypoint',
};

/** The waypoint's Gateway (gateway.networking.k8s.io) and the class Istio gives waypoints. */
export const WAYPOINT_GATEWAY = {
  namespace: AMBIENT_NAMESPACE,
  name: 'waypoint',
  gatewayClassName: 'istio-waypoint',
} as const;

export interface AmbientPod {
  namespace: string;
  name: string;
  ip: string;
  node: string;
  /** The `app` label (the waypoint and ztunnel have their own labels; see demo-ambient in kube-sim). */
  app: string;
  version?: string;
  /** The Deployment (ztunnel: the DaemonSet) that owns the pod. */
  owner: string;
  serviceAccount: string;
  /** The port the pod serves (absent for the curl client). */
  port?: number;
  role: 'app' | 'waypoint' | 'ztunnel';
  /** The Service whose selector matches the pod. */
  service?: string;
}

export interface AmbientServicePort {
  name: string;
  port: number;
  targetPort: number;
  appProtocol?: string;
}

export interface AmbientService {
  namespace: string;
  name: string;
  clusterIp: string;
  ports: readonly AmbientServicePort[];
  selector: Readonly<Record<string, string>>;
}

const pod = (p: Omit<AmbientPod, 'namespace'>): AmbientPod => ({ namespace: AMBIENT_NAMESPACE, ...p });

export const AMBIENT_PODS = {
  curl: pod({
    name: 'curl-5b549b49b8-mg7nl',
    ip: '10.244.1.21',
    node: 'demo-worker-1',
    app: 'curl',
    owner: 'curl',
    serviceAccount: 'curl',
    role: 'app',
  }),
  productpage: pod({
    name: 'productpage-v1-d5789fdfb-5cr6m',
    ip: '10.244.1.22',
    node: 'demo-worker-1',
    app: 'productpage',
    version: 'v1',
    owner: 'productpage-v1',
    serviceAccount: 'bookinfo-productpage',
    port: 9080,
    role: 'app',
    service: 'productpage',
  }),
  reviewsV1: pod({
    name: 'reviews-v1-5fd6d4f8f8-xt9wd',
    ip: '10.244.1.23',
    node: 'demo-worker-1',
    app: 'reviews',
    version: 'v1',
    owner: 'reviews-v1',
    serviceAccount: 'bookinfo-reviews',
    port: 9080,
    role: 'app',
    service: 'reviews',
  }),
  reviewsV2: pod({
    name: 'reviews-v2-6f9b55c5db-kp4xr',
    ip: '10.244.2.24',
    node: 'demo-worker-2',
    app: 'reviews',
    version: 'v2',
    owner: 'reviews-v2',
    serviceAccount: 'bookinfo-reviews',
    port: 9080,
    role: 'app',
    service: 'reviews',
  }),
  reviewsV3: pod({
    name: 'reviews-v3-7d99fd7978-lb2zq',
    ip: '10.244.1.25',
    node: 'demo-worker-1',
    app: 'reviews',
    version: 'v3',
    owner: 'reviews-v3',
    serviceAccount: 'bookinfo-reviews',
    port: 9080,
    role: 'app',
    service: 'reviews',
  }),
  ratings: pod({
    name: 'ratings-v1-794db9df8f-q8n4c',
    ip: '10.244.2.26',
    node: 'demo-worker-2',
    app: 'ratings',
    version: 'v1',
    owner: 'ratings-v1',
    serviceAccount: 'bookinfo-ratings',
    port: 9080,
    role: 'app',
    service: 'ratings',
  }),
  waypoint: pod({
    name: 'waypoint-7c9bb8d6f4-hn5vp',
    ip: '10.244.2.27',
    node: 'demo-worker-2',
    app: 'waypoint',
    owner: 'waypoint',
    serviceAccount: 'waypoint',
    port: 15008,
    role: 'waypoint',
    service: 'waypoint',
  }),
} as const satisfies Record<string, AmbientPod>;

/** One ztunnel per node (DaemonSet `ztunnel` in istio-system), each logging every ambient pod of its node. */
export const ZTUNNEL_PODS: Readonly<Record<string, AmbientPod>> = {
  'demo-worker-1': {
    namespace: ISTIO_NAMESPACE,
    name: 'ztunnel-4xq7k',
    ip: '10.244.1.3',
    node: 'demo-worker-1',
    app: 'ztunnel',
    owner: 'ztunnel',
    serviceAccount: 'ztunnel',
    port: 15008,
    role: 'ztunnel',
  },
  'demo-worker-2': {
    namespace: ISTIO_NAMESPACE,
    name: 'ztunnel-9w2tn',
    ip: '10.244.2.3',
    node: 'demo-worker-2',
    app: 'ztunnel',
    owner: 'ztunnel',
    serviceAccount: 'ztunnel',
    port: 15008,
    role: 'ztunnel',
  },
};

const http = (port = 9080): AmbientServicePort[] => [{ name: 'http', port, targetPort: port }];

export const AMBIENT_SERVICES: readonly AmbientService[] = [
  {
    namespace: AMBIENT_NAMESPACE,
    name: 'productpage',
    clusterIp: '10.32.40.10',
    ports: http(),
    selector: { app: 'productpage' },
  },
  {
    namespace: AMBIENT_NAMESPACE,
    name: 'reviews',
    clusterIp: '10.32.40.20',
    ports: http(),
    selector: { app: 'reviews' },
  },
  {
    namespace: AMBIENT_NAMESPACE,
    name: 'ratings',
    clusterIp: '10.32.40.30',
    ports: http(),
    selector: { app: 'ratings' },
  },
  {
    namespace: AMBIENT_NAMESPACE,
    name: 'reviews-canary',
    clusterIp: '10.32.40.40',
    ports: http(),
    selector: { app: 'reviews-canary' },
  },
  {
    namespace: AMBIENT_NAMESPACE,
    name: 'waypoint',
    clusterIp: '10.32.40.50',
    ports: [
      { name: 'status-port', port: 15021, targetPort: 15021, appProtocol: 'http' },
      { name: 'mesh', port: 15008, targetPort: 15008, appProtocol: 'all' },
    ],
    selector: { 'gateway.networking.k8s.io/gateway-name': 'waypoint' },
  },
];

/** The L4 AuthorizationPolicy ztunnel enforces in the `policy-denied` scenario. */
export const AMBIENT_DENY_POLICY = {
  namespace: AMBIENT_NAMESPACE,
  name: 'deny-curl',
  spec: {
    selector: { matchLabels: { app: 'reviews' } },
    action: 'DENY',
    rules: [{ from: [{ source: { principals: [`cluster.local/ns/${AMBIENT_NAMESPACE}/sa/curl`] } }] }],
  },
} as const;

/** ztunnel's error texts the demo's failures carry (ztunnel 1.24.0 `proxy::Error` Display strings). */
export const ZTUNNEL_ERRORS = {
  refused: 'connection failed: Connection refused (os error 111)',
  denied: `connection closed due to policy rejection: explicitly denied by: ${AMBIENT_NAMESPACE}/${AMBIENT_DENY_POLICY.name}`,
  unauthorized: 'http status: 401 Unauthorized',
  hboneTimeout:
    'connection timed out, maybe a NetworkPolicy is blocking HBONE port 15008: deadline has elapsed',
} as const;

/** The kinds of request the ambient traffic mixes; exported so tests can ask for each. */
export type AmbientScenario =
  | 'page-ok'
  | 'reviews-refused'
  | 'no-endpoints'
  | 'policy-denied'
  | 'hbone-blocked';

// reviews-v3 takes a third of the reviews calls (round robin over three pods): page-ok 2 : refused 1.
const SCENARIO_WEIGHTS: ReadonlyArray<readonly [AmbientScenario, number]> = [
  ['page-ok', 56],
  ['reviews-refused', 28],
  ['no-endpoints', 6],
  ['policy-denied', 5],
  ['hbone-blocked', 5],
];

/** Mean gap between requests in the ambient traffic. */
export const AMBIENT_REQUEST_GAP_MS = 500;
/** The ambient traffic's default seed. */
export const AMBIENT_SEED = 2024;

/** One ztunnel access record (`connection complete`), as `ConnectionResult::record` writes it. */
export interface ZtunnelRecord {
  kind: 'ztunnel';
  /** The node whose ztunnel writes it. */
  node: string;
  /** When the connection closed (the record's time), and the microseconds past that millisecond. */
  endMs: number;
  micros: number;
  level: 'info' | 'error';
  src: { addr: string; workload?: string; namespace?: string; identity?: string };
  dst: {
    addr: string;
    hboneAddr?: string;
    service?: string;
    workload?: string;
    namespace?: string;
    identity?: string;
  };
  direction: 'inbound' | 'outbound';
  bytesSent: number;
  bytesRecv: number;
  durationMs: number;
  error?: string;
}

/** One HTTP request the waypoint logged. */
export interface WaypointRecord {
  kind: 'waypoint';
  hop: Hop;
}

export type AmbientRecord = ZtunnelRecord | WaypointRecord;

/** What one request of a scenario wrote: its x-request-id (null when no HTTP proxy saw it) and records. */
export interface AmbientRequest {
  scenario: AmbientScenario;
  startMs: number;
  requestId: string | null;
  records: AmbientRecord[];
}

const FQDN = (service: string) => `${service}.${AMBIENT_NAMESPACE}.svc.cluster.local`;
const SPIFFE = (p: AmbientPod) => `spiffe://cluster.local/ns/${p.namespace}/sa/${p.serviceAccount}`;
const HBONE_PORT = 15008;
const USER_AGENTS = ['curl/8.5.0', 'curl/8.11.1'];
/** Bytes Envoy adds to a response it proxies (`x-envoy-upstream-service-time`, its `server` header). */
const WAYPOINT_RESPONSE_HEADERS = 28;
/** Bytes Envoy adds to a request it proxies (`x-forwarded-proto`, `x-request-id`, `x-envoy-*`). */
const WAYPOINT_REQUEST_HEADERS = 152;

/** Rust's `{:?}` of a string: quoted, with `"`, `\` and control characters escaped. */
function debugQuote(value: string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\u{${code.toString(16)}}`;
    else out += ch;
  }
  return `${out}"`;
}

/** The RFC 3339 time with microseconds that tracing-subscriber's `SystemTime` writes. */
function ztunnelTime(ms: number, micros: number): string {
  return `${new Date(ms).toISOString().slice(0, 23)}${String(micros % 1000).padStart(3, '0')}Z`;
}

/**
 * The line ztunnel 1.24 writes for `r`: `<time>\t<level>\taccess\tconnection complete\t<key=value …>`.
 * Addresses are bare (`%` Display), names and the duration quoted (`{:?}`), bytes bare; absent keys omitted.
 */
export function renderZtunnelRecord(r: ZtunnelRecord): string {
  const fields = [`src.addr=${r.src.addr}`];
  const quoted = (key: string, value: string | undefined) => {
    if (value !== undefined) fields.push(`${key}=${debugQuote(value)}`);
  };
  quoted('src.workload', r.src.workload);
  quoted('src.namespace', r.src.namespace);
  quoted('src.identity', r.src.identity);
  fields.push(`dst.addr=${r.dst.addr}`);
  if (r.dst.hboneAddr !== undefined) fields.push(`dst.hbone_addr=${r.dst.hboneAddr}`);
  quoted('dst.service', r.dst.service);
  quoted('dst.workload', r.dst.workload);
  quoted('dst.namespace', r.dst.namespace);
  quoted('dst.identity', r.dst.identity);
  quoted('direction', r.direction);
  fields.push(`bytes_sent=${r.bytesSent}`, `bytes_recv=${r.bytesRecv}`);
  quoted('duration', `${r.durationMs}ms`);
  quoted('error', r.error);
  return `${ztunnelTime(r.endMs, r.micros)}\t${r.level}\taccess\tconnection complete\t${fields.join(' ')}`;
}

/**
 * The line ztunnel's in-pod state manager writes when the CNI hands it a pod to capture
 * (`src/inpod/statemanager.rs`): `<time>\tinfo\tinpod::statemanager\tpod received, starting proxy\tuid=… name=… namespace=…`.
 */
export function ztunnelPodReceivedLine(
  timeMs: number,
  micros: number,
  pod: { uid: string; name: string; namespace: string },
): string {
  return `${ztunnelTime(timeMs, micros)}\tinfo\tinpod::statemanager\tpod received, starting proxy\tuid=${debugQuote(pod.uid)} name=${debugQuote(pod.name)} namespace=${debugQuote(pod.namespace)}`;
}

function uuid(random: () => number): string {
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
  return `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
}

function scenarioOf(random: () => number): AmbientScenario {
  const total = SCENARIO_WEIGHTS.reduce((sum, [, w]) => sum + w, 0);
  let roll = random() * total;
  for (const [scenario, weight] of SCENARIO_WEIGHTS) {
    roll -= weight;
    if (roll < 0) return scenario;
  }
  return 'page-ok';
}

function serviceNamed(name: string): AmbientService {
  const found = AMBIENT_SERVICES.find((s) => s.name === name);
  if (found === undefined) throw new Error(`ambient service ${name} is not defined`);
  return found;
}

interface Context {
  random: () => number;
  requestId: string;
  ua: string;
  ms(low: number, high: number): number;
  ephemeralPort(): number;
}

/** What the server side of one waypoint leg does. */
type Upstream =
  | { kind: 'ok'; server: AmbientPod; appMs: number; body: number; responseHeaders: number }
  | { kind: 'refused'; server: AmbientPod }
  | { kind: 'no-endpoints' };

interface Leg {
  client: AmbientPod;
  service: AmbientService;
  path: string;
  startMs: number;
  requestBytes: number;
  upstream: Upstream;
}

/** How long the client's connection to the waypoint lasts for a leg (what the caller waits). */
function legMs(upstream: Upstream): number {
  switch (upstream.kind) {
    case 'ok':
      return upstream.appMs + 4;
    case 'refused':
      return 4;
    case 'no-endpoints':
      return 2;
  }
}

/**
 * One HTTP request through the waypoint: the client's ztunnel (outbound to the waypoint), the waypoint's
 * line, and the server's ztunnel (inbound from the waypoint) unless no pod was picked.
 */
function throughWaypoint(c: Context, leg: Leg): AmbientRecord[] {
  const waypoint = AMBIENT_PODS.waypoint;
  const port = leg.service.ports[0]?.port ?? 9080;
  const clientPort = c.ephemeralPort();
  const waypointStart = leg.startMs + 1;
  const total = legMs(leg.upstream);
  const waypointMs = total - 2;
  const { upstream } = leg;
  const server = upstream.kind === 'no-endpoints' ? null : upstream.server;
  const code = upstream.kind === 'ok' ? 200 : 503;
  const body = upstream.kind === 'ok' ? upstream.body : upstream.kind === 'refused' ? 95 : 19;
  const hop: Hop = {
    pod: { name: waypoint.name, ip: waypoint.ip, service: 'waypoint', port: HBONE_PORT } satisfies HopPod,
    direction: 'inbound',
    startMs: waypointStart,
    durationMs: waypointMs,
    upstreamMs: upstream.kind === 'ok' ? waypointMs - 1 : null,
    method: 'GET',
    path: leg.path,
    code,
    flags: upstream.kind === 'ok' ? '-' : upstream.kind === 'refused' ? 'UC' : 'UH',
    details:
      upstream.kind === 'ok'
        ? 'via_upstream'
        : upstream.kind === 'refused'
          ? 'upstream_reset_before_response_started{connection_termination}'
          : 'no_healthy_upstream',
    utfr: '-',
    xff: '-',
    requestId: c.requestId,
    authority: `${leg.service.name}:${port}`,
    upstreamHost: server === null ? '-' : `envoy://connect_originate/${server.ip}:${server.port ?? port}`,
    cluster: `inbound-vip|${port}|http|${FQDN(leg.service.name)}`,
    ula: server === null ? '-' : 'envoy://internal_client_address/',
    dla: `${leg.service.clusterIp}:${port}`,
    dra: `${leg.client.ip}:${clientPort}`,
    sni: '-',
    route: 'default',
    bytesSent: body,
    ua: c.ua,
  };
  const responseBytes =
    (upstream.kind === 'ok' ? upstream.responseHeaders : 120) + body + WAYPOINT_RESPONSE_HEADERS;
  const records: AmbientRecord[] = [
    { kind: 'waypoint', hop },
    {
      kind: 'ztunnel',
      node: leg.client.node,
      endMs: leg.startMs + total,
      micros: Math.floor(c.random() * 1000),
      level: 'info',
      src: {
        addr: `${leg.client.ip}:${clientPort}`,
        workload: leg.client.name,
        namespace: leg.client.namespace,
        identity: SPIFFE(leg.client),
      },
      dst: {
        addr: `${waypoint.ip}:${HBONE_PORT}`,
        hboneAddr: `${leg.service.clusterIp}:${port}`,
        service: FQDN(leg.service.name),
        workload: waypoint.name,
        namespace: waypoint.namespace,
        identity: SPIFFE(waypoint),
      },
      direction: 'outbound',
      bytesSent: leg.requestBytes,
      bytesRecv: responseBytes,
      durationMs: total,
    },
  ];
  if (server !== null) {
    const ok = upstream.kind === 'ok';
    const serverMs = ok ? upstream.appMs : 0;
    records.push({
      kind: 'ztunnel',
      node: server.node,
      endMs: waypointStart + 1 + serverMs,
      micros: Math.floor(c.random() * 1000),
      level: ok ? 'info' : 'error',
      src: {
        addr: `${waypoint.ip}:${c.ephemeralPort()}`,
        workload: waypoint.name,
        namespace: waypoint.namespace,
        identity: SPIFFE(waypoint),
      },
      dst: {
        addr: `${server.ip}:${HBONE_PORT}`,
        hboneAddr: `${server.ip}:${server.port ?? port}`,
        service: FQDN(leg.service.name),
        workload: server.name,
        namespace: server.namespace,
        identity: SPIFFE(server),
      },
      direction: 'inbound',
      bytesSent: ok ? upstream.responseHeaders + body : 0,
      bytesRecv: ok ? leg.requestBytes + WAYPOINT_REQUEST_HEADERS : 0,
      durationMs: serverMs,
      ...(ok ? {} : { error: ZTUNNEL_ERRORS.refused }),
    });
  }
  return records;
}

/** curl's connection straight to a pod's IP (not a Service, so no waypoint): what each ztunnel logs. */
function direct(
  c: Context,
  startMs: number,
  server: AmbientPod,
  outcome: 'denied' | 'blocked',
): ZtunnelRecord[] {
  const client = AMBIENT_PODS.curl;
  const port = server.port ?? 9080;
  const src = {
    addr: `${client.ip}:${c.ephemeralPort()}`,
    workload: client.name,
    namespace: client.namespace,
    identity: SPIFFE(client),
  };
  const dst = {
    addr: `${server.ip}:${HBONE_PORT}`,
    hboneAddr: `${server.ip}:${port}`,
    workload: server.name,
    namespace: server.namespace,
    identity: SPIFFE(server),
  };
  if (outcome === 'blocked') {
    // The SYN to :15008 is dropped: only the client's ztunnel knows, after its 10 s connect timeout.
    const durationMs = 10_000 + c.ms(1, 3);
    return [
      {
        kind: 'ztunnel',
        node: client.node,
        endMs: startMs + durationMs,
        micros: Math.floor(c.random() * 1000),
        level: 'error',
        src,
        dst,
        direction: 'outbound',
        bytesSent: 0,
        bytesRecv: 0,
        durationMs,
        error: ZTUNNEL_ERRORS.hboneTimeout,
      },
    ];
  }
  const outboundMs = c.ms(1, 2);
  return [
    {
      kind: 'ztunnel',
      node: server.node,
      endMs: startMs + outboundMs - 1,
      micros: Math.floor(c.random() * 1000),
      level: 'error',
      src,
      // The server side names the Service it guesses from the pod and port.
      dst: { ...dst, service: FQDN(server.service ?? server.app) },
      direction: 'inbound',
      bytesSent: 0,
      bytesRecv: 0,
      durationMs: 0,
      error: ZTUNNEL_ERRORS.denied,
    },
    {
      kind: 'ztunnel',
      node: client.node,
      endMs: startMs + outboundMs,
      micros: Math.floor(c.random() * 1000),
      level: 'error',
      src,
      dst,
      direction: 'outbound',
      bytesSent: 0,
      bytesRecv: 0,
      durationMs: outboundMs,
      error: ZTUNNEL_ERRORS.unauthorized,
    },
  ];
}

/** The page chain: curl → productpage → reviews (→ ratings for v2), each through the waypoint. */
function page(c: Context, startMs: number, reviews: AmbientPod): AmbientRecord[] {
  const { curl, productpage, ratings } = AMBIENT_PODS;
  const records: AmbientRecord[] = [];
  // productpage receives the page 2 ms after curl connects (curl's ztunnel, then the waypoint).
  const reviewsStart = startMs + 2 + c.ms(3, 10);
  let reviewsUpstream: Upstream;
  if (reviews === AMBIENT_PODS.reviewsV3) {
    reviewsUpstream = { kind: 'refused', server: reviews };
  } else if (reviews === AMBIENT_PODS.reviewsV2) {
    // reviews-v2 asks ratings for the stars.
    const ratingsStart = reviewsStart + 2 + c.ms(2, 8);
    const ratingsUpstream: Upstream = {
      kind: 'ok',
      server: ratings,
      appMs: c.ms(1, 3),
      body: 48,
      responseHeaders: 170,
    };
    records.push(
      ...throughWaypoint(c, {
        client: reviews,
        service: serviceNamed('ratings'),
        path: '/ratings/0',
        startMs: ratingsStart,
        requestBytes: 233 + c.ms(0, 4),
        upstream: ratingsUpstream,
      }),
    );
    const appMs = ratingsStart - (reviewsStart + 2) + legMs(ratingsUpstream) + c.ms(1, 3);
    reviewsUpstream = { kind: 'ok', server: reviews, appMs, body: 442, responseHeaders: 245 };
  } else {
    reviewsUpstream = { kind: 'ok', server: reviews, appMs: c.ms(3, 12), body: 358, responseHeaders: 245 };
  }
  records.push(
    ...throughWaypoint(c, {
      client: productpage,
      service: serviceNamed('reviews'),
      path: '/reviews/0',
      startMs: reviewsStart,
      requestBytes: 291 + c.ms(0, 4),
      upstream: reviewsUpstream,
    }),
  );
  const productpageMs = reviewsStart - (startMs + 2) + legMs(reviewsUpstream) + c.ms(2, 6);
  records.push(
    ...throughWaypoint(c, {
      client: curl,
      service: serviceNamed('productpage'),
      path: '/productpage',
      startMs,
      requestBytes: 88,
      upstream: {
        kind: 'ok',
        server: productpage,
        appMs: productpageMs,
        // Without reviews the page says "Sorry, product reviews are currently unavailable".
        body: reviewsUpstream.kind === 'ok' ? 5293 : 4183,
        responseHeaders: 180,
      },
    }),
  );
  return records;
}

/** The records one request of `scenario` writes, starting at `startMs`. */
export function ambientRequest(scenario: AmbientScenario, startMs: number, seed: number): AmbientRequest {
  const random = seeded(seed);
  const c: Context = {
    random,
    requestId: uuid(random),
    ua: pick(random, USER_AGENTS),
    ms: (low, high) => low + Math.floor(random() * (high - low + 1)),
    ephemeralPort: () => 32768 + Math.floor(random() * 28000),
  };
  const result = (requestId: string | null, records: AmbientRecord[]): AmbientRequest => ({
    scenario,
    startMs,
    requestId,
    records,
  });
  switch (scenario) {
    case 'page-ok':
      return result(
        c.requestId,
        page(c, startMs, random() < 0.5 ? AMBIENT_PODS.reviewsV1 : AMBIENT_PODS.reviewsV2),
      );
    case 'reviews-refused':
      return result(c.requestId, page(c, startMs, AMBIENT_PODS.reviewsV3));
    case 'no-endpoints':
      return result(
        c.requestId,
        throughWaypoint(c, {
          client: AMBIENT_PODS.curl,
          service: serviceNamed('reviews-canary'),
          path: '/reviews/0',
          startMs,
          requestBytes: 86,
          upstream: { kind: 'no-endpoints' },
        }),
      );
    case 'policy-denied':
      return result(null, direct(c, startMs, AMBIENT_PODS.reviewsV1, 'denied'));
    case 'hbone-blocked':
      return result(null, direct(c, startMs, AMBIENT_PODS.ratings, 'blocked'));
  }
}

/** The pod that writes `record`: the ztunnel of its node, or the waypoint. */
export function writerOf(record: AmbientRecord): AmbientPod {
  if (record.kind === 'waypoint') return AMBIENT_PODS.waypoint;
  const ztunnel = ZTUNNEL_PODS[record.node];
  if (ztunnel === undefined) throw new Error(`no ztunnel on node ${record.node}`);
  return ztunnel;
}

/** The line `record` is, and when it was written (ztunnel: at close; the waypoint: at the request's end). */
export function lineOf(record: AmbientRecord): DemoLine {
  const writer = writerOf(record);
  return record.kind === 'waypoint'
    ? {
        namespace: writer.namespace,
        pod: writer.name,
        timeMs: record.hop.startMs + record.hop.durationMs,
        text: renderText(record.hop),
      }
    : {
        namespace: writer.namespace,
        pod: writer.name,
        timeMs: record.endMs,
        text: renderZtunnelRecord(record),
      };
}

interface Slot {
  startMs: number;
  seed: number;
}

/** Request start times in [fromMs, toMs): one slot per AMBIENT_REQUEST_GAP_MS, jittered, seeded by the slot. */
function requestSlots(fromMs: number, toMs: number, seed: number): Slot[] {
  const slots: Slot[] = [];
  const first = Math.ceil(fromMs / AMBIENT_REQUEST_GAP_MS);
  for (let slot = first; slot * AMBIENT_REQUEST_GAP_MS < toMs; slot++) {
    const slotSeed = (Math.imul(slot, 2246822519) ^ seed) >>> 0;
    const jitter = Math.floor(seeded(slotSeed)() * (AMBIENT_REQUEST_GAP_MS / 2));
    slots.push({ startMs: slot * AMBIENT_REQUEST_GAP_MS + jitter, seed: slotSeed });
  }
  return slots;
}

const scenarioOfSlot = (slot: Slot) => scenarioOf(seeded(slot.seed ^ 0x85ebca6b));

/** Every request that started in [fromMs, toMs), with its records. */
export function ambientRequests(fromMs: number, toMs: number, seed = AMBIENT_SEED): AmbientRequest[] {
  return requestSlots(fromMs, toMs, seed).map((slot) =>
    ambientRequest(scenarioOfSlot(slot), slot.startMs, slot.seed),
  );
}

/**
 * The lines the ztunnels and the waypoint wrote for the requests that started in [fromMs, toMs), in write
 * order. Contiguous windows never repeat or miss a request, as with `demoTraffic`.
 */
export function ambientTraffic(fromMs: number, toMs: number, seed = AMBIENT_SEED): DemoLine[] {
  const lines: DemoLine[] = [];
  for (const request of ambientRequests(fromMs, toMs, seed)) {
    for (const record of request.records) lines.push(lineOf(record));
  }
  return lines.sort((a, b) => a.timeMs - b.timeMs);
}

/** The first request of `scenario` in the window (for tests and the logs/trace commands' checks). */
export function ambientExample(
  scenario: AmbientScenario,
  fromMs: number,
  toMs: number,
  seed = AMBIENT_SEED,
): AmbientRequest | undefined {
  for (const slot of requestSlots(fromMs, toMs, seed)) {
    if (scenarioOfSlot(slot) === scenario) return ambientRequest(scenario, slot.startMs, slot.seed);
  }
  return undefined;
}
