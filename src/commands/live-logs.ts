/**
 * @module commands/live-logs
 * `meshbot logs TARGET` (or `-l SELECTOR`) against a cluster: resolve TARGET to pods, read every replica's `istio-proxy` log
 * concurrently with a limit (stern's `--max-log-requests`) and bounded (`sinceSeconds`, `tailLines`,
 * `limitBytes`), and summarise them together with per-pod counts. A pod whose log cannot be read is a
 * note naming it and the reason; the rest still comes back.
 */
import type { RecordParser } from '../accesslog/custom-format.js';
import { LogParser } from '../accesslog/log-parser.js';
import { isError } from '../analysis/classify.js';
import type { AddressResolver } from '../analysis/peer.js';
import { podDirectory } from '../analysis/pod-ref.js';
import type { SummaryReport } from '../analysis/report.js';
import { workloadOfReplicaSet } from '../analysis/workload-name.js';
import { asMeshbotError, MeshbotError } from '../core/errors.js';
import { type AmbientPlan, ambientSelection, ISTIO_NAMESPACE, planAmbient } from './ambient-sources.js';
import type {
  ClusterReader,
  LabelSelector,
  LogReadOptions,
  PodSummary,
  ServiceSummary,
} from './cluster-port.js';
import type { Clock, LogSource } from './ports.js';
import { type ResolvedTarget, resolveSelector, resolveTarget } from './resolve-target.js';
import { summarizeLogs } from './summarize-logs.js';

export const DEFAULT_MAX_LOG_REQUESTS = 5;
export const DEFAULT_LOGS_SINCE_MS = 15 * 60_000;

export interface LiveLogsOptions {
  namespace?: string | undefined;
  /** How far back to read, in ms (default 15 minutes). Sent as `sinceSeconds` and applied to entries. */
  sinceMs?: number | undefined;
  /** `--since-time`: read from this instant (epoch ms), sent as the API's `sinceTime` (as kubectl does). */
  sinceTimeMs?: number | undefined;
  tailLines?: number | undefined;
  limitBytes?: number | undefined;
  previous?: boolean | undefined;
  /** Pod log reads in flight at once (default 5). */
  maxLogRequests?: number | undefined;
  customParser?: RecordParser | undefined;
  /** Given each pod's raw lines of error entries within the window (`namespace/pod`, text), e.g. to attach them to a reply. */
  onErrorLines?: ((source: string, text: string) => void) | undefined;
  /** Told what is being read once the pods are known ("Reading istio-proxy logs of 6 pods…"). */
  progress?: ((message: string) => void) | undefined;
}

export interface ReadFailure {
  pod: PodSummary;
  error: MeshbotError;
}

/** A counting semaphore; waiters are served in order. */
export class Semaphore {
  private available: number;
  private readonly waiting: (() => void)[] = [];

  constructor(limit: number) {
    this.available = Math.max(1, Math.floor(limit));
  }

  async acquire(): Promise<void> {
    if (this.available > 0) {
      this.available--;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.available++;
  }
}

export function validateMaxLogRequests(n: number | undefined): number {
  const value = n ?? DEFAULT_MAX_LOG_REQUESTS;
  if (!Number.isInteger(value) || value < 1 || value > 100) {
    throw new MeshbotError(
      'invalid_argument',
      `--max-log-requests must be a whole number from 1 to 100 (got ${value})`,
    );
  }
  return value;
}

/** Words for a failed read: short, with the pod's own state when that explains it. */
export function failureReason(pod: PodSummary, error: MeshbotError): string {
  const state =
    pod.proxy.state !== 'running' && pod.proxy.reason
      ? ` (istio-proxy ${pod.proxy.state}: ${pod.proxy.reason})`
      : '';
  return `${error.message}${state}`;
}

export interface PodLogReads {
  /** One source per pod, in pod order; a failed read yields no text and is recorded in `failures`. */
  sources: LogSource[];
  failures: ReadFailure[];
}

/**
 * Reads the pods' `istio-proxy` logs with at most `limit` requests in flight. With `holdUntilRead` the
 * next request starts only when an earlier text has been consumed (so at most `limit` whole logs are in
 * memory); otherwise a slot frees as soon as a response arrives and `reduce` shrinks the text first.
 */
export function readPodLogs(
  reader: ClusterReader,
  pods: readonly PodSummary[],
  read: LogReadOptions,
  limit: number,
  options: { holdUntilRead?: boolean; reduce?: (text: string, pod: PodSummary) => string } = {},
): PodLogReads {
  const semaphore = new Semaphore(limit);
  const failures: ReadFailure[] = [];
  const hold = options.holdUntilRead ?? false;
  const texts = pods.map(async (pod) => {
    await semaphore.acquire();
    try {
      const text = await reader.readProxyLog(pod.namespace, pod.name, read);
      return options.reduce ? options.reduce(text, pod) : text;
    } catch (e) {
      failures.push({ pod, error: asMeshbotError(e) });
      return null;
    } finally {
      if (!hold) semaphore.release();
    }
  });
  const sources = pods.map(
    (pod, i): LogSource => ({
      name: `${pod.namespace}/${pod.name}`,
      origin: pod.name,
      async *read() {
        try {
          const text = await texts[i];
          if (text) yield text;
        } finally {
          if (hold) semaphore.release();
        }
      },
    }),
  );
  return { sources, failures };
}

/**
 * The workload of a listed pod: its Deployment (the ReplicaSet owner without its hash), StatefulSet,
 * DaemonSet or Job; a pod no controller owns is its own workload.
 */
export function workloadOf(pod: PodSummary): string {
  if (pod.ownerName === null || pod.ownerName === '') return pod.name;
  return pod.ownerKind === 'ReplicaSet' ? workloadOfReplicaSet(pod.ownerName) : pod.ownerName;
}

/**
 * Maps pod IPs to their workloads and Service ClusterIPs to `svc/NAME` (`ns/…` outside `namespace`), so
 * that inbound callers group by what called, whichever replica or address it used.
 */
export function podResolver(
  pods: readonly PodSummary[],
  namespace: string | null,
  services: readonly ServiceSummary[] = [],
): AddressResolver {
  const byIp = new Map<string, string>();
  const qualified = (ns: string, name: string) =>
    namespace === null || ns === namespace ? name : `${ns}/${name}`;
  for (const p of pods) {
    if (p.ip === null || p.ip === '' || byIp.has(p.ip)) continue;
    byIp.set(p.ip, qualified(p.namespace, workloadOf(p)));
  }
  for (const s of services)
    for (const ip of s.clusterIPs ?? [])
      if (!byIp.has(ip)) byIp.set(ip, qualified(s.namespace, `svc/${s.name}`));
  return (ip) => byIp.get(ip);
}

/**
 * What names caller addresses: the pods and Services of every namespace meshbot may list, else (not
 * allowed to list across namespaces) those of the pods' own namespaces.
 */
export async function clusterResolver(
  reader: ClusterReader,
  resolved: ResolvedTarget,
): Promise<AddressResolver> {
  const everywhere = await Promise.all([reader.listPods(null), reader.listServices(null)]).catch(
    (e: unknown) => {
      if (e instanceof MeshbotError && (e.code === 'k8s_forbidden' || e.code === 'k8s_not_found'))
        return null;
      throw e;
    },
  );
  if (everywhere !== null)
    return podResolver([...resolved.seen, ...everywhere[0]], resolved.namespace, everywhere[1]);
  const namespaces = [...new Set([resolved.namespace, ...resolved.pods.map((p) => p.namespace)])];
  const services = await Promise.all(namespaces.map((ns) => reader.listServices(ns).catch(() => [])));
  return podResolver(resolved.seen, resolved.namespace, services.flat());
}

/** `3 pods read`, or `2 of 3 pods read (1 not read)` when some could not be (they are listed in notes). */
export function podsReadText(read: number, total: number): string {
  const pods = `${total === 1 ? 'pod' : 'pods'}`;
  if (read === total) return `${total} ${pods} read`;
  return `${read} of ${total} ${pods} read (${total - read} not read)`;
}

/** The error when every read failed: the one error, or a summary naming each pod. */
export function allFailedError(failures: readonly ReadFailure[], what: string): MeshbotError {
  const [first] = failures;
  if (first !== undefined && failures.length === 1) return first.error;
  const sameCode = first !== undefined && failures.every((f) => f.error.code === first.error.code);
  const lines = failures
    .slice(0, 5)
    .map((f) => `${f.pod.namespace}/${f.pod.name}: ${failureReason(f.pod, f.error)}`);
  return new MeshbotError(
    sameCode && first !== undefined ? first.error.code : 'k8s_error',
    `could not read the istio-proxy log of any pod of ${what}:\n${lines.join('\n')}${
      failures.length > 5 ? `\n… and ${failures.length - 5} more` : ''
    }`,
    { pods: failures.map((f) => `${f.pod.namespace}/${f.pod.name}`) },
  );
}

/** What `logs` reads: a TARGET (`deploy/x`, a pod, an app name…) or the pods of a label selector (`-l`). */
export type LogsTarget = string | { selector: LabelSelector };

/** Resolves what `logs` reads to pods. */
export function resolveLogsTarget(
  reader: ClusterReader,
  what: LogsTarget,
  namespace: string | undefined,
): Promise<ResolvedTarget> {
  return typeof what === 'string'
    ? resolveTarget(reader, what, { namespace })
    : resolveSelector(reader, what.selector, { namespace });
}

/** The words for `--previous` on a container that never restarted (from the pod status or the kubelet). */
export function noPreviousLogMessage(container: string, pod: string): string {
  return `${container} in pod ${pod} has not restarted: there are no previous logs (drop --previous)`;
}

export async function liveLogs(
  reader: ClusterReader,
  what: LogsTarget,
  options: LiveLogsOptions,
  clock: Clock,
): Promise<SummaryReport> {
  const limit = validateMaxLogRequests(options.maxLogRequests);
  const resolved = await resolveLogsTarget(reader, what, options.namespace);
  const sinceMs = options.sinceMs ?? DEFAULT_LOGS_SINCE_MS;
  const read: LogReadOptions = {
    ...(options.sinceTimeMs === undefined
      ? { sinceSeconds: Math.max(1, Math.ceil(sinceMs / 1000)) }
      : { sinceTimeMs: options.sinceTimeMs }),
    tailLines: options.tailLines,
    limitBytes: options.limitBytes,
    previous: options.previous,
  };
  // Ambient pods have no sidecar: their node's ztunnel and their waypoint are read instead (each once).
  const plan = resolved.ambient.length > 0 ? await planAmbient(reader, resolved) : null;
  const sidecars = new Set(resolved.pods);
  const all = uniquePods([...resolved.pods, ...(plan?.ztunnels ?? []), ...(plan?.waypoints ?? [])]);
  options.progress?.(`Reading ${readingText(resolved, plan)} of ${resolved.description}…`);
  const fromMs = clock() - sinceMs;
  const onErrorLines = options.onErrorLines;
  // A proxy that never restarted has no previous instance: say so without asking the kubelet.
  const neverRestarted = options.previous ? all.filter((p) => p.proxy.restarts === 0) : [];
  const toRead = all.filter((p) => !neverRestarted.includes(p));
  const { sources, failures } = readPodLogs(reader, toRead, read, limit, {
    holdUntilRead: true,
    ...(onErrorLines === undefined
      ? {}
      : {
          reduce: (text: string, pod: PodSummary) => {
            // A ztunnel's or waypoint's log is shared with other workloads: only sidecars' lines are attached.
            if (!sidecars.has(pod)) return text;
            const kept = errorLines(text, fromMs, options.customParser);
            if (kept !== '') onErrorLines(`${pod.namespace}/${pod.name}`, kept);
            return text;
          },
        }),
  });
  const report = await summarizeLogs(sources, {
    sinceMs: fromMs,
    customParser: options.customParser,
    resolve: await clusterResolver(reader, resolved),
    pods: podDirectory(all),
    ...(plan === null ? {} : { select: ambientSelection(plan) }),
  });
  for (const pod of neverRestarted) {
    failures.push({
      pod,
      error: new MeshbotError('k8s_not_found', noPreviousLogMessage('istio-proxy', pod.name), {
        pod: `${pod.namespace}/${pod.name}`,
        noPrevious: true,
      }),
    });
  }
  if (all.length === 0) throw noZtunnelError(resolved, plan);
  if (failures.length === all.length) throw allFailedError(failures, resolved.description);
  const failed = new Set(failures.map((f) => `${f.pod.namespace}/${f.pod.name}`));
  report.sources = report.sources.filter((s) => !failed.has(s.name));
  // Counted once the reads are done: a pod that was refused was not read.
  const sidecarFailures = failures.filter((f) => sidecars.has(f.pod)).length;
  const readNotes: string[] = [];
  if (resolved.pods.length > 0)
    readNotes.push(
      `${resolved.description}: ${podsReadText(resolved.pods.length - sidecarFailures, resolved.pods.length)}${
        options.previous ? ' (previous container instances)' : ''
      }`,
    );
  if (plan !== null) readNotes.push(ambientReadText(resolved, plan, failed));
  report.notes.unshift(...readNotes, ...(plan?.notes ?? []));
  for (const f of failures) {
    report.notes.push(`${f.pod.namespace}/${f.pod.name} not read: ${failureReason(f.pod, f.error)}`);
  }
  for (const p of resolved.withoutProxy) {
    report.notes.push(
      `${p.namespace}/${p.name} has no istio-proxy container and is not in ambient mode; left out`,
    );
  }
  return report;
}

function uniquePods(pods: readonly PodSummary[]): PodSummary[] {
  const seen = new Set<string>();
  return pods.filter((p) => {
    const key = `${p.namespace}/${p.name}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** `istio-proxy logs of 2 pods, 2 ztunnels and 1 waypoint pod`. */
function readingText(resolved: ResolvedTarget, plan: AmbientPlan | null): string {
  const parts: string[] = [];
  if (resolved.pods.length > 0) parts.push(plural(resolved.pods.length, 'pod'));
  if (plan !== null) {
    parts.push(plural(plan.ztunnels.length, 'ztunnel'));
    if (plan.waypoints.length > 0) parts.push(plural(plan.waypoints.length, 'waypoint pod'));
  }
  const last = parts.pop() ?? '0 pods';
  return `istio-proxy logs of ${parts.length > 0 ? `${parts.join(', ')} and ${last}` : last}`;
}

/** `2 ambient pods (no sidecar): read through 2 of 2 ztunnels (their nodes) and waypoint ambient-demo/waypoint`. */
function ambientReadText(resolved: ResolvedTarget, plan: AmbientPlan, failed: ReadonlySet<string>): string {
  const ok = (p: PodSummary) => !failed.has(`${p.namespace}/${p.name}`);
  const ztunnels = plan.ztunnels.filter(ok).length;
  const waypointPods = plan.waypoints.filter(ok).length;
  const waypoint =
    plan.waypointNames.length === 0
      ? 'no waypoint'
      : `waypoint ${plan.waypointNames.join(', ')} (${waypointPods} of ${plan.waypoints.length} ${plan.waypoints.length === 1 ? 'pod' : 'pods'} read)`;
  return `${resolved.description}: ${plural(plan.pods.length, 'ambient pod')} (no sidecar), read through ${ztunnels} of ${plural(plan.ztunnels.length, 'ztunnel')} (one per node) and ${waypoint}`;
}

/** Nothing to read: ambient pods whose nodes run no ztunnel (and no waypoint serves them). */
function noZtunnelError(resolved: ResolvedTarget, plan: AmbientPlan | null): MeshbotError {
  return new MeshbotError(
    'no_sidecar',
    `${resolved.description}: the pods are in ambient mode but no ztunnel pod runs on their nodes and no waypoint serves them, so nothing logs their traffic. Check ztunnel: kubectl get pods -n ${ISTIO_NAMESPACE} -l app=ztunnel -o wide${
      plan !== null && plan.notes.length > 0 ? ` (${plan.notes.join('; ')})` : ''
    }`,
    { namespace: resolved.namespace },
  );
}

/**
 * The raw lines of `text` whose entries are errors (see analysis/classify) and started at or after
 * `fromMs`, newline-terminated. Parses the text a second time, so only callers that show the lines ask.
 */
export function errorLines(text: string, fromMs: number, customParser?: RecordParser): string {
  const lines = text.split('\n');
  const kept: string[] = [];
  const parser = new LogParser(
    'log',
    (result) => {
      // ztunnel connection records (issue 14) have no error lines of their own yet.
      if (!result.ok || result.entry === undefined || !isError(result.entry)) return;
      const start = result.entry.start_time === null ? Number.NaN : Date.parse(result.entry.start_time);
      if (!Number.isNaN(start) && start < fromMs) return;
      const line = lines[result.entry.line - 1];
      if (line !== undefined) kept.push(line);
    },
    { customParser },
  );
  parser.push(text);
  parser.end();
  return kept.length > 0 ? `${kept.join('\n')}\n` : '';
}
