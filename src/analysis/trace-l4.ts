/**
 * @module analysis/trace-l4
 * Beside a trace's waypoint hops (Istio ambient mode), the ztunnel connection records of the same
 * connections, marked L4: the **caller** record, whose source address is the hop's downstream remote
 * address (the client's own connection, the same `IP:port` on both sides), and the **callee** record, the
 * connection the waypoint opened to the pod it forwarded to (`envoy://connect_originate/IP:port`), logged
 * `inbound` by that pod's ztunnel and closed within the hop's span. ztunnel writes a record when the
 * connection closes, so a caller's connection that carried many requests matches each of them.
 */
import type { ConnectionRecord } from '../accesslog/entry.js';
import { tunnelTarget } from './peer.js';
import type { TraceConnection, TraceHop } from './report.js';
import { timeKey } from './time-key.js';
import { CROSS_PROXY_SKEW_MS, usableIp } from './trace-link.js';
import { isWaypointEntry } from './trace-notes.js';

/** The hops that are a waypoint's (their L4 side is in ztunnel's logs). */
export function waypointHops(hops: readonly TraceHop[]): number[] {
  const out: number[] = [];
  hops.forEach((h, i) => {
    if (isWaypointEntry({ upstream_cluster: h.upstream_cluster, upstream_host: h.upstream_host }))
      out.push(i);
  });
  return out;
}

/** The span to read ztunnel logs over: from the first waypoint hop's start to the last one's end (epoch ms). */
export function waypointSpan(hops: readonly TraceHop[]): { fromMs: number; toMs: number } | null {
  let from = Number.POSITIVE_INFINITY;
  let to = Number.NEGATIVE_INFINITY;
  for (const i of waypointHops(hops)) {
    const h = hops[i];
    if (h?.start_time === null || h === undefined) continue;
    const start = timeKey(h.start_time);
    from = Math.min(from, start);
    to = Math.max(to, start + (h.duration_ms ?? 0));
  }
  return Number.isFinite(from) ? { fromMs: from, toMs: to } : null;
}

function toConnection(hop: number, side: TraceConnection['side'], r: ConnectionRecord): TraceConnection {
  return {
    hop,
    side,
    source: r.source,
    timestamp: r.timestamp,
    direction: r.direction,
    src_addr: r.src_addr,
    src_workload: r.src_workload,
    src_identity: r.src_identity,
    dst_addr: r.dst_addr,
    dst_workload: r.dst_workload,
    dst_identity: r.dst_identity,
    bytes_sent: r.bytes_sent,
    bytes_recv: r.bytes_recv,
    duration_ms: r.duration_ms,
    error: r.error,
  };
}

/** How far a record's time (its close) is outside the hop's span, in ms (0 inside). */
function outside(record: ConnectionRecord, start: number, end: number): number {
  if (record.timestamp === null) return Number.POSITIVE_INFINITY;
  const at = timeKey(record.timestamp);
  return at < start ? start - at : at > end ? at - end : 0;
}

/**
 * The caller and callee records of each waypoint hop, at most one of each: the closest in time among those
 * whose addresses match. `records` are the ztunnel records read around the trace (any order).
 */
export function matchConnections(
  hops: readonly TraceHop[],
  records: readonly ConnectionRecord[],
): TraceConnection[] {
  const out: TraceConnection[] = [];
  for (const i of waypointHops(hops)) {
    const hop = hops[i];
    if (hop === undefined || hop.start_time === null) continue;
    const start = timeKey(hop.start_time);
    const end = start + (hop.duration_ms ?? 0);
    const caller = hop.downstream_remote_address;
    const target = tunnelTarget(hop.upstream_host);
    const targetIp = usableIp(target);
    let bestCaller: ConnectionRecord | null = null;
    let bestCallee: ConnectionRecord | null = null;
    let callerGap = Number.POSITIVE_INFINITY;
    let calleeGap = Number.POSITIVE_INFINITY;
    for (const r of records) {
      if (caller !== null && r.src_addr === caller && r.direction === 'outbound') {
        // The client's connection may outlive the request (keep-alive): any close after the hop started.
        const at = r.timestamp === null ? Number.NaN : timeKey(r.timestamp);
        const gap = at >= start - CROSS_PROXY_SKEW_MS ? Math.abs(at - end) : Number.POSITIVE_INFINITY;
        if (gap < callerGap) {
          callerGap = gap;
          bestCaller = r;
        }
        continue;
      }
      if (targetIp === null || r.direction !== 'inbound') continue;
      const dst = r.dst_hbone_addr ?? r.dst_addr;
      if (dst === null || (dst !== target && usableIp(dst) !== targetIp)) continue;
      const gap = outside(r, start, end);
      if (gap <= CROSS_PROXY_SKEW_MS && gap < calleeGap) {
        calleeGap = gap;
        bestCallee = r;
      }
    }
    if (bestCaller !== null) out.push(toConnection(i, 'caller', bestCaller));
    if (bestCallee !== null) out.push(toConnection(i, 'callee', bestCallee));
  }
  return out;
}
