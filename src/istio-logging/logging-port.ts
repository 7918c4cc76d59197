/**
 * @module commands/logging-port
 * What the access-logging commands need from a cluster, as small interfaces. `src/kubernetes/` implements
 * them over client-node; tests may implement them with maps. Objects are plain JSON.
 */

/** A JSON object as read from or written to the API. */
export type JsonMap = { [key: string]: unknown };

/** The Istio kinds meshbot writes. */
export type IstioKind = 'Telemetry' | 'EnvoyFilter';

/** Which API meshbot can use to switch logging on, decided by API discovery. */
export type LoggingApi =
  | { kind: 'Telemetry'; version: 'v1' | 'v1alpha1' }
  | { kind: 'EnvoyFilter'; version: 'v1alpha3' };

export interface IstioApis {
  /** Telemetry API version served, preferring v1; null before Istio 1.11. */
  telemetry: 'v1' | 'v1alpha1' | null;
  /** EnvoyFilter (networking.istio.io/v1alpha3) served. */
  envoyFilter: boolean;
}

/** One `extensionProviders` entry of the mesh config: its name and kind (`envoyFileAccessLog`, `zipkin`…). */
export interface ExtensionProvider {
  name: string;
  kind: string;
}

/** The parts of the mesh config (`istio` ConfigMap, `data.mesh`) meshbot cares about. */
export interface MeshConfigInfo {
  /** Whether the ConfigMap was found. */
  found: boolean;
  /** Where it was read from (`istio-system/istio`, `istio-system/istio-canary`), when known. */
  source?: string | undefined;
  rootNamespace: string;
  /** `accessLogFile` when set and non-empty: the whole mesh already logs. */
  accessLogFile?: string | undefined;
  accessLogEncoding?: string | undefined;
  /** `extensionProviders` as configured (Istio's built-in `envoy` is not listed unless redefined). */
  extensionProviders?: ExtensionProvider[] | undefined;
}

/** One JSON-patch operation (RFC 6902). */
export type JsonPatchOp =
  | { op: 'test'; path: string; value: unknown }
  | { op: 'add' | 'replace'; path: string; value: unknown }
  | { op: 'remove'; path: string };

/**
 * Istio custom objects. Conflicts (409, or a failed `test` on resourceVersion) reject with a
 * MeshbotError `k8s_conflict`; other failures with coded MeshbotErrors naming verb, resource and namespace.
 */
export interface IstioConfigPort {
  /** The Kubernetes API address, for messages. */
  readonly server: string;
  istioApis(): Promise<IstioApis>;
  /**
   * The mesh config; with a `revision` (a namespace's `istio.io/rev`), that revision's `istio-<rev>`
   * ConfigMap, falling back to `istio` when it does not exist.
   */
  meshConfig(revision?: string): Promise<MeshConfigInfo>;
  /** False when the namespace does not exist (so "nothing there" is not mistaken for "not logging"). */
  namespaceExists(name: string): Promise<boolean>;
  /** `namespace` undefined = every namespace. */
  list(api: LoggingApi, namespace: string | undefined): Promise<JsonMap[]>;
  get(api: LoggingApi, namespace: string, name: string): Promise<JsonMap | null>;
  create(api: LoggingApi, namespace: string, body: JsonMap): Promise<JsonMap>;
  /** JSON patch; callers put a `test` on /metadata/resourceVersion first. */
  patch(api: LoggingApi, namespace: string, name: string, ops: readonly JsonPatchOp[]): Promise<JsonMap>;
  /** Deletes with a resourceVersion precondition. */
  delete(api: LoggingApi, namespace: string, name: string, resourceVersion: string): Promise<void>;
}

/** A coordination.k8s.io/v1 Lease, reduced to what leader election needs. */
export interface LeaseRecord {
  holderIdentity: string | undefined;
  leaseDurationSeconds: number;
  /** Milliseconds since the epoch; undefined when never renewed. */
  renewTimeMs: number | undefined;
  acquireTimeMs: number | undefined;
  leaseTransitions: number;
  resourceVersion: string;
}

export interface LeaseSpecInput {
  holderIdentity: string;
  leaseDurationSeconds: number;
  renewTimeMs: number;
  acquireTimeMs: number;
  leaseTransitions: number;
}

/** Leases: `create` and `replace` reject with `k8s_conflict` when someone else won. */
export interface LeasePort {
  get(namespace: string, name: string): Promise<LeaseRecord | null>;
  create(namespace: string, name: string, spec: LeaseSpecInput): Promise<LeaseRecord>;
  replace(
    namespace: string,
    name: string,
    spec: LeaseSpecInput,
    resourceVersion: string,
  ): Promise<LeaseRecord>;
}
