/** Real @kubernetes/client-node clients pointed at a fake API server (for this folder's tests and others). */
import * as k8s from '@kubernetes/client-node';
import type { FakeApiServer } from '../../src/kube-sim/index.js';

export interface Clients {
  kc: k8s.KubeConfig;
  core: k8s.CoreV1Api;
  apps: k8s.AppsV1Api;
  custom: k8s.CustomObjectsApi;
  apis: k8s.ApisApi;
  coordination: k8s.CoordinationV1Api;
  discovery: k8s.DiscoveryV1Api;
}

export function clientsFor(server: FakeApiServer, namespace = 'default'): Clients {
  const kc = new k8s.KubeConfig();
  kc.loadFromString(server.kubeconfigYaml(namespace));
  return {
    kc,
    core: kc.makeApiClient(k8s.CoreV1Api),
    apps: kc.makeApiClient(k8s.AppsV1Api),
    custom: kc.makeApiClient(k8s.CustomObjectsApi),
    apis: kc.makeApiClient(k8s.ApisApi),
    coordination: kc.makeApiClient(k8s.CoordinationV1Api),
    discovery: kc.makeApiClient(k8s.DiscoveryV1Api),
  };
}

/** The parsed Status body of a client-node ApiException (its `body` is the raw JSON text). */
export async function apiErrorOf(
  promise: Promise<unknown>,
): Promise<{ code: number; status: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof k8s.ApiException) {
      const raw: unknown = error.body;
      const status: unknown = typeof raw === 'string' && raw !== '' ? JSON.parse(raw) : {};
      return {
        code: error.code,
        status: typeof status === 'object' && status !== null ? (status as Record<string, unknown>) : {},
      };
    }
    throw error;
  }
  throw new Error('expected the call to fail with an ApiException');
}
