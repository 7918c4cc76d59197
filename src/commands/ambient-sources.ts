/**
 * @module commands/ambient-sources
 * What `logs TARGET` reads for pods in Istio's ambient mode, which have no sidecar: the **ztunnel** on each
 * pod's node (the `ztunnel` DaemonSet's pod there, container `istio-proxy`), whose log holds the L4
 * connection records of every ambient pod on that node, and the **waypoint** serving the pod
 * (`istio.io/use-waypoint` on the pod or on a Service that selects it, else on its namespace;
 * `istio.io/use-waypoint-namespace` when the waypoint lives elsewhere), whose `istio-proxy` logs its HTTP requests. Each ztunnel is read once however
 * many target pods share its node, and only the records and entries that involve a target pod are kept:
 * a ztunnel's `outbound` records whose source is the pod, its `inbound` records whose destination is; a
 * waypoint's entries sent to the pod (inbound) or sent by it (counted as the pod's outbound).
 *
 * Names taken from labels are validated before they reach a selector; anything invalid is a note.
 */
import type { AccessLogEntry, ConnectionRecord } from '../accesslog/entry.js';
import { hostOfAddress, tunnelTarget } from '../analysis/peer.js';
import { MeshbotError } from '../core/errors.js';
import { isDns1123Label, isLabelValue } from '../core/kubernetes-names.js';
import type { ClusterReader, LabelSelector, PodSummary } from './cluster-port.js';
import type { ResolvedTarget } from './resolve-target.js';

export const USE_WAYPOINT_LABEL = 'istio.io/use-waypoint';
export const USE_WAYPOINT_NAMESPACE_LABEL = 'istio.io/use-waypoint-namespace';
/** The label Istio's waypoint Deployment gives its pods: the Gateway's name. */
export const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';
export const ZTUNNEL_SELECTOR: LabelSelector = { matchLabels: { app: 'ztunnel' }, matchExpressions: [] };
/** Where Istio installs ztunnel; listed when meshbot may not list pods across namespaces. */
export const ISTIO_NAMESPACE = 'istio-system';

export interface AmbientPlan {
  /** The target's pods in ambient mode. */
  pods: PodSummary[];
  /** One ztunnel pod per node of those pods, in node order. */
  ztunnels: PodSummary[];
  /** The waypoint pods serving them (may be none). */
  waypoints: PodSummary[];
  /** `namespace/name` of each waypoint (Gateway) found, for the notes. */
  waypointNames: string[];
  /** What the reader should know: pods with no ztunnel on their node, no waypoint, invalid labels. */
  notes: string[];
}

const running = (p: PodSummary): boolean => p.phase === 'Running' && p.proxy.present;

/** The ztunnel pods: across namespaces when allowed, else in istio-system. */
export function listZtunnels(reader: ClusterReader): Promise<PodSummary[]> {
  return reader.listPods(null, ZTUNNEL_SELECTOR).catch((e: unknown) => {
    if (e instanceof MeshbotError && e.code === 'k8s_forbidden')
      return reader.listPods(ISTIO_NAMESPACE, ZTUNNEL_SELECTOR);
    throw e;
  });
}

/** The ztunnel pods by node, running ones first. */
async function ztunnelsByNode(reader: ClusterReader): Promise<Map<string, PodSummary>> {
  const pods = await listZtunnels(reader);
  const byNode = new Map<string, PodSummary>();
  for (const p of [...pods].sort((a, b) => Number(running(b)) - Number(running(a)))) {
    if (p.node !== null && !byNode.has(p.node)) byNode.set(p.node, p);
  }
  return byNode;
}

/**
 * The waypoint a pod's or Service's traffic goes through: the object's own `istio.io/use-waypoint` label,
 * else its namespace's; `none` opts out.
 */
export function waypointOf(
  pod: { namespace: string; labels?: Readonly<Record<string, string>> | undefined },
  namespaceLabels: Readonly<Record<string, string>> | null,
): { namespace: string; name: string } | 'none' | 'invalid' | null {
  const name = pod.labels?.[USE_WAYPOINT_LABEL] ?? namespaceLabels?.[USE_WAYPOINT_LABEL];
  if (name === undefined || name === '') return null;
  if (name === 'none') return 'none';
  const namespace =
    pod.labels?.[USE_WAYPOINT_NAMESPACE_LABEL] ??
    namespaceLabels?.[USE_WAYPOINT_NAMESPACE_LABEL] ??
    pod.namespace;
  if (!isLabelValue(name) || !isDns1123Label(namespace)) return 'invalid';
  return { namespace, name };
}

/** Finds the ztunnels and waypoints to read for the target's ambient pods. */
export async function planAmbient(reader: ClusterReader, resolved: ResolvedTarget): Promise<AmbientPlan> {
  const pods = resolved.ambient;
  const notes: string[] = [];
  const byNode = await ztunnelsByNode(reader);
  const ztunnels = new Map<string, PodSummary>();
  const noZtunnel: string[] = [];
  for (const pod of pods) {
    const z = pod.node === null ? undefined : byNode.get(pod.node);
    if (z === undefined)
      noZtunnel.push(pod.node === null ? `${pod.name} (not scheduled)` : `${pod.name} (node ${pod.node})`);
    else ztunnels.set(z.node ?? '', z);
  }
  if (noZtunnel.length > 0)
    notes.push(
      `no ztunnel pod found on the node of ${noZtunnel.slice(0, 3).join(', ')}${noZtunnel.length > 3 ? ` +${noZtunnel.length - 3} more` : ''}: their connections are not logged (kubectl get pods -n ${ISTIO_NAMESPACE} -l app=ztunnel -o wide)`,
    );
  const wanted = new Map<string, { namespace: string; name: string }>();
  let none = 0;
  let invalid = 0;
  // Traffic to a pod's Services goes through their waypoint; traffic to the pod itself through the pod's.
  const services = await reader.listServices(resolved.namespace).catch(() => []);
  for (const pod of pods) {
    const selecting = services.filter(
      (s) =>
        s.namespace === pod.namespace &&
        s.selector !== null &&
        Object.entries(s.selector).every(([k, v]) => pod.labels[k] === v),
    );
    let found = false;
    for (const w of [pod, ...selecting].map((o) => waypointOf(o, resolved.namespaceLabels))) {
      if (w === 'invalid') invalid++;
      else if (w !== null && w !== 'none') {
        wanted.set(`${w.namespace}/${w.name}`, w);
        found = true;
      }
    }
    if (!found) none++;
  }
  if (invalid > 0)
    notes.push(
      `${invalid} pod(s) name a waypoint that is not a valid name (${USE_WAYPOINT_LABEL}); left out`,
    );
  const waypoints: PodSummary[] = [];
  for (const [key, w] of wanted) {
    const found = (
      await reader.listPods(w.namespace, {
        matchLabels: { [GATEWAY_NAME_LABEL]: w.name },
        matchExpressions: [],
      })
    ).filter((p) => p.proxy.present && p.phase !== 'Succeeded' && p.phase !== 'Failed');
    if (found.length === 0)
      notes.push(
        `waypoint ${key} has no running pod: HTTP requests are not logged (kubectl get gateway -n ${w.namespace} ${w.name})`,
      );
    waypoints.push(...found);
  }
  if (none > 0 && wanted.size === 0)
    notes.push(
      `no waypoint serves ${resolved.description}: ztunnel logs its connections (L4) only; for HTTP requests (L7) add one (istioctl waypoint apply -n ${resolved.namespace} --enroll-namespace)`,
    );
  return {
    pods,
    ztunnels: [...ztunnels.values()],
    waypoints,
    waypointNames: [...wanted.keys()],
    notes,
  };
}

/** The IP of an address: `10.0.0.1:80`, `[fd00::1]:80`, `envoy://connect_originate/10.0.0.1:80`. */
export function ipOfAddress(address: string | null): string | null {
  const target = tunnelTarget(address);
  const host = target === null ? '' : hostOfAddress(target);
  return host === '' ? null : host;
}

export interface AmbientSelection {
  /** Keeps a waypoint's entries that involve a target pod (turning those it sent into outbound); others pass. */
  entry(entry: AccessLogEntry): boolean;
  /** Keeps a ztunnel's records that involve a target pod; records of other sources pass. */
  connection(record: ConnectionRecord): boolean;
}

/** What to keep of the ztunnel and waypoint sources (named `namespace/pod`) for the plan's pods. */
export function ambientSelection(plan: AmbientPlan): AmbientSelection {
  const ips = new Set(plan.pods.map((p) => p.ip).filter((ip): ip is string => ip !== null && ip !== ''));
  const names = new Set(plan.pods.map((p) => `${p.namespace}/${p.name}`));
  const ztunnels = new Set(plan.ztunnels.map((p) => `${p.namespace}/${p.name}`));
  const waypoints = new Set(plan.waypoints.map((p) => `${p.namespace}/${p.name}`));
  const isTarget = (ip: string | null, pod: string | null, namespace: string | null) =>
    (ip !== null && ips.has(ip)) || (pod !== null && namespace !== null && names.has(`${namespace}/${pod}`));
  return {
    entry(entry) {
      if (!waypoints.has(entry.source)) return true;
      if (isTarget(ipOfAddress(entry.upstream_host), null, null)) {
        entry.direction = 'inbound';
        return true;
      }
      if (isTarget(ipOfAddress(entry.downstream_remote_address), null, null)) {
        entry.direction = 'outbound';
        return true;
      }
      return false;
    },
    connection(record) {
      if (!ztunnels.has(record.source)) return true;
      const source = isTarget(ipOfAddress(record.src_addr), record.src_workload, record.src_namespace);
      const destination =
        isTarget(ipOfAddress(record.dst_addr), record.dst_workload, record.dst_namespace) ||
        isTarget(ipOfAddress(record.dst_hbone_addr), null, null);
      // Each side's ztunnel logs its own direction; the other node's copy (same node) would count it twice.
      if (record.direction === 'outbound') return source;
      if (record.direction === 'inbound') return destination;
      return source || destination;
    },
  };
}
