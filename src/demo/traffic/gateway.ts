/**
 * @module demo/traffic/gateway
 * The `gateway` profile: internet traffic through an ingress gateway (3 pods in istio-system) to the
 * services behind it. Many client addresses, some straight from the client and some through a load
 * balancer or CDN (`x-forwarded-for` chains of 2–4 addresses), internet scanners (`/.env`,
 * `/wp-login.php`, … answered 404 NR route_not_found), long URLs (tracking parameters and encoded
 * payloads, up to 8 KB) and long user agents. Requests that reach a backend are logged by the gateway
 * (outbound) and by the backend's sidecar (inbound), with the same x-request-id.
 */
import type { Hop, HopPod } from '../access-line.js';
import { pick } from '../random.js';
import {
  buildMesh,
  type Call,
  callHops,
  concretePath,
  fqdn,
  type MeshService,
  outboundHop,
  queryString,
} from './mesh.js';
import {
  BROWSER_AGENTS,
  chance,
  idSegment,
  int,
  podIp,
  podName,
  publicIp,
  type Random,
  userAgent,
  uuid,
  weighted,
} from './values.js';

export const SCANNER_PATHS: readonly string[] = [
  '/.env',
  '/.git/config',
  '/wp-login.php',
  '/wp-admin/setup-config.php',
  '/phpmyadmin/index.php',
  '/actuator/env',
  '/cgi-bin/luci/;stok=/locale',
  '/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php',
  '/boaform/admin/formLogin',
  '/.aws/credentials',
  '/server-status',
  '/../../../../etc/passwd',
  '/index.php?s=/Index/\\think\\app/invokefunction&function=call_user_func_array&vars[0]=md5',
  '/HNAP1/',
];
const SCANNER_AGENTS = [
  'Mozilla/5.0 zgrab/0.x',
  'masscan/1.3 (https://github.com/robertdavidgraham/masscan)',
  'Go-http-client/1.1',
  '-',
  'Mozilla/5.0 (compatible; CensysInspect/1.1; +https://about.censys.io/)',
];
const HOSTS = ['shop.example.com', 'api.example.com', 'www.example.com', 'static.example.com'];
/** Internal addresses of the cloud load balancer in front of the gateway. */
const BALANCERS = ['10.128.0.60', '10.128.0.61', '10.128.0.74', '130.211.2.15', '35.191.10.4'];
const CLIENT_POOL = 250_000;

function longUrl(random: Random, base: string, max: number): string {
  let url = `${base}?utm_source=newsletter&utm_medium=email&utm_campaign=${idSegment(random, 'token')}`;
  const target = int(random, 1024, max);
  url += '&state=';
  while (url.length < target) url += idSegment(random, 'token');
  return url.slice(0, target);
}

function longAgent(random: Random): string {
  let ua = pick(random, BROWSER_AGENTS);
  const n = int(random, 10, 40);
  for (let i = 0; i < n; i++)
    ua += ` ${pick(random, ['FBAN', 'FBAV', 'Instagram', 'MicroMessenger', 'Line', 'AppBundle'])}/${int(random, 1, 400)}.${int(random, 0, 99)}.${idSegment(random, 'token')}`;
  return ua;
}

interface Client {
  xff: string;
  dra: string;
}

function internetClient(random: Random): Client {
  const client = publicIp(random, CLIENT_POOL);
  const roll = random();
  // Straight to the gateway's LoadBalancer service: the client is the peer.
  if (roll < 0.4) return { xff: client, dra: `${client}:${int(random, 1024, 65535)}` };
  // Through the cloud balancer, maybe a CDN and a corporate proxy before it.
  const chain = [client];
  if (roll < 0.7) chain.push(publicIp(random, 3000));
  if (roll < 0.85) chain.push(publicIp(random, 500));
  const balancer = pick(random, BALANCERS);
  chain.push(balancer);
  return { xff: chain.join(','), dra: `${balancer}:${chance(random, 0.5) ? 0 : int(random, 1024, 65535)}` };
}

export function* gateway(random: Random, startMs: number): Generator<Hop> {
  const gateways: HopPod[] = [0, 1, 2].map((i) => ({
    name: podName(random, 'istio-ingressgateway'),
    ip: podIp(40_000 + i),
    service: 'istio-ingressgateway',
    port: 8080,
  }));
  const backends: MeshService[] = buildMesh(random, {
    namespaces: ['web', 'api'],
    services: ['storefront', 'api-gateway', 'search', 'accounts', 'media', 'checkout', 'docs', 'graphql'],
    replicas: [3, 10],
    fanOut: [0, 0],
    firstPod: 41_000,
  });
  let now = startMs;
  for (;;) {
    now += Math.floor(random() * 4);
    const gw = pick(random, gateways);
    const client = internetClient(random);
    const host = pick(random, HOSTS);
    const requestId = uuid(random);
    const port = int(random, 32768, 60999);
    const edge = (h: Hop): Hop => ({
      ...h,
      dla: `${gw.ip}:8080`,
      dra: client.dra,
      xff: client.xff,
      authority: host,
    });
    if (chance(random, 0.08)) {
      // A scanner: nothing routes its path at this host.
      const path = pick(random, SCANNER_PATHS);
      const server = pick(random, backends);
      const c: Call = {
        client: gw,
        server,
        serverPod: pick(random, server.pods),
        method: pick(random, ['GET', 'GET', 'POST', 'HEAD']),
        path,
        requestId,
        ua: pick(random, SCANNER_AGENTS),
        xff: client.xff,
        startMs: now,
        clientPort: port,
        authority: host,
      };
      yield edge(
        outboundHop(c, {
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
      );
      continue;
    }
    const server = pick(random, backends);
    const roll = random();
    let path = concretePath(random, pick(random, server.routes), 0.3);
    if (roll < 0.012) path = longUrl(random, path.split('?')[0] ?? path, 8192);
    else if (roll < 0.05) path = `/static/${idSegment(random, 'hex')}.js${queryString(random)}`;
    const ua = chance(random, 0.01) ? longAgent(random) : userAgent(random);
    const c: Call = {
      client: gw,
      server,
      serverPod: pick(random, server.pods),
      method: weighted(random, [
        ['GET', 80],
        ['POST', 15],
        ['OPTIONS', 3],
        ['HEAD', 2],
      ] as const),
      path,
      requestId,
      ua,
      xff: client.xff,
      startMs: now,
      clientPort: port,
      authority: host,
    };
    const kind = weighted(random, [
      ['ok', 82],
      ['404', 4],
      ['redirect', 3],
      ['5xx', 3],
      ['UH', 2],
      ['UF', 1.5],
      ['UT', 1.5],
      ['DC', 2],
      ['RL', 1],
    ] as const);
    const latency = int(random, 1, 120);
    if (kind === 'RL') {
      yield edge(
        outboundHop(c, {
          code: 429,
          flags: 'RL',
          details: 'local_rate_limited',
          utfr: '-',
          durationMs: 0,
          upstreamMs: null,
          bytesSent: 18,
          connected: false,
          host: false,
          routed: true,
        }),
      );
      continue;
    }
    const { hops } = callHops(
      random,
      c,
      kind === 'ok'
        ? { kind: 'response', code: pick(random, [200, 200, 200, 200, 304]) }
        : kind === '404'
          ? { kind: 'response', code: 404 }
          : kind === 'redirect'
            ? { kind: 'response', code: pick(random, [301, 302]) }
            : kind === '5xx'
              ? { kind: 'response', code: pick(random, [500, 502, 503]) }
              : kind === 'UF'
                ? { kind: 'UF', reason: 'delayed_connect_error:_111' }
                : kind === 'UT'
                  ? { kind: 'UT', timeoutMs: 15_000 }
                  : { kind },
      latency,
    );
    for (const h of hops) {
      if (h.direction === 'outbound')
        yield { ...edge(h), route: h.cluster === '-' ? '-' : `${server.name}-route` };
      else
        yield {
          ...h,
          xff: client.xff,
          dra: `${gw.ip}:${port}`,
          authority: host,
          sni: `outbound_.${server.port}_._.${fqdn(server)}`,
        };
    }
  }
}
