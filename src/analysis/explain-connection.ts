/**
 * @module analysis/explain-connection
 * What a ztunnel connection error means (ambient mode, L4): the `error="…"` text of a `connection complete`
 * or `connection failed` record, matched against the messages ztunnel writes (istio/ztunnel `src/proxy.rs`,
 * `Error`'s Display strings, and the OS errors they wrap), turned into a cause, a severity, likely causes and
 * next checks.
 *
 * As in analysis/explain-cause, **commands are built from templates, never from log text**: the only values
 * put into `next_steps` are namespaces and names that pass the DNS-1123 checks, and the ztunnel pod that
 * logged the record (validated by the caller); anything else stays a `<placeholder>`. The error text itself
 * reaches reports only through the renderers' sanitising.
 */
import { isDns1123Label, isDns1123Subdomain } from '../core/kubernetes-names.js';
import type { Explanation } from './report.js';

/** The causes meshbot tells apart; `other` is an error it has no words for (shown as logged). */
export type ConnectionCause =
  | 'policy_rejection'
  | 'refused'
  | 'timeout'
  | 'no_healthy_upstream'
  | 'identity'
  | 'unknown_waypoint'
  | 'unknown_workload'
  | 'disconnected'
  | 'drain'
  | 'other';

export interface ConnectionContext {
  /** The namespace of the side that was called (a policy there decides), when known and valid. */
  namespace: string | null;
  /** The workload or service that was called, when known and valid. */
  destination: string | null;
  /** The Service that was called (its name), when the record named one. */
  service?: string | null | undefined;
  /** The ztunnel pod that logged the record and its namespace, when known and valid. */
  ztunnel: { namespace: string; name: string } | null;
}

interface Rule {
  cause: ConnectionCause;
  /** Matched against the error text in lower case. */
  test: (error: string) => boolean;
}

const has =
  (...needles: string[]) =>
  (error: string) =>
    needles.some((n) => error.includes(n));

/** In order: the first rule that matches decides (a policy rejection wrapped in `http status: 401` is one). */
const RULES: readonly Rule[] = [
  {
    cause: 'policy_rejection',
    test: has('policy rejection', 'policy change', 'http status: 401', 'http status: 403', 'rbac'),
  },
  { cause: 'unknown_waypoint', test: has('unknown waypoint') },
  {
    cause: 'unknown_workload',
    test: has(
      'failed to fetch information about local workload',
      'workload is unknown',
      'unknown source workload',
    ),
  },
  {
    cause: 'timeout',
    test: has('connection timed out', 'timed out', 'os error 110'),
  },
  { cause: 'refused', test: has('connection refused', 'os error 111') },
  {
    cause: 'no_healthy_upstream',
    test: has(
      'no healthy upstream',
      'no endpoints for workload',
      'no service for target address',
      'no service or workload for hostname',
      'but has no ip addresses',
      'cannot resolve port',
      'no valid routing destination',
      'no valid target port',
      'no ip addresses were resolved',
      'host unreachable',
      'network unreachable',
      'os error 113',
      'os error 101',
    ),
  },
  {
    cause: 'identity',
    test: has(
      'identity error',
      'tls error',
      'tls:',
      'certificate',
      'ip mismatch',
      'invalid spiffe identity',
      'http2 handshake failed',
      'workload is unknown',
      'signing grpc error',
      'http status: 503',
    ),
  },
  {
    cause: 'disconnected',
    test: has(
      'disconnected before all data was written',
      'connection reset',
      'os error 104',
      'broken pipe',
      'os error 32',
    ),
  },
  { cause: 'drain', test: has('connection drain', 'pool draining', 'failed to drain') },
];

/** The cause of a ztunnel error text. */
export function connectionCause(error: string): ConnectionCause {
  const text = error.toLowerCase();
  for (const rule of RULES) if (rule.test(text)) return rule.cause;
  return 'other';
}

/** `explicitly denied by: NS/NAME` names the AuthorizationPolicy; only valid names are returned. */
export function denyingPolicy(error: string): { namespace: string; name: string } | null {
  const m = /explicitly denied by: ([a-z0-9-]{1,63})\/([a-z0-9.-]{1,253})/.exec(error);
  if (m === null) return null;
  const [, namespace = '', name = ''] = m;
  return isDns1123Label(namespace) && isDns1123Subdomain(name) ? { namespace, name } : null;
}

function nsArg(namespace: string | null): string {
  return namespace !== null && isDns1123Label(namespace) ? namespace : '<namespace>';
}

function ztunnelLogs(context: ConnectionContext): string {
  const z = context.ztunnel;
  return z !== null && isDns1123Label(z.namespace) && isDns1123Subdomain(z.name)
    ? `kubectl logs -n ${z.namespace} ${z.name} | grep 'error='`
    : 'kubectl logs -n istio-system -l app=ztunnel --prefix | grep error=';
}

/** The explanation of one cause, with commands filled from validated names only. */
export function explainConnection(error: string, context: ConnectionContext): Explanation {
  const cause = connectionCause(error);
  const ns = nsArg(context.namespace);
  const destination =
    context.destination !== null && isDns1123Subdomain(context.destination)
      ? context.destination
      : '<destination>';
  switch (cause) {
    case 'policy_rejection': {
      const policy = denyingPolicy(error);
      const notAllowed = error.includes('none allowed');
      return {
        severity: 'error',
        explanation: policy
          ? `An AuthorizationPolicy denied the connection (${policy.namespace}/${policy.name}): ztunnel closed it before any data reached ${destination}.`
          : notAllowed
            ? `The connection was rejected: ALLOW policies apply to ${destination}, and none of them allowed this caller.`
            : 'ztunnel rejected the connection by authorization policy (L4): the caller is not allowed to reach the destination.',
        causes: [
          policy
            ? `a DENY rule in ${policy.namespace}/${policy.name} matches this caller`
            : 'an AuthorizationPolicy on the destination (ALLOW rules that do not list this caller, or a DENY rule)',
          "the caller's identity (service account) is not the one the policy names",
          'an L7 rule (paths, methods) on a workload without a waypoint: ztunnel cannot check L7 and denies',
        ],
        next_steps: [
          policy
            ? `kubectl get authorizationpolicy -n ${policy.namespace} ${policy.name} -o yaml`
            : `kubectl get authorizationpolicy -n ${ns} -o yaml`,
          'kubectl get authorizationpolicy -n istio-system -o yaml',
          ztunnelLogs(context),
        ],
      };
    }
    case 'refused':
      return {
        severity: 'error',
        explanation: `Connection refused: nothing listens on the destination port of ${destination}.`,
        causes: [
          'the application is not listening on that port (wrong containerPort/targetPort, or still starting)',
          'the pod is crashing or being restarted',
          'the Service targets a port the pod does not expose',
        ],
        next_steps: [
          `kubectl get endpointslices -n ${ns} -l kubernetes.io/service-name=${context.service != null && isDns1123Label(context.service) ? context.service : '<service>'}`,
          `kubectl get pods -n ${ns} -o wide`,
          ztunnelLogs(context),
        ],
      };
    case 'timeout':
      return {
        severity: 'error',
        explanation:
          'The connection timed out before the other side answered: HBONE (port 15008) between the nodes may be blocked.',
        causes: [
          'a NetworkPolicy or firewall blocks port 15008 (HBONE) to the destination pod',
          'the destination node or pod is overloaded or unreachable',
        ],
        next_steps: [
          `kubectl get networkpolicy -n ${ns}`,
          `kubectl get pods -n ${ns} -o wide`,
          ztunnelLogs(context),
        ],
      };
    case 'no_healthy_upstream':
      return {
        severity: 'error',
        explanation: `ztunnel found no healthy endpoint for ${destination}: there was nowhere to send the connection.`,
        causes: [
          'the Service has no ready endpoints (pods not ready, selector matches nothing)',
          'the workload is not known to ztunnel yet (istiod has not pushed it)',
        ],
        next_steps: [
          `kubectl get endpointslices -n ${ns}`,
          'istioctl ztunnel-config services',
          'istioctl ztunnel-config workloads',
        ],
      };
    case 'identity':
      return {
        severity: 'error',
        explanation:
          'The mTLS (HBONE) handshake failed: a certificate or identity did not match what ztunnel expected.',
        causes: [
          'the destination presented a certificate for another identity (a stale workload entry, an IP reused by another pod)',
          'ztunnel could not get a certificate for the workload from istiod (CA unreachable)',
          'a peer outside the mesh, or with another trust domain',
        ],
        next_steps: [
          'istioctl ztunnel-config certificates',
          'istioctl ztunnel-config workloads',
          ztunnelLogs(context),
        ],
      };
    case 'unknown_waypoint':
      return {
        severity: 'error',
        explanation:
          'The destination is meant to go through a waypoint that ztunnel does not know: the connection could not be sent.',
        causes: [
          'istio.io/use-waypoint names a waypoint that does not exist or is not ready',
          'the waypoint is in another namespace without istio.io/use-waypoint-namespace',
        ],
        next_steps: [
          `kubectl get gateway -n ${ns}`,
          `kubectl get namespace ${ns} --show-labels`,
          'istioctl ztunnel-config services',
        ],
      };
    case 'unknown_workload':
      return {
        severity: 'error',
        explanation:
          'ztunnel does not know the workload the connection came from: it has no identity to use for it, so the connection was dropped.',
        causes: [
          'the pod started before istiod told this ztunnel about it (it usually settles within seconds)',
          'the pod is not captured by ambient mode as ztunnel expects (a host-network pod, a pod labelled istio.io/dataplane-mode=none)',
          'istiod cannot reach this ztunnel, or ztunnel lost its connection to istiod',
        ],
        next_steps: [
          'istioctl ztunnel-config workloads',
          `kubectl get pods -n ${ns} -o wide --show-labels`,
          ztunnelLogs(context),
        ],
      };
    case 'disconnected':
      return {
        severity: 'warning',
        explanation: 'One side closed the connection before all data was written.',
        causes: [
          'the client gave up (a timeout on its side) or the server closed an idle connection',
          'a pod was restarted during the connection',
        ],
        next_steps: [ztunnelLogs(context)],
      };
    case 'drain':
      return {
        severity: 'info',
        explanation: 'The connection was closed because ztunnel was draining (a ztunnel restart or upgrade).',
        causes: ['ztunnel restarted on that node (rollout, node drain)'],
        next_steps: ['kubectl get pods -n istio-system -l app=ztunnel -o wide'],
      };
    default:
      return {
        severity: 'error',
        explanation:
          'ztunnel reported a connection error meshbot has no explanation for; see the error text.',
        causes: ['see the error text logged by ztunnel'],
        next_steps: [ztunnelLogs(context), 'istioctl ztunnel-config workloads'],
      };
  }
}
