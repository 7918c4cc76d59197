/** Builds realistic Pod objects for seeding, including Istio sidecar injection (classic or native). */
import { type JsonObject, toJsonObject } from './json.js';
import { applyMergePatch } from './merge-patch.js';
import { metaTime } from './object-store.js';

export type ContainerState =
  | 'running'
  | { waiting: string }
  | { terminated: { exitCode: number; reason: string } };

export interface ContainerSeed {
  name: string;
  image?: string;
  /** Defaults to running. */
  state?: ContainerState;
  ready?: boolean;
  restartCount?: number;
  /** The previous instance's end; makes `previous=true` log reads valid. */
  lastTerminated?: { exitCode: number; reason: string };
  /** `Always` on an init container makes it a native sidecar. */
  restartPolicy?: 'Always';
  ports?: { name?: string; containerPort: number; protocol?: string }[];
}

export interface PodSeed {
  namespace: string;
  name: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** Defaults to one container named `app`. */
  containers?: (string | ContainerSeed)[];
  initContainers?: (string | ContainerSeed)[];
  /** Istio injection: `sidecar` adds the istio-proxy container, `native` adds it as an init container with restartPolicy Always. */
  istio?: 'sidecar' | 'native' | false;
  /** Overrides for the injected istio-proxy container (state, restarts…). */
  proxy?: Partial<ContainerSeed>;
  proxyImage?: string;
  phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
  nodeName?: string;
  podIP?: string;
  serviceAccountName?: string;
  ownerReferences?: JsonObject[];
  startTime?: Date;
  /** Merge-patched (RFC 7386) onto the built pod last. */
  overrides?: object;
}

const asSeed = (c: string | ContainerSeed): ContainerSeed => (typeof c === 'string' ? { name: c } : c);

function containerSpec(c: ContainerSeed, defaultImage: string): JsonObject {
  const spec: JsonObject = { name: c.name, image: c.image ?? defaultImage, imagePullPolicy: 'IfNotPresent' };
  if (c.ports) spec.ports = c.ports.map((p) => ({ ...p, protocol: p.protocol ?? 'TCP' }));
  if (c.restartPolicy) spec.restartPolicy = c.restartPolicy;
  return spec;
}

function stateJson(state: ContainerState | undefined, started: string): JsonObject {
  if (state === undefined || state === 'running') return { running: { startedAt: started } };
  if ('waiting' in state) return { waiting: { reason: state.waiting } };
  return {
    terminated: {
      exitCode: state.terminated.exitCode,
      reason: state.terminated.reason,
      startedAt: started,
      finishedAt: started,
      containerID: 'containerd://0000',
    },
  };
}

function containerStatus(c: ContainerSeed, image: string, started: string, index: number): JsonObject {
  const running = c.state === undefined || c.state === 'running';
  const status: JsonObject = {
    name: c.name,
    image: c.image ?? image,
    imageID: '',
    ready: c.ready ?? running,
    restartCount: c.restartCount ?? (c.lastTerminated ? 1 : 0),
    started: running,
    state: stateJson(c.state, started),
    lastState: c.lastTerminated
      ? {
          terminated: {
            exitCode: c.lastTerminated.exitCode,
            reason: c.lastTerminated.reason,
            startedAt: started,
            finishedAt: started,
            containerID: `containerd://${String(index).padStart(64, '0')}`,
          },
        }
      : {},
  };
  if (running || c.state !== undefined)
    status.containerID = `containerd://${String(index + 1).padStart(64, 'a')}`;
  return status;
}

/** Builds a Pod from a seed. `now` stamps startTime; `podIP` is the fallback address. */
export function buildPod(seed: PodSeed, now: Date, podIP: string): JsonObject {
  const started = metaTime(seed.startTime ?? now);
  const proxyImage = seed.proxyImage ?? 'docker.io/istio/proxyv2:1.24.0';
  const containers = (seed.containers ?? ['app']).map(asSeed);
  const inits = (seed.initContainers ?? []).map(asSeed);
  const labels: Record<string, string> = { ...seed.labels };
  const annotations: Record<string, string> = { ...seed.annotations };
  const istio = seed.istio ?? false;
  if (istio) {
    const proxy: ContainerSeed = { name: 'istio-proxy', image: proxyImage, ...seed.proxy };
    inits.unshift({
      name: 'istio-init',
      image: proxyImage,
      state: { terminated: { exitCode: 0, reason: 'Completed' } },
      ready: false,
    });
    if (istio === 'native') inits.push({ ...proxy, restartPolicy: 'Always' });
    else containers.push(proxy);
    const appName = containers[0]?.name ?? 'app';
    annotations['sidecar.istio.io/status'] ??= JSON.stringify({
      initContainers: istio === 'native' ? ['istio-init', 'istio-proxy'] : ['istio-init'],
      containers: istio === 'native' ? null : ['istio-proxy'],
      volumes: [
        'workload-socket',
        'credential-socket',
        'workload-certs',
        'istio-envoy',
        'istio-data',
        'istio-podinfo',
        'istio-token',
        'istiod-ca-cert',
      ],
      imagePullSecrets: null,
      revision: 'default',
    });
    annotations['kubectl.kubernetes.io/default-container'] ??= appName;
    annotations['kubectl.kubernetes.io/default-logs-container'] ??= appName;
    labels['security.istio.io/tlsMode'] ??= 'istio';
    labels['service.istio.io/canonical-name'] ??= labels.app ?? labels['app.kubernetes.io/name'] ?? seed.name;
    labels['service.istio.io/canonical-revision'] ??= labels.version ?? 'latest';
  }
  const image = 'docker.io/library/app:latest';
  const phase = seed.phase ?? 'Running';
  const allReady = containers.every((c) => c.ready ?? (c.state === undefined || c.state === 'running'));
  const metadata: JsonObject = { name: seed.name, namespace: seed.namespace, labels, annotations };
  if (seed.ownerReferences) metadata.ownerReferences = seed.ownerReferences;
  const pod: JsonObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata,
    spec: {
      ...(inits.length > 0 ? { initContainers: inits.map((c) => containerSpec(c, proxyImage)) } : {}),
      containers: containers.map((c) => containerSpec(c, image)),
      restartPolicy: 'Always',
      serviceAccountName: seed.serviceAccountName ?? 'default',
      nodeName: seed.nodeName ?? 'node-1',
      schedulerName: 'default-scheduler',
    },
    status: {
      phase,
      conditions: [
        { type: 'Initialized', status: 'True', lastTransitionTime: started },
        { type: 'Ready', status: allReady ? 'True' : 'False', lastTransitionTime: started },
        { type: 'ContainersReady', status: allReady ? 'True' : 'False', lastTransitionTime: started },
        { type: 'PodScheduled', status: 'True', lastTransitionTime: started },
      ],
      hostIP: '172.18.0.2',
      podIP: seed.podIP ?? podIP,
      podIPs: [{ ip: seed.podIP ?? podIP }],
      startTime: started,
      ...(inits.length > 0
        ? { initContainerStatuses: inits.map((c, i) => containerStatus(c, proxyImage, started, 100 + i)) }
        : {}),
      containerStatuses: containers.map((c, i) => containerStatus(c, image, started, i)),
      qosClass: 'BestEffort',
    },
  };
  return seed.overrides ? (applyMergePatch(pod, toJsonObject(seed.overrides)) as JsonObject) : pod;
}
