/**
 * @module demo/traffic/requests
 * Requests walking a simulated mesh: a pod of one service calls another service, whose pod may call the
 * services it depends on, and so on; every call writes its sidecars' entries, all with the request's
 * x-request-id. Used by the `high-cardinality` and `incident` profiles.
 */
import type { Hop, HopPod } from '../access-line.js';
import { pick } from '../random.js';
import { type Call, type CallOutcome, callHops, concretePath, type MeshService, tcpHop } from './mesh.js';
import { chance, int, type Random, userAgent, uuid, weighted } from './values.js';

export interface RequestWalk {
  mesh: readonly MeshService[];
  /** Decides each HTTP call's outcome. */
  outcome: (random: Random) => CallOutcome;
  /** Decides a TCP connection's outcome. */
  tcpOutcome: (random: Random) => 'none' | 'UF' | 'UH' | 'NR';
  /** Share of paths with a query string. */
  queryShare: number;
  /** Chance that a server calls on to one of its dependencies (per level, up to `maxDepth`). */
  nestChance: number;
  maxDepth: number;
  /** Mean gap between requests, ms. */
  gapMs: number;
}

const METHODS: readonly (readonly [string, number])[] = [
  ['GET', 70],
  ['POST', 16],
  ['PUT', 6],
  ['DELETE', 4],
  ['PATCH', 4],
];

/** Endless requests over `walk.mesh`, from `startMs`: each yields its entries in the order they finish. */
export function* meshRequests(random: Random, startMs: number, walk: RequestWalk): Generator<Hop> {
  const callers = walk.mesh.filter((s) => !s.tcp && s.calls.length > 0);
  let now = startMs;
  for (;;) {
    now += Math.floor(random() * walk.gapMs * 2);
    const service = pick(random, callers);
    const client = pick(random, service.pods);
    const hops: Hop[] = [];
    call(random, walk, client, service, now, uuid(random), userAgent(random), 0, hops);
    yield* hops;
  }
}

/** One call from `client` (a pod of `from`) to one of `from`'s dependencies; returns its duration. */
function call(
  random: Random,
  walk: RequestWalk,
  client: HopPod,
  from: MeshService,
  startMs: number,
  requestId: string,
  ua: string,
  depth: number,
  out: Hop[],
): number {
  const server = pick(random, from.calls);
  const port = int(random, 32768, 60999);
  if (server.tcp) {
    const hop = tcpHop(random, client, server, startMs, port, walk.tcpOutcome(random));
    out.push(hop);
    return Math.min(hop.durationMs, 5);
  }
  const serverPod = pick(random, server.pods);
  const outcome = walk.outcome(random);
  const path = concretePath(random, pick(random, server.routes), walk.queryShare);
  const c: Call = {
    client,
    server,
    serverPod,
    method: weighted(random, METHODS),
    path,
    requestId,
    ua,
    xff: '-',
    startMs,
    clientPort: port,
    authority:
      server.namespace === from.namespace
        ? `${server.name}:${server.port}`
        : `${server.name}.${server.namespace}:${server.port}`,
  };
  let latency = int(random, 1, 40);
  // A server that answered (or timed out working) called on to its own dependencies first.
  const answered = outcome.kind === 'response' || outcome.kind === 'UT' || outcome.kind === 'DC';
  if (answered && depth < walk.maxDepth && server.calls.length > 0 && chance(random, walk.nestChance)) {
    latency += call(random, walk, serverPod, server, startMs + 2, requestId, ua, depth + 1, out);
  }
  const { hops, durationMs } = callHops(random, c, outcome, latency);
  out.push(...hops);
  return durationMs;
}
