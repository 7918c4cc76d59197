/**
 * @module analysis/peer
 * Who is on the other side of an entry: the called service for outbound, the caller for inbound.
 */
import { parseClusterName, shortServiceHost } from '../accesslog/cluster.js';
import type { AccessLogEntry } from '../accesslog/entry.js';
import { hasZeroPort, lastIndexOfCode } from '../accesslog/fields.js';

/** Maps an IP address (no port) to a name such as a pod, when a live cluster told us. */
export type AddressResolver = (ip: string) => string | undefined;

/** `10.1.2.3:80` → `10.1.2.3`, `[2a02::1]:80` → `2a02::1`; other text unchanged. */
export function hostOfAddress(address: string): string {
  if (address.startsWith('[')) {
    const end = address.indexOf(']');
    return end > 0 ? address.slice(1, end) : address;
  }
  const colon = lastIndexOfCode(address, 58);
  if (colon > 0 && address.indexOf(':') === colon) return address.slice(0, colon);
  return address;
}

/**
 * Where an address points: the `IP:port` inside an Envoy internal address (a waypoint's HBONE tunnel,
 * `envoy://connect_originate/10.0.0.5:9080`), other addresses as they are; null for none (`-`).
 */
export function tunnelTarget(address: string | null): string | null {
  if (address === null || address === '-') return null;
  return address.startsWith('envoy://') ? address.slice(address.lastIndexOf('/') + 1) : address;
}

/**
 * `10.96.0.12:5432` as `svc/postgres:5432` when the resolver names its host (a Service's ClusterIP, a
 * pod), else unchanged.
 */
export function namedAddress(address: string, resolve?: AddressResolver): string {
  if (resolve === undefined) return address;
  const host = hostOfAddress(address);
  const name = resolve(host);
  if (name === undefined) return address;
  return host.length < address.length ? `${name}${address.slice(address.lastIndexOf(':'))}` : name;
}

/**
 * The caller of an inbound entry from its remote address: the resolved name, else the IP, else (port 0:
 * the gateway restored the client address from X-Forwarded-For) the first X-Forwarded-For hop.
 */
export function callerName(remote: string, forwardedFor: string | null, resolve?: AddressResolver): string {
  const ip = hostOfAddress(remote);
  const name = resolve?.(ip);
  if (name !== undefined) return name;
  if (hasZeroPort(remote) && forwardedFor) return forwardedFor.split(',')[0]?.trim() || ip;
  return ip;
}

/** A pod (or a saved log named after one) of an Istio gateway: `istio-ingressgateway-…`, `…-gateway-…`. */
const GATEWAY_NAME = /gateway/i;

/**
 * True when the entry was logged by a gateway: the pod from a prefix or a live read, or the file it was
 * read from, is named after one. Gateways have no inbound side: their downstream is the client.
 */
export function isGatewayEntry(entry: AccessLogEntry): boolean {
  const origin = entry.origin;
  if (origin !== null) return GATEWAY_NAME.test(origin);
  const source = entry.source;
  const base = source.slice(Math.max(source.lastIndexOf('/'), source.lastIndexOf('\\')) + 1);
  return GATEWAY_NAME.test(base);
}

/**
 * A short, stable label for the peer of an entry:
 * - outbound `outbound|8000||httpbin.foo.svc.cluster.local` → `httpbin.foo:8000` (subset appended: `reviews.default:9080 (v3)`);
 * - PassthroughCluster / BlackHoleCluster → `passthrough → 104.20.28.24:443` / `blocked → 209.85.200.95:443`
 *   (the address named when the resolver knows it: `passthrough → svc/postgres:5432`);
 * - inbound → the caller: a resolved name, else the first X-Forwarded-For hop when the remote port is 0
 *   (the gateway restored the client address), else the remote IP;
 * - unknown (no cluster chosen) → the authority, else the local address; at a gateway (see
 *   {@link isGatewayEntry}) the client instead: the first X-Forwarded-For hop, else the remote address.
 */
export function describePeer(entry: AccessLogEntry, resolve?: AddressResolver): string {
  if (entry.direction === 'outbound') {
    const cluster = parseClusterName(entry.upstream_cluster);
    if (cluster.kind === 'outbound' && cluster.host !== null) {
      const base = `${shortServiceHost(cluster.host)}${cluster.port ? `:${cluster.port}` : ''}`;
      return cluster.subset ? `${base} (${cluster.subset})` : base;
    }
    const local = entry.downstream_local_address;
    const target =
      entry.authority ?? (local === null ? null : namedAddress(local, resolve)) ?? entry.upstream_host ?? '?';
    if (cluster.kind === 'PassthroughCluster') return `passthrough → ${target}`;
    if (cluster.kind === 'BlackHoleCluster')
      return `blocked → ${local === null ? target : namedAddress(local, resolve)}`;
    return target;
  }
  if (entry.direction === 'inbound') {
    const remote = entry.downstream_remote_address;
    if (remote === null) return entry.x_forwarded_for?.split(',')[0]?.trim() || '(unknown caller)';
    return callerName(remote, entry.x_forwarded_for, resolve);
  }
  if (isGatewayEntry(entry)) {
    const client = entry.x_forwarded_for?.split(',')[0]?.trim();
    if (client) return client;
    const remote = entry.downstream_remote_address;
    if (remote !== null) return callerName(remote, null, resolve);
  }
  return entry.authority ?? entry.downstream_local_address ?? '(unknown)';
}
