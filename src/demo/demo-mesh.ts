/**
 * @module demo/demo-mesh
 * The demo's world: the seed post's `istio-testing` namespace (helloworld v1 and v2, sleep, and a
 * frontend that calls helloworld) behind an ingress gateway in `istio-system`, and the traffic its proxies log. Pure and seeded: `demoTraffic(from,
 * to)` returns the lines every proxy wrote in that window, so a running demo can keep appending new ones.
 *
 * helloworld-v1 logs JSON (the seed's EnvoyFilter); everything else logs Istio's default TEXT format.
 * helloworld-v2 runs its proxy as a native sidecar (an init container with `restartPolicy: Always`).
 * Failures carry the flags and details real proxies write: no ready endpoints (UH), a missing route (NR),
 * an mTLS mismatch (UF with a TLS reason; the server's listener logs `filter_chain_not_found`), a slow
 * upstream (UT 504, the server sees its caller leave: DC), a client that gives up (DC) and a circuit
 * breaker (UO).
 */

import { type Hop, type HopPod, renderJson, renderText } from './access-line.js';
import { pick, seeded } from './random.js';

export const DEMO_NAMESPACE = 'istio-testing';
export const ISTIO_NAMESPACE = 'istio-system';

export interface DemoPod extends HopPod {
  namespace: string;
  app: string;
  version?: string;
  node: string;
  /** How the proxy runs: a classic sidecar container, a native sidecar (init container), or a gateway. */
  proxy: 'sidecar' | 'native-sidecar' | 'gateway';
  format: 'text' | 'json';
  /** The Deployment that owns the pod. */
  deployment: string;
}

export interface DemoService {
  namespace: string;
  name: string;
  clusterIp: string;
  port: number;
  /** The app label its selector matches; `helloworld-canary` selects pods that do not exist (UH). */
  selectApp: string;
}

export const DEMO_PODS = {
  gateway: {
    namespace: ISTIO_NAMESPACE,
    name: 'istio-ingressgateway-5d9c7f6b8d-x2klm',
    ip: '10.244.1.9',
    service: 'istio-ingressgateway',
    port: 8080,
    app: 'istio-ingressgateway',
    node: 'demo-worker-1',
    proxy: 'gateway',
    format: 'text',
    deployment: 'istio-ingressgateway',
  },
  helloworldV1: {
    namespace: DEMO_NAMESPACE,
    name: 'helloworld-v1-776f57d5f6-s7zfc',
    ip: '10.244.1.10',
    service: 'helloworld',
    port: 5000,
    app: 'helloworld',
    version: 'v1',
    node: 'demo-worker-1',
    proxy: 'sidecar',
    format: 'json',
    deployment: 'helloworld-v1',
  },
  helloworldV2: {
    namespace: DEMO_NAMESPACE,
    name: 'helloworld-v2-54df5f84b-9hxgw',
    ip: '10.244.2.12',
    service: 'helloworld',
    port: 5000,
    app: 'helloworld',
    version: 'v2',
    node: 'demo-worker-2',
    proxy: 'native-sidecar',
    format: 'text',
    deployment: 'helloworld-v2',
  },
  frontend: {
    namespace: DEMO_NAMESPACE,
    name: 'frontend-6c8d9f7b5-kq4vn',
    ip: '10.244.2.15',
    service: 'frontend',
    port: 8080,
    app: 'frontend',
    node: 'demo-worker-2',
    proxy: 'sidecar',
    format: 'text',
    deployment: 'frontend',
  },
  sleep: {
    namespace: DEMO_NAMESPACE,
    name: 'sleep-9454cc476-2xq7d',
    ip: '10.244.4.4',
    service: 'sleep',
    port: 80,
    app: 'sleep',
    node: 'demo-worker-2',
    proxy: 'sidecar',
    format: 'text',
    deployment: 'sleep',
  },
} as const satisfies Record<string, DemoPod>;

export const DEMO_SERVICES: readonly DemoService[] = [
  {
    namespace: DEMO_NAMESPACE,
    name: 'helloworld',
    clusterIp: '10.32.29.63',
    port: 5000,
    selectApp: 'helloworld',
  },
  {
    namespace: DEMO_NAMESPACE,
    name: 'frontend',
    clusterIp: '10.32.29.80',
    port: 8080,
    selectApp: 'frontend',
  },
  { namespace: DEMO_NAMESPACE, name: 'sleep', clusterIp: '10.32.30.17', port: 80, selectApp: 'sleep' },
  {
    namespace: DEMO_NAMESPACE,
    name: 'helloworld-canary',
    clusterIp: '10.32.31.5',
    port: 5000,
    selectApp: 'helloworld-canary',
  },
  {
    namespace: ISTIO_NAMESPACE,
    name: 'istio-ingressgateway',
    clusterIp: '10.32.0.80',
    port: 80,
    selectApp: 'istio-ingressgateway',
  },
];

/** One line a proxy wrote, with the time the container runtime stamped it (the entry's end). */
export interface DemoLine {
  namespace: string;
  pod: string;
  timeMs: number;
  text: string;
}

/** The kinds of request the demo's traffic mixes; exported so tests can ask for each. */
export type DemoScenario =
  | 'gateway-ok'
  | 'sleep-ok'
  | 'no-endpoints'
  | 'no-route'
  | 'mtls-mismatch'
  | 'slow-upstream'
  | 'client-gave-up'
  | 'circuit-breaker';

const SCENARIO_WEIGHTS: ReadonlyArray<readonly [DemoScenario, number]> = [
  ['gateway-ok', 40],
  ['sleep-ok', 30],
  ['no-endpoints', 6],
  ['no-route', 5],
  ['mtls-mismatch', 6],
  ['slow-upstream', 5],
  ['client-gave-up', 4],
  ['circuit-breaker', 4],
];

/** Mean gap between requests in the demo's traffic. */
export const DEMO_REQUEST_GAP_MS = 400;

const SVC = (name: string, ns = DEMO_NAMESPACE) => `${name}.${ns}.svc.cluster.local`;
const CLIENTS = ['203.0.113.7', '198.51.100.23', '192.0.2.140'];
const USER_AGENTS = ['curl/8.5.0', 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0'];
const TLS_REASON = 'TLS_error:_268435703:SSL_routines:OPENSSL_internal:WRONG_VERSION_NUMBER';

function uuid(random: () => number): string {
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
  return `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
}

function scenarioOf(random: () => number): DemoScenario {
  const total = SCENARIO_WEIGHTS.reduce((sum, [, w]) => sum + w, 0);
  let roll = random() * total;
  for (const [scenario, weight] of SCENARIO_WEIGHTS) {
    roll -= weight;
    if (roll < 0) return scenario;
  }
  return 'gateway-ok';
}

interface RequestContext {
  random: () => number;
  startMs: number;
  id: string;
  ua: string;
  port: number;
}

const base = (pod: HopPod, c: RequestContext) =>
  ({
    pod,
    startMs: c.startMs,
    method: 'GET',
    utfr: '-',
    xff: '-',
    requestId: c.id,
    ua: c.ua,
    route: 'default',
  }) as const;

/** The caller's sidecar: `client` calls `service` (through its cluster IP) and reaches `server` (or not). */
function outbound(
  client: HopPod,
  service: DemoService,
  server: HopPod | null,
  c: RequestContext,
  o: { path: string; code: number; flags: string; details: string; durationMs: number; utfr?: string },
): Hop {
  const connected = server !== null && o.flags !== 'UF';
  return {
    ...base(client, c),
    direction: 'outbound',
    durationMs: o.durationMs,
    upstreamMs: o.code >= 200 && o.code < 500 && o.flags === '-' ? Math.max(0, o.durationMs - 1) : null,
    path: o.path,
    code: o.code,
    flags: o.flags,
    details: o.details,
    utfr: o.utfr ?? '-',
    authority: service.name,
    upstreamHost: server === null ? '-' : `${server.ip}:${server.port}`,
    cluster: `outbound|${service.port}||${SVC(service.name, service.namespace)}`,
    ula: connected ? `${client.ip}:${c.port}` : '-',
    dla: `${service.clusterIp}:${service.port}`,
    dra: `${client.ip}:${c.port + 1}`,
    sni: '-',
    bytesSent: o.code === 200 ? 65 : o.code === 0 ? 0 : 19,
  };
}

/** The callee's sidecar: the request `caller` sent arrives at `server`. */
function inbound(
  caller: HopPod,
  server: HopPod,
  c: RequestContext,
  o: { path: string; code: number; flags: string; details: string; durationMs: number; xff?: string },
): Hop {
  return {
    ...base(server, c),
    direction: 'inbound',
    startMs: c.startMs + 1,
    durationMs: o.durationMs,
    upstreamMs: o.flags === '-' ? Math.max(0, o.durationMs - 1) : null,
    path: o.path,
    code: o.code,
    flags: o.flags,
    details: o.details,
    xff: o.xff ?? '-',
    authority: caller === DEMO_PODS.gateway ? 'hello.example.com' : `${server.service}:${server.port}`,
    upstreamHost: `${server.ip}:${server.port}`,
    cluster: `inbound|${server.port}||`,
    ula:
      o.code === 0 && o.flags !== '-' && o.durationMs === 0 ? '-' : `127.0.0.6:${40000 + (c.port % 20000)}`,
    dla: `${server.ip}:${server.port}`,
    dra: `${caller.ip}:${c.port}`,
    sni: `outbound_.${server.port}_._.${SVC(server.service)}`,
    bytesSent: o.code === 200 ? 65 : 0,
  };
}

/** The gateway's entry for a request from the internet to hello.example.com. */
function gateway(
  c: RequestContext,
  client: string,
  o: {
    path: string;
    code: number;
    flags: string;
    details: string;
    durationMs: number;
    server: HopPod | null;
  },
): Hop {
  const gw = DEMO_PODS.gateway;
  const routed = o.flags !== 'NR' && o.server !== null;
  return {
    ...base(gw, c),
    direction: 'outbound',
    durationMs: o.durationMs,
    upstreamMs: o.code === 200 ? Math.max(0, o.durationMs - 1) : null,
    path: o.path,
    code: o.code,
    flags: o.flags,
    details: o.details,
    xff: client,
    authority: 'hello.example.com',
    upstreamHost: o.server === null ? '-' : `${o.server.ip}:${o.server.port}`,
    cluster: routed && o.server !== null ? `outbound|${o.server.port}||${SVC(o.server.service)}` : '-',
    ula: o.server === null ? '-' : `${gw.ip}:${c.port}`,
    dla: `${gw.ip}:8080`,
    dra: `${client}:${51000 + (c.port % 9000)}`,
    sni: 'hello.example.com',
    route: routed ? `${o.server?.service}-istio-testing-route` : '-',
    bytesSent: o.code === 200 ? 65 : 0,
  };
}

const service = (name: string): DemoService => {
  const found = DEMO_SERVICES.find((s) => s.name === name && s.namespace === DEMO_NAMESPACE);
  if (found === undefined) throw new Error(`demo service ${name} is not defined`);
  return found;
};

/** The hops one request of `scenario` writes, starting at `startMs`. */
export function requestHops(scenario: DemoScenario, startMs: number, seed: number): Hop[] {
  const random = seeded(seed);
  const c: RequestContext = {
    random,
    startMs,
    id: uuid(random),
    ua: pick(random, USER_AGENTS),
    port: 30000 + Math.floor(random() * 30000),
  };
  const hello = random() < 0.5 ? DEMO_PODS.helloworldV1 : DEMO_PODS.helloworldV2;
  const { sleep } = DEMO_PODS;
  const ms = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const ok = { path: '/hello', code: 200, flags: '-', details: 'via_upstream' };
  switch (scenario) {
    case 'gateway-ok': {
      // internet → gateway → frontend's sidecar (inbound, then outbound) → helloworld's sidecar
      const client = pick(random, CLIENTS);
      const { frontend } = DEMO_PODS;
      const d = ms(4, 60);
      const page = { path: '/', code: 200, flags: '-', details: 'via_upstream' };
      const call: RequestContext = { ...c, startMs: c.startMs + 2, port: c.port + 7 };
      return [
        gateway(c, client, { ...page, durationMs: d + 8, server: frontend }),
        inbound(DEMO_PODS.gateway, frontend, c, { ...page, durationMs: d + 6, xff: client }),
        outbound(frontend, service('helloworld'), hello, call, { ...ok, durationMs: d + 2 }),
        inbound(frontend, hello, call, { ...ok, durationMs: d }),
      ];
    }
    case 'sleep-ok': {
      const d = ms(2, 40);
      return [
        outbound(sleep, service('helloworld'), hello, c, { ...ok, durationMs: d + 2 }),
        inbound(sleep, hello, c, { ...ok, durationMs: d }),
      ];
    }
    case 'no-endpoints':
      return [
        outbound(sleep, service('helloworld-canary'), null, c, {
          path: '/hello',
          code: 503,
          flags: 'UH',
          details: 'no_healthy_upstream',
          durationMs: 0,
        }),
      ];
    case 'no-route':
      return [
        gateway(c, pick(random, CLIENTS), {
          path: pick(random, ['/admin', '/v2/hello', '/.env']),
          code: 404,
          flags: 'NR',
          details: 'route_not_found',
          durationMs: 0,
          server: null,
        }),
      ];
    case 'mtls-mismatch': {
      // sleep's DestinationRule still says DISABLE; helloworld-v2 requires mTLS, so its listener has no
      // filter chain for the plaintext connection, and sleep's proxy sees the reset as a TLS failure.
      const server = DEMO_PODS.helloworldV2;
      const client = outbound(sleep, service('helloworld'), server, c, {
        path: '/hello',
        code: 503,
        flags: 'UF',
        details: `upstream_reset_before_response_started{remote_connection_failure,${TLS_REASON}}`,
        durationMs: ms(1, 3),
        utfr: TLS_REASON,
      });
      const listener: Hop = {
        ...inbound(sleep, server, c, {
          path: '-',
          code: 0,
          flags: 'NR',
          details: 'filter_chain_not_found',
          durationMs: 0,
        }),
        method: '-',
        requestId: '-',
        authority: '-',
        ua: '-',
        upstreamHost: '-',
        cluster: '-',
        ula: '-',
        sni: '-',
        route: '-',
      };
      return [client, listener];
    }
    case 'slow-upstream': {
      const client = pick(random, CLIENTS);
      return [
        gateway(c, client, {
          path: '/hello',
          code: 504,
          flags: 'UT',
          details: 'response_timeout',
          durationMs: 15000,
          server: hello,
        }),
        inbound(DEMO_PODS.gateway, hello, c, {
          path: '/hello',
          code: 0,
          flags: 'DC',
          details: 'downstream_remote_disconnect',
          durationMs: 14999,
          xff: client,
        }),
      ];
    }
    case 'client-gave-up': {
      const d = ms(2000, 5000);
      return [
        outbound(sleep, service('helloworld'), hello, c, {
          path: '/hello',
          code: 0,
          flags: 'DC',
          details: 'downstream_remote_disconnect',
          durationMs: d,
        }),
        inbound(sleep, hello, c, {
          path: '/hello',
          code: 0,
          flags: 'DC',
          details: 'downstream_remote_disconnect',
          durationMs: d - 1,
        }),
      ];
    }
    case 'circuit-breaker':
      return [
        outbound(sleep, service('helloworld'), null, c, {
          path: '/hello',
          code: 503,
          flags: 'UO',
          details: 'upstream_reset_before_response_started{overflow}',
          durationMs: 0,
        }),
      ];
  }
}

function podOf(hop: Hop): DemoPod {
  const pod = Object.values(DEMO_PODS).find((p) => p.name === hop.pod.name);
  if (pod === undefined) throw new Error(`hop from unknown pod ${hop.pod.name}`);
  return pod;
}

/** Request start times in [fromMs, toMs): one slot per DEMO_REQUEST_GAP_MS, jittered, seeded by the slot. */
function requestSlots(fromMs: number, toMs: number, seed: number): Array<{ startMs: number; seed: number }> {
  const slots: Array<{ startMs: number; seed: number }> = [];
  const first = Math.ceil(fromMs / DEMO_REQUEST_GAP_MS);
  for (let slot = first; slot * DEMO_REQUEST_GAP_MS < toMs; slot++) {
    const slotSeed = (Math.imul(slot, 2654435761) ^ seed) >>> 0;
    const jitter = Math.floor(seeded(slotSeed)() * (DEMO_REQUEST_GAP_MS / 2));
    slots.push({ startMs: slot * DEMO_REQUEST_GAP_MS + jitter, seed: slotSeed });
  }
  return slots;
}

/**
 * The lines every demo proxy wrote for the requests that started in [fromMs, toMs), in the order they
 * were written (by end time). Contiguous windows never repeat or miss a request, so a running demo calls
 * this for each new window and appends the result.
 */
export function demoTraffic(fromMs: number, toMs: number, seed = 2020): DemoLine[] {
  const lines: DemoLine[] = [];
  for (const slot of requestSlots(fromMs, toMs, seed)) {
    const scenario = scenarioOf(seeded(slot.seed ^ 0x9e3779b9));
    for (const hop of requestHops(scenario, slot.startMs, slot.seed)) {
      const pod = podOf(hop);
      lines.push({
        namespace: pod.namespace,
        pod: pod.name,
        timeMs: hop.startMs + hop.durationMs,
        text: pod.format === 'json' ? renderJson(hop) : renderText(hop),
      });
    }
  }
  return lines.sort((a, b) => a.timeMs - b.timeMs);
}

/** A request of `scenario` the demo can point at (for `trace`), with the hops it wrote. */
export function exampleRequest(
  scenario: DemoScenario,
  fromMs: number,
  toMs: number,
  seed = 2020,
): { requestId: string; startMs: number } | undefined {
  for (const slot of requestSlots(fromMs, toMs, seed)) {
    if (scenarioOf(seeded(slot.seed ^ 0x9e3779b9)) !== scenario) continue;
    const [first] = requestHops(scenario, slot.startMs, slot.seed);
    if (first !== undefined) return { requestId: first.requestId, startMs: slot.startMs };
  }
  return undefined;
}
