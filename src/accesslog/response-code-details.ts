/**
 * @module accesslog/response-code-details
 * Common `%RESPONSE_CODE_DETAILS%` values (../shared/notes/istio-access-logs.md §5): what they mean and
 * what to check. A value is a *base* (`upstream_reset_before_response_started`) optionally followed by
 * `{…}` (reasons split on `,` or `|`), `[…]` (the RBAC policy) or `(…)`. Envoy writes spaces as `_`.
 *
 * `next_steps` use the placeholders documented in `accesslog/response-flags`. Never throws: odd input
 * (huge strings, unbalanced brackets) is looked at in a bounded prefix and yields undefined or a best guess.
 */
import { type FlagInfo, lookupFlag } from './response-flags.js';

export interface RbacPolicyRef {
  /** Namespace of the AuthorizationPolicy, as logged (not validated). */
  namespace: string;
  /** Policy name, as logged (not validated). */
  name: string;
  /** Rule index within the policy, as logged. */
  rule: string | null;
}

export interface DetailInfo {
  /** The value before any `{`, `[` or `(`, e.g. `upstream_reset_before_response_started`. */
  base: string;
  /** The bracketed parts: `{a,b|c}` → `['a','b','c']`; `[…]` and `(…)` → one item. Bounded in count and size. */
  inner: string[];
  meaning: string;
  causes: readonly string[];
  next_steps: readonly string[];
  /** The short response flag this detail usually comes with (`UH` for no_healthy_upstream), if any. */
  flag: string | null;
  /** For `rbac_access_denied_matched_policy[ns[NS]-policy[NAME]-rule[N]]`: the policy; null otherwise. */
  policy: RbacPolicyRef | null;
}

/** Only this much of a details value is examined. Real values are well under 200 characters. */
const MAX_EXAMINED = 2048;
const MAX_INNER_ITEMS = 16;
const MAX_INNER_LENGTH = 256;

interface DetailText {
  meaning: string;
  causes?: readonly string[];
  next_steps?: readonly string[];
  /** Take causes/next_steps from this flag when the entry has none of its own. */
  flag?: string;
}

const APP_LOGS =
  'kubectl logs <upstream-pod> -n <namespace> -c <app-container> (the app log for this request id)';

const DETAILS: Readonly<Record<string, DetailText>> = {
  via_upstream: {
    meaning: 'the response code came from the upstream (the application), Envoy passed it through',
    causes: [
      'The application returned this status itself: an exception, a failing dependency, or a deliberate error response',
      "At a client sidecar, the server's own sidecar may have produced it: look for the same request id in the server's inbound log",
    ],
    next_steps: [
      APP_LOGS,
      'kubectl get endpointslices -n <namespace> -l kubernetes.io/service-name=<service> (which pods serve <service>)',
    ],
  },
  route_not_found: { meaning: 'no route matched the request', flag: 'NR' },
  cluster_not_found: { meaning: 'the matched route points to a cluster the proxy does not know', flag: 'NC' },
  no_healthy_upstream: { meaning: 'the upstream cluster had no healthy endpoint', flag: 'UH' },
  filter_chain_not_found: {
    meaning:
      'the listener had no filter chain for this connection (destination, SNI or protocol did not match)',
    causes: [
      'At a gateway: the TLS SNI (host) is not listed in any Gateway server for this port, or the client sent plain text to a TLS port',
      'At a sidecar: traffic to a port the proxy has no listener configuration for (mTLS vs plain text mismatch, or a port not declared on the Service)',
      'Health checkers, scanners or load balancers connecting without SNI',
    ],
    next_steps: [
      'kubectl get gateways.networking.istio.io -A -o yaml (servers: port, hosts, tls)',
      'istioctl proxy-config listeners <pod> -n <pod-namespace> --port <port>',
      'kubectl get peerauthentications -A',
    ],
  },
  direct_response: {
    meaning: 'Envoy answered from route configuration (a direct response), without calling an upstream',
    causes: [
      'Traffic to BlackHoleCluster: outboundTrafficPolicy is REGISTRY_ONLY and the destination has no ServiceEntry (502, route block_all)',
      'A VirtualService `directResponse` or redirect is configured for this route',
    ],
    next_steps: [
      'kubectl get serviceentries -A (is the destination registered?)',
      'kubectl get virtualservices -A -o yaml (directResponse / redirect)',
    ],
  },
  upstream_reset_before_response_started: {
    meaning: 'the upstream connection failed or was reset before any response arrived',
    flag: 'UF',
  },
  upstream_reset_after_response_started: {
    meaning:
      'the upstream connection was reset after the response had started: the client got a truncated response',
    causes: [
      'The upstream app crashed, restarted or was scaled down while sending the body',
      'Keep-alive race or idle timeout: the app or a middlebox closed the connection mid-stream',
      'A gRPC or HTTP/2 server reset the stream after sending headers (server-side error or deadline)',
    ],
    next_steps: [
      'kubectl get pods -n <namespace> (restarts or rollouts around the time of the error)',
      APP_LOGS,
    ],
  },
  response_timeout: { meaning: 'the upstream did not respond within the route timeout', flag: 'UT' },
  upstream_response_timeout: { meaning: 'the upstream did not respond within the route timeout', flag: 'UT' },
  upstream_per_try_timeout: {
    meaning: 'one attempt ran past the per-try timeout (VirtualService retries.perTryTimeout)',
    causes: [
      'retries.perTryTimeout is shorter than the time the upstream needs',
      'The upstream is slow for this request',
    ],
    next_steps: ['kubectl get virtualservices -A -o yaml (retries.perTryTimeout for <fqdn>)'],
  },
  request_overall_timeout: {
    meaning: 'the whole request (all attempts) ran past its overall timeout',
    flag: 'UT',
  },
  stream_idle_timeout: { meaning: 'the stream was idle for longer than the idle timeout', flag: 'SI' },
  max_duration_timeout: { meaning: 'the stream reached its maximum duration', flag: 'UMSDR' },
  downstream_remote_disconnect: {
    meaning: 'the client disconnected before the response was sent',
    flag: 'DC',
  },
  downstream_local_disconnect: {
    meaning: 'Envoy closed the client connection',
    causes: [
      'The proxy is draining (pod termination, listener update) or hit a connection limit',
      'The client connection failed a protocol or security check (reason in parentheses)',
    ],
    next_steps: [
      'kubectl logs <pod> -n <pod-namespace> -c istio-proxy (warnings near the time of the error)',
    ],
  },
  'http2.remote_reset': { meaning: 'the client reset the HTTP/2 stream', flag: 'DR' },
  'http2.remote_refuse': { meaning: 'the client refused the HTTP/2 stream', flag: 'DR' },
  'http1.codec_error': {
    meaning: 'the client sent a request that is not valid HTTP/1.1',
    flag: 'DPE',
  },
  low_version: {
    meaning: 'the client used HTTP/1.0 (or older), which the proxy rejects with 426 by default',
    causes: [
      'An old client, load-balancer health check or tool (ab, some monitoring probes) speaks HTTP/1.0',
      'The proxy does not accept HTTP/1.0 unless told to (ISTIO_META_HTTP10 / accept_http_10)',
    ],
    next_steps: [
      'Switch the client to HTTP/1.1, or allow HTTP/1.0 on the proxy (proxy metadata ISTIO_META_HTTP10: "1")',
    ],
  },
  upgrade_failed: {
    meaning: 'a protocol upgrade (websocket, h2c) was refused',
    causes: [
      'The upstream rejected the Upgrade request, or the route does not allow websocket upgrades',
      'The upstream is HTTP/2 and the client asked for an HTTP/1.1 upgrade',
    ],
    next_steps: ['istioctl proxy-config routes <pod> -n <pod-namespace> -o json (upgrade_configs)', APP_LOGS],
  },
  overload: { meaning: "the proxy's overload manager rejected the request", flag: 'OM' },
  drop_overload: { meaning: 'the request was dropped by load shedding (drop_overloads)', flag: 'DO' },
  maintenance_mode: {
    meaning: 'the upstream cluster is in maintenance mode, so Envoy answered 503',
    causes: ['Runtime key upstream.maintenance_mode.<cluster> is set (EnvoyFilter or runtime override)'],
    next_steps: ['kubectl get envoyfilters -A (runtime overrides)'],
  },
  ext_authz_denied: { meaning: 'the external authorization service denied the request', flag: 'UAEX' },
  ext_authz_error: {
    meaning: 'the external authorization service could not be reached or failed',
    causes: [
      'The ext-authz provider (meshConfig extensionProviders) is down, unreachable or timing out',
      'The provider service name or port in meshConfig is wrong',
    ],
    next_steps: [
      "kubectl get configmap istio -n istio-system -o jsonpath='{.data.mesh}' (extensionProviders)",
      'Check the ext-authz service pods and logs',
    ],
  },
  request_rate_limited: { meaning: 'the global rate-limit service said over limit', flag: 'RL' },
  local_rate_limited: {
    meaning: 'the local rate-limit filter ran out of tokens',
    causes: [
      'A local rate limit (EnvoyFilter envoy.filters.http.local_ratelimit) is smaller than the real load',
      'One client (retry storm, batch job) sends a burst',
    ],
    next_steps: ['kubectl get envoyfilters -A (local_ratelimit token_bucket)'],
  },
  rate_limiter_error: { meaning: 'the rate-limit service returned an error', flag: 'RLSE' },
  rbac_access_denied_matched_policy: {
    meaning: 'an Istio AuthorizationPolicy denied the request',
    causes: [
      'A DENY AuthorizationPolicy matched the request (its name is in the details)',
      'With `[none]`: ALLOW policies apply to this workload and none of their rules matched (wrong principal, namespace, path or method)',
      'The caller has no mesh identity (no sidecar, or mTLS not used), so `principals`/`namespaces` rules cannot match',
    ],
    next_steps: [
      'kubectl get authorizationpolicies -A',
      'istioctl x describe pod <pod> -n <pod-namespace> (the policies that apply to the workload)',
    ],
  },
  rbac_access_denied: {
    meaning: 'an Istio AuthorizationPolicy denied the request',
    causes: ['An AuthorizationPolicy (DENY, or ALLOW with no matching rule) applies to this workload'],
    next_steps: ['kubectl get authorizationpolicies -A'],
  },
};

/** Meanings of the reasons inside `upstream_reset_*{…}` and the flag whose advice applies. */
const RESET_REASONS: Readonly<Record<string, { meaning: string; flag: string }>> = {
  connection_failure: { meaning: 'the connection to the upstream failed', flag: 'UF' },
  remote_connection_failure: { meaning: 'the connection to the upstream failed', flag: 'UF' },
  local_connection_failure: { meaning: 'the proxy failed to open the upstream connection', flag: 'UF' },
  connection_timeout: { meaning: 'connecting to the upstream timed out', flag: 'UF' },
  connection_termination: { meaning: 'the upstream closed the connection', flag: 'UC' },
  remote_reset: { meaning: 'the upstream reset the stream', flag: 'UR' },
  remote_refused_stream_reset: { meaning: 'the upstream refused the stream', flag: 'UR' },
  local_reset: { meaning: 'the proxy reset the stream', flag: 'LR' },
  local_refused_stream_reset: { meaning: 'the proxy refused the stream', flag: 'LR' },
  overflow: { meaning: 'a circuit breaker limit was reached', flag: 'UO' },
  protocol_error: { meaning: 'the upstream response was not valid HTTP', flag: 'UPE' },
};

/** The known reset reason among the inner parts (`connection_failure`, `overflow`…), if any. */
export function resetReason(inner: readonly string[]): string | null {
  for (const part of inner) if (Object.hasOwn(RESET_REASONS, part)) return part;
  return null;
}

/** Splits a details value into base and inner parts. Bounded; never throws. */
export function splitDetails(details: string): { base: string; inner: string[] } {
  const text = details.length > MAX_EXAMINED ? details.slice(0, MAX_EXAMINED) : details;
  let open = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 123 /* { */ || c === 91 /* [ */ || c === 40 /* ( */) {
      open = i;
      break;
    }
  }
  if (open < 0) return { base: text, inner: [] };
  const base = text.slice(0, open);
  const opener = text[open];
  const closer = opener === '{' ? '}' : opener === '[' ? ']' : ')';
  const end = text.lastIndexOf(closer);
  const body = end > open ? text.slice(open + 1, end) : text.slice(open + 1);
  if (body === '') return { base, inner: [] };
  const parts = opener === '{' ? body.split(/[,|]/, MAX_INNER_ITEMS) : [body];
  return { base, inner: parts.map((p) => p.slice(0, MAX_INNER_LENGTH)).filter((p) => p !== '') };
}

/** `ns[foo]-policy[deny-all]-rule[0]` → `{ namespace: 'foo', name: 'deny-all', rule: '0' }`; `none` → null. */
export function parseRbacPolicy(inner: string): RbacPolicyRef | null {
  const m = /^ns\[([^\]]*)\]-policy\[([^\]]*)\](?:-rule\[([^\]]*)\])?$/.exec(inner);
  if (m === null) return null;
  return { namespace: m[1] ?? '', name: m[2] ?? '', rule: m[3] ?? null };
}

/**
 * What a `%RESPONSE_CODE_DETAILS%` value means. Undefined for values not in the catalogue. Unknown
 * `http1.*` / `http2.*` values are treated as codec errors.
 */
export function lookupDetails(details: string): DetailInfo | undefined {
  const { base, inner } = splitDetails(details);
  if (base === '') return undefined;
  const known: DetailText | undefined = Object.hasOwn(DETAILS, base) ? DETAILS[base] : codecError(base);
  if (known === undefined) return undefined;

  let meaning = known.meaning;
  let flag = known.flag ?? null;
  const reason = base.startsWith('upstream_reset_') ? resetReason(inner) : null;
  if (reason !== null) {
    const r = RESET_REASONS[reason];
    if (r !== undefined) {
      meaning = `${known.meaning} (${r.meaning})`;
      if (base === 'upstream_reset_before_response_started') flag = r.flag;
    }
  }
  const fromFlag: FlagInfo | undefined = flag === null ? undefined : lookupFlag(flag);
  const policy =
    base === 'rbac_access_denied_matched_policy' && inner[0] !== undefined ? parseRbacPolicy(inner[0]) : null;
  return {
    base,
    inner,
    meaning,
    causes: known.causes ?? fromFlag?.causes ?? [],
    next_steps: known.next_steps ?? fromFlag?.next_steps ?? [],
    flag,
    policy,
  };
}

function codecError(base: string): DetailText | undefined {
  if (base.startsWith('http1.')) {
    return {
      meaning: 'the HTTP/1 codec rejected the traffic (malformed request or response)',
      causes: [
        'A client or upstream sent invalid HTTP/1 (bad characters, oversized headers, wrong protocol on the port)',
        'TLS or HTTP/2 sent to a port Envoy treats as plain HTTP/1.1',
      ],
      next_steps: ['kubectl get svc <service> -n <namespace> -o yaml (port name / appProtocol)'],
    };
  }
  if (base.startsWith('http2.')) {
    return {
      meaning: 'the HTTP/2 codec rejected the traffic or the peer reset the stream',
      causes: [
        'A peer sent invalid HTTP/2 (bad headers, too many headers, flow-control violations)',
        'The client cancelled the stream (http2.remote_reset)',
        'The port is declared HTTP/2 or gRPC but the peer speaks HTTP/1.1',
      ],
      next_steps: ['kubectl get svc <service> -n <namespace> -o yaml (port name / appProtocol)'],
    };
  }
  return undefined;
}
