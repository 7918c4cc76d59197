/**
 * @module kubernetes/cluster-reader
 * The {@link ClusterReader} port over @kubernetes/client-node 1.4: lists pods, workloads, services and
 * namespaces as meshbot's own types, and reads the `istio-proxy` container's log with bounds (sinceSeconds,
 * tailLines, limitBytes; never `follow`). Every call has a timeout, and every failure becomes a coded
 * error naming the verb, resource, namespace and server (`k8sError`).
 */
import * as k8s from '@kubernetes/client-node';
import type {
  ClusterReader,
  LabelSelector,
  LabelSelectorRequirement,
  LogReadOptions,
  NamespaceSummary,
  PodSummary,
  ProxyInfo,
  ServiceSummary,
  WorkloadKind,
  WorkloadSummary,
} from '../commands/cluster-port.js';
import { MeshbotError } from '../core/errors.js';
import { isDns1123Label, isDns1123Subdomain } from '../core/kubernetes-names.js';
import { type K8sRequestContext, k8sError } from './k8s-error.js';
import { contextNamespace, serverOf } from './kube-config.js';
import { labelSelectorString } from './label-selector-string.js';

export const PROXY_CONTAINER = 'istio-proxy';
/** Default cap on one pod log read. */
export const DEFAULT_LIMIT_BYTES = 8 * 1024 * 1024;

export interface ClusterReaderOptions {
  /** Timeout of list/get calls (default 15 s). */
  timeoutMs?: number;
  /** Timeout of one pod log read (default 30 s). */
  logTimeoutMs?: number;
  /** Default `limitBytes` of a pod log read (default 8 MiB). */
  limitBytes?: number;
  /** Aborts every request in flight (Ctrl-C), on top of the timeouts. */
  signal?: AbortSignal | undefined;
}

/** Per-call timeout through client-node's middleware (libraries.md §4.6). */
function withTimeout(ms: number, signal?: AbortSignal): k8s.ConfigurationOptions {
  return {
    middleware: [
      {
        pre: (ctx: k8s.RequestContext) => {
          const deadline = AbortSignal.timeout(ms);
          ctx.setSignal(signal === undefined ? deadline : AbortSignal.any([deadline, signal]));
          return new k8s.Observable(Promise.resolve(ctx));
        },
        post: (response: k8s.ResponseContext) => new k8s.Observable(Promise.resolve(response)),
      },
    ],
    middlewareMergeStrategy: 'append',
  };
}

function checkName(kind: 'namespace' | 'name', value: string): string {
  const ok = kind === 'namespace' ? isDns1123Label(value) : isDns1123Subdomain(value);
  if (!ok) {
    throw new MeshbotError(
      'invalid_argument',
      `"${value.slice(0, 80).replace(/[^\x20-\x7e]/g, '?')}" is not a valid ${kind}`,
      { [kind]: value.slice(0, 80) },
    );
  }
  return value;
}

const record = (map: { [key: string]: string } | undefined): Record<string, string> => ({ ...map });

function proxyOf(pod: k8s.V1Pod): ProxyInfo {
  const sidecar = pod.spec?.containers.find((c) => c.name === PROXY_CONTAINER);
  const native = pod.spec?.initContainers?.find(
    (c) => c.name === PROXY_CONTAINER && c.restartPolicy === 'Always',
  );
  if (sidecar === undefined && native === undefined) {
    return { present: false, native: false, state: 'missing', restarts: 0 };
  }
  const statuses = native ? pod.status?.initContainerStatuses : pod.status?.containerStatuses;
  const status = statuses?.find((s) => s.name === PROXY_CONTAINER);
  const base = { present: true, native: native !== undefined, restarts: status?.restartCount ?? 0 };
  const state = status?.state;
  if (state?.running) return { ...base, state: 'running' };
  if (state?.terminated) return { ...base, state: 'terminated', reason: state.terminated.reason };
  if (state?.waiting) return { ...base, state: 'waiting', reason: state.waiting.reason };
  return { ...base, state: 'waiting', reason: 'no status yet' };
}

export function podSummary(pod: k8s.V1Pod): PodSummary {
  const owner =
    pod.metadata?.ownerReferences?.find((o) => o.controller) ?? pod.metadata?.ownerReferences?.[0];
  return {
    namespace: pod.metadata?.namespace ?? '',
    name: pod.metadata?.name ?? '',
    ip: pod.status?.podIP ?? null,
    labels: record(pod.metadata?.labels),
    annotations: record(pod.metadata?.annotations),
    phase: pod.status?.phase ?? 'Unknown',
    proxy: proxyOf(pod),
    ownerKind: owner?.kind ?? null,
    ownerName: owner?.name ?? null,
  };
}

const OPERATORS = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);

function selectorOf(selector: k8s.V1LabelSelector | undefined): LabelSelector {
  const matchExpressions: LabelSelectorRequirement[] = [];
  for (const e of selector?.matchExpressions ?? []) {
    if (!OPERATORS.has(e.operator)) continue;
    matchExpressions.push({
      key: e.key,
      operator: e.operator as LabelSelectorRequirement['operator'],
      values: e.values ?? [],
    });
  }
  return { matchLabels: record(selector?.matchLabels), matchExpressions };
}

/** Drops a last line cut by `limitBytes` (the API may stop mid-line). */
export function dropCutLine(body: string, limitBytes: number): string {
  if (Buffer.byteLength(body, 'utf8') < limitBytes || body.endsWith('\n')) return body;
  const nl = body.lastIndexOf('\n');
  return nl < 0 ? '' : body.slice(0, nl + 1);
}

export function createClusterReader(kc: k8s.KubeConfig, options: ClusterReaderOptions = {}): ClusterReader {
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  const server = serverOf(kc);
  const timeout = withTimeout(options.timeoutMs ?? 15_000, options.signal);
  const logTimeout = withTimeout(options.logTimeoutMs ?? 30_000, options.signal);
  const defaultLimit = options.limitBytes ?? DEFAULT_LIMIT_BYTES;

  async function call<T>(ctx: Omit<K8sRequestContext, 'server'>, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (e) {
      throw k8sError(e, { ...ctx, server });
    }
  }

  const ns = (namespace: string | null) => (namespace === null ? null : checkName('namespace', namespace));

  return {
    server,
    defaultNamespace: contextNamespace(kc),

    async listNamespaces(): Promise<NamespaceSummary[]> {
      const list = await call({ verb: 'list', resource: 'namespaces' }, () =>
        core.listNamespace({}, timeout),
      );
      return list.items.map((n) => ({ name: n.metadata?.name ?? '', labels: record(n.metadata?.labels) }));
    },

    async getNamespace(name: string): Promise<NamespaceSummary | null> {
      checkName('namespace', name);
      try {
        const n = await call({ verb: 'get', resource: 'namespaces', name }, () =>
          core.readNamespace({ name }, timeout),
        );
        return { name: n.metadata?.name ?? name, labels: record(n.metadata?.labels) };
      } catch (e) {
        if (e instanceof MeshbotError && e.code === 'k8s_not_found') return null;
        throw e;
      }
    },

    async listPods(namespace: string | null, selector?: LabelSelector): Promise<PodSummary[]> {
      const checked = ns(namespace);
      const labelSelector = selector ? labelSelectorString(selector) : undefined;
      const query = labelSelector ? { labelSelector } : {};
      const list = await call({ verb: 'list', resource: 'pods', namespace: checked ?? undefined }, () =>
        checked === null
          ? core.listPodForAllNamespaces(query, timeout)
          : core.listNamespacedPod({ namespace: checked, ...query }, timeout),
      );
      return list.items.map(podSummary);
    },

    async listWorkloads(namespace: string | null): Promise<WorkloadSummary[]> {
      const checked = ns(namespace);
      const ctx = (resource: string) => ({ verb: 'list', resource, namespace: checked ?? undefined });
      const [deployments, statefulSets, daemonSets] = await Promise.all([
        call(ctx('deployments.apps'), () =>
          checked === null
            ? apps.listDeploymentForAllNamespaces({}, timeout)
            : apps.listNamespacedDeployment({ namespace: checked }, timeout),
        ),
        call(ctx('statefulsets.apps'), () =>
          checked === null
            ? apps.listStatefulSetForAllNamespaces({}, timeout)
            : apps.listNamespacedStatefulSet({ namespace: checked }, timeout),
        ),
        call(ctx('daemonsets.apps'), () =>
          checked === null
            ? apps.listDaemonSetForAllNamespaces({}, timeout)
            : apps.listNamespacedDaemonSet({ namespace: checked }, timeout),
        ),
      ]);
      const summarize =
        (kind: WorkloadKind) =>
        (w: k8s.V1Deployment | k8s.V1StatefulSet | k8s.V1DaemonSet): WorkloadSummary => ({
          kind,
          namespace: w.metadata?.namespace ?? '',
          name: w.metadata?.name ?? '',
          selector: selectorOf(w.spec?.selector),
        });
      return [
        ...deployments.items.map(summarize('Deployment')),
        ...statefulSets.items.map(summarize('StatefulSet')),
        ...daemonSets.items.map(summarize('DaemonSet')),
      ];
    },

    async listServices(namespace: string | null): Promise<ServiceSummary[]> {
      const checked = ns(namespace);
      const list = await call({ verb: 'list', resource: 'services', namespace: checked ?? undefined }, () =>
        checked === null
          ? core.listServiceForAllNamespaces({}, timeout)
          : core.listNamespacedService({ namespace: checked }, timeout),
      );
      return list.items.map((s) => ({
        namespace: s.metadata?.namespace ?? '',
        name: s.metadata?.name ?? '',
        selector:
          s.spec?.selector && Object.keys(s.spec.selector).length > 0 ? record(s.spec.selector) : null,
      }));
    },

    async readProxyLog(namespace: string, pod: string, read: LogReadOptions): Promise<string> {
      checkName('namespace', namespace);
      checkName('name', pod);
      const limitBytes = read.limitBytes ?? defaultLimit;
      const body = await call({ verb: 'get', resource: 'pods/log', namespace, name: pod }, () =>
        core.readNamespacedPodLog(
          {
            namespace,
            name: pod,
            container: PROXY_CONTAINER,
            follow: false,
            limitBytes,
            ...(read.sinceSeconds !== undefined
              ? { sinceSeconds: Math.max(1, Math.ceil(read.sinceSeconds)) }
              : {}),
            ...(read.tailLines !== undefined ? { tailLines: read.tailLines } : {}),
            ...(read.previous ? { previous: true } : {}),
            ...(read.timestamps ? { timestamps: true } : {}),
          },
          logTimeout,
        ),
      );
      return dropCutLine(typeof body === 'string' ? body : String(body ?? ''), limitBytes);
    },
  };
}
