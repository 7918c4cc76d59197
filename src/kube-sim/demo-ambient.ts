/**
 * The demo cluster's ambient namespace (`demo/ambient-mesh`): namespace `ambient-demo` labelled for ambient
 * and its waypoint, app pods without any proxy container (annotated `ambient.istio.io/redirection: enabled`,
 * as istio-cni marks captured pods), the waypoint (Gateway `waypoint` of class `istio-waypoint` → Deployment →
 * ReplicaSet → Pod, labelled as Istio's waypoint template labels them), one ztunnel per node (DaemonSet
 * `ztunnel` in istio-system, container `istio-proxy`), the Services with their ClusterIPs and endpoints, the
 * L4 AuthorizationPolicy `deny-curl`, and each proxy's log as a function of the server clock.
 */
import { fileURLToPath } from 'node:url';
import {
  AMBIENT_DENY_POLICY,
  AMBIENT_NAMESPACE,
  AMBIENT_NAMESPACE_LABELS,
  AMBIENT_PODS,
  AMBIENT_SERVICES,
  type AmbientPod,
  WAYPOINT_GATEWAY,
  ZTUNNEL_PODS,
  ztunnelPodReceivedLine,
} from '../demo/ambient-mesh.js';
import type { FakeApiServer } from './fake-api-server.js';
import { getPath, type JsonObject } from './json.js';
import type { LazyTraffic } from './lazy-traffic.js';
import type { LogLine, LogQuery } from './pod-logs.js';
import type { ContainerSeed } from './pod-seed.js';
import { buildWorkload, type OwnerRef, type WorkloadSeed } from './workload-seed.js';

/** The Gateway API's Gateway CRD (standard channel, v1.2.1), which Istio's waypoints are instances of. */
export const GATEWAY_API_GATEWAY_CRD = fileURLToPath(
  new URL('../../assets/gateway-api-crds/gateways.gateway.networking.k8s.io.yaml', import.meta.url),
);

const ISTIO_NAMESPACE = 'istio-system';
const PROXY_IMAGE = 'docker.io/istio/proxyv2:1.24.0';
const ZTUNNEL_IMAGE = 'docker.io/istio/ztunnel:1.24.0';
const BOOKINFO_TAG = '1.20.2';

const uidOf = (object: JsonObject) => String(getPath(object, ['metadata', 'uid']));

function appContainer(pod: AmbientPod): ContainerSeed {
  if (pod.app === 'curl') return { name: 'curl', image: 'docker.io/curlimages/curl:8.5.0' };
  return {
    name: pod.app,
    image: `docker.io/istio/examples-bookinfo-${pod.app}-${pod.version ?? 'v1'}:${BOOKINFO_TAG}`,
    ports: [{ containerPort: pod.port ?? 9080 }],
  };
}

interface DeploymentPod {
  pod: AmbientPod;
  selector: Record<string, string>;
  podLabels: Record<string, string>;
  annotations: Record<string, string>;
  container: ContainerSeed;
  deploymentLabels?: Record<string, string>;
  owner?: OwnerRef;
}

/** Deployment → ReplicaSet → Pod, named as in the ambient world (`reviews-v2-6f9b55c5db-kp4xr`). */
function addDeploymentPod(server: FakeApiServer, d: DeploymentPod, startedAt: Date): void {
  const { pod } = d;
  const seed: WorkloadSeed = {
    namespace: pod.namespace,
    name: pod.owner,
    selector: d.selector,
    replicas: 1,
    containers: [d.container],
    ...(d.deploymentLabels === undefined ? {} : { labels: d.deploymentLabels }),
  };
  const deployment = server.addObject('apps/v1', 'deployments', buildWorkload('Deployment', seed, d.owner));
  const replicaSetName = pod.name.slice(0, pod.name.lastIndexOf('-'));
  const hash = replicaSetName.slice(pod.owner.length + 1);
  const replicaSet = server.addObject(
    'apps/v1',
    'replicasets',
    buildWorkload(
      'ReplicaSet',
      { ...seed, name: replicaSetName },
      { apiVersion: 'apps/v1', kind: 'Deployment', name: pod.owner, uid: uidOf(deployment) },
      hash,
    ),
  );
  server.addPod({
    namespace: pod.namespace,
    name: pod.name,
    labels: { ...d.podLabels, 'pod-template-hash': hash },
    annotations: d.annotations,
    containers: [d.container],
    istio: false,
    podIP: pod.ip,
    nodeName: pod.node,
    startTime: startedAt,
    serviceAccountName: pod.serviceAccount,
    ownerReferences: [
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        name: replicaSetName,
        uid: uidOf(replicaSet),
        controller: true,
        blockOwnerDeletion: true,
      },
    ],
  });
}

function addWaypoint(server: FakeApiServer, startedAt: Date): void {
  const { waypoint } = AMBIENT_PODS;
  const gateway = server.addCustomObject('gateway.networking.k8s.io', 'v1', 'gateways', {
    metadata: {
      name: WAYPOINT_GATEWAY.name,
      namespace: WAYPOINT_GATEWAY.namespace,
      labels: { 'istio.io/waypoint-for': 'service' },
    },
    spec: {
      gatewayClassName: WAYPOINT_GATEWAY.gatewayClassName,
      listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }],
    },
    status: {
      addresses: [{ type: 'IPAddress', value: serviceIp('waypoint') }],
      conditions: ['Accepted', 'Programmed'].map((type) => ({
        type,
        status: 'True',
        reason: type,
        message:
          type === 'Accepted'
            ? 'Resource accepted'
            : 'Resource programmed, assigned to service(s) waypoint.ambient-demo.svc.cluster.local:15008',
        lastTransitionTime: startedAt.toISOString().replace(/\.\d+Z$/, 'Z'),
        observedGeneration: 1,
      })),
    },
  });
  const gatewayLabels = {
    'gateway.networking.k8s.io/gateway-name': WAYPOINT_GATEWAY.name,
    'gateway.networking.k8s.io/gateway-class-name': WAYPOINT_GATEWAY.gatewayClassName,
  };
  addDeploymentPod(
    server,
    {
      pod: waypoint,
      selector: { 'gateway.networking.k8s.io/gateway-name': WAYPOINT_GATEWAY.name },
      // As istio-discovery's files/waypoint.yaml labels the pod template.
      podLabels: {
        'sidecar.istio.io/inject': 'false',
        'istio.io/dataplane-mode': 'none',
        'service.istio.io/canonical-name': waypoint.owner,
        'service.istio.io/canonical-revision': 'latest',
        ...gatewayLabels,
        'gateway.istio.io/managed': 'istio.io-mesh-controller',
      },
      annotations: {
        'istio.io/rev': 'default',
        'prometheus.io/path': '/stats/prometheus',
        'prometheus.io/port': '15020',
        'prometheus.io/scrape': 'true',
      },
      container: {
        name: 'istio-proxy',
        image: PROXY_IMAGE,
        ports: [
          { containerPort: 15020, name: 'metrics' },
          { containerPort: 15021, name: 'status-port' },
          { containerPort: 15090, name: 'http-envoy-prom' },
        ],
      },
      deploymentLabels: { ...gatewayLabels, 'gateway.istio.io/managed': 'istio.io-mesh-controller' },
      owner: {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'Gateway',
        name: WAYPOINT_GATEWAY.name,
        uid: uidOf(gateway),
      },
    },
    startedAt,
  );
}

/** DaemonSet `ztunnel` and its pod on each node, as the ztunnel chart makes them. */
function addZtunnels(server: FakeApiServer, startedAt: Date): void {
  const pods = Object.values(ZTUNNEL_PODS);
  const container: ContainerSeed = {
    name: 'istio-proxy',
    image: ZTUNNEL_IMAGE,
    ports: [
      { containerPort: 15020, name: 'ztunnel-stats' },
      { containerPort: 15021, name: 'status-port' },
    ],
  };
  const daemonSet = server.addObject(
    'apps/v1',
    'daemonsets',
    buildWorkload('DaemonSet', {
      namespace: ISTIO_NAMESPACE,
      name: 'ztunnel',
      selector: { app: 'ztunnel' },
      replicas: pods.length,
      containers: [container],
    }),
  );
  for (const pod of pods) {
    server.addPod({
      namespace: pod.namespace,
      name: pod.name,
      labels: {
        app: 'ztunnel',
        'sidecar.istio.io/inject': 'false',
        'istio.io/dataplane-mode': 'none',
        'controller-revision-hash': '6c5d9f8b7d',
        'pod-template-generation': '1',
      },
      annotations: { 'sidecar.istio.io/inject': 'false' },
      containers: [container],
      istio: false,
      podIP: pod.ip,
      nodeName: pod.node,
      startTime: startedAt,
      serviceAccountName: pod.serviceAccount,
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'DaemonSet',
          name: 'ztunnel',
          uid: uidOf(daemonSet),
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    });
  }
}

function serviceIp(name: string): string {
  const service = AMBIENT_SERVICES.find((s) => s.name === name);
  if (service === undefined) throw new Error(`ambient service ${name} is not defined`);
  return service.clusterIp;
}

/** Seeds the ambient namespace, its workloads, Services and policy (call while the clock says `deployedAt`). */
export function seedAmbientWorld(server: FakeApiServer, deployedAt: Date): void {
  server.addNamespace(AMBIENT_NAMESPACE, { ...AMBIENT_NAMESPACE_LABELS });
  server.registerCrd(GATEWAY_API_GATEWAY_CRD);
  addZtunnels(server, deployedAt);
  addWaypoint(server, deployedAt);
  for (const pod of Object.values(AMBIENT_PODS)) {
    if (pod.role !== 'app') continue;
    const selector: Record<string, string> =
      pod.version === undefined ? { app: pod.app } : { app: pod.app, version: pod.version };
    addDeploymentPod(
      server,
      {
        pod,
        selector,
        podLabels: selector,
        annotations: { 'ambient.istio.io/redirection': 'enabled' },
        container: appContainer(pod),
      },
      deployedAt,
    );
  }
  for (const service of AMBIENT_SERVICES) {
    const waypoint = service.name === WAYPOINT_GATEWAY.name;
    server.addService({
      namespace: service.namespace,
      name: service.name,
      labels: waypoint
        ? {
            'gateway.networking.k8s.io/gateway-name': WAYPOINT_GATEWAY.name,
            'gateway.networking.k8s.io/gateway-class-name': WAYPOINT_GATEWAY.gatewayClassName,
          }
        : { app: service.name, service: service.name },
      selector: { ...service.selector },
      ports: service.ports.map((p) => ({ ...p })),
      clusterIP: service.clusterIp,
    });
    server.addEndpointsForService(service.namespace, service.name);
  }
  server.addCustomObject('security.istio.io', 'v1', 'authorizationpolicies', {
    metadata: { name: AMBIENT_DENY_POLICY.name, namespace: AMBIENT_DENY_POLICY.namespace },
    spec: AMBIENT_DENY_POLICY.spec,
  });
}

/**
 * Sets the waypoint's and each ztunnel's `istio-proxy` log. A ztunnel's log starts with the pods the CNI
 * handed it at deployment (`pod received, starting proxy`, with each pod's uid) and holds the access records
 * of every ambient pod on its node.
 */
export function setAmbientLogs(server: FakeApiServer, traffic: LazyTraffic, deployedAtMs: number): void {
  const { waypoint } = AMBIENT_PODS;
  server.setPodLog(waypoint.namespace, waypoint.name, 'istio-proxy', (query: LogQuery) =>
    traffic.ofPod(waypoint.name, query.now.getTime()),
  );
  for (const ztunnel of Object.values(ZTUNNEL_PODS)) {
    const captured = Object.values(AMBIENT_PODS).filter((p) => p.role === 'app' && p.node === ztunnel.node);
    const startup: LogLine[] = captured.map((pod, i) => {
      const object = server.getObject('v1', 'pods', pod.namespace, pod.name);
      const timeMs = deployedAtMs + 2_000 + i * 137;
      return {
        time: new Date(timeMs),
        text: ztunnelPodReceivedLine(timeMs, (i * 389) % 1000, {
          uid: object === undefined ? '' : uidOf(object),
          name: pod.name,
          namespace: pod.namespace,
        }),
      };
    });
    server.setPodLog(ztunnel.namespace, ztunnel.name, 'istio-proxy', (query: LogQuery) => [
      ...startup,
      ...traffic.ofPod(ztunnel.name, query.now.getTime()),
    ]);
  }
}
