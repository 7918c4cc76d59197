/**
 * The demo's cluster: a kube-sim server (HTTPS by default) seeded with the demo world of `demo/demo-mesh`
 * (namespace `istio-testing` with helloworld v1 and v2, frontend and sleep behind an ingress gateway in
 * `istio-system`), the mesh config, Services and their endpoints, and every proxy's access log as a function of
 * the server clock: each read sees the lines written from half an hour before start-up until that moment, so
 * traffic keeps flowing while the demo runs and `--since` means what it says. With `ambient: true` it also
 * serves the ambient namespace `ambient-demo` (`demo/ambient-mesh`, seeded by `demo-ambient.ts`).
 */

import { AMBIENT_SEED, ambientTraffic } from '../demo/ambient-mesh.js';
import {
  DEMO_NAMESPACE,
  DEMO_PODS,
  DEMO_SERVICES,
  type DemoLine,
  type DemoPod,
  type DemoService,
  demoTraffic,
  ISTIO_NAMESPACE,
} from '../demo/demo-mesh.js';
import { seedAmbientWorld, setAmbientLogs } from './demo-ambient.js';
import { type FakeApiServer, startFakeApiServer } from './fake-api-server.js';
import { getPath } from './json.js';
import { LazyTraffic } from './lazy-traffic.js';
import type { LogQuery } from './pod-logs.js';
import type { ContainerSeed } from './pod-seed.js';
import { buildWorkload, type WorkloadSeed } from './workload-seed.js';

export interface DemoClusterOptions {
  /** The server clock (default: real time). Traffic is generated up to it on every log read. */
  now?: () => Date;
  /** The traffic's seed (default 2020, the demo's own). */
  seed?: number;
  /**
   * How much traffic exists at start-up (default 30 min: twice `logs`' default window; an hour of traffic
   * takes about a second to generate).
   */
  historyMs?: number;
  /** HTTPS with a fresh CA (default true); plain HTTP for tests that want to read the wire. */
  tls?: boolean;
  /**
   * Also seed the ambient namespace `ambient-demo` of `demo/ambient-mesh` (ztunnel per node, a waypoint, no
   * sidecars) and its traffic (default false: the demo's commands and their output stay the sidecar world's).
   */
  ambient?: boolean;
  /** The ambient traffic's seed (default AMBIENT_SEED). */
  ambientSeed?: number;
}

export interface DemoCluster {
  readonly server: FakeApiServer;
  /** When the demo's traffic starts (`now` at start-up minus the history). */
  readonly trafficStartMs: number;
  /** A kubeconfig whose context (`meshbot-demo`) uses the `istio-testing` namespace. */
  kubeconfigYaml(): string;
  /** The lines the demo's proxies have written by `nowMs` (all pods, in write order). */
  linesUntil(nowMs: number): readonly DemoLine[];
  /** The lines the ambient world's ztunnels and waypoint have written by `nowMs` (none without `ambient`). */
  ambientLinesUntil(nowMs: number): readonly DemoLine[];
  close(): Promise<void>;
}

export const DEMO_CONTEXT = 'meshbot-demo';
const HOUR_MS = 3_600_000;
const PROXY_IMAGE = 'docker.io/istio/proxyv2:1.24.0';

/** The mesh config of the demo's istiod: access logs to stdout, and access-log providers to choose from. */
export const DEMO_MESH_CONFIG = `accessLogFile: /dev/stdout
defaultConfig:
  discoveryAddress: istiod.istio-system.svc:15012
defaultProviders:
  metrics:
  - prometheus
enablePrometheusMerge: true
rootNamespace: istio-system
trustDomain: cluster.local
extensionProviders:
- name: otel-als
  envoyOtelAls:
    service: opentelemetry-collector.observability.svc.cluster.local
    port: 4317
- name: zipkin
  zipkin:
    service: zipkin.istio-system.svc.cluster.local
    port: 9411
`;

/** The application container of each demo workload (the gateway runs only its proxy). */
const APP_CONTAINERS: Record<string, ContainerSeed> = {
  helloworld: { name: 'helloworld', image: 'docker.io/istio/examples-helloworld-v1:1.0' },
  frontend: { name: 'frontend', image: 'docker.io/nginxinc/nginx-unprivileged:1.27' },
  sleep: { name: 'sleep', image: 'docker.io/curlimages/curl:8.5.0' },
};

function appContainer(pod: DemoPod): ContainerSeed {
  if (pod.proxy === 'gateway') {
    return { name: 'istio-proxy', image: PROXY_IMAGE, ports: [{ containerPort: pod.port, name: 'http2' }] };
  }
  const base = APP_CONTAINERS[pod.app] ?? { name: pod.app };
  const image =
    pod.app === 'helloworld' && pod.version !== undefined
      ? `docker.io/istio/examples-helloworld-${pod.version}:1.0`
      : base.image;
  return { ...base, ...(image === undefined ? {} : { image }), ports: [{ containerPort: pod.port }] };
}

function selectorOf(pod: DemoPod): Record<string, string> {
  if (pod.proxy === 'gateway') return { app: pod.app, istio: 'ingressgateway' };
  return pod.version === undefined ? { app: pod.app } : { app: pod.app, version: pod.version };
}

/** Deployment → ReplicaSet → Pod, named as in the demo world (`helloworld-v1-776f57d5f6-s7zfc`). */
function addDemoWorkload(server: FakeApiServer, pod: DemoPod, startedAt: Date): void {
  const selector = selectorOf(pod);
  const seed: WorkloadSeed = {
    namespace: pod.namespace,
    name: pod.deployment,
    selector,
    replicas: 1,
    containers: [appContainer(pod)],
    ...(pod.proxy === 'gateway' ? {} : { istio: pod.proxy === 'native-sidecar' ? 'native' : 'sidecar' }),
  };
  const deployment = server.addObject('apps/v1', 'deployments', buildWorkload('Deployment', seed));
  const replicaSetName = pod.name.slice(0, pod.name.lastIndexOf('-'));
  const hash = replicaSetName.slice(pod.deployment.length + 1);
  const replicaSet = server.addObject(
    'apps/v1',
    'replicasets',
    buildWorkload(
      'ReplicaSet',
      { ...seed, name: replicaSetName },
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: pod.deployment,
        uid: String(getPath(deployment, ['metadata', 'uid'])),
      },
      hash,
    ),
  );
  const labels: Record<string, string> = { ...selector, 'pod-template-hash': hash };
  if (pod.proxy === 'gateway') {
    labels['sidecar.istio.io/inject'] = 'false';
    labels['service.istio.io/canonical-name'] = pod.app;
    labels['service.istio.io/canonical-revision'] = 'latest';
  }
  server.addPod({
    namespace: pod.namespace,
    name: pod.name,
    labels,
    containers: [appContainer(pod)],
    istio: pod.proxy === 'gateway' ? false : pod.proxy === 'native-sidecar' ? 'native' : 'sidecar',
    proxyImage: PROXY_IMAGE,
    podIP: pod.ip,
    nodeName: pod.node,
    startTime: startedAt,
    serviceAccountName: pod.proxy === 'gateway' ? 'istio-ingressgateway-service-account' : pod.app,
    ownerReferences: [
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        name: replicaSetName,
        uid: String(getPath(replicaSet, ['metadata', 'uid'])),
        controller: true,
        blockOwnerDeletion: true,
      },
    ],
  });
}

function addDemoService(server: FakeApiServer, service: DemoService): void {
  const gateway = service.namespace === ISTIO_NAMESPACE;
  const targetPort = gateway ? DEMO_PODS.gateway.port : service.port;
  server.addService({
    namespace: service.namespace,
    name: service.name,
    labels: { app: service.selectApp, service: service.name },
    selector: gateway ? { app: service.selectApp, istio: 'ingressgateway' } : { app: service.selectApp },
    ports: [{ name: 'http', port: service.port, targetPort }],
    clusterIP: service.clusterIp,
    ...(gateway ? { type: 'LoadBalancer' as const } : {}),
  });
  server.addEndpointsForService(service.namespace, service.name);
}

/** Starts the demo's cluster on 127.0.0.1 (an ephemeral port). Call `close()` when done. */
export async function startDemoCluster(options: DemoClusterOptions = {}): Promise<DemoCluster> {
  const clock = options.now ?? (() => new Date());
  const startMs = clock().getTime();
  // The workloads were deployed a while before the demo's traffic starts; seeding stamps them then.
  const historyMs = options.historyMs ?? 30 * 60_000;
  const deployedAt = new Date(startMs - historyMs - HOUR_MS);
  let seeding = true;
  const server = await startFakeApiServer({
    now: () => (seeding ? deployedAt : clock()),
    tls: options.tls ?? true,
    istio: '1.24',
    namespaces: ['default', 'kube-system', 'kube-public', ISTIO_NAMESPACE],
  });
  try {
    server.addNamespace(DEMO_NAMESPACE, { 'istio-injection': 'enabled' });
    server.addMeshConfig(DEMO_MESH_CONFIG);
    for (const pod of Object.values(DEMO_PODS)) addDemoWorkload(server, pod, deployedAt);
    for (const service of DEMO_SERVICES) addDemoService(server, service);
    if (options.ambient === true) seedAmbientWorld(server, deployedAt);
  } finally {
    seeding = false;
  }
  const traffic = new LazyTraffic(startMs - historyMs, options.seed ?? 2020, demoTraffic);
  for (const pod of Object.values(DEMO_PODS)) {
    server.setPodLog(pod.namespace, pod.name, 'istio-proxy', (query: LogQuery) =>
      traffic.ofPod(pod.name, query.now.getTime()),
    );
  }
  const ambient =
    options.ambient === true
      ? new LazyTraffic(startMs - historyMs, options.ambientSeed ?? AMBIENT_SEED, ambientTraffic)
      : undefined;
  if (ambient !== undefined) setAmbientLogs(server, ambient, deployedAt.getTime());
  return {
    server,
    trafficStartMs: traffic.startMs,
    kubeconfigYaml: () => server.kubeconfigYaml(DEMO_NAMESPACE, DEMO_CONTEXT),
    linesUntil: (nowMs) => traffic.until(nowMs),
    ambientLinesUntil: (nowMs) => ambient?.until(nowMs) ?? [],
    close: () => server.close(),
  };
}
