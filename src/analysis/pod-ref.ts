/**
 * @module analysis/pod-ref
 * Which pod wrote an entry, when meshbot knows: the pod of a `[pod/NAME/CONTAINER]`-style prefix or the
 * pod a live read fetched (`entry.origin`), its namespace (live reads name their sources `namespace/pod`)
 * and its app container (from the cluster, through a {@link PodDirectory}). Findings use it to fill the
 * `<pod>`, `<pod-namespace>` and `<app-container>` of their commands, and findings and flows to say which
 * pods reported them.
 */
import type { AccessLogEntry } from '../accesslog/entry.js';
import { detach } from '../core/detach.js';
import { isDns1123Label, isDns1123Subdomain } from '../core/kubernetes-names.js';

export interface PodRef {
  name: string;
  namespace: string | null;
  /** The pod's application container (`kubectl.kubernetes.io/default-container`), when the cluster said. */
  app_container: string | null;
}

/** What a live cluster told about a pod, by name (or `namespace/name`). */
export type PodDirectory = (pod: string) => { namespace: string; app_container: string | null } | undefined;

/** The pod that wrote `entry`, or null when no prefix or read named it. Names are validated, never raw log text. */
export function podOf(entry: AccessLogEntry, directory?: PodDirectory): PodRef | null {
  const name = entry.origin;
  if (name === null || !isDns1123Subdomain(name)) return null;
  const source = entry.source;
  const slash = source.length - name.length - 1;
  const fromSource =
    slash > 0 && source.charCodeAt(slash) === 47 && source.endsWith(name) ? source.slice(0, slash) : null;
  const known = directory?.(fromSource === null ? name : `${fromSource}/${name}`) ?? directory?.(name);
  const namespace = known?.namespace ?? fromSource;
  const container = known?.app_container ?? null;
  return {
    name,
    namespace: namespace !== null && isDns1123Label(namespace) ? namespace : null,
    app_container: container !== null && isDns1123Label(container) ? container : null,
  };
}

/** Most pods listed; the rest are counted, up to {@link MAX_COUNTED}. */
export const MAX_LISTED_PODS = 3;
const MAX_COUNTED = 50;

/** The pods that reported something: the first three by name, the others counted (bounded). */
export class PodList {
  readonly names: string[] = [];
  #more: Set<string> | undefined;

  add(name: string): void {
    const names = this.names;
    if (names.length > 0 && names[0] === name) return;
    if (names.includes(name) || this.#more?.has(name) === true) return;
    if (names.length < MAX_LISTED_PODS) names.push(detach(name));
    else {
      this.#more ??= new Set();
      if (this.#more.size < MAX_COUNTED) this.#more.add(detach(name));
    }
  }

  /** Adds the pods `other` listed and counted. */
  merge(other: PodList): void {
    for (const name of other.names) this.add(name);
    if (other.#more !== undefined) for (const name of other.#more) this.add(name);
  }

  get more(): number {
    return this.#more?.size ?? 0;
  }
}

/** What a directory needs of a pod the cluster listed. */
export interface ListedPod {
  namespace: string;
  name: string;
  annotations: Readonly<Record<string, string>>;
}

/** The annotation the sidecar injector sets to the app's container (`kubectl logs` picks it by default). */
const DEFAULT_CONTAINER = 'kubectl.kubernetes.io/default-container';

/** A directory of the pods a live read listed, by `namespace/name` (and by name alone when unique). */
export function podDirectory(pods: readonly ListedPod[]): PodDirectory {
  const byKey = new Map<string, { namespace: string; app_container: string | null }>();
  const names = new Map<string, number>();
  for (const pod of pods) names.set(pod.name, (names.get(pod.name) ?? 0) + 1);
  for (const pod of pods) {
    const container = pod.annotations[DEFAULT_CONTAINER];
    const info = {
      namespace: pod.namespace,
      app_container: container !== undefined && container !== 'istio-proxy' ? container : null,
    };
    byKey.set(`${pod.namespace}/${pod.name}`, info);
    if (names.get(pod.name) === 1) byKey.set(pod.name, info);
  }
  return (pod) => byKey.get(pod);
}
