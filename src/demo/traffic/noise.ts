/**
 * @module demo/traffic/noise
 * What real `istio-proxy` log files hold besides access entries: pilot-agent's lines (`<time>\t<level>\t
 * <scope>\t…`), Envoy's own log (`[<time>][<thread>][<level>][<logger>] …`) and blank lines; and the
 * prefixes log tools put in front of every line: `kubectl logs --timestamps`, the CRI node-log format
 * (`<time> stdout F `) and `kubectl logs --prefix` (`[pod/NAME/istio-proxy] `).
 */
import { pick } from '../random.js';
import { int, type Random } from './values.js';

export type PrefixKind = 'none' | 'timestamps' | 'cri' | 'pod';
export const PREFIX_KINDS: readonly PrefixKind[] = ['none', 'timestamps', 'cri', 'pod'];
export type NoiseKind = 'agent' | 'envoy' | 'blank';
export const NOISE_KINDS: readonly NoiseKind[] = ['agent', 'envoy', 'blank'];

/** `2026-11-21T09:00:00.123456789Z`: RFC 3339 with nanoseconds, as kubelet and kubectl write it. */
export function nanoTime(random: Random, ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 23)}${String(int(random, 0, 999_999)).padStart(6, '0')}Z`;
}

/** The prefix a log tool writes before a line the pod wrote at `ms`. */
export function prefixFor(random: Random, kind: PrefixKind, ms: number, pod: string): string {
  switch (kind) {
    case 'none':
      return '';
    case 'timestamps':
      return `${nanoTime(random, ms)} `;
    case 'cri':
      return `${nanoTime(random, ms)} stdout F `;
    case 'pod':
      return `[pod/${pod}/istio-proxy] `;
  }
}

// pilot-agent's lines, and Envoy's own lines as recent Istio formats them (`envoy <logger>` as the scope).
const AGENT: readonly (readonly [string, string])[] = [
  ['info', 'xdsproxy\tconnected to upstream XDS server: istiod.istio-system.svc:15012'],
  ['info', 'xdsproxy\tconnected to delta upstream XDS server: istiod.istio-system.svc:15012 id=3'],
  [
    'info',
    'ads\tADS: new connection for node:sidecar~10.64.1.7~checkout-v1-7f9c8d6b5d-x2x9q.shop~shop.svc.cluster.local-1',
  ],
  ['info', 'cache\tgenerated new workload certificate\tlatency=118.243ms ttl=23h59m59.756147154s'],
  ['info', 'sds\tSDS: PUSH\tresource=default'],
  [
    'warn',
    'sds\tfailed to warm certificate: failed to generate workload certificate: create certificate: rpc error: code = Unavailable desc = connection error',
  ],
  [
    'error',
    'xdsproxy\tupstream [1] terminated with unexpected error rpc error: code = Unavailable desc = error reading from server: EOF',
  ],
  ['info', 'Readiness succeeded in 1.112452389s'],
  ['info', 'Envoy proxy is ready'],
  [
    'warning',
    'envoy config external/envoy/source/extensions/config_subscription/grpc/grpc_stream.h:193\tStreamAggregatedResources gRPC config stream to xds-grpc closed since 41s ago: 14, connection error',
  ],
  [
    'warning',
    'envoy main external/envoy/source/server/server.cc:868\tthere is no configured limit to the number of allowed active downstream connections.',
  ],
];

const ENVOY: readonly (readonly [string, string, string])[] = [
  [
    'warning',
    'config',
    '[external/envoy/source/extensions/config_subscription/grpc/grpc_stream.h:193] StreamAggregatedResources gRPC config stream to xds-grpc closed since 39s ago: 14, connection error: desc = "transport: Error while dialing: dial tcp 10.96.0.12:15012: connect: connection refused"',
  ],
  [
    'info',
    'upstream',
    '[external/envoy/source/common/upstream/cds_api_helper.cc:32] cds: add 214 cluster(s), remove 3 cluster(s)',
  ],
  [
    'info',
    'upstream',
    '[external/envoy/source/common/upstream/cds_api_helper.cc:71] cds: added/updated 2 cluster(s), skipped 212 unmodified cluster(s)',
  ],
  [
    'warning',
    'main',
    '[external/envoy/source/server/server.cc:868] Usage of the deprecated runtime key overload.global_downstream_max_connections',
  ],
  [
    'info',
    'lds',
    "[external/envoy/source/common/listener_manager/lds_api.cc:106] lds: add/update listener '0.0.0.0_8080'",
  ],
  [
    'error',
    'envoy_bug',
    '[external/envoy/source/common/http/conn_manager_impl.cc:1532] envoy bug failure: !state_.is_head_request_',
  ],
];

/** A line of the proxy's own log (not an access entry), written at `ms`. */
export function noiseLine(random: Random, kind: NoiseKind, ms: number): string {
  const iso = new Date(ms).toISOString();
  switch (kind) {
    case 'agent': {
      const [level, message] = pick(random, AGENT);
      return `${iso.slice(0, 23)}${String(int(random, 0, 999)).padStart(3, '0')}Z\t${level}\t${message}`;
    }
    case 'envoy': {
      const [level, logger, message] = pick(random, ENVOY);
      return `[${iso.slice(0, 10)} ${iso.slice(11, 23)}][${int(random, 14, 40)}][${level}][${logger}] ${message}`;
    }
    case 'blank':
      return '';
  }
}
