/**
 * @module kubernetes/k8s-error
 * Turns client-node failures into coded, actionable errors. client-node 1.4 throws `ApiException` with
 * the Status body as a JSON *string* (401 has none), and node-fetch `FetchError`s for network failures.
 */
import { noPreviousLogMessage } from '../commands/live-logs.js';
import { MeshbotError } from '../core/errors.js';

/** What was being attempted, so the message can name the verb, resource and namespace. */
export interface K8sRequestContext {
  verb: string;
  /** Plural resource with subresource and group when not core: `pods/log`, `telemetries.telemetry.istio.io`. */
  resource: string;
  namespace?: string | undefined;
  name?: string | undefined;
  server: string;
}

export const CLUSTER_ROLE_HINT = 'grant it with the ClusterRole in deploy/rbac.yaml';

interface StatusBody {
  message?: string;
  reason?: string;
  code?: number;
}

function statusOf(e: unknown): { code: number; body: StatusBody } | null {
  if (typeof e !== 'object' || e === null || !('code' in e)) return null;
  const code = (e as { code: unknown }).code;
  if (typeof code !== 'number') return null;
  const raw = (e as { body?: unknown }).body;
  let body: StatusBody = {};
  if (typeof raw === 'string') {
    try {
      body = JSON.parse(raw) as StatusBody;
    } catch {
      body = { message: raw.slice(0, 300) };
    }
  } else if (typeof raw === 'object' && raw !== null) body = raw as StatusBody;
  return { code, body };
}

/** Whether an ApiException body is a Kubernetes `Status` (the API server's own error), as text or object. */
export function isKubernetesStatus(body: unknown): boolean {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      return false;
    }
  }
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'Status';
}

/** The kubeconfig's server answered like no Kubernetes API server (`answer`: how `GET /version` answered). */
export function notKubernetesError(server: string, answer: string, options?: ErrorOptions): MeshbotError {
  return new MeshbotError(
    'k8s_unreachable',
    `${server} does not look like a Kubernetes API server: GET /version answered ${answer}; check the server URL of the kubeconfig context (--kubeconfig, --context)`,
    { server, versionAnswer: answer },
    options,
  );
}

/** kubelet's answer to `previous=true` for a container that never restarted. */
const NO_PREVIOUS = /previous terminated container "([^"]{1,253})" in pod "([^"]{1,253})" not found/;

function networkCode(e: unknown): string | null {
  const seen = new Set<unknown>();
  let current: unknown = e;
  while (typeof current === 'object' && current !== null && !seen.has(current)) {
    seen.add(current);
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z]+/.test(code)) return code;
    const name = (current as { name?: unknown }).name;
    if (name === 'AbortError' || name === 'TimeoutError') return 'ETIMEDOUT';
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

const printableName = (s: string): string => s.replace(/[^\x20-\x7e]/g, '?');

/** Maps anything a client-node call threw to a MeshbotError. */
export function k8sError(e: unknown, ctx: K8sRequestContext): MeshbotError {
  if (e instanceof MeshbotError) return e;
  const where = ctx.namespace ? ` in namespace ${ctx.namespace}` : ' at cluster scope';
  const target = `${ctx.resource}${ctx.name ? ` "${ctx.name}"` : ''}`;
  const status = statusOf(e);
  if (status !== null) {
    const message = status.body.message ?? '';
    const details = { ...ctx, status: status.code, reason: status.body.reason, apiMessage: message };
    switch (status.code) {
      case 401:
        return new MeshbotError(
          'k8s_unauthorized',
          `the Kubernetes API at ${ctx.server} rejected meshbot's credentials (401): refresh the kubeconfig token or check the service account`,
          details,
        );
      case 403: {
        // The API server names the identity it refused (`User "system:serviceaccount:meshbot:meshbot" cannot …`).
        const user = /\bUser "([^"]{1,253})" cannot/.exec(message)?.[1];
        const who = user === undefined ? 'meshbot' : `meshbot (as ${user.replace(/[^\x20-\x7e]/g, '?')})`;
        return new MeshbotError(
          'k8s_forbidden',
          `${who} may not ${ctx.verb} ${ctx.resource}${where} (403 Forbidden); ${CLUSTER_ROLE_HINT}`,
          { ...details, ...(user === undefined ? {} : { user }) },
        );
      }
      case 404:
        return new MeshbotError('k8s_not_found', `${target} not found${where}`, details);
      case 409:
        return new MeshbotError(
          'k8s_conflict',
          `${target} changed while meshbot was updating it (409 Conflict)`,
          details,
        );
      case 400: {
        const previous = NO_PREVIOUS.exec(message);
        if (previous?.[1] !== undefined && previous[2] !== undefined) {
          return new MeshbotError(
            'k8s_not_found',
            noPreviousLogMessage(printableName(previous[1]), printableName(previous[2])),
            { ...details, noPrevious: true },
          );
        }
        return new MeshbotError(
          'k8s_invalid',
          `the API refused to ${ctx.verb} ${target}${where}: ${message || status.code}`,
          details,
        );
      }
      case 422:
        return new MeshbotError(
          'k8s_invalid',
          `the API refused to ${ctx.verb} ${target}${where}: ${message || status.code}`,
          details,
        );
      default:
        return new MeshbotError(
          'k8s_error',
          `the Kubernetes API answered ${status.code} to ${ctx.verb} ${target}${where}${message ? `: ${message}` : ''}`,
          details,
        );
    }
  }
  const net = networkCode(e);
  if (net !== null) {
    return new MeshbotError(
      'k8s_unreachable',
      `cannot reach the Kubernetes API at ${ctx.server} (${net}): check the kubeconfig context, VPN or network`,
      { ...ctx, errno: net },
      { cause: e },
    );
  }
  const text = (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
  return new MeshbotError(
    'k8s_error',
    `failed to ${ctx.verb} ${target}${where}: ${text}`,
    { ...ctx },
    { cause: e },
  );
}
