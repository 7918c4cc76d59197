/**
 * @module accesslog/response-flags
 * The catalogue of Envoy response flags (`%RESPONSE_FLAGS%` short codes and `%RESPONSE_FLAGS_LONG%`
 * PascalCase names), with what each means in an Istio mesh and what to check next
 * (../shared/notes/istio-access-logs.md §4).
 *
 * `next_steps` are command templates. They only ever contain these placeholders, which
 * `analysis/explain-cause` fills in when it has a validated value and leaves as they are otherwise:
 * `<service>`, `<namespace>` (the destination Service), `<fqdn>` (its host), `<port>`, `<cluster>`
 * (the Envoy cluster name), `<host>` (the requested authority), `<pod-namespace>` (namespace of the pod
 * that wrote the log line, known on inbound lines). `<pod>` is always the pod that wrote the line (its
 * proxy); `<upstream-pod>` a pod behind the destination Service. Any other `<…>` is for the reader.
 *
 * Envoy extensions can register their own flags, so a code missing here is data to keep, never to drop.
 */

export type FlagSeverity = 'critical' | 'error' | 'warning' | 'info';

export interface FlagInfo {
  /** Short code as printed by `%RESPONSE_FLAGS%`, e.g. `UH`. */
  short: string;
  /** PascalCase name as printed by `%RESPONSE_FLAGS_LONG%`, e.g. `NoHealthyUpstream`. */
  long: string;
  /** What happened, in plain words (a clause, no final full stop). */
  meaning: string;
  /** Likely causes in an Istio mesh, most likely first. */
  causes: readonly string[];
  /** Concrete checks: command templates (see the module doc for placeholders) or actions. */
  next_steps: readonly string[];
  /**
   * How bad the flag is, the one table every classifier reads (analysis/classify, the findings' severity):
   * - `critical`: every request to the destination fails until config or capacity changes (no endpoints,
   *   missing cluster, all traffic dropped);
   * - `error`: requests fail (5xx, resets, timeouts, protocol errors). NR is an error, not critical: at
   *   ingress gateways most NR 404s are scanners or host typos;
   * - `warning`: the client gave up or sent something invalid, or a policy did what it was told (rate
   *   limit, ext-authz denial, injected fault);
   * - `info`: how the request was served, not a failure (DI, RFCF).
   * Flags missing from the catalogue count as `error`.
   */
  severity: FlagSeverity;
  /** Response codes usually logged with the flag; `0` means no response (TCP or reset). Empty: varies. */
  typical_codes: readonly number[];
}

export const RESPONSE_FLAGS: readonly FlagInfo[] = [
  {
    short: 'UH',
    long: 'NoHealthyUpstream',
    meaning: 'Envoy had no healthy endpoint to send the request to',
    causes: [
      'The Service has no ready endpoints: pods are not Ready, crash-looping, or scaled to zero',
      'The Service selector matches no pods (label typo), or the Service has no port matching the one called',
      'Outlier detection (DestinationRule outlierDetection) ejected every host after consecutive errors',
      'A DestinationRule subset selects labels no running pod has (e.g. `version: v3` after v3 was removed)',
      'With outboundTrafficPolicy REGISTRY_ONLY, TCP traffic to an unknown destination lands in BlackHoleCluster (UH)',
    ],
    next_steps: [
      'kubectl get endpointslices -n <namespace> -l kubernetes.io/service-name=<service>',
      'kubectl get pods -n <namespace> -o wide (are the backing pods Running and Ready?)',
      "istioctl proxy-config endpoints <pod> -n <pod-namespace> --cluster '<cluster>'",
      'kubectl get destinationrules -A -o yaml (subset labels and outlierDetection for <fqdn>)',
    ],
    severity: 'critical',
    typical_codes: [503, 0],
  },
  {
    short: 'UF',
    long: 'UpstreamConnectionFailure',
    meaning: 'Envoy could not open a connection to the upstream host',
    causes: [
      'mTLS mismatch: the DestinationRule TLS mode disagrees with the server (PeerAuthentication STRICT vs DISABLE, or ISTIO_MUTUAL to a pod without a sidecar)',
      'Nothing listens on the target port: the app is not started, crashed, or listens on another port (wrong targetPort)',
      'The app binds to 127.0.0.1 only; since Istio 1.10 the sidecar forwards inbound traffic to the pod IP',
      'The endpoint is stale: the pod was just deleted or rescheduled (rollout without graceful shutdown)',
      'A NetworkPolicy or firewall blocks the connection (shows up as a connect timeout)',
    ],
    next_steps: [
      'Read upstream_transport_failure_reason / the response details: a TLS error points to mTLS, error 111 to a closed port',
      'istioctl x describe pod <pod> -n <pod-namespace>',
      'kubectl get peerauthentications -A; kubectl get destinationrules -A (compare the TLS modes for <fqdn>)',
      'kubectl get svc <service> -n <namespace> -o yaml (targetPort must match the port the app listens on)',
    ],
    severity: 'error',
    typical_codes: [503, 0],
  },
  {
    short: 'UO',
    long: 'UpstreamOverflow',
    meaning: 'Envoy refused to send the request because a circuit breaker limit was reached',
    causes: [
      'DestinationRule trafficPolicy.connectionPool limits are too low for the load (http1MaxPendingRequests, http2MaxRequests, maxConnections, maxRequestsPerConnection)',
      'The upstream got slow, so requests piled up past the pending-request limit',
      'Retries count against the max-retries circuit breaker (maxRetries)',
    ],
    next_steps: [
      'kubectl get destinationrules -A -o yaml (connectionPool for <fqdn>)',
      'istioctl proxy-config cluster <pod> -n <pod-namespace> --fqdn <fqdn> -o json (circuitBreakers thresholds)',
      "kubectl exec -n <pod-namespace> <pod> -c istio-proxy -- pilot-agent request GET stats | grep -E 'overflow|pending'",
      'Check the upstream latency: overflow usually follows a slowdown',
    ],
    severity: 'error',
    typical_codes: [503],
  },
  {
    short: 'NR',
    long: 'NoRouteFound',
    meaning: 'Envoy had no route for this request (or, for a connection, no matching filter chain)',
    causes: [
      'At a gateway: no VirtualService bound to the Gateway matches the host and port, or the Gateway servers do not list that host/port',
      'At a sidecar: no route for that host:port (no Service or ServiceEntry, a VirtualService with a mismatched host, or a Sidecar resource hiding it)',
      'A VirtualService match (URI, header, method) does not cover this request and there is no default route',
      'Connection-level NR (filter_chain_not_found): the TLS SNI matches no Gateway server, or plain text was sent to a TLS-only port',
      'Scanners and bots probing the public IP (random hosts and paths at an ingress gateway): usually harmless',
    ],
    next_steps: [
      'istioctl x describe pod <pod> -n <pod-namespace>',
      'istioctl proxy-config routes <pod> -n <pod-namespace>',
      'kubectl get virtualservices -A; kubectl get gateways.networking.istio.io -A (hosts, ports and gateway bindings)',
      'istioctl analyze -A',
    ],
    severity: 'error',
    typical_codes: [404, 0],
  },
  {
    short: 'URX',
    long: 'UpstreamRetryLimitExceeded',
    meaning: 'every attempt failed and the retry limit (HTTP) or maximum connect attempts (TCP) was reached',
    causes: [
      'The upstream fails consistently: read the other flags and details for the failure behind each attempt',
      'VirtualService retries (attempts, retryOn) retry errors that will not go away, multiplying the load',
      'TCP: every connect attempt to the destination failed (closed port, firewall, unreachable external host)',
    ],
    next_steps: [
      'Look at the per-attempt cause (UF, UC, UT… beside URX) and follow its next steps',
      'kubectl get virtualservices -A -o yaml (retries for <fqdn>)',
      'istioctl proxy-config routes <pod> -n <pod-namespace> -o json (retry_policy)',
    ],
    severity: 'error',
    typical_codes: [503, 0],
  },
  {
    short: 'NC',
    long: 'NoClusterFound',
    meaning: 'the route pointed at an upstream cluster that does not exist in the proxy',
    causes: [
      'A VirtualService routes to a subset that no DestinationRule defines (DestinationRule missing, in another namespace, or not exported)',
      'A VirtualService destination host has no Service or ServiceEntry, or it is not visible to this proxy (exportTo, Sidecar egress hosts)',
      'Config applied in the wrong order: the VirtualService arrived before the DestinationRule (transient)',
    ],
    next_steps: [
      'istioctl analyze -A (reports references to missing subsets and hosts)',
      'kubectl get virtualservices -A -o yaml; kubectl get destinationrules -A -o yaml (subset names for <fqdn>)',
      'istioctl proxy-config cluster <pod> -n <pod-namespace> --fqdn <fqdn>',
      'istioctl proxy-status (is the proxy in sync with istiod?)',
    ],
    severity: 'critical',
    typical_codes: [503],
  },
  {
    short: 'DT',
    long: 'DurationTimeout',
    meaning: 'the request or connection ran past its maximum allowed duration',
    causes: [
      'max_connection_duration / max_downstream_connection_duration or a max stream duration is set (DestinationRule connectionPool.tcp.maxConnectionDuration, an EnvoyFilter)',
      'A long-lived stream (websocket, gRPC stream, download) outlived that limit',
    ],
    next_steps: [
      'kubectl get destinationrules -A -o yaml (connectionPool.tcp.maxConnectionDuration)',
      'kubectl get envoyfilters -A (stream or connection duration overrides)',
    ],
    severity: 'error',
    typical_codes: [],
  },
  {
    short: 'DC',
    long: 'DownstreamConnectionTermination',
    meaning: 'the client closed the connection before the response was complete',
    causes: [
      'The client timed out: its timeout is shorter than the time the server took',
      'The user or caller cancelled the request (browser navigation, context cancellation, gRPC deadline)',
      'A load balancer or gateway in front closed the connection (idle timeout)',
    ],
    next_steps: [
      'Compare the logged duration with the client timeout; check the upstream latency for the same route',
      'Look for the same request id at the next hop: a slow upstream is usually the real cause',
      'If the caller is a mesh workload, check its timeout and retry settings (VirtualService timeout, client library deadline)',
    ],
    severity: 'warning',
    typical_codes: [0, 499],
  },
  {
    short: 'LH',
    long: 'FailedLocalHealthCheck',
    meaning: 'the local service failed its health check, so Envoy answered for it',
    causes: [
      'The local app is failing its health endpoint (overloaded, dependency down, starting up)',
      'An Envoy health-check filter (EnvoyFilter) is configured and the app reports unhealthy',
    ],
    next_steps: [
      'kubectl describe pod <pod> -n <pod-namespace> (readiness and liveness probe failures)',
      'kubectl logs <pod> -n <pod-namespace> -c <app-container>',
      'kubectl get envoyfilters -A (health_check filter)',
    ],
    severity: 'error',
    typical_codes: [503],
  },
  {
    short: 'UT',
    long: 'UpstreamRequestTimeout',
    meaning: 'the upstream did not answer within the route timeout',
    causes: [
      'A VirtualService `timeout` (or perTryTimeout) shorter than the time the upstream needs',
      'The upstream is slow: overloaded, waiting on a database or another service, or stuck',
      'At a gateway: the route timeout of the gateway VirtualService, which applies before any sidecar timeout',
    ],
    next_steps: [
      'kubectl get virtualservices -A -o yaml (timeout and retries.perTryTimeout for <fqdn>)',
      'istioctl proxy-config routes <pod> -n <pod-namespace> -o json (timeout on the matched route)',
      'Check the upstream app latency and its own dependencies (its inbound access log shows how long it took)',
    ],
    severity: 'error',
    typical_codes: [504],
  },
  {
    short: 'LR',
    long: 'LocalReset',
    meaning: 'Envoy itself reset the stream',
    causes: [
      'The proxy hit a local limit (buffer or header size, max requests per connection) or is being shut down',
      'The istio-proxy container is restarting or draining (pod termination, OOM)',
    ],
    next_steps: [
      'kubectl describe pod <pod> -n <pod-namespace> (istio-proxy restarts, OOMKilled)',
      'kubectl logs <pod> -n <pod-namespace> -c istio-proxy (warnings near the time of the error)',
    ],
    severity: 'error',
    typical_codes: [503],
  },
  {
    short: 'UR',
    long: 'UpstreamRemoteReset',
    meaning: 'the upstream reset the stream',
    causes: [
      'The upstream app crashed or was killed mid-request (OOM, rollout without graceful shutdown)',
      'HTTP/2 or gRPC: the server cancelled the stream (RST_STREAM), e.g. on its own timeout or stream limit',
      'Protocol mismatch: the Service port is declared as HTTP/2 or gRPC but the app speaks HTTP/1.1 (or the reverse)',
    ],
    next_steps: [
      'kubectl get pods -n <namespace> (restarts of the backing pods around the time of the error)',
      'kubectl get svc <service> -n <namespace> -o yaml (port name or appProtocol must match what the app speaks)',
      'kubectl logs <upstream-pod> -n <namespace> -c <app-container> --previous (if the app restarted)',
    ],
    severity: 'error',
    typical_codes: [503, 200],
  },
  {
    short: 'UC',
    long: 'UpstreamConnectionTermination',
    meaning: 'the upstream closed the connection',
    causes: [
      'Keep-alive race: the app closes idle connections sooner than Envoy expects (app idle timeout shorter than the DestinationRule idleTimeout, default 1h)',
      'The upstream app crashed, restarted or was scaled down during the request',
      'The app closes the connection after each response (HTTP/1.0 style) or on errors',
    ],
    next_steps: [
      'Set DestinationRule trafficPolicy.connectionPool.http.idleTimeout below the app keep-alive timeout for <fqdn>',
      'kubectl get pods -n <namespace> (restarts, rollouts around the time of the error)',
      'kubectl logs <upstream-pod> -n <namespace> -c <app-container>',
    ],
    severity: 'error',
    typical_codes: [503, 200],
  },
  {
    short: 'DI',
    long: 'DelayInjected',
    meaning: 'the request was delayed on purpose by fault injection',
    causes: ['A VirtualService `fault.delay` applies to this route (chaos test or leftover test config)'],
    next_steps: [
      'kubectl get virtualservices -A -o yaml (fault.delay for <fqdn>); remove it if it is a leftover',
    ],
    severity: 'info',
    typical_codes: [],
  },
  {
    short: 'FI',
    long: 'FaultInjected',
    meaning: 'the request was aborted on purpose by fault injection',
    causes: ['A VirtualService `fault.abort` applies to this route (chaos test or leftover test config)'],
    next_steps: [
      'kubectl get virtualservices -A -o yaml (fault.abort for <fqdn>); remove it if it is a leftover',
    ],
    severity: 'warning',
    typical_codes: [],
  },
  {
    short: 'RL',
    long: 'RateLimited',
    meaning: 'the request was rate limited by the proxy',
    causes: [
      'A local rate limit (EnvoyFilter with envoy.filters.http.local_ratelimit) ran out of tokens',
      'A global rate limit service said over limit (request_rate_limited)',
      'A client is sending more than the configured limit (retry storm, batch job)',
    ],
    next_steps: [
      'kubectl get envoyfilters -A (local_ratelimit token bucket / ratelimit filter config)',
      'Check which client sends the traffic and whether the limit is sized for the real load',
    ],
    severity: 'warning',
    typical_codes: [429],
  },
  {
    short: 'UAEX',
    long: 'UnauthorizedExternalService',
    meaning: 'the external authorization service denied the request',
    causes: [
      'An AuthorizationPolicy with action CUSTOM sends requests to an ext-authz provider that said no (missing or invalid credentials)',
      'The ext-authz provider is unreachable or failing and failOpen is off (details ext_authz_error)',
    ],
    next_steps: [
      'kubectl get authorizationpolicies -A (action: CUSTOM and its provider)',
      "kubectl get configmap istio -n istio-system -o jsonpath='{.data.mesh}' (extensionProviders)",
      'Check the ext-authz service logs for this request',
    ],
    severity: 'warning',
    typical_codes: [403, 401, 302, 503],
  },
  {
    short: 'RLSE',
    long: 'RateLimitServiceError',
    meaning: 'the request was rejected because the rate-limit service failed',
    causes: [
      'The global rate-limit service is down, unreachable or timing out, and failure_mode_deny is on',
      'The rate-limit service cluster is misconfigured in the EnvoyFilter',
    ],
    next_steps: [
      'Check the rate-limit service pods and logs',
      'kubectl get envoyfilters -A (ratelimit filter: rate_limit_service cluster and failure_mode_deny)',
    ],
    severity: 'error',
    typical_codes: [500],
  },
  {
    short: 'IH',
    long: 'InvalidEnvoyRequestHeaders',
    meaning: 'the request carried an invalid value in a strictly checked x-envoy-* header',
    causes: [
      'The client sets x-envoy-* headers (e.g. x-envoy-max-retries) to invalid values',
      'Strict header checking is enabled on the route and the client sends malformed values',
    ],
    next_steps: [
      'Inspect the headers the client sends; do not forward x-envoy-* headers from outside the mesh',
    ],
    severity: 'warning',
    typical_codes: [400],
  },
  {
    short: 'SI',
    long: 'StreamIdleTimeout',
    meaning: 'the stream saw no activity for longer than the idle timeout',
    causes: [
      'The upstream sent nothing for longer than the stream idle timeout (default 5 minutes) or the route idleTimeout',
      'A long-polling, streaming or websocket connection with no keep-alive traffic',
    ],
    next_steps: [
      'kubectl get envoyfilters -A; kubectl get destinationrules -A -o yaml (idle timeouts)',
      'Send periodic keep-alives on long-lived streams, or raise the idle timeout for that route',
    ],
    severity: 'error',
    typical_codes: [408, 504],
  },
  {
    short: 'DPE',
    long: 'DownstreamProtocolError',
    meaning: 'the client sent a request Envoy could not parse (HTTP protocol error)',
    causes: [
      'The client speaks another protocol on this port: TLS to a plain HTTP port, HTTP/2 without prior knowledge, or raw TCP',
      'Malformed requests: invalid characters in headers or path, headers too large',
      'Scanners sending garbage to a public gateway: usually harmless',
    ],
    next_steps: [
      'Check which client sends it and the protocol it uses on that port',
      'kubectl get svc <service> -n <namespace> -o yaml (port name / appProtocol: http, http2, grpc, tcp)',
    ],
    severity: 'warning',
    typical_codes: [400],
  },
  {
    short: 'UPE',
    long: 'UpstreamProtocolError',
    meaning: 'the upstream answered with something Envoy could not parse as HTTP',
    causes: [
      'Protocol mismatch: the Service port is declared HTTP (port name or appProtocol) but the app speaks TCP, TLS or another protocol',
      'The app answers HTTP/1.1 on a port Envoy treats as HTTP/2 or gRPC (or the reverse)',
      'The app sends invalid headers (duplicate Content-Length, invalid characters)',
    ],
    next_steps: [
      'kubectl get svc <service> -n <namespace> -o yaml (port name prefix or appProtocol must match what the app speaks)',
      'istioctl proxy-config cluster <pod> -n <pod-namespace> --fqdn <fqdn> -o json (http2_protocol_options?)',
    ],
    severity: 'error',
    typical_codes: [502, 503],
  },
  {
    short: 'UMSDR',
    long: 'UpstreamMaxStreamDurationReached',
    meaning: 'the upstream request reached its maximum stream duration',
    causes: [
      'A max stream duration is set on the route or cluster (EnvoyFilter, DestinationRule) and the stream outlived it',
    ],
    next_steps: [
      'kubectl get envoyfilters -A; kubectl get destinationrules -A -o yaml (max stream duration)',
    ],
    severity: 'error',
    typical_codes: [408, 504],
  },
  {
    short: 'RFCF',
    long: 'ResponseFromCacheFilter',
    meaning: 'the response was served from an Envoy cache filter',
    causes: ['An HTTP cache filter is configured (EnvoyFilter) and the response was cached'],
    next_steps: ['Nothing to fix; kubectl get envoyfilters -A shows the cache filter if this is unexpected'],
    severity: 'info',
    typical_codes: [],
  },
  {
    short: 'NFCF',
    long: 'NoFilterConfigFound',
    meaning: 'a filter configuration was not received in time, so the request was rejected',
    causes: [
      'An extension (Wasm plugin, ECDS-delivered filter) could not be fetched or loaded',
      'istiod is slow or unreachable, so dynamic filter config did not arrive within the warming deadline',
    ],
    next_steps: [
      'kubectl get wasmplugins -A; kubectl get envoyfilters -A',
      'kubectl logs <pod> -n <pod-namespace> -c istio-proxy (Wasm fetch or ECDS errors)',
      'istioctl proxy-status',
    ],
    severity: 'error',
    typical_codes: [500, 503],
  },
  {
    short: 'OM',
    long: 'OverloadManagerTerminated',
    meaning: "Envoy's overload manager rejected the request (the proxy is short of memory or connections)",
    causes: [
      'The istio-proxy sidecar or gateway is near its memory limit or a connection limit',
      'A traffic spike larger than the proxy resources allow',
    ],
    next_steps: [
      'kubectl top pod <pod> -n <pod-namespace> --containers (istio-proxy memory and CPU)',
      'Raise the proxy resources (sidecar.istio.io/proxyMemoryLimit annotation) or scale the gateway',
    ],
    severity: 'error',
    typical_codes: [503],
  },
  {
    short: 'DF',
    long: 'DnsResolutionFailed',
    meaning: 'the request failed because the upstream host name could not be resolved',
    causes: [
      'A ServiceEntry with resolution: DNS (or a DNS cluster) points to a host name that does not resolve',
      'DNS is failing or slow in the cluster, or the proxy cannot reach it',
    ],
    next_steps: [
      'kubectl get serviceentries -A (resolution and hosts/endpoints for <fqdn>)',
      'Resolve the name from inside the pod, e.g. kubectl exec -n <pod-namespace> <pod> -c <app-container> -- nslookup <external-host>',
    ],
    severity: 'error',
    typical_codes: [503],
  },
  {
    short: 'DO',
    long: 'DropOverload',
    meaning: 'the request was dropped by the drop_overloads policy (load shedding)',
    causes: [
      'A control plane (EDS drop_overloads) asked the proxy to shed a share of the traffic to this cluster',
    ],
    next_steps: ['Check the EDS/load-shedding configuration sent to the proxy; istioctl proxy-status'],
    severity: 'error',
    typical_codes: [503],
  },
  {
    short: 'DR',
    long: 'DownstreamRemoteReset',
    meaning: 'the client reset the stream (HTTP/2 RST_STREAM) before the response was complete',
    causes: [
      'The client cancelled the request: a gRPC deadline or context cancellation, or the user navigated away',
      'The client timed out waiting for a slow upstream',
    ],
    next_steps: [
      'Compare the duration with the client deadline; check the upstream latency for the same route',
      'Look for the same request id at the next hop to see how long the upstream took',
    ],
    severity: 'warning',
    typical_codes: [0],
  },
  {
    short: 'UDO',
    long: 'UnconditionalDropOverload',
    meaning: 'all traffic to this cluster is being dropped (drop_overloads set to 100%)',
    causes: ['The control plane set drop_overloads to 100% for this cluster (full load shedding)'],
    next_steps: ['Check the EDS/load-shedding configuration sent to the proxy; istioctl proxy-status'],
    severity: 'critical',
    typical_codes: [503],
  },
];

const BY_SHORT: ReadonlyMap<string, FlagInfo> = new Map(RESPONSE_FLAGS.map((f) => [f.short, f]));
const BY_LONG_LOWER: ReadonlyMap<string, FlagInfo> = new Map(
  RESPONSE_FLAGS.map((f) => [f.long.toLowerCase(), f]),
);
/** Exact long name → short code: the parser's hot path (one Map lookup). */
const SHORT_OF_LONG: ReadonlyMap<string, string> = new Map(RESPONSE_FLAGS.map((f) => [f.long, f.short]));

/** The catalogue entry for a short code (exact case) or a long name (any case); undefined if unknown. */
export function lookupFlag(code: string): FlagInfo | undefined {
  return BY_SHORT.get(code) ?? BY_LONG_LOWER.get(code.toLowerCase());
}

/** Long name → short code (`NoHealthyUpstream` → `UH`); short codes and unknown names come back unchanged. */
export function toShortFlag(code: string): string {
  const short = SHORT_OF_LONG.get(code);
  if (short !== undefined) return short;
  if (BY_SHORT.has(code)) return code;
  return BY_LONG_LOWER.get(code.toLowerCase())?.short ?? code;
}

/** True for a short code or long name in the catalogue. */
export function isKnownFlag(code: string): boolean {
  return lookupFlag(code) !== undefined;
}

/** The catalogue's severity of a flag (short or long name); `error` for a flag it does not know. */
export function flagSeverity(code: string): FlagSeverity {
  return lookupFlag(code)?.severity ?? 'error';
}
