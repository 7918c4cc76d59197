/**
 * @module analysis/report
 * The shapes commands return and renderers draw. A *flow* groups entries by direction, peer, method,
 * route pattern and outcome; a *finding* is a problem with evidence, meaning and next step; a *hop* is
 * one proxy's entry in a trace. JSON output is these objects as they are (snake_case keys).
 */
import type { Direction, SkipReason } from '../accesslog/entry.js';
import type { Outcome } from './classify.js';
import type { NameGroup } from './name-sketch.js';

export type { NameGroup } from './name-sketch.js';

export type Severity = 'critical' | 'error' | 'warning' | 'info';

export interface DurationStats {
  /** Percentiles of DURATION in ms; exact below 2048 ms, within 1% above. Null when no entry had a duration. */
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
}

export interface Flow {
  direction: Direction;
  /** Outbound: the called service (`httpbin.foo:8000`); inbound: the caller; unknown: the authority. */
  peer: string;
  method: string | null;
  /** Route/path pattern with ids collapsed (`/items/{id}`), or `(tcp)` for TCP connections. */
  route: string;
  /** `ok`, `client_error`, `warning` or `error` (analysis/classify decides). */
  outcome: Outcome;
  count: number;
  errors: number;
  warnings: number;
  client_errors: number;
  /** Response code → count (`"0"` for TCP / no response). */
  codes: Record<string, number>;
  /** Response flag → count. */
  flags: Record<string, number>;
  duration_ms: DurationStats;
  bytes_received: number;
  bytes_sent: number;
  /** Up to three request ids, errors first. */
  example_request_ids: string[];
  first_seen: string | null;
  last_seen: string | null;
  /** The pods whose proxies logged the flow (up to three), when known (a `[pod/…]` prefix, a cluster read). */
  reported_by: string[];
  /** How many more pods logged it beyond `reported_by` (counted up to 50). */
  reported_by_more: number;
  /**
   * Set on a grouped row (its `peer` reads `(812 callers)`): callers not named by a workload, a gateway's
   * clients, or peers past the limit. How many, and the most frequent with their counts.
   */
  peer_group: NameGroup | null;
  /** Set on a peer's `(other routes)` row (routes past the per-peer limit): how many, the most frequent. */
  route_group: NameGroup | null;
}

export interface Explanation {
  severity: Severity;
  /** One line: what happened, in plain words. */
  explanation: string;
  /** What usually causes it in an Istio mesh, most likely first. */
  causes: string[];
  /** The next checks to run, as commands or concrete actions. */
  next_steps: string[];
}

export interface Finding extends Explanation {
  /** Short title, e.g. `503 UH no_healthy_upstream → httpbin.foo:8000`. */
  title: string;
  flags: string[];
  codes: number[];
  response_code_details: string | null;
  upstream_transport_failure_reason: string | null;
  direction: Direction;
  peers: string[];
  count: number;
  example_request_ids: string[];
  first_seen: string | null;
  last_seen: string | null;
  /** The pods whose proxies logged it (up to three), when known: is the UH only on v1 of a canary? */
  reported_by: string[];
  /** How many more pods logged it beyond `reported_by` (counted up to 50). */
  reported_by_more: number;
  /** `l4` for a failure of ztunnel connection records (ambient mode); absent for HTTP/TCP entries. */
  layer?: 'l4' | undefined;
  /** L4 findings: the error texts ztunnel logged, most frequent first (up to three), with their counts. */
  connection_errors?: { error: string; count: number }[] | undefined;
}

/** One row of ztunnel connection records (ambient mode, L4): see analysis/connections. */
export interface ConnectionFlow {
  /** As ztunnel logged it: `outbound` from the source's node, `inbound` at the destination's. */
  direction: 'inbound' | 'outbound' | 'unknown';
  /** `namespace/workload` of the client, else its address. */
  source: string;
  source_identity: string | null;
  /** The Service asked for (`reviews.bookinfo`), else `namespace/workload`, else the address. */
  destination: string;
  destination_workload: string | null;
  destination_identity: string | null;
  /** `error` when a record of the row failed, `warning` for disconnects and drains, else `ok`. */
  outcome: 'ok' | 'warning' | 'error';
  /** Connections (`connection complete` and `connection failed` records). */
  count: number;
  failed: number;
  bytes_sent: number;
  bytes_recv: number;
  duration_ms: DurationStats;
  /** The error texts logged (up to three distinct), with counts. */
  errors: { error: string; cause: string; count: number }[];
  first_seen: string | null;
  last_seen: string | null;
  /** The ztunnel pods that logged the row (up to three). */
  reported_by: string[];
  reported_by_more: number;
}

/** What the ztunnel records of a summary add up to. */
export interface ConnectionSummary {
  totals: {
    /** Connections counted (complete and failed records). */
    connections: number;
    failed: number;
    /** `connection opened` records (debug level): each connection is counted once, by its end. */
    opened: number;
    /** Records older than the `--since` window. */
    filtered_out: number;
    bytes_sent: number;
    bytes_recv: number;
  };
  flows: ConnectionFlow[];
  /** Connections counted in `(other)` rows past the flow limit. */
  flows_truncated: number;
}

export interface SourceStats {
  name: string;
  entries: number;
  skipped_lines: number;
}

export interface SummaryTotals {
  entries: number;
  inbound: number;
  outbound: number;
  unknown: number;
  /** Entries whose outcome is an error (analysis/classify); warnings and client errors are counted apart. */
  errors: number;
  warnings: number;
  client_errors: number;
  skipped_lines: number;
  /** Entries dropped by `--since` (older than the window). */
  filtered_out: number;
}

export interface SummaryReport {
  kind: 'summary';
  totals: SummaryTotals;
  skipped: Partial<Record<SkipReason, number>>;
  window: { from: string | null; to: string | null };
  findings: Finding[];
  /** Errors first within each direction, then by count. */
  flows: Flow[];
  /**
   * Entries counted in the `(other)` flows (one per direction and outcome): the smallest flows, moved
   * there when the distinct-flow limit was reached. Grouped rows (`peer_group`, `route_group`) are not.
   */
  flows_truncated: number;
  sources: SourceStats[];
  /** Free-form notes for the reader (e.g. "no access-log entries: is access logging on?"). */
  notes: string[];
  /** Set when reading stopped early (Ctrl-C, SIGTERM): the report covers only the input read until then. */
  interrupted?: true | undefined;
  /** Set with `interrupted`: the totals are those of part of the input. */
  partial_input?: true | undefined;
  /** ztunnel's connection records (ambient mode), when the input held any; their failures are in `findings`. */
  connections?: ConnectionSummary | undefined;
}

export interface TraceHop {
  /** File name without extension, or the pod from the line prefix. */
  source: string;
  direction: Direction;
  start_time: string | null;
  duration_ms: number | null;
  response_code: number | null;
  response_flags: string[];
  /** The entry's outcome (analysis/classify): what the renderers mark as failing. */
  outcome: Outcome;
  method: string | null;
  path: string | null;
  authority: string | null;
  upstream_cluster: string | null;
  /** Index of the parent hop in `hops`, or null for a root. */
  parent: number | null;
  /** How the parent was chosen: matching addresses, or id + timing only. */
  link: 'address' | 'timing' | 'root';
  /** Nesting depth (0 for roots), for the waterfall. */
  depth: number;
  /** Milliseconds from the trace's first start to this hop's start (null without a start time). */
  offset_ms: number | null;
  /** 1-based attempt number when the same client call reached the server more than once (retries). */
  attempt: number | null;
  peer: string;
  upstream_service_time_ms: number | null;
  upstream_local_address: string | null;
  downstream_remote_address: string | null;
  /** Where the proxy sent the request (`10.0.0.5:9080`; a waypoint's `envoy://connect_originate/10.0.0.5:9080`). */
  upstream_host: string | null;
  line: number;
  file: string;
}

/** A ztunnel connection record shown beside a waypoint hop of a trace (ambient mode, L4). */
export interface TraceConnection {
  /** Index of the hop it belongs to. */
  hop: number;
  /** `caller`: the connection that brought the request to the waypoint; `callee`: the one it went on to the pod. */
  side: 'caller' | 'callee';
  /** The ztunnel pod that logged it (`namespace/pod`). */
  source: string;
  timestamp: string | null;
  direction: 'inbound' | 'outbound' | null;
  src_addr: string | null;
  src_workload: string | null;
  src_identity: string | null;
  dst_addr: string | null;
  dst_workload: string | null;
  dst_identity: string | null;
  bytes_sent: number | null;
  bytes_recv: number | null;
  duration_ms: number | null;
  error: string | null;
}

export type TraceNoteKind =
  | 'missing_hop'
  | 'clock_skew'
  | 'retry'
  | 'fan_out'
  | 'error'
  | 'broken_chain'
  | 'info';

export interface TraceNote {
  kind: TraceNoteKind;
  /** Index of the hop the note is about, if any. */
  hop: number | null;
  message: string;
}

export interface TraceReport {
  kind: 'trace';
  request_id: string;
  /** Causal order: each parent before its children, siblings by start time. */
  hops: TraceHop[];
  notes: TraceNote[];
  start_time: string | null;
  /** From the first hop's start to the latest end, in ms. */
  total_duration_ms: number | null;
  /** The sources holding hops of this request (each counting the hops drawn from it). */
  sources: SourceStats[];
  /** How many logs (pods, files) were searched for the id, with or without hops. */
  logs_searched: number;
  skipped_lines: number;
  /** Set when a signal stopped the search: the hops are those of the logs searched until then. */
  interrupted?: true | undefined;
  /** Set with `interrupted`. */
  partial_input?: true | undefined;
  /** ztunnel records of the waypoint hops' connections (ambient mode), when ztunnel logs were read. */
  connections?: TraceConnection[] | undefined;
}

export type Report = SummaryReport | TraceReport;
