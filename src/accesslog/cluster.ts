/**
 * @module accesslog/cluster
 * Istio cluster names (`outbound|8000||httpbin.foo.svc.cluster.local`, `inbound|80||`, `PassthroughCluster`,
 * a waypoint's `inbound-vip|9080|http|reviews.bookinfo.svc.cluster.local`…) and the direction they imply
 * (../shared/notes/istio-access-logs.md §6).
 */
import type { Direction } from './entry.js';

export interface ClusterName {
  direction: Direction;
  /** `outbound`, `inbound`, `inbound-vip`, `PassthroughCluster`, … */
  kind: string;
  port: string | null;
  subset: string | null;
  /** The service host (FQDN) for outbound clusters and old-style inbound ones. */
  host: string | null;
}

const UNKNOWN: ClusterName = { direction: 'unknown', kind: 'unknown', port: null, subset: null, host: null };

/** Splits an Istio cluster name. Never throws; anything unrecognised is `unknown`. */
export function parseClusterName(cluster: string | null): ClusterName {
  if (cluster === null) return UNKNOWN;
  const bar = cluster.indexOf('|');
  if (bar > 0) {
    const parts = cluster.split('|');
    const kind = parts[0] ?? '';
    const direction = directionOfKind(kind);
    return {
      direction,
      kind,
      port: parts[1] || null,
      subset: parts[2] || null,
      host: parts[3] || null,
    };
  }
  switch (cluster) {
    case 'PassthroughCluster':
    case 'BlackHoleCluster':
      return { direction: 'outbound', kind: cluster, port: null, subset: null, host: null };
    case 'InboundPassthroughCluster':
    case 'InboundPassthroughClusterIpv4':
    case 'InboundPassthroughClusterIpv6':
      return { direction: 'inbound', kind: cluster, port: null, subset: null, host: null };
    case 'virtual_inbound':
      // The 2022 Envoy-based ztunnel's inbound HBONE cluster.
      return { direction: 'inbound', kind: cluster, port: null, subset: null, host: null };
    default:
      // The 2022 Envoy-based ztunnel's outbound clusters: `outbound_tunnel_clus_spiffe://…/sa/sleep` and
      // `spiffe://…/sa/sleep_to_http_productpage.default.svc.cluster.local_outbound_internal`.
      if (cluster.startsWith('outbound_tunnel_clus_') || cluster.endsWith('_outbound_internal')) {
        return { direction: 'outbound', kind: cluster, port: null, subset: null, host: null };
      }
      // Anything else (Envoy Gateway's `httproute/NS/NAME/rule/N`, Contour's, Consul's…) has no direction.
      return { ...UNKNOWN, kind: cluster };
  }
}

function directionOfKind(kind: string): Direction {
  if (kind === 'outbound') return 'outbound';
  // `inbound-vip|…` is what waypoints log for the service they front.
  if (kind === 'inbound' || kind === 'inbound-vip') return 'inbound';
  return 'unknown';
}

/** Direction from the cluster name alone: inbound|…, outbound|…, Passthrough/BlackHole, else unknown. */
export function directionOfCluster(cluster: string | null): Direction {
  if (cluster === null) return 'unknown';
  const c0 = cluster.charCodeAt(0);
  if (c0 === 111 /* o */ && cluster.startsWith('outbound|')) return 'outbound';
  if (c0 === 105 /* i */ && (cluster.startsWith('inbound|') || cluster.startsWith('inbound-vip|'))) {
    return 'inbound';
  }
  return parseClusterName(cluster).direction;
}

/** `httpbin.foo.svc.cluster.local` → `httpbin.foo`; other hosts unchanged. */
export function shortServiceHost(host: string): string {
  const i = host.indexOf('.svc.');
  return i > 0 ? host.slice(0, i) : host;
}
