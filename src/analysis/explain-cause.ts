/**
 * @module analysis/explain-cause
 * One explanation for one failure: response flags + `RESPONSE_CODE_DETAILS` + the transport failure
 * reason + direction, turned into a severity, a one-line summary, likely causes and next checks.
 *
 * **Commands are built from templates, never from log text.** Log values are attacker-controlled; the
 * only values put into `next_steps` are a service name, namespace, subset (DNS-1123 labels), a host
 * (DNS-1123 subdomain), a port (digits), a cluster name rebuilt from those, and the pod that logged the
 * line with its namespace and app container (validated in analysis/pod-ref; `<pod>` only when unknown, or
 * when the entries of a finding came from several pods). Anything else stays a `<placeholder>`. Text from the log that reaches `explanation` (unknown flags, policy names) is reduced to
 * a safe character set first.
 */

import { parseClusterName } from '../accesslog/cluster.js';
import type { AccessLogEntry, Direction } from '../accesslog/entry.js';
import {
  type DetailInfo,
  lookupDetails,
  resetReason,
  splitDetails,
} from '../accesslog/response-code-details.js';
import { lookupFlag, RESPONSE_FLAGS } from '../accesslog/response-flags.js';
import { isDns1123Label, isDns1123Subdomain } from '../core/kubernetes-names.js';
import { INFORMATIONAL_FLAGS } from './classify.js';
import { asShellLine } from './is-command.js';
import { isGatewayEntry } from './peer.js';
import type { PodRef } from './pod-ref.js';
import type { Explanation, Severity } from './report.js';

export interface CauseInput {
  /** Short flags as parsed; unknown ones are explained as unknown, never dropped. */
  flags: readonly string[];
  response_code: number | null;
  response_code_details: string | null;
  upstream_transport_failure_reason: string | null;
  direction: Direction;
  upstream_cluster: string | null;
  authority: string | null;
  method?: string | null | undefined;
  protocol?: string | null | undefined;
  /** Server side SNI (`outbound_.8000_._.httpbin.foo.svc.cluster.local`): names the service on inbound lines. */
  requested_server_name?: string | null | undefined;
  /** For TCP, RBAC denials show up here rather than in the response details. */
  connection_termination_details?: string | null | undefined;
  /** True/false when the caller knows the line came from a gateway pod; unknown otherwise. */
  at_gateway?: boolean | undefined;
  /** The pod that logged the failure, when known: fills `<pod>`, `<pod-namespace>` and `<app-container>`. */
  pod?: PodRef | null | undefined;
}

/** Severity of each response flag: the catalogue's (accesslog/response-flags), by short code. */
export const FLAG_SEVERITY: Readonly<Record<string, Severity>> = Object.fromEntries(
  RESPONSE_FLAGS.map((f) => [f.short, f.severity]),
);

/** Severity of details seen without a flag that decides it (e.g. `500 - rate_limiter_error`). */
const DETAIL_SEVERITY: Readonly<Record<string, Severity>> = {
  rate_limiter_error: 'error',
  ext_authz_error: 'error',
  ext_authz_denied: 'warning',
  local_rate_limited: 'warning',
  request_rate_limited: 'warning',
  low_version: 'warning',
  downstream_remote_disconnect: 'warning',
  downstream_local_disconnect: 'warning',
  'http2.remote_reset': 'warning',
  'http2.remote_refuse': 'warning',
  'http1.codec_error': 'warning',
  upgrade_failed: 'error',
  maintenance_mode: 'error',
  filter_chain_not_found: 'error',
  upstream_reset_after_response_started: 'error',
};

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { critical: 0, error: 1, warning: 2, info: 3 };

/** Lower is more severe; for sorting. */
export function severityRank(severity: Severity): number {
  return SEVERITY_RANK[severity];
}

/** What kind of transport failure Envoy reported (`delayed_connect_error:_111` → `refused`). */
export type TransportFailure = 'none' | 'tls' | 'refused' | 'timeout' | 'reset' | 'unreachable' | 'other';

/** Classifies `UPSTREAM_TRANSPORT_FAILURE_REASON` and the `{…}` parts of the response details. */
export function classifyTransportFailure(
  reason: string | null,
  inner: readonly string[] = [],
): TransportFailure {
  const parts: string[] = [];
  if (reason !== null) parts.push(reason.slice(0, 512));
  for (const p of inner) if (resetReason([p]) === null || p === 'connection_timeout') parts.push(p);
  const text = parts.join(' ');
  if (text === '') return 'none';
  if (/tls|ssl|certificate|handshake/i.test(text)) return 'tls';
  if (/error:_?111(?!\d)|refused/i.test(text)) return 'refused';
  if (/error:_?110(?!\d)|timed_?out|timeout/i.test(text)) return 'timeout';
  if (/error:_?104(?!\d)|reset_by_peer/i.test(text)) return 'reset';
  if (/error:_?(?:101|112|113)(?!\d)|unreachable|no_route_to_host/i.test(text)) return 'unreachable';
  return 'other';
}

/** The input for an entry (the fields explainCause looks at). */
export function causeInputOf(entry: AccessLogEntry): CauseInput {
  return {
    flags: entry.response_flags,
    response_code: entry.response_code,
    response_code_details: entry.response_code_details,
    upstream_transport_failure_reason: entry.upstream_transport_failure_reason,
    direction: entry.direction,
    upstream_cluster: entry.upstream_cluster,
    authority: entry.authority,
    method: entry.method,
    protocol: entry.protocol,
    requested_server_name: entry.requested_server_name,
    connection_termination_details: entry.connection_termination_details,
    ...(isGatewayEntry(entry) ? { at_gateway: true } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------
// Validated values for command templates

function validPort(value: string | null): string | null {
  if (value === null || !/^\d{1,5}$/.test(value)) return null;
  const n = Number(value);
  return n >= 1 && n <= 65535 ? String(n) : null;
}

/** The values templates may use; null = leave the placeholder. */
interface Target {
  service: string | null;
  namespace: string | null;
  fqdn: string | null;
  port: string | null;
  cluster: string | null;
  host: string | null;
  pod_namespace: string | null;
  /** The pod that logged the line (its proxy), and on inbound lines (the pod is the server) its app container. */
  pod: string | null;
  app_container: string | null;
  /** A pod behind the destination: the pod itself on inbound lines. */
  upstream_pod: string | null;
  gateway_pod: string | null;
  gateway_namespace: string | null;
  /** `httpbin.foo:8000`-style label for summaries. */
  label: string | null;
}

function targetOf(input: CauseInput): Target {
  const cluster = parseClusterName(input.upstream_cluster);
  let fqdn = cluster.host !== null && isDns1123Subdomain(cluster.host) ? cluster.host : null;
  const port = validPort(cluster.port);
  let subset = cluster.subset !== null && isDns1123Label(cluster.subset) ? cluster.subset : null;
  if (input.direction === 'inbound' && fqdn === null) {
    const sni = parseInboundSni(input.requested_server_name ?? null);
    if (sni !== null) {
      fqdn = sni.fqdn;
      subset = null;
    }
  }
  let service: string | null = null;
  let namespace: string | null = null;
  if (fqdn !== null) {
    const labels = fqdn.split('.');
    if (labels[2] === 'svc' && labels[0] !== undefined && labels[1] !== undefined) {
      service = labels[0];
      namespace = labels[1];
    }
  }
  let rebuilt: string | null = null;
  if (
    cluster.kind === 'outbound' &&
    port !== null &&
    fqdn !== null &&
    (cluster.subset === null || subset !== null)
  ) {
    rebuilt = `outbound|${port}|${subset ?? ''}|${fqdn}`;
  } else if (
    cluster.kind === 'inbound' &&
    port !== null &&
    cluster.host === null &&
    cluster.subset === null
  ) {
    rebuilt = `inbound|${port}||`;
  }
  const short = service !== null && namespace !== null ? `${service}.${namespace}` : fqdn;
  const pod = input.pod ?? null;
  const inbound = input.direction === 'inbound';
  const podNamespace = pod?.namespace ?? (inbound ? namespace : null);
  const gateway = input.at_gateway === true && pod !== null;
  return {
    service,
    namespace,
    fqdn,
    port,
    cluster: rebuilt,
    host: hostOfAuthority(input.authority),
    pod_namespace: podNamespace,
    pod: pod?.name ?? null,
    app_container: inbound ? (pod?.app_container ?? null) : null,
    upstream_pod: inbound ? (pod?.name ?? null) : null,
    gateway_pod: gateway ? pod.name : null,
    gateway_namespace: gateway ? pod.namespace : null,
    label: short === null ? null : port === null ? short : `${short}:${port}`,
  };
}

/** `outbound_.8000_._.httpbin.foo.svc.cluster.local` → the FQDN, when valid. */
function parseInboundSni(sni: string | null): { fqdn: string } | null {
  if (sni === null || sni.length > 300) return null;
  const m = /^outbound_\.\d{1,5}_\.[^.]*_\.(.+)$/.exec(sni);
  const fqdn = m?.[1];
  return fqdn !== undefined && isDns1123Subdomain(fqdn) ? { fqdn } : null;
}

/** `httpbin.example.com:8080` → `httpbin.example.com` when it is a valid lower-case host name. */
function hostOfAuthority(authority: string | null): string | null {
  if (authority === null || authority.length > 260) return null;
  const colon = authority.lastIndexOf(':');
  const host =
    colon > 0 && /^\d{1,5}$/.test(authority.slice(colon + 1)) ? authority.slice(0, colon) : authority;
  return isDns1123Subdomain(host) ? host : null;
}

const PLACEHOLDER =
  /<(service|namespace|fqdn|port|cluster|host|pod-namespace|pod|app-container|upstream-pod|gateway-pod|gateway-namespace)>/g;

function valueFor(name: string, t: Target): string | null {
  switch (name) {
    case 'service':
      return t.service;
    case 'namespace':
      return t.namespace;
    case 'fqdn':
      return t.fqdn;
    case 'port':
      return t.port;
    case 'cluster':
      return t.cluster;
    case 'host':
      return t.host;
    case 'pod-namespace':
      return t.pod_namespace;
    case 'pod':
      return t.pod;
    case 'app-container':
      return t.app_container;
    case 'upstream-pod':
      return t.upstream_pod;
    case 'gateway-pod':
      return t.gateway_pod;
    case 'gateway-namespace':
      return t.gateway_namespace;
    default:
      return null;
  }
}

function fill(template: string, t: Target): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => valueFor(name, t) ?? whole);
}

/** Log text for a summary: a restricted character set, bounded length. */
function safeText(value: string, max = 64): string {
  const cut = value.length > max ? `${value.slice(0, max)}…` : value;
  return cut.replace(/[^A-Za-z0-9_.:,\-[\]{}]/g, '?');
}

// ---------------------------------------------------------------------------------------------------
// Explaining

interface Part {
  severity: Severity;
  /** A clause for the summary (no final full stop). */
  clause: string;
  causes: readonly string[];
  next_steps: readonly string[];
}

const MAX_CAUSES = 8;
const MAX_STEPS = 8;

/** Combines everything known about one failure into one explanation. Never throws. */
export function explainCause(input: CauseInput): Explanation {
  const t = targetOf(input);
  const code = input.response_code;
  const flags = input.flags;
  const rawDetails = input.response_code_details ?? input.connection_termination_details ?? null;
  const details = rawDetails === null ? undefined : lookupDetails(rawDetails);
  const inner = rawDetails === null ? [] : (details?.inner ?? splitDetails(rawDetails).inner);
  const transport = classifyTransportFailure(input.upstream_transport_failure_reason, inner);
  const kind = parseClusterName(input.upstream_cluster).kind;
  const failureFlags = flags.filter((f) => !INFORMATIONAL_FLAGS.has(f));

  const parts: Part[] = [];
  const covered = new Set<string>();
  let detailsCovered = false;

  // Special situations first: they explain better than any one flag.
  if (kind === 'BlackHoleCluster') {
    parts.push(blackHole());
    covered.add('UH');
    detailsCovered = true;
  }
  if (details?.base.startsWith('rbac_access_denied')) {
    parts.push(rbacDenied(details));
    detailsCovered = true;
  }
  const connectFailed =
    flags.includes('UF') ||
    (details?.base === 'upstream_reset_before_response_started' && details.flag === 'UF');
  if (connectFailed) {
    const part = connectFailure(transport, input.direction, t);
    if (part !== null) {
      parts.push(part);
      covered.add('UF');
      detailsCovered = true;
    }
  }
  if (
    flags.includes('NR') ||
    details?.base === 'route_not_found' ||
    details?.base === 'filter_chain_not_found'
  ) {
    parts.push(noRoute(input, details, t));
    covered.add('NR');
    detailsCovered = true;
  }
  const startedResponse = code !== null && code >= 100 && code < 400;
  if (
    details?.base === 'upstream_reset_after_response_started' ||
    (startedResponse && (flags.includes('UC') || flags.includes('UR')))
  ) {
    parts.push(resetAfterResponse(code, details));
    covered.add('UC');
    covered.add('UR');
    detailsCovered = true;
  }
  const fromApp = rawDetails === null || details?.base === 'via_upstream';
  if (failureFlags.length === 0 && fromApp && code !== null && code >= 400 && kind !== 'BlackHoleCluster') {
    parts.push(fromApplication(code, input.direction));
    detailsCovered = true;
  }

  for (const flag of flags) {
    if (covered.has(flag)) continue;
    covered.add(flag);
    parts.push(flagPart(flag));
  }

  if (details !== undefined && !detailsCovered && (details.flag === null || !flags.includes(details.flag))) {
    parts.push(detailPart(details, code));
  }

  if (parts.length === 0) {
    if (code === 0 && (input.method != null || input.protocol?.startsWith('HTTP') === true)) {
      parts.push(noResponse());
    } else {
      return {
        severity: 'info',
        explanation: `${prefix(code, flags)}: no failure recorded.`,
        causes: [],
        next_steps: [],
      };
    }
  }
  return combine(prefix(code, flags), parts, t);
}

function prefix(code: number | null, flags: readonly string[]): string {
  const head = code === null ? '(no code)' : String(code);
  if (flags.length === 0) return head;
  const shown = flags.slice(0, 8).map((f) => safeText(f, 16));
  return `${head} ${shown.join(',')}${flags.length > 8 ? ',…' : ''}`;
}

function combine(head: string, parts: readonly Part[], t: Target): Explanation {
  let severity: Severity = 'info';
  for (const p of parts) if (SEVERITY_RANK[p.severity] < SEVERITY_RANK[severity]) severity = p.severity;
  const clauses = unique(parts.map((p) => p.clause));
  const causes = unique(parts.flatMap((p) => p.causes)).slice(0, MAX_CAUSES);
  const steps = unique(parts.flatMap((p) => p.next_steps.map((s) => asShellLine(fill(s, t))))).slice(
    0,
    MAX_STEPS,
  );
  const where = t.label === null ? '' : ` (${t.label})`;
  return { severity, explanation: `${head}${where}: ${clauses.join('; ')}.`, causes, next_steps: steps };
}

function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}

function flagPart(flag: string): Part {
  const info = lookupFlag(flag);
  if (info === undefined) {
    return {
      severity: 'error',
      clause: `unknown response flag ${safeText(flag, 32)} (custom or newer Envoy)`,
      causes: [
        'An Envoy extension registered its own response flag, or the proxy is newer than meshbot knows',
      ],
      next_steps: [
        "Look the flag up in the Envoy access-log docs for your proxy's version (istioctl version)",
      ],
    };
  }
  return {
    severity: FLAG_SEVERITY[info.short] ?? 'error',
    clause: info.meaning,
    causes: info.causes,
    next_steps: info.next_steps,
  };
}

function detailPart(details: DetailInfo, code: number | null): Part {
  const flagSeverity = details.flag === null ? undefined : FLAG_SEVERITY[details.flag];
  const byCode: Severity =
    code !== null && code >= 500 ? 'error' : code !== null && code >= 400 ? 'warning' : 'info';
  return {
    severity: DETAIL_SEVERITY[details.base] ?? flagSeverity ?? byCode,
    clause: details.meaning,
    causes: details.causes,
    next_steps: details.next_steps,
  };
}

function blackHole(): Part {
  return {
    severity: 'error',
    clause:
      'the sidecar blocked this outbound call (BlackHoleCluster): the destination is not in the mesh registry and outboundTrafficPolicy is REGISTRY_ONLY',
    causes: [
      'outboundTrafficPolicy mode REGISTRY_ONLY and no ServiceEntry for this external host',
      'A Sidecar resource whose egress hosts do not include the destination',
      'A typo in the host name or port the app calls',
    ],
    next_steps: [
      'Add a ServiceEntry for the external host and port (or fix the host the app calls)',
      'kubectl get serviceentries -A',
      "kubectl get configmap istio -n istio-system -o jsonpath='{.data.mesh}' (outboundTrafficPolicy)",
      'kubectl get sidecars -A (egress hosts)',
    ],
  };
}

function rbacDenied(details: DetailInfo): Part {
  const p = details.policy;
  const named = p !== null && isDns1123Subdomain(p.name) && isDns1123Label(p.namespace);
  const rule =
    p?.rule !== null && p?.rule !== undefined && /^\d{1,4}$/.test(p.rule) ? ` (rule ${p.rule})` : '';
  const none = details.inner[0] === 'none';
  const clause = named
    ? `denied by AuthorizationPolicy ${p.namespace}/${p.name}${rule}`
    : none
      ? 'denied by Istio authorization: ALLOW policies apply to this workload and none of their rules matched'
      : 'denied by an Istio AuthorizationPolicy';
  const steps = named
    ? [`kubectl get authorizationpolicy ${p.name} -n ${p.namespace} -o yaml`, ...details.next_steps]
    : details.next_steps;
  return { severity: 'warning', clause, causes: details.causes, next_steps: steps };
}

function connectFailure(transport: TransportFailure, direction: Direction, t: Target): Part | null {
  switch (transport) {
    case 'tls':
      return {
        severity: 'error',
        clause: 'the TLS handshake with the upstream failed (likely an mTLS configuration mismatch)',
        causes: [
          'mTLS mode mismatch: a DestinationRule tls mode (ISTIO_MUTUAL, DISABLE, SIMPLE) disagrees with the PeerAuthentication of the server',
          'The server has no sidecar (or is outside the mesh) while the client sends Istio mTLS',
          'CERTIFICATE_VERIFY_FAILED: wrong CA, subjectAltNames or SNI in a DestinationRule (tls mode SIMPLE/MUTUAL to an external host), or different root CAs between clusters',
        ],
        next_steps: [
          'istioctl x describe pod <pod> -n <pod-namespace>',
          'kubectl get peerauthentications -A',
          'kubectl get destinationrules -A -o yaml (trafficPolicy.tls for <fqdn>)',
          'istioctl proxy-config secret <pod> -n <pod-namespace> (certificates valid and from the same root?)',
        ],
      };
    case 'refused':
      return direction === 'inbound'
        ? {
            severity: 'error',
            clause: `the local app refused the connection${t.port === null ? '' : ` on port ${t.port}`}: nothing listens there (ECONNREFUSED)`,
            causes: [
              'The app is not listening on that port: not started yet, crashed, or listening on another port (containerPort/targetPort mismatch)',
              'The app binds to 127.0.0.1/localhost only; the sidecar connects to the pod IP, so the app must listen on 0.0.0.0',
              'The app restarted and was not ready yet (check readiness probes)',
            ],
            next_steps: [
              'kubectl get svc <service> -n <namespace> -o yaml (targetPort must be the port the app listens on)',
              'kubectl logs <pod> -n <pod-namespace> -c <app-container> (is the app up, which address does it bind?)',
              'kubectl exec -n <pod-namespace> <pod> -c istio-proxy -- ss -ltn (listening sockets; needs a non-distroless proxy image)',
            ],
          }
        : {
            severity: 'error',
            clause: 'the destination refused the connection (ECONNREFUSED)',
            causes: [
              'Nothing listens on the destination port: the app is down or starting, or the Service targetPort is wrong',
              'The endpoint is stale: the pod was just deleted or replaced',
              'The destination has no sidecar and does not listen on that port',
            ],
            next_steps: [
              'kubectl get endpointslices -n <namespace> -l kubernetes.io/service-name=<service>',
              'kubectl get svc <service> -n <namespace> -o yaml (targetPort)',
              "istioctl proxy-config endpoints <pod> -n <pod-namespace> --cluster '<cluster>'",
            ],
          };
    case 'timeout':
    case 'unreachable':
      return {
        severity: 'error',
        clause:
          transport === 'timeout'
            ? 'connecting to the upstream timed out'
            : 'the upstream address was unreachable',
        causes: [
          'A NetworkPolicy, security group or firewall drops the traffic',
          'The endpoint IP is stale (the pod is gone) or the node is unreachable',
          'For external hosts: egress is blocked or the host is down',
        ],
        next_steps: [
          'kubectl get networkpolicies -A',
          "istioctl proxy-config endpoints <pod> -n <pod-namespace> --cluster '<cluster>'",
          'kubectl get endpointslices -n <namespace> -l kubernetes.io/service-name=<service>',
        ],
      };
    default:
      return null;
  }
}

function noRoute(input: CauseInput, details: DetailInfo | undefined, t: Target): Part {
  const gateway = input.at_gateway ?? input.direction === 'unknown';
  const forHost = t.host === null ? 'the requested host' : `host ${t.host}`;
  if (details?.base === 'filter_chain_not_found') {
    const info = details;
    return {
      severity: 'error',
      clause: gateway
        ? 'the gateway had no filter chain for this connection (SNI or port not served by any Gateway server)'
        : 'the proxy had no filter chain for this connection',
      causes: info.causes,
      next_steps: info.next_steps,
    };
  }
  if (gateway) {
    return {
      severity: 'error',
      clause: `no route for ${forHost}: at a gateway, no VirtualService bound to the Gateway matches this host, port and path`,
      causes: [
        'No VirtualService lists this host with `gateways:` naming the Gateway (namespace/name), or its match rules do not cover this path',
        'The Gateway servers do not list this host or port (hosts must match the Host header, including any port)',
        'Scanners probing the public IP with random hosts and paths: usually harmless',
      ],
      next_steps: [
        'kubectl get virtualservices -A (hosts and gateways fields for <host>)',
        'kubectl get gateways.networking.istio.io -A -o yaml (servers: port and hosts)',
        'istioctl proxy-config routes <gateway-pod> -n <gateway-namespace>',
        'istioctl analyze -A',
      ],
    };
  }
  const info = lookupFlag('NR');
  return {
    severity: 'error',
    clause: `no route for ${forHost}`,
    causes: info?.causes ?? [],
    next_steps: info?.next_steps ?? [],
  };
}

function resetAfterResponse(code: number | null, details: DetailInfo | undefined): Part {
  const reason = details === undefined ? null : resetReason(details.inner);
  const how = reason === 'remote_reset' ? 'reset the stream' : 'closed the connection';
  return {
    severity: 'error',
    clause: `the response had started${code !== null && code > 0 ? ` (status ${code} already sent)` : ''} when the upstream ${how}: the client got a truncated response`,
    causes: [
      'The upstream app crashed, restarted or was scaled down while sending the body',
      'Keep-alive race or idle timeout: the app closes connections that Envoy still uses (set a DestinationRule idleTimeout below the app keep-alive)',
      'A gRPC or HTTP/2 server reset the stream after sending headers (server error or deadline)',
    ],
    next_steps: [
      'kubectl get pods -n <namespace> (restarts or rollouts around the time of the error)',
      'kubectl logs <upstream-pod> -n <namespace> -c <app-container> --previous (if the app restarted)',
      'kubectl get destinationrules -A -o yaml (connectionPool.http.idleTimeout for <fqdn>)',
    ],
  };
}

function fromApplication(code: number, direction: Direction): Part {
  const server = direction === 'inbound' ? 'the local application' : 'the upstream application';
  const severity: Severity = code >= 500 ? 'error' : 'warning';
  const causes =
    code >= 500
      ? [
          `${server === 'the local application' ? 'The local' : 'The upstream'} app returned ${code} itself: an exception, a failing dependency, or a deliberate error`,
          ...(direction === 'outbound'
            ? [
                "The server's sidecar may have produced it: find the same request id in the server's inbound log (a flag there names the cause)",
              ]
            : []),
        ]
      : ['The client sent a request the application rejected (bad input, missing auth, unknown path)'];
  return {
    severity,
    clause: `${server} returned ${code} itself (Envoy added no flag)`,
    causes,
    next_steps: [
      'Check the application logs for this request id: kubectl logs <upstream-pod> -n <namespace> -c <app-container>',
      'kubectl get endpointslices -n <namespace> -l kubernetes.io/service-name=<service> (which pods serve it)',
    ],
  };
}

function noResponse(): Part {
  return {
    severity: 'error',
    clause: 'no response was sent (code 0) and Envoy logged no reason',
    causes: [
      'The client or the upstream closed the connection before a response, without Envoy recording why',
      'The line comes from a custom format that does not log flags or details',
    ],
    next_steps: ['Look for the same request id at the other hop (client or server sidecar)'],
  };
}
