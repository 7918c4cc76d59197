/** Builds Services, EndpointSlices and Endpoints for seeding. */
import { type JsonObject, toJsonObject } from './json.js';
import { applyMergePatch } from './merge-patch.js';

export interface ServicePortSeed {
  name?: string;
  port: number;
  targetPort?: number | string;
  protocol?: 'TCP' | 'UDP' | 'SCTP';
  appProtocol?: string;
}

export interface ServiceSeed {
  namespace: string;
  name: string;
  labels?: Record<string, string>;
  /** Defaults to `{ app: name }`; `null` for a selector-less service. */
  selector?: Record<string, string> | null;
  ports?: ServicePortSeed[];
  type?: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
  clusterIP?: string;
  overrides?: object;
}

export interface EndpointSeed {
  ip: string;
  podName?: string;
  nodeName?: string;
  ready?: boolean;
  hostname?: string;
}

export interface EndpointSliceSeed {
  namespace: string;
  service: string;
  /** Defaults to `<service>-<suffix>`. */
  name?: string;
  endpoints: EndpointSeed[];
  ports?: ServicePortSeed[];
  addressType?: 'IPv4' | 'IPv6' | 'FQDN';
  overrides?: object;
}

const portJson = (p: ServicePortSeed, i: number): JsonObject => ({
  name: p.name ?? (i === 0 ? 'http' : `port-${i}`),
  port: p.port,
  protocol: p.protocol ?? 'TCP',
  ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}),
});

export function buildService(seed: ServiceSeed, clusterIP: string): JsonObject {
  const ports = seed.ports ?? [{ name: 'http', port: 80, targetPort: 8080 }];
  const selector = seed.selector === undefined ? { app: seed.name } : seed.selector;
  const service: JsonObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: seed.name, namespace: seed.namespace, labels: { ...seed.labels } },
    spec: {
      type: seed.type ?? 'ClusterIP',
      clusterIP: seed.clusterIP ?? clusterIP,
      clusterIPs: [seed.clusterIP ?? clusterIP],
      ports: ports.map((p, i) => ({ ...portJson(p, i), targetPort: p.targetPort ?? p.port })),
      ...(selector ? { selector } : {}),
      sessionAffinity: 'None',
    },
    status: { loadBalancer: {} },
  };
  return seed.overrides ? (applyMergePatch(service, toJsonObject(seed.overrides)) as JsonObject) : service;
}

export function buildEndpointSlice(seed: EndpointSliceSeed, name: string): JsonObject {
  const slice: JsonObject = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name,
      namespace: seed.namespace,
      labels: {
        'kubernetes.io/service-name': seed.service,
        'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
      },
    },
    addressType: seed.addressType ?? 'IPv4',
    endpoints: seed.endpoints.map((e) => ({
      addresses: [e.ip],
      conditions: { ready: e.ready ?? true, serving: e.ready ?? true, terminating: false },
      ...(e.hostname ? { hostname: e.hostname } : {}),
      ...(e.nodeName ? { nodeName: e.nodeName } : {}),
      ...(e.podName ? { targetRef: { kind: 'Pod', namespace: seed.namespace, name: e.podName } } : {}),
    })),
    ports: (seed.ports ?? [{ name: 'http', port: 8080 }]).map((p, i) => portJson(p, i)),
  };
  return seed.overrides ? (applyMergePatch(slice, toJsonObject(seed.overrides)) as JsonObject) : slice;
}

/** The legacy Endpoints object matching a slice (one subset). */
export function buildEndpoints(seed: EndpointSliceSeed): JsonObject {
  const address = (e: EndpointSeed): JsonObject => ({
    ip: e.ip,
    ...(e.nodeName ? { nodeName: e.nodeName } : {}),
    ...(e.podName ? { targetRef: { kind: 'Pod', namespace: seed.namespace, name: e.podName } } : {}),
  });
  const ready = seed.endpoints.filter((e) => e.ready !== false).map(address);
  const notReady = seed.endpoints.filter((e) => e.ready === false).map(address);
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: seed.service, namespace: seed.namespace },
    subsets: [
      {
        ...(ready.length > 0 ? { addresses: ready } : {}),
        ...(notReady.length > 0 ? { notReadyAddresses: notReady } : {}),
        ports: (seed.ports ?? [{ name: 'http', port: 8080 }]).map((p, i) => portJson(p, i)),
      },
    ],
  };
}
