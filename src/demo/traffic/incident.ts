/**
 * @module demo/traffic/incident
 * The `incident` profile: a small mesh (10 services, 3 databases, 3 namespaces) in a bad hour. Half the
 * calls fail, each failure with Envoy's true flags and details: UH no_healthy_upstream, UF with connect
 * and TLS transport failure reasons, UT 504 response_timeout, NR route_not_found, DC, UO overflow, URX
 * retries (after 503s or connect failures), and TCP connections (`"- - -"`, code 0) served, refused,
 * with no endpoint or with no filter chain.
 */
import type { Hop } from '../access-line.js';
import { failingOutcome } from './high-cardinality.js';
import { buildMesh } from './mesh.js';
import { meshRequests } from './requests.js';
import { type Random, weighted } from './values.js';

const NAMESPACES = ['shop', 'payments', 'inventory'];
const SERVICES = [
  'storefront',
  'checkout',
  'cart',
  'payments',
  'inventory',
  'warehouse',
  'pricing',
  'auth',
  'notifications',
  'orders',
];
const TCP = ['postgres', 'redis', 'kafka'];

export function* incident(random: Random, startMs: number): Generator<Hop> {
  const mesh = buildMesh(random, {
    namespaces: NAMESPACES,
    services: SERVICES,
    tcpServices: TCP,
    replicas: [2, 6],
    fanOut: [2, 4],
    firstPod: 20_000,
  });
  yield* meshRequests(random, startMs, {
    mesh,
    outcome: (r) => {
      const kind = weighted(r, [
        ['ok', 42],
        ['5xx', 6],
        ['UH', 8],
        ['UF', 6],
        ['UF-TLS', 6],
        ['UT', 6],
        ['NR', 5],
        ['DC', 4],
        ['UO', 5],
        ['URX', 2],
        ['URX-UF', 3],
      ] as const);
      return kind === 'ok' ? { kind: 'response', code: 200 } : failingOutcome(r, kind);
    },
    tcpOutcome: (r) =>
      weighted(r, [
        ['none', 50],
        ['UF', 20],
        ['UH', 20],
        ['NR', 10],
      ] as const),
    queryShare: 0.1,
    nestChance: 0.5,
    maxDepth: 3,
    gapMs: 5,
  });
}
