/** Builds an AccessLogEntry for tests: every field null/empty unless given. */
import { directionOfCluster } from '../../src/accesslog/cluster.js';
import type { AccessLogEntry } from '../../src/accesslog/entry.js';

export function makeEntry(fields: Partial<AccessLogEntry> = {}): AccessLogEntry {
  const base: AccessLogEntry = {
    line: 1,
    source: 'test.log',
    format: 'text',
    start_time: '2024-01-01T00:00:00.000Z',
    method: 'GET',
    path: '/',
    protocol: 'HTTP/1.1',
    response_code: 200,
    response_flags: [],
    response_code_details: 'via_upstream',
    connection_termination_details: null,
    upstream_transport_failure_reason: null,
    bytes_received: 0,
    bytes_sent: 0,
    duration_ms: 1,
    upstream_service_time_ms: 1,
    x_forwarded_for: null,
    user_agent: 'curl/8.0',
    request_id: null,
    authority: 'httpbin:8000',
    upstream_host: null,
    upstream_cluster: 'outbound|8000||httpbin.default.svc.cluster.local',
    upstream_local_address: null,
    downstream_local_address: null,
    downstream_remote_address: null,
    requested_server_name: null,
    route_name: 'default',
    direction: 'outbound',
    origin: null,
  };
  const entry = { ...base, ...fields };
  if (fields.direction === undefined && fields.upstream_cluster !== undefined) {
    entry.direction = directionOfCluster(fields.upstream_cluster);
  }
  return entry;
}
