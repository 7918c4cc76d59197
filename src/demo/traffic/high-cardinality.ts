/**
 * @module demo/traffic/high-cardinality
 * The `high-cardinality` profile: a mid-size mesh of 34 HTTP services and 4 databases in 7 namespaces,
 * 12–48 replicas each (~1,000 pod addresses calling one another), ids of every kind in paths, a fifth of
 * them with query strings, browser, client and non-ASCII user agents, and about half the entries failing
 * with a mix of flags (application 5xx, UH, UF with connect and TLS reasons, UO, NR, URX, UT, DC).
 */
import type { Hop } from '../access-line.js';
import { pick } from '../random.js';
import { buildMesh, type CallOutcome, CONNECT_FAILURES, TLS_FAILURES } from './mesh.js';
import { meshRequests } from './requests.js';
import { type Random, weighted } from './values.js';

const NAMESPACES = ['shop', 'payments', 'identity', 'catalog', 'shipping', 'platform', 'analytics'];
const SERVICES = [
  'frontend',
  'checkout',
  'cart',
  'orders',
  'invoicing',
  'payments',
  'fraud-check',
  'ledger',
  'auth',
  'users',
  'profiles',
  'sessions',
  'catalog',
  'search',
  'pricing',
  'recommendations',
  'inventory',
  'shipping',
  'tracking',
  'addresses',
  'notifications',
  'email',
  'sms',
  'audit',
  'feature-flags',
  'config',
  'media',
  'thumbnails',
  'reviews',
  'ratings',
  'events',
  'reporting',
  'exports',
  'tenants',
];
const TCP = ['postgres', 'redis', 'mysql', 'mongodb'];

type Kind = 'ok' | '5xx' | 'UH' | 'UF' | 'UF-TLS' | 'UO' | 'NR' | 'URX' | 'URX-UF' | 'UT' | 'DC';
const MIX: readonly (readonly [Kind, number])[] = [
  ['ok', 40],
  ['5xx', 12],
  ['UH', 6],
  ['UF', 5],
  ['UF-TLS', 3],
  ['UO', 4],
  ['NR', 4],
  ['URX', 2],
  ['URX-UF', 3],
  ['UT', 3],
  ['DC', 3],
];

export function failingOutcome(random: Random, kind: Exclude<Kind, 'ok'>): CallOutcome {
  switch (kind) {
    case '5xx':
      return { kind: 'response', code: pick(random, [500, 500, 502, 503, 503]) };
    case 'UH':
    case 'UO':
    case 'NR':
    case 'DC':
      return { kind };
    case 'UF':
      return { kind: 'UF', reason: pick(random, CONNECT_FAILURES) };
    case 'UF-TLS':
      return { kind: 'UF', reason: pick(random, TLS_FAILURES) };
    case 'URX':
      return { kind: 'URX', flags: 'URX', reason: null };
    case 'URX-UF':
      return {
        kind: 'URX',
        flags: pick(random, ['UF,URX', 'URX,UF']),
        reason: pick(random, CONNECT_FAILURES),
      };
    case 'UT':
      return { kind: 'UT', timeoutMs: pick(random, [3000, 10_000, 15_000]) };
  }
}

const OK_CODES: readonly (readonly [number, number])[] = [
  [200, 80],
  [201, 6],
  [204, 5],
  [304, 3],
  [400, 2],
  [401, 1],
  [403, 1],
  [404, 2],
];

export function* highCardinality(random: Random, startMs: number): Generator<Hop> {
  const mesh = buildMesh(random, {
    namespaces: NAMESPACES,
    services: SERVICES,
    tcpServices: TCP,
    replicas: [12, 48],
    fanOut: [2, 5],
  });
  yield* meshRequests(random, startMs, {
    mesh,
    outcome: (r) => {
      const kind = weighted(r, MIX);
      return kind === 'ok' ? { kind: 'response', code: weighted(r, OK_CODES) } : failingOutcome(r, kind);
    },
    tcpOutcome: (r) =>
      weighted(r, [
        ['none', 80],
        ['UF', 10],
        ['UH', 10],
      ] as const),
    queryShare: 0.2,
    nestChance: 0.45,
    maxDepth: 3,
    gapMs: 3,
  });
}
