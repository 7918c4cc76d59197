/**
 * @module analysis/connections
 * ztunnel's connection records (ambient mode, L4) → connection flows and findings, streaming and bounded,
 * beside the HTTP flows of analysis/summarize.
 *
 * A flow is one direction, source workload, destination (and the workload that served it) and outcome. Workloads are named `namespace/workload`
 * (the pod name reduced by analysis/workload-name); the destination is the Service the client asked for
 * (`reviews.bookinfo`) when the record names one, else the destination workload, else its address.
 * `connection opened` records are counted apart (ztunnel writes `connection complete` or `connection failed`
 * for the same connection later), so every connection is counted once. Failures are grouped by cause and
 * destination into findings explained by analysis/explain-connection.
 */
import type { ConnectionRecord } from '../accesslog/entry.js';
import { detach } from '../core/detach.js';
import { isDns1123Label, isDns1123Subdomain } from '../core/kubernetes-names.js';
import { DurationHistogram } from './duration-histogram.js';
import { type ConnectionCause, connectionCause, explainConnection } from './explain-connection.js';
import { hostOfAddress } from './peer.js';
import { PodList } from './pod-ref.js';
import type { ConnectionFlow, ConnectionSummary, Finding } from './report.js';
import { isoOfTimeKey, timeKey } from './time-key.js';
import { workloadOfPod } from './workload-name.js';

/** The fields of a ztunnel connection record the summary reads. */
export type ConnectionInput = Pick<
  ConnectionRecord,
  | 'timestamp'
  | 'message'
  | 'src_addr'
  | 'src_workload'
  | 'src_namespace'
  | 'src_identity'
  | 'dst_addr'
  | 'dst_hbone_addr'
  | 'dst_service'
  | 'dst_workload'
  | 'dst_namespace'
  | 'dst_identity'
  | 'direction'
  | 'bytes_sent'
  | 'bytes_recv'
  | 'duration_ms'
  | 'error'
  | 'origin'
  | 'source'
>;

export interface ConnectionSummaryOptions {
  /** Records older than this instant (epoch ms) are left out (`--since`). */
  sinceMs?: number | null | undefined;
  /** Most distinct flows (default 2,000); the rest are counted in one `(other)` row per direction and outcome. */
  maxFlows?: number | undefined;
}

const DEFAULT_MAX_FLOWS = 2000;
const MAX_FINDINGS = 100;
const MAX_ERROR_TEXTS = 3;
const MAX_ERROR_TEXT = 300;
const MAX_FINDING_PEERS = 10;
const OTHER = '(other)';

interface FlowAccumulator {
  flow: Omit<ConnectionFlow, 'duration_ms' | 'reported_by' | 'reported_by_more' | 'first_seen' | 'last_seen'>;
  durations: DurationHistogram;
  pods: PodList;
  firstKey: number;
  lastKey: number;
}

interface FindingAccumulator {
  cause: ConnectionCause;
  destination: string;
  direction: ConnectionFlow['direction'];
  count: number;
  peers: string[];
  errors: Map<string, number>;
  firstKey: number;
  lastKey: number;
  pods: PodList;
  namespace: string | null;
  destinationName: string | null;
  service: string | null;
  ztunnel: { namespace: string; name: string } | null;
}

function direction(text: ConnectionRecord['direction']): ConnectionFlow['direction'] {
  return text === 'inbound' || text === 'outbound' ? text : 'unknown';
}

/** `namespace/workload` of a side, from its pod name; null when the record does not name it. */
function workloadName(pod: string | null, namespace: string | null): string | null {
  if (pod === null || pod === '') return null;
  const workload = workloadOfPod(pod);
  return namespace !== null && namespace !== '' ? `${namespace}/${workload}` : workload;
}

/** `reviews.bookinfo` of `reviews.bookinfo.svc.cluster.local`; other names as they are. */
function shortService(service: string): string {
  const at = service.indexOf('.svc.');
  return at > 0 ? service.slice(0, at) : service;
}

function bounded(text: string): string {
  return text.length > MAX_ERROR_TEXT ? `${text.slice(0, MAX_ERROR_TEXT)}…` : text;
}

/** The namespace/pod of a live read's source (`istio-system/ztunnel-abcde`), when valid. */
function sourcePod(source: string, origin: string | null): { namespace: string; name: string } | null {
  if (origin === null) return null;
  const slash = source.indexOf('/');
  if (slash <= 0) return null;
  const namespace = source.slice(0, slash);
  const name = source.slice(slash + 1);
  return name === origin && isDns1123Label(namespace) && isDns1123Subdomain(name)
    ? { namespace, name }
    : null;
}

export class ConnectionSummaryBuilder {
  private readonly flows = new Map<string, FlowAccumulator>();
  private readonly findings = new Map<string, FindingAccumulator>();
  private readonly totals = {
    connections: 0,
    failed: 0,
    opened: 0,
    filtered_out: 0,
    bytes_sent: 0,
    bytes_recv: 0,
  };
  private flowsTruncated = 0;
  private readonly maxFlows: number;

  constructor(private readonly options: ConnectionSummaryOptions = {}) {
    this.maxFlows = Math.max(1, options.maxFlows ?? DEFAULT_MAX_FLOWS);
  }

  /** True once a record was counted (opened, complete or failed). */
  get empty(): boolean {
    return this.totals.connections === 0 && this.totals.opened === 0 && this.totals.filtered_out === 0;
  }

  add(record: ConnectionInput): void {
    const key = record.timestamp === null ? Number.NaN : timeKey(record.timestamp);
    const since = this.options.sinceMs;
    if (since !== null && since !== undefined && key < since) {
      this.totals.filtered_out++;
      return;
    }
    if (record.message === 'connection opened') {
      this.totals.opened++;
      return;
    }
    const totals = this.totals;
    totals.connections++;
    totals.bytes_sent += record.bytes_sent ?? 0;
    totals.bytes_recv += record.bytes_recv ?? 0;
    const error = record.error;
    const failed = error !== null || record.message === 'connection failed';
    if (failed) totals.failed++;
    const cause = error === null ? null : connectionCause(error);
    const outcome: ConnectionFlow['outcome'] = !failed
      ? 'ok'
      : cause === 'disconnected' || cause === 'drain'
        ? 'warning'
        : 'error';
    const dir = direction(record.direction);
    const source =
      workloadName(record.src_workload, record.src_namespace) ??
      (record.src_addr === null ? '(unknown)' : hostOfAddress(record.src_addr));
    const destinationWorkload = workloadName(record.dst_workload, record.dst_namespace);
    const destination =
      record.dst_service !== null && record.dst_service !== ''
        ? shortService(record.dst_service)
        : (destinationWorkload ??
          (record.dst_hbone_addr ?? record.dst_addr ?? '(unknown)').replace(/:\d+$/, ''));
    const acc = this.flowFor(dir, source, destination, outcome, record, destinationWorkload);
    const flow = acc.flow;
    flow.count++;
    if (failed) flow.failed++;
    flow.bytes_sent += record.bytes_sent ?? 0;
    flow.bytes_recv += record.bytes_recv ?? 0;
    if (record.duration_ms !== null) acc.durations.add(record.duration_ms);
    if (key < acc.firstKey) acc.firstKey = key;
    if (key > acc.lastKey) acc.lastKey = key;
    if (record.origin !== null) acc.pods.add(record.origin);
    if (error !== null) {
      const text = bounded(error);
      const known = flow.errors.find((e) => e.error === text);
      if (known !== undefined) known.count++;
      else if (flow.errors.length < MAX_ERROR_TEXTS)
        flow.errors.push({ error: detach(text), cause: cause ?? 'other', count: 1 });
    }
    if (failed) this.addFinding(record, cause ?? 'other', dir, source, destination, key);
  }

  private flowFor(
    dir: ConnectionFlow['direction'],
    source: string,
    destination: string,
    outcome: ConnectionFlow['outcome'],
    record: ConnectionInput,
    destinationWorkload: string | null,
  ): FlowAccumulator {
    // The destination workload is part of the row: a Service's replicas can fail apart (one refuses).
    const key = `${dir}\u0000${source}\u0000${destination}\u0000${destinationWorkload ?? ''}\u0000${outcome}`;
    const existing = this.flows.get(key);
    if (existing !== undefined) return existing;
    if (this.flows.size >= this.maxFlows) {
      this.flowsTruncated++;
      const otherKey = `${dir}\u0000${OTHER}\u0000${OTHER}\u0000${outcome}`;
      const other = this.flows.get(otherKey);
      if (other !== undefined) return other;
      const fresh = newFlow(dir, OTHER, OTHER, outcome, null, null, null);
      this.flows.set(otherKey, fresh);
      return fresh;
    }
    const fresh = newFlow(
      dir,
      detach(source),
      detach(destination),
      outcome,
      record.src_identity === null ? null : detach(record.src_identity),
      record.dst_identity === null ? null : detach(record.dst_identity),
      destinationWorkload === null ? null : detach(destinationWorkload),
    );
    this.flows.set(detach(key), fresh);
    return fresh;
  }

  private addFinding(
    record: ConnectionInput,
    cause: ConnectionCause,
    dir: ConnectionFlow['direction'],
    source: string,
    destination: string,
    key: number,
  ): void {
    const findingKey = `${cause}\u0000${destination}`;
    let group = this.findings.get(findingKey);
    if (group === undefined) {
      if (this.findings.size >= MAX_FINDINGS) return;
      const service = record.dst_service ?? '';
      const dot = service.indexOf('.');
      group = {
        cause,
        destination: detach(destination),
        direction: dir,
        count: 0,
        peers: [],
        errors: new Map(),
        firstKey: Number.POSITIVE_INFINITY,
        lastKey: Number.NEGATIVE_INFINITY,
        pods: new PodList(),
        namespace: record.dst_namespace ?? (dot > 0 ? (service.slice(dot + 1).split('.')[0] ?? null) : null),
        destinationName: dot > 0 ? service.slice(0, dot) : record.dst_workload,
        service: dot > 0 ? service.slice(0, dot) : null,
        ztunnel: sourcePod(record.source, record.origin),
      };
      this.findings.set(detach(findingKey), group);
    }
    group.count++;
    if (!group.peers.includes(source) && group.peers.length < MAX_FINDING_PEERS)
      group.peers.push(detach(source));
    const text = bounded(record.error ?? record.message ?? 'connection failed');
    if (group.errors.has(text) || group.errors.size < MAX_ERROR_TEXTS)
      group.errors.set(detach(text), (group.errors.get(text) ?? 0) + 1);
    if (key < group.firstKey) group.firstKey = key;
    if (key > group.lastKey) group.lastKey = key;
    if (record.origin !== null) group.pods.add(record.origin);
  }

  /** The L4 findings: one per cause and destination, most frequent first. */
  findingsResult(): Finding[] {
    return [...this.findings.values()]
      .sort((a, b) => b.count - a.count)
      .map((g): Finding => {
        const [topError = ''] = [...g.errors.entries()].sort((a, b) => b[1] - a[1]).map(([e]) => e);
        const explained = explainConnection(topError, {
          namespace: g.namespace,
          destination: g.destinationName,
          service: g.service,
          ztunnel: g.ztunnel,
        });
        return {
          ...explained,
          title: `L4 ${CAUSE_TITLES[g.cause]} → ${g.destination}`,
          flags: [],
          codes: [],
          response_code_details: null,
          upstream_transport_failure_reason: null,
          direction: g.direction,
          peers: [...g.peers],
          count: g.count,
          example_request_ids: [],
          first_seen: isoOfTimeKey(g.firstKey),
          last_seen: isoOfTimeKey(g.lastKey),
          reported_by: [...g.pods.names],
          reported_by_more: g.pods.more,
          layer: 'l4',
          connection_errors: [...g.errors.entries()]
            .sort((a, b) => b[1] - a[1])
            .map(([error, count]) => ({ error, count })),
        };
      });
  }

  result(): ConnectionSummary {
    const flows = [...this.flows.values()].map(
      (acc): ConnectionFlow => ({
        ...acc.flow,
        errors: acc.flow.errors.map((e) => ({ ...e })),
        duration_ms: acc.durations.stats(),
        first_seen: isoOfTimeKey(acc.firstKey),
        last_seen: isoOfTimeKey(acc.lastKey),
        reported_by: [...acc.pods.names],
        reported_by_more: acc.pods.more,
      }),
    );
    flows.sort(
      (a, b) =>
        DIRECTION_ORDER[a.direction] - DIRECTION_ORDER[b.direction] ||
        b.failed - a.failed ||
        b.count - a.count ||
        a.source.localeCompare(b.source) ||
        a.destination.localeCompare(b.destination),
    );
    return { totals: { ...this.totals }, flows, flows_truncated: this.flowsTruncated };
  }
}

const DIRECTION_ORDER: Record<ConnectionFlow['direction'], number> = { inbound: 0, outbound: 1, unknown: 2 };

const CAUSE_TITLES: Record<ConnectionCause, string> = {
  policy_rejection: 'connections denied by policy',
  refused: 'connections refused',
  timeout: 'connections timed out',
  no_healthy_upstream: 'no healthy upstream',
  identity: 'mTLS/identity failures',
  unknown_waypoint: 'unknown waypoint',
  unknown_workload: 'unknown source workload',
  disconnected: 'connections cut short',
  drain: 'connections closed by drain',
  other: 'connection errors',
};

function newFlow(
  dir: ConnectionFlow['direction'],
  source: string,
  destination: string,
  outcome: ConnectionFlow['outcome'],
  sourceIdentity: string | null,
  destinationIdentity: string | null,
  destinationWorkload: string | null,
): FlowAccumulator {
  return {
    flow: {
      direction: dir,
      source,
      source_identity: sourceIdentity,
      destination,
      destination_workload: destinationWorkload,
      destination_identity: destinationIdentity,
      outcome,
      count: 0,
      failed: 0,
      bytes_sent: 0,
      bytes_recv: 0,
      errors: [],
    },
    durations: new DurationHistogram(),
    pods: new PodList(),
    firstKey: Number.POSITIVE_INFINITY,
    lastKey: Number.NEGATIVE_INFINITY,
  };
}
