/**
 * @module demo/synthetic-mesh
 * A deterministic simulated Bookinfo mesh that writes the access-log lines its proxies would write:
 * ingress gateway → productpage → reviews (v1/v2/v3) → ratings, productpage → details, plus egress,
 * scanners at the gateway and a few realistic failures (UF to reviews-v3, UH to ratings during an
 * outage window, DC client disconnects, NR scanners, BlackHole egress). Every hop of a request carries
 * the same x-request-id and consistent addresses, so traces link. Used for the shipped sample log,
 * the benchmark's generated files, and the demo.
 */

import { type Hop, renderJson, renderText } from './access-line.js';
import { seeded } from './random.js';

export type SyntheticFormat = 'text' | 'json';

export interface SyntheticOptions {
  /** Number of gateway requests (each writes several lines). */
  requests: number;
  seed?: number;
  format?: SyntheticFormat;
  /** Epoch ms of the first request. */
  startMs?: number;
  /** Mean gap between requests in ms. */
  gapMs?: number;
  /** Prefix each line with `[pod/NAME/istio-proxy] ` (as `kubectl logs --prefix` does for many pods). */
  prefix?: boolean;
}

export interface SyntheticLine {
  /** The pod whose istio-proxy wrote the line. */
  pod: string;
  text: string;
}

interface Pod {
  name: string;
  ip: string;
  service: string;
  port: number;
}

const NS = 'bookinfo';
const pods = {
  gateway: {
    name: 'istio-ingressgateway-6fb59c6cc4-7plvb',
    ip: '10.244.1.9',
    service: 'istio-ingressgateway',
    port: 8080,
  },
  productpage: {
    name: 'productpage-v1-7d6cfb7dfd-5m8xq',
    ip: '10.244.2.6',
    service: 'productpage',
    port: 9080,
  },
  details: { name: 'details-v1-65b9467fd4-q9mhc', ip: '10.244.2.10', service: 'details', port: 9080 },
  reviewsV1: { name: 'reviews-v1-5b4f8c9d7-2kx8p', ip: '10.244.1.5', service: 'reviews', port: 9080 },
  reviewsV2: { name: 'reviews-v2-6c5bf657cf-9wq4t', ip: '10.244.3.7', service: 'reviews', port: 9080 },
  reviewsV3: { name: 'reviews-v3-5d8c5c9b8-hn2lz', ip: '10.244.3.8', service: 'reviews', port: 9080 },
  ratings: { name: 'ratings-v1-85c74b6cb4-vxqvh', ip: '10.244.1.11', service: 'ratings', port: 9080 },
} satisfies Record<string, Pod>;
const CLUSTER_IPS: Record<string, string> = {
  productpage: '10.96.71.143',
  details: '10.96.16.224',
  reviews: '10.96.18.132',
  ratings: '10.96.29.240',
};
const USER_AGENTS = [
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'curl/8.5.0',
  'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
];

function uuid(random: () => number): string {
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
  return `${hex(8)}-${hex(4)}-9${hex(3)}-${hex(4)}-${hex(12)}`;
}

/** Generates the lines of `requests` gateway requests, in completion order per request. */
export function* generateMeshLogs(options: SyntheticOptions): Generator<SyntheticLine> {
  const random = seeded(options.seed ?? 1);
  const format = options.format ?? 'text';
  const gap = options.gapMs ?? 250;
  let now = options.startMs ?? Date.parse('2026-11-21T09:00:00.000Z');
  const outageStart = Math.floor(options.requests * 0.6);
  const outageEnd = Math.floor(options.requests * 0.65);
  let port = 30000;
  const nextPort = () => {
    port = port >= 60999 ? 30000 : port + 1;
    return port;
  };
  const render = (hop: Hop): SyntheticLine => {
    const text = format === 'json' ? renderJson(hop) : renderText(hop);
    return { pod: hop.pod.name, text: options.prefix ? `[pod/${hop.pod.name}/istio-proxy] ${text}` : text };
  };

  for (let i = 0; i < options.requests; i++) {
    now += Math.floor(random() * gap * 2);
    const ua = USER_AGENTS[Math.floor(random() * USER_AGENTS.length)] ?? 'curl/8.5.0';
    const id = uuid(random);
    const roll = random();

    if (roll < 0.02) {
      // An internet scanner: no route at the gateway.
      const path =
        ['/.env', '/wp-login.php', '/portal/redlion', '/cgi-bin/luci'][Math.floor(random() * 4)] ?? '/.env';
      yield render(
        gatewayHop(pods.gateway, now, id, ua, {
          path,
          code: 404,
          flags: 'NR',
          details: 'route_not_found',
          cluster: '-',
          upstreamHost: '-',
          durationMs: 0,
        }),
      );
      continue;
    }
    if (roll < 0.03) {
      // Egress from reviews to an unknown external host under REGISTRY_ONLY: blocked.
      yield render(tcpHop(pods.reviewsV2, now, 'BlackHoleCluster', '-', '142.250.72.14:443', 'UH', 1));
      continue;
    }
    if (roll < 0.05) {
      // Egress to an external API through the passthrough cluster.
      yield render(
        tcpHop(
          pods.productpage,
          now,
          'PassthroughCluster',
          '104.20.28.24:443',
          '104.20.28.24:443',
          '-',
          100 + Math.floor(random() * 900),
        ),
      );
      continue;
    }

    const lines: SyntheticLine[] = [];
    const pageStart = now + 1;
    // productpage → details
    const detailsStart = pageStart + 2;
    const detailsMs = 1 + Math.floor(random() * 4);
    const detailsConn = nextPort();
    // productpage → reviews (v1/v2/v3), reviews v2/v3 → ratings
    const version = random();
    const reviewsPod = version < 0.34 ? pods.reviewsV1 : version < 0.67 ? pods.reviewsV2 : pods.reviewsV3;
    const reviewsStart = detailsStart + detailsMs + 1;
    const reviewsConn = nextPort();
    let reviewsMs = 5 + Math.floor(random() * 30);
    let reviewsCode = 200;
    let reviewsFlags = '-';
    let reviewsDetails = 'via_upstream';
    let reviewsUtfr = '-';
    let ratingsLines: SyntheticLine[] = [];
    const reviewsUf = reviewsPod === pods.reviewsV3 && random() < 0.08;
    if (reviewsUf) {
      reviewsMs = 1;
      reviewsCode = 503;
      reviewsFlags = 'UF';
      reviewsDetails =
        'upstream_reset_before_response_started{connection_failure,delayed_connect_error:_111}';
      reviewsUtfr = 'delayed_connect_error:_111';
    } else if (reviewsPod !== pods.reviewsV1) {
      const ratingsStart = reviewsStart + 2;
      const outage = i >= outageStart && i < outageEnd;
      const ratingsConn = nextPort();
      const ratingsMs = 1 + Math.floor(random() * 3);
      if (outage) {
        ratingsLines = [
          render(
            callHop(
              reviewsPod,
              pods.ratings,
              'outbound',
              ratingsStart,
              0,
              null,
              id,
              ua,
              '/ratings/0',
              503,
              'UH',
              'no_healthy_upstream',
              '-',
              ratingsConn,
              19,
              false,
            ),
          ),
        ];
      } else {
        ratingsLines = [
          render(
            callHop(
              reviewsPod,
              pods.ratings,
              'inbound',
              ratingsStart + 1,
              ratingsMs - 1,
              ratingsMs - 1,
              id,
              ua,
              '/ratings/0',
              200,
              '-',
              'via_upstream',
              '-',
              ratingsConn,
              48,
              true,
            ),
          ),
          render(
            callHop(
              reviewsPod,
              pods.ratings,
              'outbound',
              ratingsStart,
              ratingsMs,
              ratingsMs,
              id,
              ua,
              '/ratings/0',
              200,
              '-',
              'via_upstream',
              '-',
              ratingsConn,
              48,
              true,
            ),
          ),
        ];
      }
    }
    lines.push(
      render(
        callHop(
          pods.productpage,
          pods.details,
          'inbound',
          detailsStart + 1,
          detailsMs - 1,
          detailsMs - 1,
          id,
          ua,
          '/details/0',
          200,
          '-',
          'via_upstream',
          '-',
          detailsConn,
          178,
          true,
        ),
      ),
    );
    lines.push(
      render(
        callHop(
          pods.productpage,
          pods.details,
          'outbound',
          detailsStart,
          detailsMs,
          detailsMs,
          id,
          ua,
          '/details/0',
          200,
          '-',
          'via_upstream',
          '-',
          detailsConn,
          178,
          true,
        ),
      ),
    );
    lines.push(...ratingsLines);
    if (!reviewsUf) {
      lines.push(
        render(
          callHop(
            pods.productpage,
            reviewsPod,
            'inbound',
            reviewsStart + 1,
            reviewsMs - 1,
            reviewsMs - 2,
            id,
            ua,
            '/reviews/0',
            reviewsCode,
            reviewsFlags,
            reviewsDetails,
            reviewsUtfr,
            reviewsConn,
            358,
            true,
          ),
        ),
      );
    }
    lines.push(
      render(
        callHop(
          pods.productpage,
          reviewsPod,
          'outbound',
          reviewsStart,
          reviewsMs,
          reviewsUf ? null : reviewsMs,
          id,
          ua,
          '/reviews/0',
          reviewsCode,
          reviewsFlags,
          reviewsDetails,
          reviewsUtfr,
          reviewsConn,
          reviewsUf ? 91 : 358,
          !reviewsUf,
        ),
      ),
    );
    const pageMs = reviewsStart + reviewsMs + 2 - pageStart;
    const clientGone = random() < 0.01;
    const pageCode = clientGone ? 0 : 200;
    const gwConn = nextPort();
    lines.push(
      render({
        ...callHopBase(
          pods.gateway,
          pods.productpage,
          'inbound',
          pageStart + 1,
          pageMs - 1,
          pageMs - 2,
          id,
          ua,
          '/productpage',
          pageCode,
          clientGone ? 'DC' : '-',
          clientGone ? 'downstream_remote_disconnect' : 'via_upstream',
          '-',
          gwConn,
          clientGone ? 0 : 5294,
          true,
        ),
        authority: 'bookinfo.example.com',
        xff: '203.0.113.7',
        dra: '203.0.113.7:0',
      }),
    );
    lines.push(
      render(
        gatewayHop(pods.gateway, pageStart, id, ua, {
          path: '/productpage',
          code: pageCode,
          flags: clientGone ? 'DC' : '-',
          details: clientGone ? 'downstream_remote_disconnect' : 'via_upstream',
          cluster: `outbound|9080||productpage.${NS}.svc.cluster.local`,
          upstreamHost: `${pods.productpage.ip}:9080`,
          durationMs: pageMs + 1,
          ula: `${pods.gateway.ip}:${gwConn}`,
        }),
      ),
    );
    yield* lines;
  }
}

function callHopBase(
  client: Pod,
  server: Pod,
  direction: 'inbound' | 'outbound',
  startMs: number,
  durationMs: number,
  upstreamMs: number | null,
  requestId: string,
  ua: string,
  path: string,
  code: number,
  flags: string,
  details: string,
  utfr: string,
  clientPort: number,
  bytesSent: number,
  connected: boolean,
): Hop {
  const svc = `${server.service}.${NS}.svc.cluster.local`;
  const clientAddr = `${client.ip}:${clientPort}`;
  const common = {
    direction,
    startMs,
    durationMs,
    upstreamMs,
    method: 'GET',
    path,
    code,
    flags,
    details,
    utfr,
    xff: '-',
    requestId,
    authority: `${server.service}:${server.port}`,
    route: 'default',
    bytesSent,
    ua,
  };
  if (direction === 'outbound') {
    return {
      ...common,
      pod: client,
      upstreamHost: connected || flags === 'UF' ? `${server.ip}:${server.port}` : '-',
      cluster: `outbound|${server.port}||${svc}`,
      ula: connected ? clientAddr : '-',
      dla: `${CLUSTER_IPS[server.service] ?? '10.96.0.1'}:${server.port}`,
      dra: `${client.ip}:${clientPort + 20000 > 65000 ? clientPort - 1000 : clientPort + 20000}`,
      sni: '-',
    };
  }
  return {
    ...common,
    pod: server,
    upstreamHost: `${server.ip}:${server.port}`,
    cluster: `inbound|${server.port}||`,
    ula: flags === 'UF' ? '-' : `127.0.0.6:${40000 + (clientPort % 20000)}`,
    dla: `${server.ip}:${server.port}`,
    dra: clientAddr,
    sni: `outbound_.${server.port}_._.${svc}`,
  };
}

function callHop(...args: Parameters<typeof callHopBase>): Hop {
  return callHopBase(...args);
}

function gatewayHop(
  gw: Pod,
  startMs: number,
  requestId: string,
  ua: string,
  o: {
    path: string;
    code: number;
    flags: string;
    details: string;
    cluster: string;
    upstreamHost: string;
    durationMs: number;
    ula?: string;
  },
): Hop {
  return {
    pod: gw,
    direction: 'outbound',
    startMs,
    durationMs: o.durationMs,
    upstreamMs: o.cluster === '-' ? null : Math.max(0, o.durationMs - 1),
    method: 'GET',
    path: o.path,
    code: o.code,
    flags: o.flags,
    details: o.details,
    utfr: '-',
    xff: '203.0.113.7',
    requestId,
    authority: 'bookinfo.example.com',
    upstreamHost: o.upstreamHost,
    cluster: o.cluster,
    ula: o.ula ?? '-',
    dla: `${gw.ip}:8080`,
    dra: '203.0.113.7:51834',
    sni: '-',
    route: o.cluster === '-' ? '-' : 'bookinfo-route',
    bytesSent: o.code === 200 ? 5294 : 0,
    ua,
  };
}

function tcpHop(
  pod: Pod,
  startMs: number,
  cluster: string,
  upstreamHost: string,
  dla: string,
  flags: string,
  durationMs: number,
): Hop {
  return {
    pod,
    direction: 'outbound',
    startMs,
    durationMs,
    upstreamMs: null,
    method: '-',
    path: '-',
    code: 0,
    flags,
    details: '-',
    utfr: '-',
    xff: '-',
    requestId: '-',
    authority: '-',
    upstreamHost,
    cluster,
    ula: upstreamHost === '-' ? '-' : `${pod.ip}:49944`,
    dla,
    dra: `${pod.ip}:49942`,
    sni: '-',
    route: '-',
    bytesSent: flags === '-' ? 9845 : 0,
    ua: '-',
  };
}
