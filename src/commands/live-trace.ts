/**
 * @module commands/live-trace
 * `meshbot trace ID` against a cluster: read every pod with an `istio-proxy` container in the chosen
 * namespaces (the context's namespace by default, all with `-A`), plus the Istio gateways wherever they
 * run, concurrently with a limit and bounded, then hand them to {@link traceRequest}. Each response is cut
 * down to the lines holding the id as it arrives, so memory stays small however many pods are read;
 * `traceRequest` prefilters again before parsing. Pods that could not be read become notes.
 */

import type { RecordParser } from '../accesslog/custom-format.js';
import type { TraceReport } from '../analysis/report.js';
import { formatDuration } from '../core/duration.js';
import { MeshbotError } from '../core/errors.js';
import { escapeRegExp } from '../core/escape-reg-exp.js';
import { validateNamespace } from '../core/kubernetes-names.js';
import type { ClusterReader, LabelSelector, PodSummary } from './cluster-port.js';
import { allFailedError, failureReason, readPodLogs, validateMaxLogRequests } from './live-logs.js';
import { requireNamespace } from './resolve-target.js';
import { traceRequest, validateRequestId } from './trace-request.js';

export const DEFAULT_TRACE_SINCE_MS = 60 * 60_000;
/**
 * Trace reads whole namespaces rather than one workload's replicas, so it allows more reads at once than
 * `logs` (stern's and kubectl's 5): 300 pods at 20 ms each take ~2.1 s with 5 and ~1.3 s with 10 (bench-trace).
 */
export const DEFAULT_TRACE_MAX_LOG_REQUESTS = 10;

/** Istio's ingress/egress gateway deployments (`istio=ingressgateway`, also for custom gateway names). */
export const GATEWAY_SELECTOR: LabelSelector = {
  matchLabels: {},
  matchExpressions: [{ key: 'istio', operator: 'In', values: ['ingressgateway', 'egressgateway'] }],
};

export interface LiveTraceOptions {
  /** Namespaces to read (default: the context's namespace). */
  namespaces?: readonly string[] | undefined;
  allNamespaces?: boolean | undefined;
  /**
   * How far back to read, in ms (default 1 hour): sent as `sinceSeconds`, and entries that started before
   * `nowMs - sinceMs` are left out (a line is timed by when it was written, at the end of its request).
   */
  sinceMs?: number | undefined;
  /** Now, for the window (epoch ms); without it only `sinceSeconds` bounds the read. */
  nowMs?: number | undefined;
  limitBytes?: number | undefined;
  /** Pod log reads in flight at once (default 10). */
  maxLogRequests?: number | undefined;
  customParser?: RecordParser | undefined;
  /** Given each pod's lines that mention the id (`namespace/pod`, text), e.g. to attach them to a reply. */
  onMatchingLines?: ((source: string, text: string) => void) | undefined;
  /** Told what is being searched once the pods are known. */
  progress?: ((message: string) => void) | undefined;
}

/** Keeps only the lines that mention `id` (ASCII case-insensitive), each ending with a newline. */
export function linesWithId(text: string, id: string): string {
  const pattern = new RegExp(escapeRegExp(id), 'gi');
  const kept: string[] = [];
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    const start = text.lastIndexOf('\n', match.index) + 1;
    const nl = text.indexOf('\n', match.index);
    const end = nl < 0 ? text.length : nl;
    kept.push(text.slice(start, end));
    pattern.lastIndex = end + 1;
  }
  return kept.length > 0 ? `${kept.join('\n')}\n` : '';
}

async function podsToRead(
  reader: ClusterReader,
  namespaces: readonly string[] | null,
): Promise<{ pods: PodSummary[]; notes: string[] }> {
  const notes: string[] = [];
  let lists: PodSummary[][];
  if (namespaces === null) lists = [await reader.listPods(null)];
  else {
    const gateways = reader.listPods(null, GATEWAY_SELECTOR).catch((e: unknown) => {
      notes.push(`gateways not searched: ${e instanceof Error ? e.message : String(e)}`);
      return [];
    });
    lists = await Promise.all([...namespaces.map((ns) => reader.listPods(ns)), gateways]);
  }
  const byName = new Map<string, PodSummary>();
  for (const pod of lists.flat()) {
    if (!pod.proxy.present || pod.phase === 'Succeeded' || pod.phase === 'Failed') continue;
    byName.set(`${pod.namespace}/${pod.name}`, pod);
  }
  return { pods: [...byName.values()], notes };
}

export async function liveTrace(
  reader: ClusterReader,
  requestId: string,
  options: LiveTraceOptions = {},
): Promise<TraceReport> {
  const id = validateRequestId(requestId);
  const limit = validateMaxLogRequests(options.maxLogRequests ?? DEFAULT_TRACE_MAX_LOG_REQUESTS);
  const given = (options.namespaces ?? []).map(validateNamespace);
  if (options.allNamespaces && given.length > 0) {
    throw new MeshbotError('usage', 'pass either -n NAMESPACE (repeatable) or -A, not both');
  }
  const namespaces = options.allNamespaces
    ? null
    : given.length > 0
      ? [...new Set(given)]
      : [reader.defaultNamespace];
  const { pods, notes } = await podsToRead(reader, namespaces);
  // A namespace that yielded no pod may not exist at all: say so, as `logs -n` does.
  for (const namespace of given) {
    if (!pods.some((p) => p.namespace === namespace)) await requireNamespace(reader, namespace);
  }
  const where = namespaces === null ? 'any namespace' : `namespace ${namespaces.join(', ')}`;
  if (pods.length === 0) {
    throw new MeshbotError(
      'target_not_found',
      `no running pod with an istio-proxy container in ${where}: pass -n NAMESPACE or -A`,
      { namespaces },
    );
  }
  const sinceMs = options.sinceMs ?? DEFAULT_TRACE_SINCE_MS;
  options.progress?.(`Searching ${pods.length} istio-proxy logs in ${where} for ${id}…`);
  const { sources, failures } = readPodLogs(
    reader,
    pods,
    { sinceSeconds: Math.max(1, Math.ceil(sinceMs / 1000)), limitBytes: options.limitBytes },
    limit,
    {
      reduce: (text, pod) => {
        const kept = linesWithId(text, id);
        if (kept !== '') options.onMatchingLines?.(`${pod.namespace}/${pod.name}`, kept);
        return kept;
      },
    },
  );
  const report = await traceRequest(id, sources, {
    customParser: options.customParser,
    sinceMs: options.nowMs === undefined ? null : options.nowMs - sinceMs,
  });
  if (failures.length === pods.length) throw allFailedError(failures, `the pods in ${where}`);
  const failed = new Set(failures.map((f) => `${f.pod.namespace}/${f.pod.name}`));
  report.sources = report.sources.filter((s) => !failed.has(s.name));
  const info = (message: string) => report.notes.push({ kind: 'info', hop: null, message });
  info(
    `searched ${pods.length - failures.length} of ${pods.length} istio-proxy logs in ${where}${
      namespaces === null ? '' : ' and the gateways'
    } (last ${formatDuration(sinceMs)})`,
  );
  for (const note of notes) info(note);
  if (report.hops.length === 0) {
    info(
      `not found in ${where}: try ${namespaces === null ? '' : '-A, -n NAMESPACE or '}a wider --since; is access logging on (status)?`,
    );
  }
  for (const f of failures)
    info(`${f.pod.namespace}/${f.pod.name} not read: ${failureReason(f.pod, f.error)}`);
  return report;
}
