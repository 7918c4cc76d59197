/**
 * Waypoint hops (Istio ambient mode) in a trace: linked through the pod that has no proxy of its own, and
 * matched with ztunnel's records of the same connections. Entries and records here are synthetic, shaped
 * after the real waypoint lines (test/fixtures/envoy-family/waypoint.jsonl) and ztunnel records.
 */
import { describe, expect, it } from 'vitest';
import { makeEntry } from '../../test/support/make-entry.js';
import type { AccessLogEntry, ConnectionRecord } from '../accesslog/entry.js';
import { tunnelTarget } from './peer.js';
import { buildTrace } from './trace.js';
import { matchConnections, waypointHops } from './trace-l4.js';

const ID = '9c1ea9ee-cb88-9434-8c40-9011dd817000';
const T = Date.parse('2026-12-04T10:00:00.000Z');
const at = (ms: number) => new Date(T + ms).toISOString();

/** A waypoint's entry: the caller's address, and the pod it forwarded to through HBONE. */
function waypoint(
  fields: Partial<AccessLogEntry> & { from: string; to: string; service: string },
): AccessLogEntry {
  const { from, to, service, ...rest } = fields;
  return makeEntry({
    request_id: ID,
    direction: 'inbound',
    source: 'ambient/waypoint-abc',
    origin: 'waypoint-abc',
    upstream_cluster: `inbound-vip|9080|http|${service}.ambient.svc.cluster.local`,
    upstream_host: `envoy://connect_originate/${to}`,
    downstream_local_address: '10.96.0.10:9080',
    downstream_remote_address: from,
    upstream_local_address: 'envoy://internal_client_address/',
    ...rest,
  });
}

function record(fields: Partial<ConnectionRecord>): ConnectionRecord {
  return {
    kind: 'connection',
    line: 1,
    source: 'istio-system/ztunnel-a',
    format: 'text',
    timestamp: at(20),
    level: 'info',
    message: 'connection complete',
    src_addr: null,
    src_workload: null,
    src_namespace: 'ambient',
    src_identity: null,
    src_cluster: null,
    dst_addr: null,
    dst_hbone_addr: null,
    dst_service: null,
    dst_workload: null,
    dst_namespace: 'ambient',
    dst_identity: null,
    dst_cluster: null,
    direction: 'inbound',
    bytes_sent: 10,
    bytes_recv: 20,
    duration_ms: 5,
    error: null,
    origin: 'ztunnel-a',
    ...fields,
  };
}

const front = waypoint({
  from: '10.0.1.1:40000',
  to: '10.0.1.2:9080',
  service: 'productpage',
  line: 1,
  start_time: at(0),
  duration_ms: 20,
});
const back = waypoint({
  from: '10.0.1.2:50000',
  to: '10.0.2.3:9080',
  service: 'reviews',
  line: 2,
  start_time: at(5),
  duration_ms: 2,
  response_code: 503,
  response_flags: ['UC'],
});

describe('waypoint hops in a trace', () => {
  it('links a waypoint call made by the pod the waypoint forwarded to, and says the caller has no sidecar', () => {
    const report = buildTrace(ID, [back, front]);
    expect(report.hops).toHaveLength(2);
    const parentOfBack = report.hops.find((h) => h.downstream_remote_address === '10.0.1.2:50000')?.parent;
    expect(parentOfBack).toBe(report.hops.findIndex((h) => h.downstream_remote_address === '10.0.1.1:40000'));
    expect(report.notes.some((n) => n.kind === 'missing_hop' || n.kind === 'broken_chain')).toBe(false);
    expect(report.notes.find((n) => n.kind === 'info' && n.hop === 0)?.message).toMatch(
      /no sidecar of its own/,
    );
    expect(waypointHops(report.hops)).toEqual([0, 1]);
  });

  it('does not link when the call falls outside the span of the hop that forwarded to its caller', () => {
    const late = waypoint({
      from: '10.0.1.2:50000',
      to: '10.0.2.3:9080',
      service: 'reviews',
      line: 3,
      start_time: at(5000),
      duration_ms: 2,
    });
    const report = buildTrace(ID, [front, late]);
    expect(report.hops.every((h) => h.parent === null)).toBe(true);
  });

  it('matches the caller record by its connection and the callee record by the target and time', () => {
    const report = buildTrace(ID, [front, back]);
    const backIndex = report.hops.findIndex((h) => h.downstream_remote_address === '10.0.1.2:50000');
    const matched = matchConnections(report.hops, [
      record({
        direction: 'outbound',
        src_addr: '10.0.1.2:50000',
        src_workload: 'productpage-v1-x',
        dst_addr: '10.0.3.9:15008',
        timestamp: at(8),
      }),
      // Same target, an hour later: another connection.
      record({ direction: 'inbound', dst_addr: '10.0.2.3:9080', timestamp: at(3_600_000), error: null }),
      record({
        direction: 'inbound',
        dst_addr: '10.0.2.3:9080',
        dst_workload: 'reviews-v3-x',
        timestamp: at(7),
        error: 'connection failed: Connection refused (os error 111)',
      }),
      // The client's copy logged inbound on the same node is not the caller's record.
      record({
        direction: 'inbound',
        src_addr: '10.0.1.2:50000',
        dst_addr: '10.0.3.9:15008',
        timestamp: at(8),
      }),
    ]);
    const forBack = matched.filter((c) => c.hop === backIndex);
    expect(forBack.map((c) => [c.side, c.direction, c.error])).toEqual([
      ['caller', 'outbound', null],
      ['callee', 'inbound', 'connection failed: Connection refused (os error 111)'],
    ]);
  });

  it('reads the tunnel target out of an envoy:// address', () => {
    expect(tunnelTarget('envoy://connect_originate/10.217.0.82:9080')).toBe('10.217.0.82:9080');
    expect(tunnelTarget('10.0.0.1:80')).toBe('10.0.0.1:80');
    expect(tunnelTarget('-')).toBeNull();
  });
});
