/**
 * @module analysis/trace-link
 * Hop linking for a trace: which entry caused which. Two kinds of edge exist
 * (../shared/notes/istio-access-logs.md §6, §7):
 *
 * - **client → server**: a client-side (outbound) entry is the parent of the server-side (inbound) entry
 *   written by the callee's sidecar. The best evidence is the connection itself
 *   (`client.upstream_local_address == server.downstream_remote_address`); then the pod the client picked
 *   (`client.upstream_host ≈ server.downstream_local_address`); then, for old formats without addresses,
 *   timing plus the host both sides name (authority, cluster FQDN, mTLS SNI).
 * - **server → its own calls**: an inbound entry is the parent of the outbound calls its app made while
 *   serving it: the same proxy (same pod prefix, same file, or the same pod IP) and inside its time span.
 * - **through an app with no proxy of its own** (Istio ambient mode): a waypoint's entry that sent the request
 *   to a pod (`upstream_host` `envoy://connect_originate/10.0.0.5:9080`) is the parent of the waypoint entries
 *   whose caller is that pod (`downstream_remote_address` `10.0.0.5:…`) inside its time span: the pod's app
 *   made those calls while serving it, and no sidecar logged them in between.
 *
 * Every candidate edge gets a strength; edges are taken strongest first, one parent per child, never
 * forming a cycle. Pure; the work is bounded by the caller's entry cap (O(n²) pair checks).
 */
import { parseClusterName } from '../accesslog/cluster.js';
import type { AccessLogEntry } from '../accesslog/entry.js';
import { hostOfAddress, tunnelTarget } from './peer.js';

/** Clocks of different nodes drift; a server entry may start this much before its client's and still link. */
export const CROSS_PROXY_SKEW_MS = 1000;
/** Start times are truncated to ms and durations rounded: slack for comparisons on one proxy's clock. */
export const SAME_PROXY_TOLERANCE_MS = 5;
/** How many candidate parents are kept per child. */
const CANDIDATES_PER_CHILD = 4;

/** Edge strengths: higher wins. Client → server edges (A) and server → own call edges (B). */
const STRENGTH = {
  /** A: the client's connection is the server's downstream connection. */
  connection: 100,
  /** B: same pod (prefix or IP) and inside the inbound span. */
  samePodContained: 90,
  /** A: the pod the client picked is the server's local address (IP:port). */
  upstreamHost: 80,
  /** A: same pod IP, different port. */
  upstreamIp: 70,
  /** A: the server's caller IP is the client's own pod IP (a different connection). */
  callerIp: 60,
  /** B: same pod, started after the inbound began but not inside it (caller disconnected, async work). */
  samePodLate: 50,
  /** B: same pod, no times to compare. */
  samePodUntimed: 45,
  /** A: timing fits and both sides name the same host. */
  timingHost: 40,
  /** B: one file with no addresses; timing only. */
  sameFileContained: 35,
  /** A: timing fits; the server names no host. */
  timingOnly: 30,
  /** C: the server forwarded to the pod that is the child's caller, and the child is inside its span. */
  viaApp: 55,
} as const;

/** What linking needs from an entry, computed once. */
export interface TraceNode {
  entry: AccessLogEntry;
  /** Position in the filtered input (stable tie-break). */
  index: number;
  /** `origin` when the line had a pod prefix, else the file. */
  proxy: string;
  hasOrigin: boolean;
  /** Inbound entries are server side; outbound and unknown ones are client side. */
  server: boolean;
  /** Epoch ms or null. */
  start: number | null;
  duration: number | null;
  /** start + duration (start alone when the duration is unknown). */
  end: number | null;
  /** The client gave up or the server saw a disconnect: durations on the two sides need not nest. */
  abandoned: boolean;
  upstreamLocal: string | null;
  downstreamRemote: string | null;
  upstreamHost: string | null;
  downstreamLocal: string | null;
  /** Server side: the pod's IP (downstream local). Client side: the pod's own IP (upstream local, else downstream remote). */
  podIp: string | null;
  /** Server side: the caller's IP. */
  callerIp: string | null;
  /** Client side: the IP of the pod it picked. */
  targetIp: string | null;
  /** Server side: the IP it forwarded to when that is another pod (a waypoint's `envoy://…/IP:port` target). */
  forwardIp: string | null;
  /** Host names the entry mentions (authority, cluster FQDN, SNI), lower case, with their first labels. */
  hosts: Set<string>;
}

export interface Link {
  child: number;
  parent: number;
  strength: number;
  /** Lower is better among equal strengths. */
  cost: number;
  kind: 'address' | 'timing';
  /** Client → server edge (two proxies, two clocks). */
  cross: boolean;
}

/** Flags meaning the caller stopped waiting (timeouts, disconnects). */
const ABANDON_FLAGS: ReadonlySet<string> = new Set(['DC', 'UT', 'SI', 'DR', 'DT', 'UMSDR', 'LR']);

function address(value: string | null): string | null {
  if (value === null) return null;
  const v = value.trim().toLowerCase();
  return v === '' || v === '-' ? null : v;
}

function isIpLike(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || (host.includes(':') && /^[0-9a-f:.]+$/.test(host));
}

function isLoopbackOrUnspecified(ip: string): boolean {
  return ip.startsWith('127.') || ip === '::1' || ip === '0.0.0.0' || ip === '::';
}

/** The IP of `ip:port`, if it is a usable (routable, non-loopback) IP. */
export function usableIp(addr: string | null): string | null {
  if (addr === null) return null;
  const ip = hostOfAddress(addr);
  return isIpLike(ip) && !isLoopbackOrUnspecified(ip) ? ip : null;
}

/** Port of `ip:port` / `[v6]:port`, or null. */
export function portOf(addr: string): string | null {
  const m = /:(\d+)$/.exec(addr);
  if (m === null) return null;
  if (!addr.startsWith('[') && addr.indexOf(':') !== addr.lastIndexOf(':')) return null;
  return m[1] ?? null;
}

/** An exact connection address worth comparing: a real IP, not loopback, not the `:0` of a restored client. */
function connectionAddress(addr: string | null): string | null {
  if (addr === null || usableIp(addr) === null) return null;
  const port = portOf(addr);
  return port === null || port === '0' ? null : addr;
}

function addHost(hosts: Set<string>, raw: string | null): void {
  if (raw === null) return;
  let host = raw.trim().toLowerCase();
  if (host === '' || host === '-') return;
  if (host.startsWith('[')) host = hostOfAddress(host);
  else if (host.indexOf(':') === host.lastIndexOf(':')) host = host.replace(/:\d*$/, '');
  if (host === '') return;
  hosts.add(host);
  if (!isIpLike(host)) {
    const dot = host.indexOf('.');
    if (dot > 0) hosts.add(host.slice(0, dot));
  }
}

/** `outbound_.8000_._.httpbin.foo.svc.cluster.local` → `httpbin.foo.svc.cluster.local`. */
export function hostOfSni(sni: string | null): string | null {
  if (sni === null) return null;
  const m = /^outbound_\.\d+_\.[^_]*_\.(.+)$/.exec(sni);
  return m?.[1] ?? null;
}

function parseTime(value: string | null): number | null {
  if (value === null) return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}

export function toNode(entry: AccessLogEntry, index: number): TraceNode {
  const start = parseTime(entry.start_time);
  const duration =
    entry.duration_ms !== null && Number.isFinite(entry.duration_ms) && entry.duration_ms >= 0
      ? entry.duration_ms
      : null;
  const server = entry.direction === 'inbound';
  const upstreamLocal = address(entry.upstream_local_address);
  const downstreamRemote = address(entry.downstream_remote_address);
  const upstreamHost = address(entry.upstream_host);
  const downstreamLocal = address(entry.downstream_local_address);
  const hosts = new Set<string>();
  addHost(hosts, entry.authority);
  const cluster = parseClusterName(entry.upstream_cluster);
  addHost(hosts, cluster.host);
  if (server) addHost(hosts, hostOfSni(entry.requested_server_name));
  return {
    entry,
    index,
    proxy: entry.origin ?? entry.source,
    hasOrigin: entry.origin !== null,
    server,
    start,
    duration,
    end: start === null ? null : start + (duration ?? 0),
    abandoned: entry.response_flags.some((f) => ABANDON_FLAGS.has(f)),
    upstreamLocal,
    downstreamRemote,
    upstreamHost,
    downstreamLocal,
    podIp: server ? usableIp(downstreamLocal) : (usableIp(upstreamLocal) ?? usableIp(downstreamRemote)),
    callerIp: server ? usableIp(downstreamRemote) : null,
    targetIp: server ? null : usableIp(upstreamHost),
    forwardIp: server ? forwardIpOf(upstreamHost, usableIp(downstreamLocal)) : null,
    hosts,
  };
}

/**
 * The pod a server-side entry forwarded to, when it is not the proxy's own pod: a waypoint's
 * `envoy://connect_originate/10.0.0.5:9080` (the HBONE tunnel's target), or a plain `IP:port` of another pod.
 */
function forwardIpOf(upstreamHost: string | null, ownIp: string | null): string | null {
  const ip = usableIp(tunnelTarget(upstreamHost));
  return ip !== null && ip !== ownIp ? ip : null;
}

/** Server → server edge through an app without a proxy (ambient mode, see the module), or null. */
function viaAppLink(parent: TraceNode, child: TraceNode): Link | null {
  if (parent.forwardIp === null || parent.forwardIp !== child.callerIp || parent.index === child.index)
    return null;
  if (parent.start !== null && child.start !== null) {
    if (child.start < parent.start - CROSS_PROXY_SKEW_MS) return null;
    if (
      parent.end !== null &&
      child.end !== null &&
      !child.abandoned &&
      child.end > parent.end + CROSS_PROXY_SKEW_MS
    )
      return null;
  }
  const cost =
    parent.start !== null && child.start !== null
      ? Math.abs(child.start - parent.start)
      : Number.MAX_SAFE_INTEGER;
  return makeLink(child.index, parent.index, STRENGTH.viaApp, cost, 'address', true);
}

function sharesHost(a: Set<string>, b: Set<string>): boolean {
  for (const h of a) if (b.has(h)) return true;
  return false;
}

type Plausibility = 'yes' | 'no' | 'unknown';

/** Could server entry `s` be the far end of client entry `c`, by the clock? */
function plausibleCrossTiming(c: TraceNode, s: TraceNode): Plausibility {
  if (c.start === null || s.start === null) return 'unknown';
  if (s.start < c.start - CROSS_PROXY_SKEW_MS) return 'no';
  if (c.abandoned || s.abandoned) return 'yes';
  if (c.duration !== null && s.duration !== null && s.duration > c.duration + SAME_PROXY_TOLERANCE_MS) {
    return 'no';
  }
  if (c.end !== null && s.end !== null && s.end > c.end + CROSS_PROXY_SKEW_MS) return 'no';
  return 'yes';
}

function makeLink(
  child: number,
  parent: number,
  strength: number,
  cost: number,
  kind: Link['kind'],
  cross: boolean,
): Link {
  return { child, parent, strength, cost, kind, cross };
}

/** Client → server edge candidate, or null. */
function crossLink(c: TraceNode, s: TraceNode): Link | null {
  let strength: number;
  let kind: Link['kind'] = 'address';
  const connection = connectionAddress(c.upstreamLocal);
  const timing = plausibleCrossTiming(c, s);
  if (connection !== null && connection === s.downstreamRemote) {
    strength = STRENGTH.connection;
  } else if (timing === 'no' || c.entry.direction !== 'outbound') {
    // Beyond the connection itself, only real outbound entries (a cluster was chosen) can be callers.
    return null;
  } else if (c.targetIp !== null && s.podIp !== null) {
    // The client picked a pod: the server must be that pod.
    if (c.targetIp !== s.podIp) return null;
    strength = c.upstreamHost === s.downstreamLocal ? STRENGTH.upstreamHost : STRENGTH.upstreamIp;
  } else if (c.podIp !== null && s.callerIp !== null && c.podIp === s.callerIp) {
    strength = STRENGTH.callerIp;
  } else {
    // No address evidence either way: timing and names only.
    if (timing !== 'yes') return null;
    kind = 'timing';
    if (s.hosts.size === 0) strength = STRENGTH.timingOnly;
    else if (sharesHost(c.hosts, s.hosts)) strength = STRENGTH.timingHost;
    else return null;
  }
  const cost =
    c.start !== null && s.start !== null
      ? Math.abs(s.start - c.start) + Math.max(0, (s.duration ?? 0) - (c.duration ?? 0))
      : Number.MAX_SAFE_INTEGER;
  return makeLink(s.index, c.index, strength, cost, kind, true);
}

type SameProxy = 'same' | 'different' | 'unknown';

function sameProxy(s: TraceNode, c: TraceNode): { same: SameProxy; byIp: boolean } {
  const ipMatch = s.podIp !== null && s.podIp === c.podIp;
  if (s.hasOrigin && c.hasOrigin) return { same: s.proxy === c.proxy ? 'same' : 'different', byIp: ipMatch };
  if (s.entry.source !== c.entry.source) return { same: ipMatch ? 'same' : 'different', byIp: ipMatch };
  if (ipMatch) return { same: 'same', byIp: true };
  if (s.podIp === null || c.podIp === null) return { same: 'unknown', byIp: false };
  return { same: 'different', byIp: false };
}

/** Server → own outbound call edge candidate, or null. */
function ownCallLink(s: TraceNode, c: TraceNode): Link | null {
  const { same, byIp } = sameProxy(s, c);
  if (same === 'different') return null;
  const kind: Link['kind'] = byIp ? 'address' : 'timing';
  if (s.start === null || c.start === null || s.end === null || c.end === null) {
    return same === 'same'
      ? makeLink(c.index, s.index, STRENGTH.samePodUntimed, Number.MAX_SAFE_INTEGER, kind, false)
      : null;
  }
  if (c.start < s.start - SAME_PROXY_TOLERANCE_MS) return null;
  const contained = c.end <= s.end + SAME_PROXY_TOLERANCE_MS || s.duration === null;
  if (contained) {
    const strength = same === 'same' ? STRENGTH.samePodContained : STRENGTH.sameFileContained;
    return makeLink(c.index, s.index, strength, Math.max(0, c.start - s.start), kind, false);
  }
  return same === 'same'
    ? makeLink(c.index, s.index, STRENGTH.samePodLate, Math.max(0, c.start - s.end), kind, false)
    : null;
}

function better(a: Link, b: Link): number {
  return b.strength - a.strength || a.cost - b.cost || a.parent - b.parent;
}

/**
 * Chooses a parent for every node (null for roots). `nodes[i].index` must equal `i`.
 * Returns the chosen edge per child.
 */
export function linkNodes(nodes: readonly TraceNode[]): (Link | null)[] {
  const best: Link[][] = nodes.map(() => []);
  const servers = nodes.filter((n) => n.server);
  const clients = nodes.filter((n) => !n.server);
  for (const child of nodes) {
    const kept = best[child.index];
    if (kept === undefined) continue;
    const parents = child.server && child.callerIp !== null ? nodes : child.server ? clients : servers;
    for (const parent of parents) {
      const candidate = !child.server
        ? ownCallLink(parent, child)
        : parent.server
          ? viaAppLink(parent, child)
          : crossLink(parent, child);
      if (candidate === null) continue;
      if (kept.length < CANDIDATES_PER_CHILD) {
        kept.push(candidate);
        kept.sort(better);
      } else {
        const worst = kept[kept.length - 1];
        if (worst !== undefined && better(candidate, worst) < 0) {
          kept[kept.length - 1] = candidate;
          kept.sort(better);
        }
      }
    }
  }
  const all = best.flat().sort(better);
  const parentOf: (Link | null)[] = nodes.map(() => null);
  for (const link of all) {
    if (parentOf[link.child] !== null) continue;
    if (wouldCycle(parentOf, link.child, link.parent)) continue;
    parentOf[link.child] = link;
  }
  return parentOf;
}

/** Would making `parent` the parent of `child` close a loop? */
function wouldCycle(parentOf: readonly (Link | null)[], child: number, parent: number): boolean {
  let at: number | null = parent;
  let steps = 0;
  while (at !== null && steps <= parentOf.length) {
    if (at === child) return true;
    at = parentOf[at]?.parent ?? null;
    steps++;
  }
  return false;
}
