/**
 * @module analysis/summarize
 * Entries → flows, findings and totals, streaming: `add` each entry as it is parsed, then `result()`.
 * Memory is bounded by design, never by the input: flows (capped: when full, the smallest half moves into
 * one `(other)` row per direction and outcome, so the heavy flows stay), peers and routes per peer (capped:
 * the rest are grouped into one row that counts them and names the most frequent, see analysis/name-sketch),
 * and finding groups (capped). Every entry is in exactly one row, so the rows add up to the totals.
 *
 * Inbound callers are grouped by workload: a name from the resolver (a live cluster), else the pod whose own
 * entries showed the address (`[pod/…]` prefixes), reduced to its workload (analysis/workload-name). An
 * address named by neither is kept apart (bounded) until the end, when what was learned since may name it;
 * still unnamed, its entries join the route's grouped row ("812 callers", the top callers listed).
 */

import { parseClusterName } from '../accesslog/cluster.js';
import type { AccessLogEntry, Direction, SkipReason } from '../accesslog/entry.js';
import { hasZeroPort } from '../accesslog/fields.js';
import { detach } from '../core/detach.js';
import { isProblem, type Outcome, outcomeOf } from './classify.js';
import { codeCounts } from './code-counts.js';
import { type ConnectionInput, ConnectionSummaryBuilder } from './connections.js';
import { DurationHistogram } from './duration-histogram.js';
import { FindingsCollector } from './findings.js';
import { NameSketch } from './name-sketch.js';
import { pathPattern } from './path-pattern.js';
import { type AddressResolver, callerName, describePeer, hostOfAddress, isGatewayEntry } from './peer.js';
import { type PodDirectory, PodList, podOf } from './pod-ref.js';
import type {
  ConnectionSummary,
  Flow,
  NameGroup,
  SourceStats,
  SummaryReport,
  SummaryTotals,
} from './report.js';
import { countsAsSkipped } from './skip-reasons.js';
import { isoOfTimeKey, timeKey } from './time-key.js';
import { workloadOfPod } from './workload-name.js';

export interface SummarizeOptions {
  /** Entries that started before this instant (epoch ms) are left out (`--since`). */
  sinceMs?: number | null | undefined;
  /** Names for peer IP addresses (pods), when a live cluster provided them. */
  resolve?: AddressResolver | undefined;
  /** The pods a live cluster read, for the findings' commands (their namespace and app container). */
  pods?: PodDirectory | undefined;
  /**
   * Most distinct flows kept (default 20,000). When full, the smallest half move into one `(other)` flow
   * per direction and outcome.
   */
  maxFlows?: number | undefined;
  /** Most distinct routes per peer (default 64); the rest of a peer's routes share one grouped row. */
  maxRoutesPerPeer?: number | undefined;
  /** Most named peers (default 2000); the rest share one grouped row per direction and route. */
  maxPeers?: number | undefined;
}

interface FlowAccumulator {
  flow: Omit<
    Flow,
    | 'duration_ms'
    | 'codes'
    | 'flags'
    | 'first_seen'
    | 'last_seen'
    | 'reported_by'
    | 'reported_by_more'
    | 'peer_group'
    | 'route_group'
  >;
  /** Response codes seen and their counts (a flow rarely sees more than a few). */
  codes: Tally<number>;
  /** Response flags seen and their counts; null until a flag is seen (most flows never see one). */
  flags: Tally<string> | null;
  durations: DurationHistogram;
  exampleErrors: number;
  /** first_seen / last_seen as epoch ms; the strings are made from them at the end (see `isoOfTimeKey`). */
  firstKey: number;
  lastKey: number;
  pods: PodList;
  /** A grouped row's peers (callers for inbound), when the row is one (see analysis/name-sketch). */
  peers: NameSketch | undefined;
  /** A grouped row's routes, when the row holds the routes past a peer's limit. */
  routes: NameSketch | undefined;
  /** Set while the row's peer is a caller's address not named yet (named or grouped in `result`). */
  address: string | null;
  /** Where the flow is indexed (its slots and index there), so that it can be evicted. */
  home: (FlowAccumulator | undefined)[] | null;
  at: number;
}

const DIRECTION_ORDER: Record<Direction, number> = { inbound: 0, outbound: 1, unknown: 2 };
const DEFAULT_MAX_FLOWS = 20_000;
const DEFAULT_MAX_ROUTES_PER_PEER = 64;
const DEFAULT_MAX_PEERS = 2000;
/** Callers' addresses kept apart until the end, when they may be named (the rest are grouped at once). */
const MAX_ADDRESS_PEERS = 128;
/** Routes indexed over all peers (each costs a slot array): past it, new routes are grouped. */
const MAX_ROUTES = 20_000;
/** The route of a grouped row holding a peer's routes past its limit. */
export const OTHER_ROUTES = '(other routes)';
/** The peer of a grouped row (its `peer_group` says which and how many); also names it in reports. */
const GROUPED = '\u0000grouped';
/** How many of a grouped row's names reports list. */
export const GROUP_TOP = 5;
const MAX_EXAMPLES = 3;
/** Longest example request id kept (as findings keep them): ids are log text, up to a line long. */
const MAX_EXAMPLE_LENGTH = 128;
const PEER_CACHE_LIMIT = 10_000;
const LEARNED_PODS_LIMIT = 10_000;

/** The flows of one peer: route pattern → flows by method, outcome and direction. */
interface PeerFlows {
  name: string;
  routes: Map<string, RouteFlows>;
  /** `named`: a service, workload or authority; `address`: a caller not named yet; `grouped`: many peers. */
  kind: 'named' | 'address' | 'grouped';
}

/** One route's flows: a slot per standard method × outcome × direction (no key built per entry). */
interface RouteFlows {
  slots: (FlowAccumulator | undefined)[];
  /** Methods outside `METHODS` (rare): method → slots. */
  otherMethods: Map<string, (FlowAccumulator | undefined)[]> | undefined;
}

/** Standard methods in slot order; index 0 is "no method" (TCP). */
const METHODS = ['', 'GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'CONNECT', 'TRACE'];
const SLOTS_PER_METHOD = 12;

export class SummaryBuilder {
  /** Peer name → its flows. Outbound peers are also found by cluster name (`peerByCluster`). */
  private readonly peers = new Map<string, PeerFlows>();
  private readonly flows: FlowAccumulator[] = [];
  private readonly otherFlows = new Map<string, FlowAccumulator>();
  /** Pod IP → workload, learned from entries whose origin (pod) is known: their own local addresses. */
  private readonly learnedPods = new Map<string, string>();
  /** Callers' addresses not named yet, each with its own flows until `result` names or groups them. */
  private readonly addressPeers = new Map<string, PeerFlows>();
  /** The grouped peer of each direction (its rows count the peers in them). */
  private readonly groupedPeers = new Map<Direction, PeerFlows>();
  /** The name a grouped peer was chosen for, by the last `peerOf`/`callerOf` (null: not grouped). */
  private groupedName: string | null = null;
  private routeCount = 0;
  private readonly maxRoutesPerPeer: number;
  private readonly maxPeers: number;
  /** Outbound peers by cluster name: the cluster string repeats on nearly every line. */
  private readonly peerByCluster = new Map<string, PeerFlows>();
  private readonly findings = new FindingsCollector();
  /** ztunnel's connection records (ambient mode), when the input has any. */
  private readonly connections: ConnectionSummaryBuilder;
  private readonly totals: SummaryTotals = {
    entries: 0,
    inbound: 0,
    outbound: 0,
    unknown: 0,
    errors: 0,
    warnings: 0,
    client_errors: 0,
    skipped_lines: 0,
    filtered_out: 0,
  };
  private readonly skipped: Partial<Record<SkipReason, number>> = {};
  /** Entries that logged each field the summary leans on; a field no entry logs is said to be missing. */
  private readonly logged = { ...NO_FIELDS_LOGGED };
  private readonly sources = new Map<string, SourceStats>();
  private readonly notes: string[] = [];
  private flowsTruncated = 0;
  private emptyExplained: string | null = null;
  private newestFilteredKey = Number.NEGATIVE_INFINITY;
  private fromKey = Number.POSITIVE_INFINITY;
  private toKey = Number.NEGATIVE_INFINITY;
  private readonly maxFlows: number;

  constructor(private readonly options: SummarizeOptions = {}) {
    this.maxFlows = Math.max(2, options.maxFlows ?? DEFAULT_MAX_FLOWS);
    this.maxRoutesPerPeer = Math.max(1, options.maxRoutesPerPeer ?? DEFAULT_MAX_ROUTES_PER_PEER);
    this.maxPeers = Math.max(1, options.maxPeers ?? DEFAULT_MAX_PEERS);
    this.connections = new ConnectionSummaryBuilder({ sinceMs: options.sinceMs });
  }

  /** Counts one ztunnel connection record (ambient mode, L4) into the connection flows and findings. */
  addConnection(record: ConnectionInput): void {
    this.connections.add(record);
  }

  /** Counts one entry into its flow, the totals and (for errors and warnings) the findings. */
  add(entry: AccessLogEntry): void {
    const time = entry.start_time;
    const key = time === null ? Number.NaN : timeKey(time);
    if (this.filteredOut(key)) return;
    const outcome = outcomeOf(entry);
    this.countTotals(entry.direction, key, outcome);
    const logged = this.logged;
    if (entry.request_id !== null) logged.request_id++;
    if (entry.upstream_cluster !== null) logged.upstream_cluster++;
    if (entry.duration_ms !== null) logged.duration_ms++;
    if (entry.downstream_remote_address !== null) logged.downstream_remote_address++;
    if (entry.upstream_host !== null) logged.upstream_host++;
    if (entry.origin !== null) this.learnPod(entry, entry.origin);
    this.groupedName = null;
    const peer = this.peerOf(entry);
    const groupedName = this.groupedName;
    if (isProblem(outcome))
      this.findings.add(entry, groupedName ?? peer.name, outcome, podOf(entry, this.options.pods));
    const method = entry.method;
    const path = entry.path;
    const route =
      method === null && entry.protocol === null ? '(tcp)' : path === null ? '(no path)' : pathPattern(path);
    const acc = this.flowFor(peer, method, route, entry.direction, outcome);
    countIntoFlow(acc, key, outcome, entry.response_code ?? 0, entry);
    if (groupedName !== null) acc.peers?.add(groupedName);
    if (acc.routes !== undefined) acc.routes.add(route);
    const flags = entry.response_flags;
    for (let i = 0; i < flags.length; i++) acc.flags = count(acc.flags, flags[i] as string, 1);
    addExample(acc, entry.request_id, outcome === 'error');
    if (entry.origin !== null) acc.pods.add(entry.origin);
  }

  /** True (and counted) when `--since` leaves the entry out. */
  private filteredOut(key: number): boolean {
    const since = this.options.sinceMs;
    if (since === null || since === undefined || key >= since) return false;
    this.totals.filtered_out++;
    if (key > this.newestFilteredKey) this.newestFilteredKey = key;
    return true;
  }

  private countTotals(direction: Direction, key: number, outcome: Outcome): void {
    const totals = this.totals;
    totals.entries++;
    if (direction === 'inbound') totals.inbound++;
    else if (direction === 'outbound') totals.outbound++;
    else totals.unknown++;
    if (outcome === 'error') totals.errors++;
    else if (outcome === 'warning') totals.warnings++;
    else if (outcome === 'client_error') totals.client_errors++;
    if (key < this.fromKey) this.fromKey = key;
    if (key > this.toKey) this.toKey = key;
  }

  /** Records where entries came from and what was skipped there. */
  addSource(name: string, entries: number, skipped: Partial<Record<SkipReason, number>>): void {
    const source = this.sources.get(name) ?? { name, entries: 0, skipped_lines: 0 };
    source.entries += entries;
    for (const [reason, n] of Object.entries(skipped) as [SkipReason, number][]) {
      if (n === 0 || !countsAsSkipped(reason)) continue;
      source.skipped_lines += n;
      this.totals.skipped_lines += n;
      this.skipped[reason] = (this.skipped[reason] ?? 0) + n;
    }
    this.sources.set(name, source);
  }

  /** Adds a note for the reader (e.g. a pod whose log could not be read). */
  note(text: string): void {
    this.notes.push(text);
  }

  /**
   * Why no entry was counted, when the advice to switch logging on would mislead: the input holds no proxy
   * log at all, or a filter left every entry out. Without `text`, a note already added says it.
   */
  explainEmpty(text?: string): void {
    this.emptyExplained = text ?? '';
  }

  result(): SummaryReport {
    const connections = this.connections.empty ? undefined : this.connections.result();
    return {
      kind: 'summary',
      totals: { ...this.totals },
      skipped: { ...this.skipped },
      window: { from: isoOfTimeKey(this.fromKey), to: isoOfTimeKey(this.toKey) },
      findings: [
        ...this.findings.result((peer, direction) =>
          direction === 'inbound' ? (this.learnedPods.get(peer) ?? peer) : peer,
        ),
        ...(connections === undefined ? [] : this.connections.findingsResult()),
      ],
      flows: this.finalFlows(),
      flows_truncated: this.flowsTruncated,
      sources: [...this.sources.values()],
      notes: [...this.notes, ...this.derivedNotes(connections)],
      ...(connections === undefined ? {} : { connections }),
    };
  }

  /**
   * The flows as reports show them. Callers' addresses still apart are named by what the logs taught
   * since (their workload), else join their route's grouped row; rows that meet are merged (into copies:
   * `result` may be asked again while entries still come, `logs --follow`).
   */
  private finalFlows(): Flow[] {
    const keyOf = (f: FlowAccumulator['flow'], peer: string) =>
      `${f.direction}|${peer}|${f.method ?? ''}|${f.route}|${f.outcome}`;
    const byKey = new Map<string, FlowAccumulator>();
    for (const acc of this.flows) if (acc.address === null) byKey.set(keyOf(acc.flow, acc.flow.peer), acc);
    // Rows that take in an address's rows are copies, made once each.
    const copies = new Set<FlowAccumulator>();
    for (const acc of this.flows) {
      const address = acc.address;
      if (address === null) continue;
      const workload = this.learnedPods.get(hostOfAddress(address));
      const f = acc.flow;
      const peer = workload ?? GROUPED;
      const key = keyOf(f, peer);
      let into = byKey.get(key);
      if (into === undefined || !copies.has(into)) {
        const fresh = newAccumulator(f.direction, peer, f.method, f.route, f.outcome);
        if (into !== undefined) mergeAccumulator(fresh, into);
        into = fresh;
        byKey.set(key, into);
        copies.add(into);
      }
      mergeAccumulator(into, acc);
      if (workload !== undefined) continue;
      into.peers ??= new NameSketch();
      into.peers.add(address, f.count);
    }
    const nameOf = (name: string) => this.learnedPods.get(hostOfAddress(name)) ?? name;
    return [...byKey.values(), ...this.otherFlows.values()]
      .map((acc) => toFlow(acc, nameOf))
      .sort(compareFlows);
  }

  private derivedNotes(connections: ConnectionSummary | undefined): string[] {
    const notes: string[] = [];
    const { entries, filtered_out } = this.totals;
    if (entries === 0 && connections !== undefined) {
      // ztunnel's records alone (an ambient pod with no waypoint, or a ztunnel log): nothing is missing.
      if (connections.totals.connections === 0 && connections.totals.filtered_out > 0)
        notes.push(
          `All ${connections.totals.filtered_out} ztunnel connection records are older than the --since window.`,
        );
    } else if (entries === 0 && filtered_out > 0) {
      notes.push(
        `All ${filtered_out} entries are older than the --since window (the newest started at ${isoOfTimeKey(this.newestFilteredKey) ?? 'an unknown time'}).`,
      );
    } else if (entries === 0 && this.emptyExplained !== null) {
      if (this.emptyExplained !== '') notes.push(this.emptyExplained);
    } else if (entries === 0) {
      notes.push(
        'No access-log entries found. Is access logging on for this workload? (meshbot enable-logging NAMESPACE), or pass --log-format if it uses a custom format.',
      );
    }
    if (entries > 0) {
      const missing = (Object.keys(MISSING_FIELD_EFFECT) as (keyof typeof NO_FIELDS_LOGGED)[]).filter(
        (field) => this.logged[field] === 0,
      );
      if (missing.length > 0)
        notes.push(
          `No entry logs ${missing.join(', ')} (the lines' format has no such field, or logs it as "-"), so meshbot shows none: ${missing.map((f) => MISSING_FIELD_EFFECT[f]).join('; ')}.`,
        );
    }
    const malformed = this.skipped.malformed ?? 0;
    if (malformed > 0) {
      notes.push(
        `${malformed} line${malformed === 1 ? '' : 's'} looked like access-log entries but did not parse; if the mesh uses a custom accessLogFormat, pass it with --log-format.`,
      );
    }
    if (this.flowsTruncated > 0) {
      notes.push(
        `${this.flowsTruncated} entries were counted in "(other)" flows: more than ${this.maxFlows} distinct flows, so the smallest were merged.`,
      );
    }
    return notes;
  }

  /** An inbound entry's local address, and an outbound entry's upstream local address, are the pod's own. */
  private learnPod(entry: AccessLogEntry, pod: string): void {
    const own = entry.direction === 'inbound' ? entry.downstream_local_address : entry.upstream_local_address;
    if (own === null || this.learnedPods.size >= LEARNED_PODS_LIMIT) return;
    const ip = hostOfAddress(own);
    if (ip.startsWith('127.') || ip === '::1' || this.learnedPods.has(ip)) return;
    this.learnedPods.set(detach(ip), detach(workloadOfPod(pod)));
  }

  private peerOf(entry: AccessLogEntry): PeerFlows {
    const cluster = entry.upstream_cluster;
    const direction = entry.direction;
    if (direction === 'inbound') {
      const remote = entry.downstream_remote_address;
      if (remote !== null) return this.callerPeer(remote, entry.x_forwarded_for);
      return this.peerNamed(describePeer(entry, this.options.resolve), direction);
    }
    // Outbound clusters start `outbound|`; the only other outbound ones are Passthrough/BlackHole (`P`, `B`).
    if (direction !== 'outbound' || cluster === null || cluster.charCodeAt(0) !== 111) {
      const name = describePeer(entry, this.options.resolve);
      // A gateway's clients are the internet: one grouped row per route, never a row per client.
      if (direction === 'unknown' && isGatewayEntry(entry)) return this.grouped(direction, name);
      return this.peerNamed(name, direction);
    }
    let peer = this.peerByCluster.get(cluster);
    if (peer === undefined) {
      peer = this.peerNamed(describePeer(entry, this.options.resolve), direction);
      if (peer.kind === 'grouped') return peer;
      // The name depends on the cluster alone only for `outbound|…|host` (checked once per cluster).
      if (!cluster.startsWith('outbound|') || parseClusterName(cluster).host === null) return peer;
      if (this.peerByCluster.size >= PEER_CACHE_LIMIT) this.peerByCluster.clear();
      this.peerByCluster.set(detach(cluster), peer);
    }
    return peer;
  }

  /**
   * The peer of an inbound entry from its caller's address: the workload the resolver or the logs name,
   * else the address kept apart (bounded), else the direction's grouped peer.
   */
  private callerPeer(remote: string, forwardedFor: string | null): PeerFlows {
    const ip = hostOfAddress(remote);
    const named = this.options.resolve?.(ip) ?? this.learnedPods.get(ip);
    if (named !== undefined) return this.peerNamed(named, 'inbound');
    // The address, or (remote port 0: the gateway restored the client's address) the X-Forwarded-For client.
    const name = forwardedFor !== null && hasZeroPort(remote) ? callerName(remote, forwardedFor) : ip;
    let peer = this.addressPeers.get(name);
    if (peer === undefined) {
      if (this.addressPeers.size >= MAX_ADDRESS_PEERS) return this.grouped('inbound', name);
      const own = detach(name);
      peer = { name: own, routes: new Map(), kind: 'address' };
      this.addressPeers.set(own, peer);
    }
    return peer;
  }

  /** The grouped peer of `direction`, for an entry whose own peer is `name` (counted in the row). */
  private grouped(direction: Direction, name: string): PeerFlows {
    this.groupedName = name;
    let peer = this.groupedPeers.get(direction);
    if (peer === undefined) {
      peer = { name: GROUPED, routes: new Map(), kind: 'grouped' };
      this.groupedPeers.set(direction, peer);
    }
    return peer;
  }

  /**
   * The flows of a peer by name. Past the peer limit a peer not seen yet is not kept: its entries go to
   * the direction's grouped rows, so the number of peers is bounded whatever the input.
   */
  private peerNamed(name: string, direction: Direction): PeerFlows {
    let peer = this.peers.get(name);
    if (peer === undefined) {
      if (this.peers.size >= this.maxPeers) return this.grouped(direction, name);
      const own = detach(name);
      peer = { name: own, routes: new Map(), kind: 'named' };
      this.peers.set(own, peer);
    }
    return peer;
  }

  private flowFor(
    peer: PeerFlows,
    method: string | null,
    route: string,
    direction: Direction,
    outcome: Outcome,
  ): FlowAccumulator {
    // Plain comparisons, not lookups in a table keyed by string: this runs for every entry.
    const slot =
      (outcome === 'ok' ? 0 : outcome === 'client_error' ? 3 : outcome === 'warning' ? 6 : 9) +
      (direction === 'inbound' ? 0 : direction === 'outbound' ? 1 : 2);
    const methodIndex = indexOfMethod(method);
    let routeFlows = peer.routes.get(route);
    let grouping = false;
    // A grouped peer stands for many: its routes are those of every service they called.
    const routeLimit = peer.kind === 'grouped' ? this.maxRoutesPerPeer * 16 : this.maxRoutesPerPeer;
    if (routeFlows === undefined && (peer.routes.size >= routeLimit || this.routeCount >= MAX_ROUTES)) {
      // Past the peer's route limit: its other routes share one row, which counts them.
      route = OTHER_ROUTES;
      routeFlows = peer.routes.get(route);
      grouping = true;
    }
    const otherMethods = routeFlows?.otherMethods;
    if (methodIndex < 0 && otherMethods !== undefined && otherMethods.size >= MAX_OTHER_METHODS)
      method = otherMethods.has(method ?? '') ? method : OTHER_METHOD;
    const slots = methodIndex >= 0 ? routeFlows?.slots : otherMethods?.get(method ?? '');
    const at = methodIndex >= 0 ? methodIndex * SLOTS_PER_METHOD + slot : slot;
    const existing = slots?.[at];
    if (existing !== undefined) return existing;
    if (this.flows.length >= this.maxFlows) this.evictSmallest();
    const ownRoute = detach(route);
    let ownSlots = slots;
    if (ownSlots === undefined) {
      let flows = routeFlows;
      if (flows === undefined) {
        // Holey: only the slots used take memory.
        flows = { slots: [], otherMethods: undefined };
        peer.routes.set(ownRoute, flows);
        this.routeCount++;
      }
      if (methodIndex >= 0) ownSlots = flows.slots;
      else {
        ownSlots = [];
        flows.otherMethods ??= new Map();
        flows.otherMethods.set(detach(method ?? ''), ownSlots);
      }
    }
    const ownMethod =
      methodIndex > 0 ? (METHODS[methodIndex] ?? null) : method === null ? null : detach(method);
    const acc = newAccumulator(direction, peer.name, ownMethod, ownRoute, outcome);
    if (grouping || route === OTHER_ROUTES) acc.routes = new NameSketch();
    if (peer.kind === 'grouped') acc.peers = new NameSketch();
    if (peer.kind === 'address') acc.address = peer.name;
    acc.home = ownSlots;
    acc.at = at;
    ownSlots[at] = acc;
    this.flows.push(acc);
    return acc;
  }

  /**
   * Makes room for new flows: the smaller half of the flows (by count) move into one `(other)` row per
   * direction and outcome, and leave the index (a flow seen again starts afresh). The heavy flows stay.
   */
  private evictSmallest(): void {
    const counts = this.flows.map((acc) => acc.flow.count).sort((a, b) => a - b);
    const threshold = counts[Math.floor(counts.length / 2)] ?? 0;
    const kept: FlowAccumulator[] = [];
    let toEvict = this.flows.length - Math.floor(this.maxFlows / 2);
    for (const acc of this.flows) {
      if (toEvict <= 0 || acc.flow.count > threshold) {
        kept.push(acc);
        continue;
      }
      toEvict--;
      const { direction, outcome } = acc.flow;
      const otherKey = `${direction}|${outcome}`;
      let other = this.otherFlows.get(otherKey);
      if (other === undefined) {
        other = newAccumulator(direction, '(other)', null, '(other)', outcome);
        this.otherFlows.set(otherKey, other);
      }
      mergeAccumulator(other, acc);
      this.flowsTruncated += acc.flow.count;
      if (acc.home !== null) acc.home[acc.at] = undefined;
    }
    this.flows.length = 0;
    for (const acc of kept) this.flows.push(acc);
  }
}

/** The fields whose absence changes what a summary can say, none logged yet. */
const NO_FIELDS_LOGGED = {
  upstream_cluster: 0,
  request_id: 0,
  duration_ms: 0,
  downstream_remote_address: 0,
  upstream_host: 0,
};

/** What a summary cannot say without each field (Envoy's default format has no cluster, some have no id). */
const MISSING_FIELD_EFFECT: Readonly<Record<keyof typeof NO_FIELDS_LOGGED, string>> = {
  upstream_cluster: 'the direction of the flows is unknown and their peer is the authority',
  request_id: 'no example request ids, and trace cannot follow a request',
  duration_ms: 'no latencies',
  downstream_remote_address: 'the callers are not known',
  upstream_host: 'which upstream pod answered is not known',
};

const MAX_OTHER_METHODS = 8;
const OTHER_METHOD = '(other)';

/** The slot group of a standard method (0 for none); -1 for any other method. */
function indexOfMethod(method: string | null): number {
  if (method === null) return 0;
  if (method === 'GET') return 1;
  if (method === 'POST') return 2;
  for (let i = 3; i < METHODS.length; i++) if (METHODS[i] === method) return i;
  return -1;
}

function newAccumulator(
  direction: Direction,
  peer: string,
  method: string | null,
  route: string,
  outcome: Flow['outcome'],
): FlowAccumulator {
  return {
    flow: {
      direction,
      peer,
      method,
      route,
      outcome,
      count: 0,
      errors: 0,
      warnings: 0,
      client_errors: 0,
      bytes_received: 0,
      bytes_sent: 0,
      example_request_ids: [],
    },
    codes: [],
    flags: null,
    durations: new DurationHistogram(),
    exampleErrors: 0,
    firstKey: Number.POSITIVE_INFINITY,
    lastKey: Number.NEGATIVE_INFINITY,
    pods: new PodList(),
    peers: undefined,
    routes: undefined,
    address: null,
    home: null,
    at: 0,
  };
}

/** Adds everything `from` counted to `into` (same direction and outcome). */
function mergeAccumulator(into: FlowAccumulator, from: FlowAccumulator): void {
  const a = into.flow;
  const b = from.flow;
  a.count += b.count;
  a.errors += b.errors;
  a.warnings += b.warnings;
  a.client_errors += b.client_errors;
  a.bytes_received += b.bytes_received;
  a.bytes_sent += b.bytes_sent;
  const codes = from.codes;
  for (let i = 0; i < codes.length; i += 2)
    into.codes = count(into.codes, codes[i] as number, codes[i + 1] as number);
  const flags = from.flags;
  if (flags !== null)
    for (let i = 0; i < flags.length; i += 2)
      into.flags = count(into.flags, flags[i] as string, flags[i + 1] as number);
  into.durations.merge(from.durations);
  b.example_request_ids.forEach((id, i) => {
    addExample(into, id, i < from.exampleErrors);
  });
  if (from.firstKey < into.firstKey) into.firstKey = from.firstKey;
  if (from.lastKey > into.lastKey) into.lastKey = from.lastKey;
  into.pods.merge(from.pods);
  if (from.peers !== undefined) {
    into.peers ??= new NameSketch();
    into.peers.merge(from.peers);
  }
  if (from.routes !== undefined) {
    into.routes ??= new NameSketch();
    into.routes.merge(from.routes);
  }
}

/** The numbers an entry adds to its flow. */
interface FlowNumbers {
  bytes_received: number | null;
  bytes_sent: number | null;
  duration_ms: number | null;
}

function countIntoFlow(
  acc: FlowAccumulator,
  key: number,
  outcome: Outcome,
  code: number,
  numbers: FlowNumbers,
): void {
  const flow = acc.flow;
  flow.count++;
  if (outcome === 'error') flow.errors++;
  else if (outcome === 'warning') flow.warnings++;
  else if (outcome === 'client_error') flow.client_errors++;
  flow.bytes_received += numbers.bytes_received ?? 0;
  flow.bytes_sent += numbers.bytes_sent ?? 0;
  acc.codes = count(acc.codes, code, 1);
  const duration = numbers.duration_ms;
  if (duration !== null) acc.durations.add(duration);
  if (key < acc.firstKey) acc.firstKey = key;
  if (key > acc.lastKey) acc.lastKey = key;
}

/**
 * Counts by key as `[key, count, key, count, …]`: one small array per flow (two arrays or a Map cost
 * several times its memory, and a summary keeps thousands of flows).
 */
type Tally<K> = (K | number)[];

/** `tally` with `n` more of `key` (a new array for the first key). */
function count<K extends string | number>(tally: Tally<K> | null, key: K, n: number): Tally<K> {
  if (tally === null || tally.length === 0) return [key, n];
  for (let i = 0; i < tally.length; i += 2)
    if (tally[i] === key) {
      tally[i + 1] = (tally[i + 1] as number) + n;
      return tally;
    }
  // A new array of the exact size: `push` would grow it to 17 slots or more, for thousands of flows.
  return tally.concat(key, n);
}

function pairsOf<K>(tally: Tally<K> | null): [K, number][] {
  const pairs: [K, number][] = [];
  if (tally !== null)
    for (let i = 0; i < tally.length; i += 2) pairs.push([tally[i] as K, tally[i + 1] as number]);
  return pairs;
}

/** Keeps up to three example request ids per flow, errors first. */
function addExample(acc: FlowAccumulator, whole: string | null, error: boolean): void {
  if (whole === null) return;
  const id = whole.length > MAX_EXAMPLE_LENGTH ? whole.slice(0, MAX_EXAMPLE_LENGTH) : whole;
  const examples = acc.flow.example_request_ids;
  const full = examples.length >= MAX_EXAMPLES;
  // Errors are the interesting examples: one replaces a non-error id when the list is full.
  if (full && (!error || acc.exampleErrors >= MAX_EXAMPLES)) return;
  if (examples.includes(id)) return;
  const at = error ? acc.exampleErrors++ : examples.length;
  // A new array of the exact size (a few times per flow): `push` and `splice` would grow it to 17 slots.
  acc.flow.example_request_ids = examples
    .slice(0, at)
    .concat(detach(id), examples.slice(at, full ? MAX_EXAMPLES - 1 : examples.length));
}

function toFlow(acc: FlowAccumulator, nameOf: (name: string) => string): Flow {
  const codes = codeCounts(pairsOf(acc.codes).sort((a, b) => b[1] - a[1] || a[0] - b[0]));
  const flags: Record<string, number> = {};
  for (const [flag, n] of pairsOf(acc.flags).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])))
    flags[flag] = n;
  const { flow } = acc;
  const peers = acc.peers?.result(GROUP_TOP, nameOf) ?? null;
  return {
    direction: flow.direction,
    peer: flow.peer === GROUPED ? groupedPeerName(flow.direction, peers) : flow.peer,
    method: flow.method,
    route: flow.route,
    outcome: flow.outcome,
    count: flow.count,
    errors: flow.errors,
    warnings: flow.warnings,
    client_errors: flow.client_errors,
    codes,
    flags,
    duration_ms: acc.durations.stats(),
    bytes_received: flow.bytes_received,
    bytes_sent: flow.bytes_sent,
    example_request_ids: [...flow.example_request_ids],
    first_seen: isoOfTimeKey(acc.firstKey),
    last_seen: isoOfTimeKey(acc.lastKey),
    reported_by: [...acc.pods.names],
    reported_by_more: acc.pods.more,
    peer_group: peers,
    route_group: acc.routes?.result(GROUP_TOP) ?? null,
  };
}

/**
 * The peer of a grouped row: `(812 callers)` (inbound), `(40 clients)` (a gateway's), `(12 peers)`; the
 * one name when the row holds only one.
 */
function groupedPeerName(direction: Direction, group: NameGroup | null): string {
  const distinct = group?.distinct ?? 0;
  const only = group?.top[0];
  if (distinct === 1 && only !== undefined && group?.others === 0) return only.name;
  const noun = direction === 'inbound' ? 'caller' : direction === 'unknown' ? 'client' : 'peer';
  return `(${thousands(distinct)} ${noun}${distinct === 1 ? '' : 's'})`;
}

/** `12,345`: what `toLocaleString('en-US')` writes, without its cost (it runs once per grouped row). */
function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function compareFlows(a: Flow, b: Flow): number {
  return (
    DIRECTION_ORDER[a.direction] - DIRECTION_ORDER[b.direction] ||
    b.errors - a.errors ||
    b.warnings - a.warnings ||
    b.count - a.count ||
    a.peer.localeCompare(b.peer) ||
    a.route.localeCompare(b.route)
  );
}

/** Summarises a finished list of entries (tests and small inputs). */
export function summarizeEntries(
  entries: Iterable<AccessLogEntry>,
  options: SummarizeOptions = {},
): SummaryReport {
  const builder = new SummaryBuilder(options);
  for (const entry of entries) builder.add(entry);
  return builder.result();
}
