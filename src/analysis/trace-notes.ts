/**
 * @module analysis/trace-notes
 * What a reader should know about a linked trace: retries, fan-out, hops that are missing, and where a
 * failure most likely started. Works on the placed hops (causal order, parents before children).
 */
import { parseClusterName, shortServiceHost } from '../accesslog/cluster.js';
import type { AccessLogEntry } from '../accesslog/entry.js';
import { isProblem } from './classify.js';
import type { TraceHop, TraceNote } from './report.js';
import type { TraceNode } from './trace-link.js';
import { portOf } from './trace-link.js';

/** One hop with the tree around it; indices are positions in `hops`. */
export interface PlacedHop {
  node: TraceNode;
  hop: TraceHop;
  children: number[];
}

/** Flags that mean the client's proxy never handed the request to a server. */
const NEVER_SENT_FLAGS: ReadonlySet<string> = new Set([
  'UH',
  'UF',
  'UO',
  'NR',
  'NC',
  'DF',
  'DO',
  'UDO',
  'FI',
  'RL',
  'RLSE',
  'UAEX',
  'OM',
  'NFCF',
  'IH',
  'DPE',
  'LH',
]);

function label(h: TraceHop): string {
  return `${h.source} ${h.direction}`;
}

function outcome(h: TraceHop): string {
  const parts: string[] = [];
  if (h.response_code !== null) parts.push(String(h.response_code));
  if (h.response_flags.length > 0) parts.push(h.response_flags.join(','));
  return parts.length > 0 ? parts.join(' ') : 'no status';
}

function serverChildren(placed: readonly PlacedHop[], p: PlacedHop): PlacedHop[] {
  const out: PlacedHop[] = [];
  for (const c of p.children) {
    const child = placed[c];
    if (child?.node.server) out.push(child);
  }
  return out;
}

/** Several inbound entries under one client call: the server saw retries. */
export function retryNotes(placed: readonly PlacedHop[]): TraceNote[] {
  const notes: TraceNote[] = [];
  placed.forEach((p, i) => {
    if (p.node.server) return;
    const attempts = serverChildren(placed, p);
    if (attempts.length < 2) return;
    const codes = attempts.map((a) => outcome(a.hop)).join(', ');
    const n = attempts.length - 1;
    notes.push({
      kind: 'retry',
      hop: i,
      message: `retried ${n} time${n === 1 ? '' : 's'}: ${p.hop.peer} logged ${attempts.length} attempts (${codes})`,
    });
  });
  return notes;
}

function serviceOf(h: TraceHop): string {
  const cluster = parseClusterName(h.upstream_cluster);
  if (cluster.kind === 'outbound' && cluster.host !== null) return shortServiceHost(cluster.host);
  return h.peer;
}

/** An inbound entry whose app called several different services. */
export function fanOutNotes(placed: readonly PlacedHop[]): TraceNote[] {
  const notes: TraceNote[] = [];
  placed.forEach((p, i) => {
    if (!p.node.server) return;
    const services = new Set<string>();
    for (const c of p.children) {
      const child = placed[c];
      if (child !== undefined && !child.node.server) services.add(serviceOf(child.hop));
    }
    if (services.size < 2) return;
    notes.push({
      kind: 'fan_out',
      hop: i,
      message: `${p.hop.source} called ${services.size} services while serving this request: ${[...services].join(', ')}`,
    });
  });
  return notes;
}

function isMeshService(h: TraceHop): boolean {
  const cluster = parseClusterName(h.upstream_cluster);
  return cluster.kind === 'outbound' && cluster.host !== null && cluster.host.includes('.svc.');
}

/**
 * An entry of an Istio waypoint (ambient mode's L7 proxy): its cluster is `inbound-vip|PORT|http|FQDN` or
 * the request went into an HBONE tunnel (`envoy://connect_originate/…`).
 */
export function isWaypointEntry(entry: Pick<AccessLogEntry, 'upstream_cluster' | 'upstream_host'>): boolean {
  return (
    entry.upstream_cluster?.startsWith('inbound-vip|') === true ||
    entry.upstream_host?.startsWith('envoy://') === true
  );
}

/** Missing callers (inbound roots) and callees (mesh outbound calls with no inbound entry). */
export function missingHopNotes(placed: readonly PlacedHop[]): TraceNote[] {
  const notes: TraceNote[] = [];
  placed.forEach((p, i) => {
    const { hop, node } = p;
    if (node.server && hop.parent === null) {
      const remote = node.downstreamRemote;
      const xff = node.entry.x_forwarded_for;
      const external = (remote !== null && portOf(remote) === '0') || xff !== null;
      if (external) {
        const from = xff?.split(',')[0]?.trim() || hop.peer;
        notes.push({
          kind: 'info',
          hop: i,
          message: `entered the traced proxies at ${hop.source} from ${from} (forwarded, X-Forwarded-For); if a gateway sent it, read the gateway's logs to see that hop`,
        });
      } else if (remote !== null && isWaypointEntry(node.entry)) {
        notes.push({
          kind: 'info',
          hop: i,
          message: `the caller ${remote} sent it through the waypoint ${hop.source} with no sidecar of its own (ambient mode): its side is a connection in the ztunnel log of its node, not an HTTP entry (meshbot logs on the calling pod shows it)`,
        });
      } else if (remote !== null) {
        const mtls = node.entry.requested_server_name?.startsWith('outbound_') === true;
        notes.push({
          kind: 'missing_hop',
          hop: i,
          message: `the caller's outbound entry is missing: its sidecar is not logging (or its logs were not read)${mtls ? '' : ', or the caller has no sidecar'} — caller ${remote}`,
        });
      }
      return;
    }
    if (node.server || hop.direction !== 'outbound' || !isMeshService(hop)) return;
    if (serverChildren(placed, p).length > 0) return;
    const neverSent = hop.response_flags.filter((f) => NEVER_SENT_FLAGS.has(f));
    if (neverSent.length > 0 || node.upstreamHost === null) {
      const why = neverSent.length > 0 ? ` (${neverSent.join(',')})` : ' (no upstream host was chosen)';
      notes.push({
        kind: 'info',
        hop: i,
        message: `the call to ${hop.peer} failed in ${hop.source}'s proxy before it reached a server${why}, so no inbound entry is expected`,
      });
      return;
    }
    notes.push({
      kind: 'missing_hop',
      hop: i,
      message: `no inbound entry at ${hop.peer} (${node.upstreamHost}): its sidecar is not logging, its logs were not read, or the request never arrived`,
    });
  });
  return notes;
}

/** Several roots: the chain could not be joined end to end. */
export function brokenChainNote(placed: readonly PlacedHop[]): TraceNote[] {
  const roots = placed.filter((p) => p.hop.parent === null).length;
  if (roots < 2) return [];
  return [
    {
      kind: 'broken_chain',
      hop: null,
      message: `the hops form ${roots} separate chains: entries between them are missing or could not be linked (see the notes on each root)`,
    },
  ];
}

function describeFailure(p: PlacedHop, placed: readonly PlacedHop[]): string {
  const h = p.hop;
  const details = p.node.entry.response_code_details;
  const what = `${outcome(h)}${details !== null && details !== 'via_upstream' ? ` ${details}` : ''}`;
  if (h.response_flags.length === 1 && h.response_flags[0] === 'DC') {
    return `${label(h)}: the caller disconnected before the answer (${what}); look at why it gave up (a timeout?) — the slow part is here or below`;
  }
  if (p.node.server && isWaypointEntry(p.node.entry)) {
    const to = p.node.forwardIp === null ? (h.authority ?? 'its destination') : `pod ${p.node.forwardIp}`;
    return h.response_flags.length === 0
      ? `${to} answered ${what} through the waypoint ${h.source}`
      : `the waypoint ${h.source} could not get an answer from ${to} (${h.authority ?? 'the service'}): ${what}; the ztunnel log of that pod's node says why at L4 (meshbot logs on that pod)`;
  }
  if (p.node.server) {
    return h.response_flags.length === 0
      ? `the app behind ${h.source} answered ${what}`
      : `${h.source}'s sidecar could not get an answer from its app: ${what}`;
  }
  if (h.response_flags.length > 0) return `${h.source}'s proxy failed calling ${h.peer}: ${what}`;
  return serverChildren(placed, p).length === 0
    ? `${h.peer} answered ${what} to ${h.source} (no inbound entry to look deeper)`
    : `${label(h)} → ${h.peer}: ${what}`;
}

/**
 * Failing hops whose subtree holds no other failure are where a failure most likely started; their
 * failing ancestors only passed it on.
 */
export function errorNotes(placed: readonly PlacedHop[]): TraceNote[] {
  // Warnings too (a DC says where the caller gave up); the renderers mark only errors as failing.
  const failing = placed.map((p) => isProblem(p.hop.outcome));
  // Children come after parents, so one backward pass tells which subtrees hold a failure.
  const failBelow = placed.map(() => false);
  for (let i = placed.length - 1; i >= 0; i--) {
    const parent = placed[i]?.hop.parent ?? null;
    if (parent !== null && (failing[i] === true || failBelow[i] === true)) failBelow[parent] = true;
  }
  const notes: TraceNote[] = [];
  placed.forEach((p, i) => {
    if (failing[i] !== true || failBelow[i] === true) return;
    const above: string[] = [];
    let at = p.hop.parent;
    let guard = 0;
    while (at !== null && guard++ < placed.length) {
      const up = placed[at];
      if (up === undefined) break;
      if (failing[at] === true) above.push(label(up.hop));
      at = up.hop.parent;
    }
    const parent = p.hop.parent === null ? undefined : placed[p.hop.parent];
    const disconnectOnly = p.hop.response_flags.length === 1 && p.hop.response_flags[0] === 'DC';
    let message = disconnectOnly
      ? describeFailure(p, placed)
      : `likely origin of the failure: ${describeFailure(p, placed)}`;
    if (p.hop.attempt !== null && parent !== undefined) {
      const total = serverChildren(placed, parent).length;
      message = `attempt ${p.hop.attempt} of ${total} failed here: ${describeFailure(p, placed)}`;
      if (failing[p.hop.parent ?? -1] !== true) message += '; a retry succeeded';
    }
    if (above.length > 0) message += `; it surfaces again at ${above.join(' → ')}`;
    notes.push({ kind: 'error', hop: i, message });
  });
  return notes;
}
