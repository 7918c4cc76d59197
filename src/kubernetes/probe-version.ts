/**
 * @module kubernetes/probe-version
 * Whether the kubeconfig's server is a Kubernetes API at all, asked (`GET /version`) only after an answer
 * no Kubernetes API server gives: a 404 whose body is not a `Status`, or a body of another shape.
 */
import * as k8s from '@kubernetes/client-node';
import { isKubernetesStatus } from './k8s-error.js';

/** An error no Kubernetes API server causes: worth asking `/version` before blaming the resource. */
export function answeredLikeNoKubernetes(e: unknown): boolean {
  const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
  if (typeof code === 'number') return code === 404 && !isKubernetesStatus((e as { body?: unknown }).body);
  if (typeof code === 'string') return false; // ECONNREFUSED and the like: the network error says it
  // A 200 whose body client-node could not read as the type asked for (a web page, other JSON).
  const name = e instanceof Error ? e.name : '';
  return e instanceof Error && name !== 'AbortError' && name !== 'TimeoutError' && !('cause' in e && e.cause);
}

/**
 * How `GET /version` answered a server that answered like no Kubernetes API: null when it is one (the first
 * failure stands), else how (`404`, `200 without a Kubernetes version`).
 */
export async function probeVersion(
  kc: k8s.KubeConfig,
  options?: k8s.ConfigurationOptions,
): Promise<string | null> {
  try {
    const version = await kc.makeApiClient(k8s.VersionApi).getCode(options);
    return typeof version?.gitVersion === 'string' && version.gitVersion !== ''
      ? null
      : '200 without a Kubernetes version';
  } catch (e) {
    const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
    if (typeof code === 'number')
      return isKubernetesStatus((e as { body?: unknown }).body) ? null : String(code);
    if (typeof code === 'string') return null;
    return 'with something that is not a Kubernetes version document';
  }
}
