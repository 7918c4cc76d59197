/**
 * @module analysis/summarize
 * Entries → flows, findings and totals, streaming: `add` each entry as it is parsed, then `result()`.
 * Memory is bounded by the number of flows (capped) and finding groups, never by the number of entries.
 */
import type { AccessLogEntry, Direction, SkipReason } from '../accesslog/entry.js';
import { detach } from '../core/detach.js';
import { isClientError, isError } from './classify.js';
import { DurationHistogram } from './duration-histogram.js';
import { FindingsCollector } from './findings.js';
import { pathPattern } from './path-pattern.js';
import { type AddressResolver, describePeer, hostOfAddress } from './peer.js';
import type { Flow, SourceStats, SummaryReport, SummaryTotals } from './report.js';
import { isoOfTimeKey, timeKey } from './time-key.js';

export interface SummarizeOptions {
  /** Entries that started before this instant (epoch ms) are left out (`--since`). */
  sinceMs?: number | null | undefined;
  /** Names for peer IP addresses (pods), when a live cluster provided them. */
  resolve?: AddressResolver | undefined;
  /** Most distinct flows kept; later ones merge into one `(other)` flow per direction. Default 2000. */
  maxFlows?: number | undefined;
}

interface FlowAccumulator {
  flow: Omit<Flow, 'duration_ms' | 'codes' | 'flags' | 'first_seen' | 'last_seen'>;
  /** Response codes seen and their counts (parallel arrays: a flow rarely sees more than a few codes). */
  codeKeys: number[];
  codeCounts: number[];
  flags: Map<string, number>;
  durations: DurationHistogram;
  exampleErrors: number;
  /** first_seen / last_seen as epoch ms; the strings are made from them at the end (see `isoOfTimeKey`). */
  firstKey: number;
  lastKey: number;
}

const DIRECTION_ORDER: Record<Direction, number> = { inbound: 0, outbound: 1, unknown: 2 };
const OUTCOME_INDEX: Record<Flow['outcome'], number> = { ok: 0, client_error: 1, error: 2 };
const DEFAULT_MAX_FLOWS = 2000;
const MAX_EXAMPLES = 3;
const PEER_CACHE_LIMIT = 10_000;
const LEARNED_PODS_LIMIT = 10_000;

export class SummaryBuilder {
  /** peer → route → method → [outcome × direction] → flow; nested so no key is built per entry. */
  private readonly flowIndex = new Map<string, Map<string, Map<string, (FlowAccumulator | undefined)[]>>>();
  private readonly flows: FlowAccumulator[] = [];
  private readonly otherFlows = new Map<string, FlowAccumulator>();
  /** Pod IP → pod, learned from entries whose origin (pod) is known: their own local addresses. */
  private readonly learnedPods = new Map<string, string>();
  /** Outbound peer names by cluster name: the cluster string repeats on nearly every line. */
  private readonly peerCache = new Map<string, string>();
  private readonly findings = new FindingsCollector();
  private readonly totals: SummaryTotals = {
    entries: 0,
    inbound: 0,
    outbound: 0,
    unknown: 0,
    errors: 0,
    client_errors: 0,
    skipped_lines: 0,
    filtered_out: 0,
  };
  private readonly skipped: Partial<Record<SkipReason, number>> = {};
  private readonly sources = new Map<string, SourceStats>();
  private readonly notes: string[] = [];
  private flowsTruncated = 0;
  private newestFilteredKey = Number.NEGATIVE_INFINITY;
  private fromKey = Number.POSITIVE_INFINITY;
  private toKey = Number.NEGATIVE_INFINITY;
  private readonly maxFlows: number;

  constructor(private readonly options: SummarizeOptions = {}) {
    this.maxFlows = options.maxFlows ?? DEFAULT_MAX_FLOWS;
  }

  /** Counts one entry into its flow, the totals and (for errors) the findings. */
  add(entry: AccessLogEntry): void {
    const time = entry.start_time;
    const key = time === null ? Number.NaN : timeKey(time);
    const since = this.options.sinceMs;
    if (since !== null && since !== undefined && !(key >= since)) {
      this.totals.filtered_out++;
      if (key > this.newestFilteredKey) this.newestFilteredKey = key;
      return;
    }
    const totals = this.totals;
    totals.entries++;
    if (entry.direction === 'inbound') totals.inbound++;
    else if (entry.direction === 'outbound') totals.outbound++;
    else totals.unknown++;
    const error = isError(entry);
    const clientError = !error && isClientError(entry);
    if (error) totals.errors++;
    if (clientError) totals.client_errors++;
    if (key < this.fromKey) this.fromKey = key;
    if (key > this.toKey) this.toKey = key;

    if (entry.origin !== null) this.learnPod(entry, entry.origin);
    const peer = this.peerOf(entry);
    if (error) this.findings.add(entry, peer);
    addToFlow(this.flowFor(entry, peer, error, clientError), entry, key, error, clientError);
  }

  /** Records where entries came from and what was skipped there. */
  addSource(name: string, entries: number, skipped: Partial<Record<SkipReason, number>>): void {
    const source = this.sources.get(name) ?? { name, entries: 0, skipped_lines: 0 };
    source.entries += entries;
    for (const [reason, n] of Object.entries(skipped) as [SkipReason, number][]) {
      if (n === 0) continue;
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
        `All ${filtered_out} entries are older than the --since window (the newest started at ${isoOfTimeKey(this.newestFilteredKey) ?? 'an unknown time'}); the window is measured back from now.`,
      );
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

  private peerOf(entry: AccessLogEntry): string {
    const cluster = entry.upstream_cluster;
    if (entry.direction !== 'outbound' || cluster === null || !cluster.startsWith('outbound|')) {
      return describePeer(entry, this.options.resolve);
    }
    let peer = this.peerCache.get(cluster);
    if (peer === undefined) {
      peer = detach(describePeer(entry, this.options.resolve));
      if (this.peerCache.size >= PEER_CACHE_LIMIT) this.peerCache.clear();
      this.peerCache.set(detach(cluster), peer);
    }
    return peer;
  }

  private flowFor(
    entry: AccessLogEntry,
    peer: string,
    error: boolean,
    clientError: boolean,
  ): FlowAccumulator {
    const tcp = entry.method === null && entry.protocol === null;
    const route = tcp ? '(tcp)' : entry.path === null ? '(no path)' : pathPattern(entry.path);
    const outcome: Flow['outcome'] = error ? 'error' : clientError ? 'client_error' : 'ok';
    const method = entry.method ?? '';
    const slot = OUTCOME_INDEX[outcome] * 3 + DIRECTION_ORDER[entry.direction];
    const existing = this.flowIndex.get(peer)?.get(route)?.get(method)?.[slot];
    if (existing !== undefined) return existing;
    if (this.flows.length >= this.maxFlows) {
      this.flowsTruncated++;
      const otherKey = `${entry.direction}|${outcome}`;
      let other = this.otherFlows.get(otherKey);
      if (other === undefined) {
        other = newAccumulator(entry.direction, '(other)', null, '(other)', outcome);
        this.otherFlows.set(otherKey, other);
      }
      return other;
    }
    const [ownPeer, ownRoute, ownMethod] = [detach(peer), detach(route), detach(method)];
    let byRoute = this.flowIndex.get(ownPeer);
    if (byRoute === undefined) {
      byRoute = new Map();
      this.flowIndex.set(ownPeer, byRoute);
    }
    let byMethod = byRoute.get(ownRoute);
    if (byMethod === undefined) {
      byMethod = new Map();
      byRoute.set(ownRoute, byMethod);
    }
    let slots = byMethod.get(ownMethod);
    if (slots === undefined) {
      slots = new Array<FlowAccumulator | undefined>(9).fill(undefined);
      byMethod.set(ownMethod, slots);
    }
    const acc = newAccumulator(
      entry.direction,
      ownPeer,
      entry.method === null ? null : ownMethod,
      ownRoute,
      outcome,
    );
    slots[slot] = acc;
    this.flows.push(acc);
    return acc;
  }
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
  };
}

function addToFlow(
  acc: FlowAccumulator,
  entry: AccessLogEntry,
  key: number,
  error: boolean,
  clientError: boolean,
): void {
  const flow = acc.flow;
  flow.count++;
  if (error) flow.errors++;
  if (clientError) flow.client_errors++;
  flow.bytes_received += entry.bytes_received ?? 0;
  flow.bytes_sent += entry.bytes_sent ?? 0;
  const code = entry.response_code ?? 0;
  const at = acc.codeKeys.indexOf(code);
  if (at >= 0) acc.codeCounts[at] = (acc.codeCounts[at] ?? 0) + 1;
  else {
    acc.codeKeys.push(code);
    acc.codeCounts.push(1);
  }
  if (entry.response_flags.length > 0) {
    for (const flag of entry.response_flags) acc.flags.set(flag, (acc.flags.get(flag) ?? 0) + 1);
  }
  if (entry.duration_ms !== null) acc.durations.add(entry.duration_ms);
  if (key < acc.firstKey) acc.firstKey = key;
  if (key > acc.lastKey) acc.lastKey = key;
  const id = entry.request_id;
  if (id !== null) {
    const examples = flow.example_request_ids;
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
    client_errors: flow.client_errors,
    codes,
    flags,
    duration_ms: acc.durations.stats(),
    bytes_received: flow.bytes_received,
    bytes_sent: flow.bytes_sent,
    example_request_ids: [...flow.example_request_ids],
    first_seen: isoOfTimeKey(acc.firstKey),
    last_seen: isoOfTimeKey(acc.lastKey),
  };
}

function compareFlows(a: Flow, b: Flow): number {
  return (
    DIRECTION_ORDER[a.direction] - DIRECTION_ORDER[b.direction] ||
    b.errors - a.errors ||
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
