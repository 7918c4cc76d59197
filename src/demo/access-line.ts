/**
 * @module demo/access-line
 * One proxy's access-log entry as the simulated meshes describe it (`Hop`), written as Istio's default TEXT
 * line (1.9+ layout) or as the typed JSON an EnvoyFilter/Telemetry JSON encoding writes.
 */

export interface HopPod {
  name: string;
  ip: string;
  service: string;
  port: number;
}

export interface Hop {
  pod: HopPod;
  direction: 'inbound' | 'outbound';
  startMs: number;
  durationMs: number;
  upstreamMs: number | null;
  method: string;
  path: string;
  code: number;
  flags: string;
  details: string;
  utfr: string;
  xff: string;
  requestId: string;
  authority: string;
  upstreamHost: string;
  cluster: string;
  ula: string;
  dla: string;
  dra: string;
  sni: string;
  route: string;
  bytesSent: number;
  ua: string;
}

/** The line Istio's default TEXT format writes for `h`. */
export function renderText(h: Hop): string {
  const request = h.method === '-' ? '- - -' : `${h.method} ${h.path} HTTP/1.1`;
  const start = new Date(h.startMs).toISOString();
  return `[${start}] "${request}" ${h.code} ${h.flags} ${h.details} - "${h.utfr}" 0 ${h.bytesSent} ${h.durationMs} ${h.upstreamMs ?? '-'} "${h.xff}" "${h.ua}" "${h.requestId}" "${h.authority}" "${h.upstreamHost}" ${h.cluster} ${h.ula} ${h.dla} ${h.dra} ${h.sni} ${h.route}`;
}

/** The line a JSON access-log encoding writes for `h` (typed numbers, `null` for absent fields). */
export function renderJson(h: Hop): string {
  const v = (s: string) => (s === '-' ? null : s);
  return JSON.stringify({
    start_time: new Date(h.startMs).toISOString(),
    method: v(h.method),
    path: v(h.path),
    protocol: h.method === '-' ? null : 'HTTP/1.1',
    response_code: h.code,
    response_flags: h.flags,
    response_code_details: v(h.details),
    connection_termination_details: null,
    upstream_transport_failure_reason: v(h.utfr),
    bytes_received: 0,
    bytes_sent: h.bytesSent,
    duration: h.durationMs,
    upstream_service_time: h.upstreamMs === null ? null : String(h.upstreamMs),
    x_forwarded_for: v(h.xff),
    user_agent: v(h.ua),
    request_id: v(h.requestId),
    authority: v(h.authority),
    upstream_host: v(h.upstreamHost),
    upstream_cluster: v(h.cluster),
    upstream_local_address: v(h.ula),
    downstream_local_address: v(h.dla),
    downstream_remote_address: v(h.dra),
    requested_server_name: v(h.sni),
    route_name: v(h.route),
  });
}
