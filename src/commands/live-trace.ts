/**
 * @module commands/live-trace
 * `meshbot trace ID` against a cluster: search every pod with an `istio-proxy` container in the chosen
 * namespaces (the context's namespace by default, all with `-A`), plus the Istio gateways wherever they
 * run, then hand the lines that hold the id to {@link traceRequest}. Each log is read exactly once, with at
 * most `maxLogRequests` reads in flight, from one instant for every pod (the API's `sinceTime`), and
 * searched as it streams (`ClusterReader.searchProxyLog`: the id is looked for in the bytes; only matching
 * lines are decoded and parsed, with their line numbers in the pod's log). Memory does not grow with the
 * number of pods searched, only with the number of matching lines. Pods that could not be read become
 * notes; a signal (Ctrl-C) stops the search and the report says it covers part of the logs.
 */

import type { RecordParser } from '../accesslog/custom-format.js';
import type { ConnectionRecord } from '../accesslog/entry.js';
import type { TraceConnection, TraceNote, TraceReport } from '../analysis/report.js';
import { matchConnections, waypointSpan } from '../analysis/trace-l4.js';
import { CROSS_PROXY_SKEW_MS } from '../analysis/trace-link.js';
import { formatDuration } from '../core/duration.js';
import { asMeshbotError, MeshbotError } from '../core/errors.js';
import { isDns1123Label, isDns1123Subdomain, validateNamespace } from '../core/kubernetes-names.js';
import { listZtunnels } from './ambient-sources.js';
import type { ClusterReader, LabelSelector, LogReadOptions, LogSearch, PodSummary } from './cluster-port.js';
import {
  allFailedError,
  failureReason,
  type ReadFailure,
  readPodLogs,
  validateMaxLogRequests,
} from './live-logs.js';
import type { LogSource } from './ports.js';
import { readSources } from './read-sources.js';
import { validateRequestId } from './request-id.js';
import { requireNamespace } from './resolve-target.js';
import { traceRequest } from './trace-request.js';

export const DEFAULT_TRACE_SINCE_MS = 60 * 60_000;
/**
 * Trace reads whole namespaces, so it reads many logs at once by default: stern's `--max-log-requests`
 * default. Pod log reads are long-running requests, which API priority and fairness (and
 * `--max-requests-inflight`) do not hold back; the load they make is on the kubelets, spread over the nodes.
 * At 1,000 pods answering in 20 ms each, 50 reads in flight make ~0.4 s of waiting where 10 made ~2 s.
 */
export const DEFAULT_TRACE_MAX_LOG_REQUESTS = 50;

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
   * How far back to read, in ms (default 1 hour), counted from `nowMs`; entries that started before the
   * window are left out (a line is timed by when it was written, at the end of its request).
   */
  sinceMs?: number | undefined;
  /** `--since-time`: the window starts at this instant (epoch ms) instead. */
  sinceTimeMs?: number | undefined;
  /**
   * Now, for the window (epoch ms): every pod is read from the one instant `nowMs - sinceMs` (`sinceTime`).
   * Without it (and without `sinceTimeMs`) only the API's `sinceSeconds` bounds each read.
   */
  nowMs?: number | undefined;
  limitBytes?: number | undefined;
  /** Pod log reads in flight at once (default 50). */
  maxLogRequests?: number | undefined;
  customParser?: RecordParser | undefined;
  /** Given each pod's lines that mention the id (`namespace/pod`, text), e.g. to attach them to a reply. */
  onMatchingLines?: ((source: string, text: string) => void) | undefined;
  /** Told what is being searched once the pods are known. */
  progress?: ((message: string) => void) | undefined;
  /** Stops the search (Ctrl-C): no new read starts, reads in flight are dropped, the report is partial. */
  signal?: AbortSignal | undefined;
}

/** The note an interrupted trace starts with. */
export function interruptedTraceNote(searched: number, total: number): TraceNote {
  return {
    kind: 'info',
    hop: null,
    message: `interrupted: partial input. The search stopped at the signal after ${searched} of ${total} istio-proxy logs; hops in the others are missing.`,
  };
}

const lower = (code: number): number => (code >= 65 && code <= 90 ? code + 32 : code);

/**
 * The lines of `text` that contain `needle` (ASCII case-insensitive), with their 1-based line numbers: the
 * same answer as the adapter's byte search (`kubernetes/log-grep.ts`), for readers without one.
 */
export function grepText(text: string, needle: string): LogSearch {
  const lines: LogSearch['lines'] = [];
  const wanted = needle.toLowerCase();
  const first = wanted.charCodeAt(0);
  let line = 0;
  let start = 0;
  while (start < text.length) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    line++;
    for (let i = start; i + wanted.length <= end; i++) {
      if (lower(text.charCodeAt(i)) !== first) continue;
      let k = 1;
      while (k < wanted.length && lower(text.charCodeAt(i + k)) === wanted.charCodeAt(k)) k++;
      if (k === wanted.length) {
        lines.push({ line, text: text.slice(start, end) });
        break;
      }
    }
    start = end + 1;
  }
  return { lines, lineCount: line, bytes: text.length, cut: false };
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

interface Searched {
  pod: PodSummary;
  found: LogSearch;
}

interface SearchResults {
  searched: Searched[];
  failures: ReadFailure[];
}

/**
 * Searches every pod's log once, with at most `limit` reads in flight (a pool of `limit` workers taking
 * the next pod). After `signal` aborts no read starts and the reads it cut short are left out.
 */
async function searchPods(
  reader: ClusterReader,
  pods: readonly PodSummary[],
  read: LogReadOptions,
  id: string,
  limit: number,
  signal: AbortSignal | undefined,
): Promise<SearchResults> {
  const searched: Searched[] = [];
  const failures: ReadFailure[] = [];
  const search = reader.searchProxyLog?.bind(reader);
  let next = 0;
  const stopped = () => signal?.aborted === true;
  const worker = async () => {
    while (next < pods.length && !stopped()) {
      const pod = pods[next++] as PodSummary;
      try {
        const found =
          search === undefined
            ? grepText(await reader.readProxyLog(pod.namespace, pod.name, read), id)
            : await search(pod.namespace, pod.name, read, id);
        searched.push({ pod, found });
      } catch (e) {
        if (!stopped()) failures.push({ pod, error: asMeshbotError(e) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, pods.length) }, worker));
  // In pod order, so the report does not depend on which read finished first.
  const order = new Map(pods.map((p, i) => [p, i]));
  searched.sort((a, b) => (order.get(a.pod) ?? 0) - (order.get(b.pod) ?? 0));
  return { searched, failures };
}

/** `kubectl logs … --since-time=T | sed -n Np` for a hop, when its pod and namespace are valid names. */
function lineCommandNote(report: TraceReport, sinceTime: string | null): TraceNote | null {
  if (sinceTime === null) return null;
  const hop = report.hops[0];
  const [namespace, pod] = hop?.file.split('/') ?? [];
  if (hop === undefined || namespace === undefined || pod === undefined) return null;
  if (!isDns1123Label(namespace) || !isDns1123Subdomain(pod)) return null;
  return {
    kind: 'info',
    hop: null,
    message: `a hop's line is its line in the pod's istio-proxy log from ${sinceTime}, e.g. #0: kubectl logs -n ${namespace} ${pod} -c istio-proxy --since-time=${sinceTime} | sed -n ${hop.line}p`,
  };
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
  const fromMs = options.sinceTimeMs ?? (options.nowMs === undefined ? undefined : options.nowMs - sinceMs);
  // One instant for every pod, in whole seconds as the API and kubectl take it (so `--since-time` repeats it).
  const readFromMs = fromMs === undefined ? undefined : Math.floor(fromMs / 1000) * 1000;
  const read: LogReadOptions =
    readFromMs === undefined
      ? { sinceSeconds: Math.max(1, Math.ceil(sinceMs / 1000)), limitBytes: options.limitBytes }
      : { sinceTimeMs: readFromMs, limitBytes: options.limitBytes };
  options.progress?.(`Searching ${pods.length} istio-proxy logs in ${where} for ${id}…`);
  const { searched, failures } = await searchPods(reader, pods, read, id, limit, options.signal);
  const interrupted = options.signal?.aborted === true;

  const sources: LogSource[] = [];
  const lineNumbers = new Map<string, readonly number[]>();
  for (const { pod, found } of searched) {
    if (found.lines.length === 0) continue;
    const name = `${pod.namespace}/${pod.name}`;
    const text = `${found.lines.map((l) => l.text).join('\n')}\n`;
    options.onMatchingLines?.(name, text);
    lineNumbers.set(
      name,
      found.lines.map((l) => l.line),
    );
    sources.push({
      name,
      origin: pod.name,
      async *read() {
        yield text;
      },
    });
  }
  const report = await traceRequest(id, sources, {
    customParser: options.customParser,
    sinceMs: fromMs ?? null,
    lineOf: (source, line) => lineNumbers.get(source)?.[line - 1] ?? line,
    logsSearched: searched.length,
  });
  if (!interrupted && failures.length === pods.length) throw allFailedError(failures, `the pods in ${where}`);
  const info = (message: string) => report.notes.push({ kind: 'info', hop: null, message });
  const sinceTime =
    readFromMs === undefined ? null : new Date(readFromMs).toISOString().replace('.000Z', 'Z');
  const window =
    options.sinceTimeMs !== undefined && sinceTime !== null
      ? `since ${sinceTime}`
      : `last ${formatDuration(sinceMs)}${sinceTime === null ? '' : `, from ${sinceTime}`}`;
  info(
    `searched ${searched.length} of ${pods.length} istio-proxy logs in ${where}${
      namespaces === null ? '' : ' and the gateways'
    } (${window})`,
  );
  for (const note of notes) info(note);
  if (report.hops.length === 0 && !interrupted) {
    info(
      `not found in ${where}: try ${namespaces === null ? '' : '-A, -n NAMESPACE or '}a wider --since; is access logging on (status)?`,
    );
  }
  const cut = searched.filter((s) => s.found.cut);
  if (cut.length > 0) {
    const names = cut.slice(0, 3).map((s) => `${s.pod.namespace}/${s.pod.name}`);
    info(
      `${cut.length === 1 ? 'a log' : `${cut.length} logs`} reached the read limit (${names.join(', ')}${cut.length > 3 ? ` +${cut.length - 3} more` : ''}): ${cut.length === 1 ? 'its' : 'their'} later lines were not searched; narrow the window with --since or --since-time`,
    );
  }
  for (const f of failures)
    info(`${f.pod.namespace}/${f.pod.name} not read: ${failureReason(f.pod, f.error)}`);
  const command = report.hops.length > 0 ? lineCommandNote(report, sinceTime) : null;
  if (command !== null) report.notes.push(command);
  if (!interrupted) {
    const l4 = await waypointConnections(reader, report, limit, options.limitBytes);
    for (const note of l4.notes) info(note);
    if (l4.connections.length > 0) report.connections = l4.connections;
    return report;
  }
  report.notes.unshift(interruptedTraceNote(searched.length, pods.length));
  return { ...report, interrupted: true, partial_input: true };
}

/**
 * The ztunnel records beside the trace's waypoint hops (ambient mode): every ztunnel's log read once, from
 * just before the first waypoint hop, its connection records matched to the hops (analysis/trace-l4). No
 * waypoint hop, no read.
 */
async function waypointConnections(
  reader: ClusterReader,
  report: TraceReport,
  limit: number,
  limitBytes: number | undefined,
): Promise<{ connections: TraceConnection[]; notes: string[] }> {
  const span = waypointSpan(report.hops);
  if (span === null) return { connections: [], notes: [] };
  let ztunnels: PodSummary[];
  try {
    ztunnels = (await listZtunnels(reader)).filter((p) => p.proxy.present && p.phase === 'Running');
  } catch (e) {
    return {
      connections: [],
      notes: [`ztunnel logs not read (L4 side of the waypoint hops): ${asMeshbotError(e).message}`],
    };
  }
  if (ztunnels.length === 0) return { connections: [], notes: [] };
  const read: LogReadOptions = {
    sinceTimeMs: Math.floor((span.fromMs - CROSS_PROXY_SKEW_MS) / 1000) * 1000,
    limitBytes,
  };
  const records: ConnectionRecord[] = [];
  const notes: string[] = [];
  const { sources, failures } = readPodLogs(reader, ztunnels, read, limit);
  await readSources(sources, () => undefined, { onConnection: (r) => records.push(r) });
  for (const f of failures)
    notes.push(`${f.pod.namespace}/${f.pod.name} (ztunnel) not read: ${f.error.message}`);
  const connections = matchConnections(report.hops, records);
  notes.push(
    `read ${ztunnels.length - failures.length} ztunnel ${ztunnels.length === 1 ? 'log' : 'logs'} for the L4 side of the waypoint hops: ${connections.length} connection ${connections.length === 1 ? 'record' : 'records'} matched`,
  );
  return { connections, notes };
}
