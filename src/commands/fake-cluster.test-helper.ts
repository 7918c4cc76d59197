/** An in-memory {@link ClusterReader} for unit tests: arrays of pods, workloads, services and logs. */
import { MeshbotError } from '../core/errors.js';
import type {
  ClusterReader,
  LabelSelector,
  LogReadOptions,
  NamespaceSummary,
  PodSummary,
  ServiceSummary,
  WorkloadSummary,
} from './cluster-port.js';

export interface FakeClusterSeed {
  defaultNamespace?: string;
  namespaces?: NamespaceSummary[];
  pods?: PodSummary[];
  workloads?: WorkloadSummary[];
  services?: ServiceSummary[];
  /** `ns/pod` → log text, or an error to throw. */
  logs?: Record<string, string | MeshbotError>;
}

export interface FakeCluster extends ClusterReader {
  calls: string[];
  reads: { pod: string; options: LogReadOptions }[];
}

export function matches(labels: Readonly<Record<string, string>>, selector: LabelSelector): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels)) if (labels[k] !== v) return false;
  for (const r of selector.matchExpressions) {
    const value = labels[r.key];
    const ok =
      r.operator === 'In'
        ? value !== undefined && r.values.includes(value)
        : r.operator === 'NotIn'
          ? value === undefined || !r.values.includes(value)
          : r.operator === 'Exists'
            ? value !== undefined
            : value === undefined;
    if (!ok) return false;
  }
  return true;
}

export function pod(
  namespace: string,
  name: string,
  labels: Record<string, string> = {},
  extra: Partial<PodSummary> = {},
): PodSummary {
  return {
    namespace,
    name,
    ip: null,
    labels,
    annotations: {},
    phase: 'Running',
    proxy: { present: true, native: false, state: 'running', restarts: 0 },
    ownerKind: null,
    ownerName: null,
    node: null,
    ...extra,
  };
}

export const deployment = (namespace: string, name: string, app = name): WorkloadSummary => ({
  kind: 'Deployment',
  namespace,
  name,
  selector: { matchLabels: { app }, matchExpressions: [] },
});

export function fakeCluster(seed: FakeClusterSeed): FakeCluster {
  const calls: string[] = [];
  const reads: FakeCluster['reads'] = [];
  const inScope = (namespace: string | null) => (o: { namespace: string }) =>
    namespace === null || o.namespace === namespace;
  return {
    calls,
    reads,
    server: 'https://fake:6443',
    defaultNamespace: seed.defaultNamespace ?? 'default',
    async listNamespaces() {
      calls.push('listNamespaces');
      return seed.namespaces ?? [];
    },
    async getNamespace(name) {
      calls.push(`getNamespace ${name}`);
      return (seed.namespaces ?? []).find((n) => n.name === name) ?? null;
    },
    async listPods(namespace, selector) {
      calls.push(`listPods ${namespace ?? '*'}${selector ? ' selector' : ''}`);
      return (seed.pods ?? [])
        .filter(inScope(namespace))
        .filter((p) => selector === undefined || matches(p.labels, selector));
    },
    async listWorkloads(namespace) {
      calls.push(`listWorkloads ${namespace ?? '*'}`);
      return (seed.workloads ?? []).filter(inScope(namespace));
    },
    async listServices(namespace) {
      calls.push(`listServices ${namespace ?? '*'}`);
      return (seed.services ?? []).filter(inScope(namespace));
    },
    async readProxyLog(namespace, name, options) {
      calls.push(`readProxyLog ${namespace}/${name}`);
      reads.push({ pod: `${namespace}/${name}`, options });
      const log = seed.logs?.[`${namespace}/${name}`] ?? '';
      if (log instanceof MeshbotError) throw log;
      return log;
    },
  };
}
