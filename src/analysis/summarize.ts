/**
 * @module analysis/summarize
 * Entries → flows, findings and totals, streaming: `add` each entry as it is parsed, then `result()`.
 * Memory is bounded by the number of flows (capped) and finding groups, never by the number of entries.
 */

import { parseClusterName } from '../accesslog/cluster.js';
import type { AccessLogEntry, Direction, SkipReason } from '../accesslog/entry.js';
import {
  type LeanRecord,
  leanCluster,
  leanForwardedFor,
  leanPath,
  leanRemoteAddress,
  leanRequestId,
} from '../accesslog/lean-record.js';
import { detach } from '../core/detach.js';
import { isProblem, type Outcome, outcomeOf, outcomeOfFields } from './classify.js';
import { DurationHistogram } from './duration-histogram.js';
import { FindingsCollector } from './findings.js';
import { pathPattern } from './path-pattern.js';
import { type AddressResolver, callerName, describePeer, hostOfAddress } from './peer.js';
import { type PodDirectory, PodList, podOf } from './pod-ref.js';
import type { Flow, SourceStats, SummaryReport, SummaryTotals } from './report.js';
import { countsAsSkipped } from './skip-reasons.js';
import { isoOfTimeKey, timeKey } from './time-key.js';

export interface SummarizeOptions {
  /** Entries that started before this instant (epoch ms) are left out (`--since`). */
  sinceMs?: number | null | undefined;
  /** Names for peer IP addresses (pods), when a live cluster provided them. */
  resolve?: AddressResolver | undefined;
  /** The pods a live cluster read, for the findings' commands (their namespace and app container). */
  pods?: PodDirectory | undefined;
  /** Most distinct flows kept; later ones merge into one `(other)` flow per direction. Default 2000. */
  maxFlows?: number | undefined;
}

interface FlowAccumulator {
  flow: Omit<
    Flow,
    'duration_ms' | 'codes' | 'flags' | 'first_seen' | 'last_seen' | 'reported_by' | 'reported_by_more'
  >;
  /** Response codes seen and their counts (parallel arrays: a flow rarely sees more than a few codes). */
  codeKeys: number[];
  codeCounts: number[];
  flags: Map<string, number>;
  durations: DurationHistogram;
  exampleErrors: number;
  /** first_seen / last_seen as epoch ms; the strings are made from them at the end (see `isoOfTimeKey`). */
  firstKey: number;
  lastKey: number;
  pods: PodList;
}

const DIRECTION_ORDER: Record<Direction, number> = { inbound: 0, outbound: 1, unknown: 2 };
const DEFAULT_MAX_FLOWS = 2000;
const MAX_EXAMPLES = 3;
const PEER_CACHE_LIMIT = 10_000;
const LEARNED_PODS_LIMIT = 10_000;

/** The flows of one peer: route pattern → flows by method, outcome and direction. */
interface PeerFlows {
  name: string;
  routes: Map<string, RouteFlows>;
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
const NO_FLAGS: readonly string[] = [];

export class SummaryBuilder {
  /** Peer name → its flows. Outbound peers are also found by cluster name (`peerByCluster`). */
  private readonly peers = new Map<string, PeerFlows>();
  private readonly flows: FlowAccumulator[] = [];
  private readonly otherFlows = new Map<string, FlowAccumulator>();
  /** Pod IP → pod, learned from entries whose origin (pod) is known: their own local addresses. */
  private readonly learnedPods = new Map<string, string>();
  /** Outbound peers by cluster name: the cluster string repeats on nearly every line. */
  private readonly peerByCluster = new Map<string, PeerFlows>();
  /**
   * What lean records name by interned id (see `LeanRecord`): outbound peers by cluster id, callers
   * by host id, routes by path id. Valid for the ids of `idEpoch` only.
   */
  private peerByClusterId: (PeerFlows | undefined)[] = [];
  private callerByHostId: (PeerFlows | undefined)[] = [];
  /** Callers from remote port 0, named from X-Forwarded-For: by host id × 2^13 + X-Forwarded-For id. */
  private callerByForwarded = new Map<number, PeerFlows>();
  private routeByPathId: (string | undefined)[] = [];
  private idEpoch = -1;
  private readonly findings = new FindingsCollector();
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
  private readonly sources = new Map<string, SourceStats>();
  private readonly notes: string[] = [];
  private flowsTruncated = 0;
  private emptyExplained: string | null = null;
  private newestFilteredKey = Number.NEGATIVE_INFINITY;
  private fromKey = Number.POSITIVE_INFINITY;
  private toKey = Number.NEGATIVE_INFINITY;
  private readonly maxFlows: number;

  constructor(private readonly options: SummarizeOptions = {}) {
    this.maxFlows = options.maxFlows ?? DEFAULT_MAX_FLOWS;
  }

  /** Counts one entry into its flow, the totals and (for errors and warnings) the findings. */
  add(entry: AccessLogEntry): void {
    const time = entry.start_time;
    const key = time === null ? Number.NaN : timeKey(time);
    if (this.filteredOut(key)) return;
    const outcome = outcomeOf(entry);
    this.countTotals(entry.direction, key, outcome);
    if (entry.origin !== null) this.learnPod(entry, entry.origin);
    const peer = this.peerOf(entry);
    if (isProblem(outcome)) this.findings.add(entry, peer.name, outcome, podOf(entry, this.options.pods));
    const method = entry.method;
    const path = entry.path;
    const route =
      method === null && entry.protocol === null ? '(tcp)' : path === null ? '(no path)' : pathPattern(path);
    const acc = this.flowFor(peer, method, route, entry.direction, outcome);
    countIntoFlow(acc, key, outcome, entry.response_code ?? 0, entry);
    const flags = entry.response_flags;
    if (flags.length > 0) for (const flag of flags) acc.flags.set(flag, (acc.flags.get(flag) ?? 0) + 1);
    addExample(acc, entry.request_id, outcome === 'error');
    if (entry.origin !== null) acc.pods.add(entry.origin);
  }

  /**
   * Counts one record read by a lean reader (no flags, not an error: see accesslog/lean-record),
   * exactly as `add` would count its full entry. Returns false, having changed nothing, when the record
   * needs the full entry: an outbound cluster not seen yet (its peer name is learnt from a full entry).
   */
  addLean(record: LeanRecord): boolean {
    if (record.epoch !== this.idEpoch) this.forgetIds(record.epoch);
    let peer: PeerFlows | undefined;
    if (record.direction === 'outbound') {
      peer = this.outboundPeerOf(record);
      if (peer === undefined) return false;
    }
    const key = record.time_key;
    if (this.filteredOut(key)) return true;
    // After the filter: a caller seen only outside `--since` must not be kept as a peer.
    peer ??= this.callerOf(record);
    const code = record.response_code;
    const method = record.method;
    // The lean readers take no record with flags (kernel.wat); the outcome is decided as for any entry.
    const outcome = outcomeOfFields(code, NO_FLAGS, method !== null);
    this.countTotals(record.direction, key, outcome);
    const acc = this.flowFor(peer, method, this.leanRoute(record), record.direction, outcome);
    countIntoFlow(acc, key, outcome, code, record);
    if (acc.flow.example_request_ids.length < MAX_EXAMPLES) addExample(acc, leanRequestId(record), false);
    return true;
  }

  private forgetIds(epoch: number): void {
    this.peerByClusterId = [];
    this.callerByHostId = [];
    this.callerByForwarded = new Map();
    this.routeByPathId = [];
    this.idEpoch = epoch;
  }

  /** The peer of an outbound lean record, if a full entry with its cluster was seen (else undefined). */
  private outboundPeerOf(record: LeanRecord): PeerFlows | undefined {
    const id = record.cluster_id;
    const known = id >= 0 ? this.peerByClusterId[id] : undefined;
    if (known !== undefined) return known;
    const peer = this.peerByCluster.get(leanCluster(record));
    if (peer !== undefined && id >= 0) this.peerByClusterId[id] = peer;
    return peer;
  }

  /** The peer of an inbound lean record: its caller (the same for every record from the same host). */
  private callerOf(record: LeanRecord): PeerFlows {
    const host = record.host_id;
    const forwarded = record.forwarded_id;
    // Ids are below 2^13 (kernel.wat): the pair packs into one number.
    const pair = host >= 0 && forwarded >= 0 ? host * 8192 + forwarded : -1;
    const known =
      forwarded < 0 ? (host >= 0 ? this.callerByHostId[host] : undefined) : this.callerByForwarded.get(pair);
    if (known !== undefined) return known;
    const remote = leanRemoteAddress(record) ?? '';
    const peer = this.peerNamed(callerName(remote, leanForwardedFor(record), this.options.resolve));
    if (forwarded < 0 && host >= 0) this.callerByHostId[host] = peer;
    else if (pair >= 0) {
      // Bounded like the other caches: pairs of known ids need no new id, so the epoch alone does not.
      if (this.callerByForwarded.size >= PEER_CACHE_LIMIT) this.callerByForwarded.clear();
      this.callerByForwarded.set(pair, peer);
    }
    return peer;
  }

  private leanRoute(record: LeanRecord): string {
    const path = record.method === null ? null : record.path_id;
    if (path === null) return '(tcp)';
    const known = path >= 0 ? this.routeByPathId[path] : undefined;
    if (known !== undefined) return known;
    const route = pathPattern(leanPath(record) ?? '');
    if (path >= 0) this.routeByPathId[path] = route;
    return route;
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
    const flows = [...this.flows, ...this.otherFlows.values()]
      .map((acc) => this.named(toFlow(acc)))
      .sort(compareFlows);
    return {
      kind: 'summary',
      totals: { ...this.totals },
      skipped: { ...this.skipped },
      window: { from: isoOfTimeKey(this.fromKey), to: isoOfTimeKey(this.toKey) },
      findings: this.findings.result((peer, direction) =>
        direction === 'inbound' ? (this.learnedPods.get(peer) ?? peer) : peer,
      ),
      flows,
      flows_truncated: this.flowsTruncated,
      sources: [...this.sources.values()],
      notes: [...this.notes, ...this.derivedNotes()],
    };
  }

  /** Inbound callers by the pod name learned from the logs themselves, when no resolver named them. */
  private named(flow: Flow): Flow {
    if (flow.direction !== 'inbound') return flow;
    const pod = this.learnedPods.get(flow.peer);
    return pod === undefined ? flow : { ...flow, peer: pod };
  }

  private derivedNotes(): string[] {
    const notes: string[] = [];
    const { entries, filtered_out } = this.totals;
    if (entries === 0 && filtered_out > 0) {
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
    const malformed = this.skipped.malformed ?? 0;
    if (malformed > 0) {
      notes.push(
        `${malformed} line${malformed === 1 ? '' : 's'} looked like access-log entries but did not parse; if the mesh uses a custom accessLogFormat, pass it with --log-format.`,
      );
    }
    if (this.flowsTruncated > 0) {
      notes.push(
        `${this.flowsTruncated} entries were counted in "(other)" flows: more than ${this.maxFlows} distinct flows.`,
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
    this.learnedPods.set(detach(ip), detach(pod));
  }

  private peerOf(entry: AccessLogEntry): PeerFlows {
    const cluster = entry.upstream_cluster;
    // Outbound clusters start `outbound|`; the only other outbound ones are Passthrough/BlackHole (`P`, `B`).
    if (entry.direction !== 'outbound' || cluster === null || cluster.charCodeAt(0) !== 111) {
      return this.peerNamed(describePeer(entry, this.options.resolve));
    }
    let peer = this.peerByCluster.get(cluster);
    if (peer === undefined) {
      peer = this.peerNamed(describePeer(entry, this.options.resolve));
      // The name depends on the cluster alone only for `outbound|…|host` (checked once per cluster).
      if (!cluster.startsWith('outbound|') || parseClusterName(cluster).host === null) return peer;
      if (this.peerByCluster.size >= PEER_CACHE_LIMIT) this.peerByCluster.clear();
      this.peerByCluster.set(detach(cluster), peer);
    }
    return peer;
  }

  /**
   * The flows of a peer by name. Past the flow limit a peer not seen yet is not kept (its entries go to
   * the "(other)" flows), so the number of peers is bounded by the flows, never by the input.
   */
  private peerNamed(name: string): PeerFlows {
    let peer = this.peers.get(name);
    if (peer === undefined) {
      if (this.flows.length >= this.maxFlows) return { name, routes: new Map() };
      const own = detach(name);
      peer = { name: own, routes: new Map() };
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
    const routeFlows = peer.routes.get(route);
    const slots = methodIndex >= 0 ? routeFlows?.slots : routeFlows?.otherMethods?.get(method ?? '');
    const at = methodIndex >= 0 ? methodIndex * SLOTS_PER_METHOD + slot : slot;
    const existing = slots?.[at];
    if (existing !== undefined) return existing;
    if (this.flows.length >= this.maxFlows) {
      this.flowsTruncated++;
      const otherKey = `${direction}|${outcome}`;
      let other = this.otherFlows.get(otherKey);
      if (other === undefined) {
        other = newAccumulator(direction, '(other)', null, '(other)', outcome);
        this.otherFlows.set(otherKey, other);
      }
      return other;
    }
    const ownRoute = detach(route);
    let ownSlots = slots;
    if (ownSlots === undefined) {
      let flows = routeFlows;
      if (flows === undefined) {
        flows = {
          slots: new Array(METHODS.length * SLOTS_PER_METHOD).fill(undefined),
          otherMethods: undefined,
        };
        peer.routes.set(ownRoute, flows);
      }
      if (methodIndex >= 0) ownSlots = flows.slots;
      else {
        ownSlots = new Array<FlowAccumulator | undefined>(SLOTS_PER_METHOD).fill(undefined);
        flows.otherMethods ??= new Map();
        flows.otherMethods.set(detach(method ?? ''), ownSlots);
      }
    }
    const ownMethod =
      methodIndex > 0 ? (METHODS[methodIndex] ?? null) : method === null ? null : detach(method);
    const acc = newAccumulator(direction, peer.name, ownMethod, ownRoute, outcome);
    ownSlots[at] = acc;
    this.flows.push(acc);
    return acc;
  }
}

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
    codeKeys: [],
    codeCounts: [],
    flags: new Map(),
    durations: new DurationHistogram(),
    exampleErrors: 0,
    firstKey: Number.POSITIVE_INFINITY,
    lastKey: Number.NEGATIVE_INFINITY,
    pods: new PodList(),
  };
}

/** The numbers an entry adds to its flow (fields shared by full entries and lean records). */
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
  const at = acc.codeKeys.indexOf(code);
  if (at >= 0) acc.codeCounts[at] = (acc.codeCounts[at] ?? 0) + 1;
  else {
    acc.codeKeys.push(code);
    acc.codeCounts.push(1);
  }
  const duration = numbers.duration_ms;
  if (duration !== null) acc.durations.add(duration);
  if (key < acc.firstKey) acc.firstKey = key;
  if (key > acc.lastKey) acc.lastKey = key;
}

/** Keeps up to three example request ids per flow, errors first. */
function addExample(acc: FlowAccumulator, id: string | null, error: boolean): void {
  if (id === null) return;
  const examples = acc.flow.example_request_ids;
  if (examples.length < MAX_EXAMPLES) {
    if (!examples.includes(id)) {
      if (error) examples.splice(acc.exampleErrors++, 0, detach(id));
      else examples.push(detach(id));
    }
  } else if (error && acc.exampleErrors < MAX_EXAMPLES && !examples.includes(id)) {
    // Errors are the interesting examples: replace a non-error id.
    examples.splice(acc.exampleErrors++, 0, detach(id));
    examples.length = MAX_EXAMPLES;
  }
}

function toFlow(acc: FlowAccumulator): Flow {
  const codes: Record<string, number> = {};
  const pairs = acc.codeKeys.map((code, i): [number, number] => [code, acc.codeCounts[i] ?? 0]);
  for (const [code, n] of pairs.sort((a, b) => b[1] - a[1] || a[0] - b[0])) codes[String(code)] = n;
  const flags: Record<string, number> = {};
  for (const [flag, n] of [...acc.flags].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])))
    flags[flag] = n;
  const { flow } = acc;
  return {
    direction: flow.direction,
    peer: flow.peer,
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
  };
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
