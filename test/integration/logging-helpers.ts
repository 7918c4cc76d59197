/** Shared setup for the access-logging integration tests: a fake API server and meshbot's real clients. */
import * as k8s from '@kubernetes/client-node';
import {
  type FakeApiServer,
  ISTIO_CRD_DIR,
  startFakeApiServer,
  validateAgainstCrd,
} from '../../src/kube-sim/index.js';
import { IstioConfigClient } from '../../src/kubernetes/istio-config-client.js';
import { LeaseClient } from '../../src/kubernetes/lease-client.js';

export const T0 = Date.parse('2024-05-01T12:00:00.000Z');
export const HOUR = 3_600_000;
export const TELEMETRY_CRD = `${ISTIO_CRD_DIR}telemetries.telemetry.istio.io.yaml`;
export const ENVOYFILTER_CRD = `${ISTIO_CRD_DIR}envoyfilters.networking.istio.io.yaml`;

/** A mutable test clock. */
export function testClock(start = T0): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return {
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
  };
}

export async function startCluster(istio?: string): Promise<FakeApiServer> {
  const server = await startFakeApiServer({
    now: () => new Date(T0),
    ...(istio === undefined ? {} : { istio }),
  });
  server.addNamespace('shop');
  server.addNamespace('meshbot');
  return server;
}

/** Fresh client objects, as a restarted process would build them. */
export function meshbotClients(server: FakeApiServer): { istio: IstioConfigClient; leases: LeaseClient } {
  const kc = new k8s.KubeConfig();
  kc.loadFromString(server.kubeconfigYaml('default'));
  return { istio: new IstioConfigClient(kc), leases: new LeaseClient(kc) };
}

export function writes(server: FakeApiServer): string[] {
  return server.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);
}

/** Drops what the server changes on every write. */
export function comparable(object: unknown): unknown {
  const copy = structuredClone(object) as { metadata?: Record<string, unknown> };
  if (copy.metadata) {
    delete copy.metadata.resourceVersion;
    delete copy.metadata.generation;
    delete copy.metadata.managedFields;
  }
  return copy;
}

export function crdProblems(object: unknown): string[] {
  const o = object as { apiVersion?: string };
  const [group, version] = String(o.apiVersion).split('/');
  return validateAgainstCrd(
    group === 'telemetry.istio.io' ? TELEMETRY_CRD : ENVOYFILTER_CRD,
    version ?? '',
    object,
  );
}
