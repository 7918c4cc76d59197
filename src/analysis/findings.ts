/**
 * @module analysis/findings
 * Groups error and warning entries (analysis/classify) *by cause* into findings, streaming and in bounded
 * memory, remembering which pods logged them (to list them, and to name the pod in the commands).
 *
 * The cause key is: sorted flags, the details base (with the reset reason for `upstream_reset_*{…}`,
 * e.g. `connection_failure` vs `protocol_error`, and the policy for RBAC denials, but without errno
 * text), the transport failure class (tls, refused, timeout…), the direction, the code class (5xx, 4xx,
 * 0) and Passthrough/BlackHole. Peers are *not* part of the key: the same cause on several services is
 * one finding listing them. Past `max_groups` distinct causes, further ones are merged into one
 * "other errors" finding, so hostile input cannot grow memory.
 */
import { parseClusterName } from '../accesslog/cluster.js';
import type { AccessLogEntry, Direction } from '../accesslog/entry.js';
import { resetReason, splitDetails } from '../accesslog/response-code-details.js';
import { flagSeverity } from '../accesslog/response-flags.js';
import { detach } from '../core/detach.js';
import { isProblem, type Outcome, outcomeOf } from './classify.js';
import {
  type CauseInput,
  causeInputOf,
  classifyTransportFailure,
  explainCause,
  severityRank,
} from './explain-cause.js';
import { pathPattern } from './path-pattern.js';
import { PodList, type PodRef } from './pod-ref.js';
import type { Explanation, Finding, Severity } from './report.js';

export interface FindingsOptions {
  /** Distinct causes kept before the rest is merged into one "other errors" finding. Default 500. */
  max_groups?: number;
  /** Peers listed per finding; the rest are counted. Default 10. */
  max_peers?: number;
}

const DEFAULT_MAX_GROUPS = 500;
const DEFAULT_MAX_PEERS = 10;
/** Distinct peers counted beyond the listed ones before the count saturates. */
const MAX_COUNTED_PEERS = 50;
const MAX_EXAMPLES = 3;
const MAX_CODES = 16;
const MAX_FLAGS = 16;
const MAX_PEER_LENGTH = 128;
const MAX_TEXT = 512;
const OTHER_KEY = '\u0000other';
/** Request id + pod pairs remembered to count a DC logged both inbound and outbound once. */
const MAX_DISCONNECTS = 10_000;
/** Distinct route patterns with no route (NR, 4xx) from which a group is taken for scanners probing. */
export const SCANNER_MIN_PATHS = 5;
const MAX_PATHS = 16;

interface Group {
  flags: string[];
  /** Details base plus the part that changes the cause (`upstream_reset_before_response_started{overflow}`). */
  cause_details: string | null;
  codes: Set<number>;
  peers: string[];
  other_peers: Set<string>;
  other_peers_saturated: boolean;
  count: number;
  example_request_ids: string[];
  first_seen: string | null;
  last_seen: string | null;
  response_code_details: string | null;
  upstream_transport_failure_reason: string | null;
  direction: Direction;
  /** The first entry's fields, bounded; values that vary inside the group are dropped at the end. */
  input: CauseInput;
  varies: { cluster: boolean; authority: boolean; sni: boolean; direction: boolean; pod: boolean };
  /** The pod of the first entry, and every pod that logged one. */
  pod: PodRef | null;
  pods: PodList;
  /** Distinct route patterns (up to 16), to tell scanners from a broken route. */
  paths: Set<string>;
}

export class FindingsCollector {
  readonly #maxGroups: number;
  readonly #maxPeers: number;
  readonly #groups = new Map<string, Group>();
  /** `pod \0 request id` → direction of a DC entry already counted. */
  readonly #disconnects = new Map<string, string>();

  constructor(options: FindingsOptions = {}) {
    this.#maxGroups = Math.max(1, options.max_groups ?? DEFAULT_MAX_GROUPS);
    this.#maxPeers = Math.max(1, options.max_peers ?? DEFAULT_MAX_PEERS);
  }

  /**
   * Adds one entry; entries that are neither errors nor warnings (see analysis/classify) are ignored, and
   * so is a DC entry of a request whose DC the same pod already logged in the other direction (one
   * disconnect, seen by the inbound and the outbound side of the same proxy). `pod` is who logged it.
   */
  add(
    entry: AccessLogEntry,
    peer: string,
    outcome: Outcome = outcomeOf(entry),
    pod: PodRef | null = null,
  ): void {
    if (!isProblem(outcome)) return;
    if (this.#sameDisconnect(entry)) return;
    const { key, flags, cause_details } = causeKey(entry);
    let group = this.#groups.get(key);
    if (group === undefined) {
      if (this.#groups.size >= this.#maxGroups) {
        group = this.#groups.get(OTHER_KEY) ?? this.#newOther(entry, pod);
        mergeFlags(group, flags);
      } else {
        group = newGroup(entry, flags.map(detach), cause_details, pod);
        this.#groups.set(detach(key), group);
      }
    }
    this.#update(group, entry, peer, pod);
  }

  #sameDisconnect(entry: AccessLogEntry): boolean {
    const id = entry.request_id;
    if (id === null || !entry.response_flags.includes('DC')) return false;
    const key = `${entry.origin ?? entry.source}\u0000${id}`;
    const seen = this.#disconnects.get(key);
    if (seen !== undefined) return seen !== entry.direction;
    if (this.#disconnects.size >= MAX_DISCONNECTS) this.#disconnects.clear();
    this.#disconnects.set(detach(key), entry.direction);
    return false;
  }

  /**
   * The findings, most severe first; within a severity, failures of the request itself (a 5xx, no
   * response, a flag of severity error or worse: UH, UF, NR…) before 4xx ones; then by count (descending),
   * then by title. A group that looks like scanners (no route for many distinct paths, only 4xx) is a
   * warning, so it never ranks above a real 503. `rename` gives peers a better name learned after they were
   * added (an inbound caller's IP → its pod).
   */
  result(rename: (peer: string, direction: Direction) => string = (peer) => peer): Finding[] {
    const findings: Finding[] = [];
    for (const [key, group] of this.#groups) {
      const explanation = key === OTHER_KEY ? otherExplanation(this.#maxGroups) : explainGroup(group);
      const named = { ...group, peers: group.peers.map((peer) => rename(peer, group.direction)) };
      findings.push(toFinding(named, explanation, key === OTHER_KEY));
    }
    return findings.sort(
      (a, b) =>
        severityRank(a.severity) - severityRank(b.severity) ||
        failureTier(a) - failureTier(b) ||
        b.count - a.count ||
        (a.title < b.title ? -1 : a.title > b.title ? 1 : 0),
    );
  }

  #newOther(entry: AccessLogEntry, pod: PodRef | null): Group {
    const group = newGroup(entry, [], null, pod);
    // Kept out of the count of groups: it is created only once the limit is reached.
    this.#groups.set(OTHER_KEY, group);
    return group;
  }

  #update(group: Group, entry: AccessLogEntry, peer: string, pod: PodRef | null): void {
    group.count++;
    if (pod !== null) group.pods.add(pod.name);
    const path = entry.path;
    if (path !== null && group.paths.size < MAX_PATHS) {
      const pattern = pathPattern(path.length > MAX_PEER_LENGTH ? path.slice(0, MAX_PEER_LENGTH) : path);
      if (!group.paths.has(pattern)) group.paths.add(detach(pattern));
    }
    const code = entry.response_code;
    if (code !== null && group.codes.size < MAX_CODES) group.codes.add(code);
    addPeer(
      group,
      peer.length > MAX_PEER_LENGTH ? `${peer.slice(0, MAX_PEER_LENGTH)}…` : peer,
      this.#maxPeers,
    );
    const id = entry.request_id;
    if (id !== null && group.example_request_ids.length < MAX_EXAMPLES) {
      const short = id.slice(0, MAX_PEER_LENGTH);
      if (!group.example_request_ids.includes(short)) group.example_request_ids.push(detach(short));
    }
    const t = entry.start_time;
    if (t !== null) {
      if (group.first_seen === null || t < group.first_seen) group.first_seen = detach(t);
      if (group.last_seen === null || t > group.last_seen) group.last_seen = detach(t);
    }
    if (group.count > 1) {
      const v = group.varies;
      v.cluster ||= clip(entry.upstream_cluster) !== group.input.upstream_cluster;
      v.authority ||= clip(entry.authority) !== group.input.authority;
      v.sni ||= clip(entry.requested_server_name) !== (group.input.requested_server_name ?? null);
      v.direction ||= entry.direction !== group.direction;
      v.pod ||= (pod?.name ?? null) !== (group.pod?.name ?? null);
    }
  }
}

function clip(value: string | null): string | null {
  return value === null || value.length <= MAX_TEXT ? value : value.slice(0, MAX_TEXT);
}

/** {@link clip}, in memory of its own: for what a group keeps. */
function keep(value: string | null): string | null {
  const clipped = clip(value);
  return clipped === null ? null : detach(clipped);
}

interface DetailsKey {
  cause_details: string | null;
  transport: string;
}

/** Memo of details + transport reason → their part of the key: real logs repeat a handful of values. */
const DETAILS_MEMO = new Map<string, DetailsKey>();
const MAX_MEMO = 1024;
const MAX_MEMO_KEY = 512;

function detailsKey(details: string | null, reason: string | null): DetailsKey {
  const memoKey = `${details ?? ''}\u0001${reason ?? ''}`;
  const known = DETAILS_MEMO.get(memoKey);
  if (known !== undefined) return known;
  let cause_details: string | null = null;
  let inner: string[] = [];
  if (details !== null) {
    const split = splitDetails(details);
    inner = split.inner;
    const base = split.base.slice(0, 64);
    if (base.startsWith('upstream_reset_')) {
      const why = resetReason(inner);
      cause_details = why === null ? base : `${base}{${why}}`;
    } else if (base.startsWith('rbac_access_denied') && inner[0] !== undefined) {
      cause_details = `${base}[${inner[0].slice(0, 128)}]`;
    } else {
      cause_details = base;
    }
  }
  const result = { cause_details, transport: classifyTransportFailure(reason, inner) };
  if (memoKey.length <= MAX_MEMO_KEY) {
    if (DETAILS_MEMO.size >= MAX_MEMO) DETAILS_MEMO.clear();
    DETAILS_MEMO.set(memoKey, result);
  }
  return result;
}

function causeKey(entry: AccessLogEntry): { key: string; flags: string[]; cause_details: string | null } {
  const raw = entry.response_flags;
  const flags =
    raw.length === 0
      ? []
      : raw.length === 1 && raw[0] !== undefined && raw[0].length <= 32
        ? [raw[0]]
        : [...new Set(raw.slice(0, MAX_FLAGS).map((f) => f.slice(0, 32)))].sort();
  const { cause_details, transport } = detailsKey(
    entry.response_code_details,
    entry.upstream_transport_failure_reason,
  );
  const code = entry.response_code;
  const codeClass = code === null ? '-' : code === 0 ? '0' : `${Math.floor(code / 100)}xx`;
  const cluster = entry.upstream_cluster;
  const special = cluster === 'BlackHoleCluster' || cluster === 'PassthroughCluster' ? cluster : '';
  const key = `${flags.join(',')}\u0001${cause_details ?? ''}\u0001${transport}\u0001${entry.direction}\u0001${codeClass}\u0001${special}`;
  return { key, flags, cause_details };
}

function newGroup(
  entry: AccessLogEntry,
  flags: string[],
  cause_details: string | null,
  pod: PodRef | null,
): Group {
  const input = causeInputOf(entry);
  return {
    flags,
    cause_details: cause_details === null ? null : detach(cause_details),
    codes: new Set(),
    peers: [],
    other_peers: new Set(),
    other_peers_saturated: false,
    count: 0,
    example_request_ids: [],
    first_seen: null,
    last_seen: null,
    response_code_details: keep(entry.response_code_details),
    upstream_transport_failure_reason: keep(entry.upstream_transport_failure_reason),
    direction: entry.direction,
    input: {
      ...input,
      flags,
      response_code_details: keep(input.response_code_details),
      upstream_transport_failure_reason: keep(input.upstream_transport_failure_reason),
      upstream_cluster: keep(input.upstream_cluster),
      authority: keep(input.authority),
      requested_server_name: keep(input.requested_server_name ?? null),
      connection_termination_details: keep(input.connection_termination_details ?? null),
      method: keep(input.method ?? null),
      protocol: keep(input.protocol ?? null),
    },
    varies: { cluster: false, authority: false, sni: false, direction: false, pod: false },
    pod,
    pods: new PodList(),
    paths: new Set(),
  };
}

function mergeFlags(group: Group, flags: readonly string[]): void {
  for (const f of flags) {
    if (group.flags.length >= MAX_FLAGS) break;
    if (!group.flags.includes(f)) group.flags.push(f);
  }
  group.flags.sort();
}

function addPeer(group: Group, peer: string, maxPeers: number): void {
  if (group.peers.includes(peer) || group.other_peers.has(peer)) return;
  if (group.peers.length < maxPeers) group.peers.push(detach(peer));
  else if (group.other_peers.size < MAX_COUNTED_PEERS) group.other_peers.add(detach(peer));
  else group.other_peers_saturated = true;
}

/**
 * Explains a group from its first entry, without the values that differ between its entries; the pod
 * that logged them fills the commands when it was one pod.
 */
function explainGroup(group: Group): Explanation {
  const v = group.varies;
  const kind = parseClusterName(group.input.upstream_cluster).kind;
  const keepCluster = !v.cluster || kind === 'BlackHoleCluster' || kind === 'PassthroughCluster';
  const explanation = explainCause({
    ...group.input,
    upstream_cluster: keepCluster ? group.input.upstream_cluster : null,
    authority: v.authority ? null : group.input.authority,
    requested_server_name: v.sni ? null : (group.input.requested_server_name ?? null),
    pod: v.pod ? null : group.pod,
  });
  return looksLikeScanners(group) ? asScanners(explanation, group.paths.size) : explanation;
}

/** No route for many distinct paths, and only 4xx: scanners probing, not a broken route. */
function looksLikeScanners(group: Group): boolean {
  const noRoute =
    group.flags.includes('NR') ||
    group.cause_details === 'route_not_found' ||
    group.cause_details === 'filter_chain_not_found';
  if (!noRoute || group.paths.size < SCANNER_MIN_PATHS || group.codes.size === 0) return false;
  for (const code of group.codes) if (code < 400 || code >= 500) return false;
  return true;
}

function asScanners(explanation: Explanation, paths: number): Explanation {
  const severity: Severity = 'warning';
  return {
    ...explanation,
    severity,
    explanation: `${paths >= MAX_PATHS ? `${MAX_PATHS}+` : paths} distinct paths with no route, all answered 4xx: most likely scanners probing. ${explanation.explanation}`,
  };
}

/** 0: the request failed (5xx, no response, a flag of severity error or worse); 1: 4xx and warnings only. */
function failureTier(finding: Finding): number {
  for (const code of finding.codes) if (code >= 500 || code === 0) return 0;
  for (const flag of finding.flags) {
    const severity = flagSeverity(flag);
    if (severity === 'critical' || severity === 'error') return finding.severity === 'warning' ? 1 : 0;
  }
  return 1;
}

function otherExplanation(maxGroups: number): Explanation {
  return {
    severity: 'error',
    explanation: `More than ${maxGroups} distinct error causes: the rest are merged here.`,
    causes: ['Very varied failures, or input that is not ordinary access-log traffic'],
    next_steps: ['Narrow the input (one workload, a shorter --since window) to see each cause on its own'],
  };
}

function toFinding(group: Group, explanation: Explanation, other: boolean): Finding {
  const codes = [...group.codes].sort((a, b) => a - b);
  return {
    ...explanation,
    title: other ? otherTitle(group) : titleOf(group, codes),
    flags: [...group.flags],
    codes,
    response_code_details: other ? null : group.response_code_details,
    upstream_transport_failure_reason: other ? null : group.upstream_transport_failure_reason,
    direction: group.varies.direction ? 'unknown' : group.direction,
    peers: [...group.peers],
    count: group.count,
    example_request_ids: [...group.example_request_ids],
    first_seen: group.first_seen,
    last_seen: group.last_seen,
    reported_by: [...group.pods.names],
    reported_by_more: group.pods.more,
  };
}

/** ` → callee` for outbound failures; ` ← caller` for inbound ones, whose peer is the caller. */
function peerText(group: Group): string {
  const first = group.peers[0];
  if (first === undefined) return '';
  const arrow = group.direction === 'inbound' && !group.varies.direction ? '←' : '→';
  const more = group.peers.length - 1 + group.other_peers.size;
  if (more === 0) return ` ${arrow} ${first}`;
  return ` ${arrow} ${first} +${more}${group.other_peers_saturated ? '+' : ''} more`;
}

/** `503 UH no_healthy_upstream → httpbin.foo:8000 +2 more`; `0 DC … ← 10.1.0.9` for an inbound caller. */
function titleOf(group: Group, codes: readonly number[]): string {
  const parts: string[] = [];
  if (codes.length > 0) parts.push(codes.slice(0, 4).join('/') + (codes.length > 4 ? '/…' : ''));
  if (group.flags.length > 0) parts.push(shorten(group.flags.join(','), 48));
  if (group.cause_details !== null) parts.push(shorten(group.cause_details, 96));
  if (parts.length === 0) parts.push('error');
  return `${parts.join(' ')}${peerText(group)}`;
}

function otherTitle(group: Group): string {
  return `other errors (group limit reached)${peerText(group)}`;
}

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
