/**
 * @module commands/cluster-port
 * What the live commands (`logs TARGET`, `trace ID` without `--file`) need from a Kubernetes cluster, in
 * meshbot's own types. `kubernetes/cluster-reader.ts` implements it with client-node; tests implement it
 * with arrays. Every method may reject with a MeshbotError (`k8s_forbidden`, `k8s_unreachable`, …).
 */

/** Where a pod's `istio-proxy` container is and what it is doing. */
export interface ProxyInfo {
  /** The pod has an `istio-proxy` container (classic sidecar, native sidecar, or a gateway's proxy). */
  present: boolean;
  /** `istio-proxy` is an init container with `restartPolicy: Always` (Kubernetes native sidecar). */
  native: boolean;
  state: 'running' | 'waiting' | 'terminated' | 'missing';
  /** The waiting/terminated reason (`CrashLoopBackOff`, `OOMKilled`), when there is one. */
  reason?: string | undefined;
  restarts: number;
}

export interface PodSummary {
  namespace: string;
  name: string;
  /** The pod IP, or null before it has one. */
  ip: string | null;
  labels: Readonly<Record<string, string>>;
  annotations: Readonly<Record<string, string>>;
  phase: string;
  proxy: ProxyInfo;
  /** The controller owning the pod (`ReplicaSet`, `StatefulSet`, `DaemonSet`, `Job`…), if any. */
  ownerKind: string | null;
  ownerName: string | null;
  /** The node it was scheduled on (`spec.nodeName`), or null before it is: ambient pods' ztunnel runs there. */
  node: string | null;
}

export interface NamespaceSummary {
  name: string;
  labels: Readonly<Record<string, string>>;
}

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values: readonly string[];
}

/** A Kubernetes label selector. The adapter validates every key and value before it reaches a URL. */
export interface LabelSelector {
  matchLabels: Readonly<Record<string, string>>;
  matchExpressions: readonly LabelSelectorRequirement[];
}

export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet';

export interface WorkloadSummary {
  kind: WorkloadKind;
  namespace: string;
  name: string;
  selector: LabelSelector;
}

export interface ServiceSummary {
  namespace: string;
  name: string;
  /** `spec.selector`; null for a selector-less Service (manual endpoints). */
  selector: Readonly<Record<string, string>> | null;
  /** `spec.clusterIPs` (else `spec.clusterIP`), without `None`: to name traffic sent to the Service. */
  clusterIPs?: readonly string[] | undefined;
  /** Its own labels (`istio.io/use-waypoint` on a Service sends its traffic through that waypoint). */
  labels?: Readonly<Record<string, string>> | undefined;
}

/** Bounds of one pod log read (the pod log API's query parameters). */
export interface LogReadOptions {
  sinceSeconds?: number | undefined;
  /**
   * Read from this instant (epoch ms), sent as the API's `sinceTime` in whole seconds (rounded down, as
   * kubectl sends `--since-time`) instead of `sinceSeconds`: one instant for every pod read.
   */
  sinceTimeMs?: number | undefined;
  tailLines?: number | undefined;
  /** Cap on the bytes read; a line cut by the cap is dropped. The adapter has a default. */
  limitBytes?: number | undefined;
  previous?: boolean | undefined;
  timestamps?: boolean | undefined;
}

/** A line of a log that holds what was searched for, with its 1-based line number in the log as read. */
export interface MatchedLine {
  line: number;
  text: string;
}

/** What a search of one log found. */
export interface LogSearch {
  /** The matching lines, in log order. */
  lines: MatchedLine[];
  /** Lines in the log as read. */
  lineCount: number;
  bytes: number;
  /** The read stopped at `limitBytes`: the log's later lines were not searched. */
  cut: boolean;
}

export interface ClusterReader {
  /** The API server address, for messages (`https://10.0.0.1:6443`). */
  readonly server: string;
  /** The current context's namespace (kubectl's default for `-n`), else `default`. */
  readonly defaultNamespace: string;
  listNamespaces(): Promise<NamespaceSummary[]>;
  /** The namespace, or null when it does not exist. */
  getNamespace(name: string): Promise<NamespaceSummary | null>;
  /** Pods of one namespace, or of all namespaces when `namespace` is null. */
  listPods(namespace: string | null, selector?: LabelSelector): Promise<PodSummary[]>;
  /** Deployments, StatefulSets and DaemonSets with their selectors. */
  listWorkloads(namespace: string | null): Promise<WorkloadSummary[]>;
  listServices(namespace: string | null): Promise<ServiceSummary[]>;
  /** The `istio-proxy` container's log, bounded; never follows. */
  readProxyLog(namespace: string, pod: string, options: LogReadOptions): Promise<string>;
  /**
   * The lines of the `istio-proxy` log (bounded like `readProxyLog`) that contain `text`, ASCII
   * case-insensitive, found in the bytes as they stream in: the log is never held whole or decoded.
   * Optional: callers without it search `readProxyLog`'s text.
   */
  searchProxyLog?(namespace: string, pod: string, options: LogReadOptions, text: string): Promise<LogSearch>;
  /**
   * Follows the `istio-proxy` container's log (`follow=true`): `onText` gets the text as it arrives, and
   * the next chunk is read only when the promise it returns settles. Resolves when the server ends the
   * stream (the pod is gone or the proxy restarted) or when `signal` aborts; rejects with a MeshbotError
   * when the stream cannot start. Absent where following makes no sense (the Slack bot).
   */
  followProxyLog?(
    namespace: string,
    pod: string,
    options: LogReadOptions,
    onText: (text: string) => Promise<void> | void,
    signal: AbortSignal,
  ): Promise<void>;
}
