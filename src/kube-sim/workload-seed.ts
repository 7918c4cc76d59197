/** Builds Deployments, StatefulSets, DaemonSets and ReplicaSets (and the names of the pods they own). */
import { type JsonObject, toJsonObject } from './json.js';
import { applyMergePatch } from './merge-patch.js';
import { nameSuffix } from './name-suffix.js';
import type { PodSeed } from './pod-seed.js';

export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'ReplicaSet';

export interface WorkloadSeed {
  namespace: string;
  name: string;
  labels?: Record<string, string>;
  /** matchLabels; defaults to `{ app: name }`. */
  selector?: Record<string, string>;
  replicas?: number;
  /** Containers of the pod template (default `['app']`). */
  containers?: PodSeed['containers'];
  istio?: PodSeed['istio'];
  /** Also create the ReplicaSet (for Deployments) and `replicas` running pods, owned like a controller would. */
  createPods?: boolean;
  /** Seed fields applied to every created pod. */
  podSeed?: Partial<Omit<PodSeed, 'namespace' | 'name'>>;
  overrides?: object;
}

export interface OwnerRef {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
}

export function ownerReference(owner: OwnerRef): JsonObject {
  return { ...owner, controller: true, blockOwnerDeletion: true };
}

export function selectorOf(seed: WorkloadSeed): Record<string, string> {
  return seed.selector ?? { app: seed.name };
}

export function templateHash(seed: WorkloadSeed): string {
  return nameSuffix(`${seed.namespace}/${seed.name}/template`, 10);
}

export function buildWorkload(
  kind: WorkloadKind,
  seed: WorkloadSeed,
  owner?: OwnerRef,
  hash = templateHash(seed),
): JsonObject {
  const selector = selectorOf(seed);
  const replicas = seed.replicas ?? 1;
  const templateLabels = kind === 'ReplicaSet' ? { ...selector, 'pod-template-hash': hash } : { ...selector };
  const containerNames = (seed.containers ?? ['app']).map((c) => (typeof c === 'string' ? c : c.name));
  const annotations: Record<string, string> = {};
  if (kind === 'Deployment') annotations['deployment.kubernetes.io/revision'] = '1';
  const spec: JsonObject = {
    selector: { matchLabels: kind === 'ReplicaSet' ? templateLabels : selector },
    template: {
      metadata: {
        labels: templateLabels,
        ...(seed.istio ? { annotations: { 'sidecar.istio.io/inject': 'true' } } : {}),
      },
      spec: { containers: containerNames.map((name) => ({ name, image: 'docker.io/library/app:latest' })) },
    },
  };
  if (kind !== 'DaemonSet') spec.replicas = replicas;
  if (kind === 'StatefulSet') spec.serviceName = seed.name;
  const status: JsonObject =
    kind === 'DaemonSet'
      ? {
          currentNumberScheduled: replicas,
          desiredNumberScheduled: replicas,
          numberReady: replicas,
          numberAvailable: replicas,
          observedGeneration: 1,
        }
      : {
          replicas,
          readyReplicas: replicas,
          availableReplicas: replicas,
          ...(kind === 'StatefulSet' ? { currentReplicas: replicas } : { updatedReplicas: replicas }),
          observedGeneration: 1,
        };
  const object: JsonObject = {
    apiVersion: 'apps/v1',
    kind,
    metadata: {
      name: seed.name,
      namespace: seed.namespace,
      labels: { ...selector, ...seed.labels },
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      ...(owner ? { ownerReferences: [ownerReference(owner)] } : {}),
    },
    spec,
    status,
  };
  return seed.overrides ? (applyMergePatch(object, toJsonObject(seed.overrides)) as JsonObject) : object;
}

/** Names (and extra labels) of the pods a controller of this kind creates. */
export function podNamesFor(
  kind: WorkloadKind,
  seed: WorkloadSeed,
): { name: string; labels: Record<string, string> }[] {
  const count = seed.replicas ?? 1;
  if (kind === 'Deployment') throw new Error('Deployment pods are owned by its ReplicaSet');
  return Array.from({ length: count }, (_, i) => {
    switch (kind) {
      case 'StatefulSet':
        return {
          name: `${seed.name}-${i}`,
          labels: {
            'statefulset.kubernetes.io/pod-name': `${seed.name}-${i}`,
            'apps.kubernetes.io/pod-index': String(i),
          },
        };
      default:
        return { name: `${seed.name}-${nameSuffix(`${seed.namespace}/${seed.name}/${i}`, 5)}`, labels: {} };
    }
  });
}
