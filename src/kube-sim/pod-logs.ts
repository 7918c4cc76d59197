/** Pod log storage and the `GET …/pods/{name}/log` semantics of the kubelet and API server. */
import { encodeLogLines } from './encoded-log.js';
import { getPath, isJsonObject, type JsonObject, type JsonValue } from './json.js';
import { badRequest, invalid, type StatusCause } from './status.js';

export interface LogLine {
  time: Date;
  text: string;
}

/** What a generated log source is asked for; it may return more, the server filters. */
export interface LogQuery {
  now: Date;
  since?: Date;
  tailLines?: number;
  previous: boolean;
}

export type LogSource = readonly LogLine[] | ((query: LogQuery) => Iterable<LogLine>);

const key = (namespace: string, pod: string, container: string, previous: boolean): string =>
  `${namespace}/${pod}/${container}/${previous ? 'previous' : 'current'}`;

/** Told of lines appended to a followed log, and (with `null`) that the pod is gone. */
export type LogListener = (lines: readonly LogLine[] | null) => void;

export class PodLogStore {
  private readonly sources = new Map<string, LogSource>();
  private readonly listeners = new Map<string, Set<LogListener>>();

  set(namespace: string, pod: string, container: string, source: LogSource, previous: boolean): void {
    this.sources.set(
      key(namespace, pod, container, previous),
      typeof source === 'function' ? source : [...source],
    );
  }

  /** Appends lines to a stored array (replacing a generator). */
  append(namespace: string, pod: string, container: string, lines: readonly LogLine[]): void {
    const k = key(namespace, pod, container, false);
    const existing = this.sources.get(k);
    this.sources.set(k, [...(Array.isArray(existing) ? existing : []), ...lines]);
    for (const listener of this.listeners.get(k) ?? []) listener(lines);
  }

  /** Calls `listener` with every later `append` to the current log (`follow=true`). Returns the unsubscribe. */
  subscribe(namespace: string, pod: string, container: string, listener: LogListener): () => void {
    const k = key(namespace, pod, container, false);
    const set = this.listeners.get(k) ?? new Set<LogListener>();
    set.add(listener);
    this.listeners.set(k, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(k);
    };
  }

  get(namespace: string, pod: string, container: string, previous: boolean): LogSource | undefined {
    return this.sources.get(key(namespace, pod, container, previous));
  }

  deletePod(namespace: string, pod: string): void {
    for (const k of [...this.sources.keys()])
      if (k.startsWith(`${namespace}/${pod}/`)) this.sources.delete(k);
    for (const [k, set] of [...this.listeners]) {
      if (!k.startsWith(`${namespace}/${pod}/`)) continue;
      this.listeners.delete(k);
      for (const listener of set) listener(null);
    }
  }
}

/** `2020-11-22T20:04:54.223000000Z`: the kubelet's fixed-width RFC3339Nano. */
export function rfc3339NanoFixed(date: Date): string {
  return `${date.toISOString().slice(0, 23)}000000Z`;
}

export interface PodLogOptions {
  container?: string;
  sinceSeconds?: number;
  sinceTime?: Date;
  tailLines?: number;
  limitBytes?: number;
  timestamps: boolean;
  previous: boolean;
  /** `follow=true`: the response stays open and carries lines appended later. */
  follow: boolean;
}

function intParam(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  if (!/^-?\d+$/.test(raw)) throw badRequest(`strconv.ParseInt: parsing "${raw}": invalid syntax`);
  return Number(raw);
}

function boolParam(query: URLSearchParams, name: string): boolean {
  const raw = query.get(name);
  if (raw === null || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  throw badRequest(`strconv.ParseBool: parsing "${raw}": invalid syntax`);
}

/** Parses and validates PodLogOptions from the query, answering like ValidatePodLogOptions. */
export function parsePodLogOptions(pod: string, query: URLSearchParams): PodLogOptions {
  const options: PodLogOptions = {
    timestamps: boolParam(query, 'timestamps'),
    previous: boolParam(query, 'previous'),
    follow: boolParam(query, 'follow'),
  };
  const container = query.get('container');
  if (container) options.container = container;
  const sinceSeconds = intParam(query, 'sinceSeconds');
  const tailLines = intParam(query, 'tailLines');
  const limitBytes = intParam(query, 'limitBytes');
  const sinceTimeRaw = query.get('sinceTime');
  const causes: StatusCause[] = [];
  if (sinceSeconds !== undefined) {
    if (sinceSeconds < 1)
      causes.push({
        reason: 'FieldValueInvalid',
        field: 'sinceSeconds',
        message: `Invalid value: ${sinceSeconds}: must be greater than 0`,
      });
    options.sinceSeconds = sinceSeconds;
  }
  if (sinceTimeRaw) {
    const parsed = new Date(sinceTimeRaw);
    if (
      !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(sinceTimeRaw) ||
      Number.isNaN(parsed.getTime())
    ) {
      throw badRequest(
        `parsing time "${sinceTimeRaw}" as "2006-01-02T15:04:05Z07:00": cannot parse "${sinceTimeRaw}" as "2006"`,
      );
    }
    options.sinceTime = parsed;
    if (sinceSeconds !== undefined) {
      causes.push({
        reason: 'FieldValueForbidden',
        field: 'sinceSeconds',
        message: 'Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified',
      });
    }
  }
  if (tailLines !== undefined) {
    if (tailLines < 0)
      causes.push({
        reason: 'FieldValueInvalid',
        field: 'tailLines',
        message: `Invalid value: ${tailLines}: must be greater than or equal to 0`,
      });
    options.tailLines = tailLines;
  }
  if (limitBytes !== undefined) {
    if (limitBytes < 1)
      causes.push({
        reason: 'FieldValueInvalid',
        field: 'limitBytes',
        message: `Invalid value: ${limitBytes}: must be greater than 0`,
      });
    options.limitBytes = limitBytes;
  }
  if (causes.length > 0) throw invalid({ group: '', resource: 'pods', kind: 'PodLogOptions' }, pod, causes);
  return options;
}

const names = (list: JsonValue | undefined): string[] =>
  Array.isArray(list) ? list.filter(isJsonObject).map((c) => String(c.name)) : [];

function containerStatus(pod: JsonObject, container: string): JsonObject | undefined {
  for (const field of ['containerStatuses', 'initContainerStatuses', 'ephemeralContainerStatuses']) {
    const list = getPath(pod, ['status', field]);
    if (!Array.isArray(list)) continue;
    const found = list.find((s): s is JsonObject => isJsonObject(s) && s.name === container);
    if (found) return found;
  }
  return undefined;
}

/** Picks the container a log request targets, with the API server's 400 messages. */
export function resolveLogContainer(pod: JsonObject, podName: string, requested: string | undefined): string {
  const containers = names(getPath(pod, ['spec', 'containers']));
  const inits = names(getPath(pod, ['spec', 'initContainers']));
  const ephemeral = names(getPath(pod, ['spec', 'ephemeralContainers']));
  if (!requested) {
    if (containers.length === 1 && containers[0] !== undefined) return containers[0];
    let message = `a container name must be specified for pod ${podName}, choose one of: [${containers.join(' ')}]`;
    if (inits.length > 0) message += ` or one of the init containers: [${inits.join(' ')}]`;
    if (ephemeral.length > 0) message += ` or one of the ephemeral containers: [${ephemeral.join(' ')}]`;
    throw badRequest(message);
  }
  if (![...containers, ...inits, ...ephemeral].includes(requested)) {
    throw badRequest(`container ${requested} is not valid for pod ${podName}`);
  }
  return requested;
}

/**
 * Decides which instance's log to read, like the kubelet's validateContainerLogStatus: `previous` needs a
 * terminated last state; a waiting container with a terminated last state (CrashLoopBackOff) serves that
 * instance's log; a waiting container without one is a 400.
 */
export function logInstance(
  pod: JsonObject,
  podName: string,
  container: string,
  previous: boolean,
): 'current' | 'previous' {
  const status = containerStatus(pod, container);
  if (!status) return previous ? failPrevious(container, podName) : 'current';
  const lastTerminated = getPath(status, ['lastState', 'terminated']);
  const state = isJsonObject(status.state) ? status.state : {};
  if (previous) return isJsonObject(lastTerminated) ? 'previous' : failPrevious(container, podName);
  if (isJsonObject(state.running) || isJsonObject(state.terminated)) return 'current';
  if (isJsonObject(lastTerminated)) return 'previous';
  if (isJsonObject(state.waiting)) {
    const reason = String(state.waiting.reason ?? 'ContainerCreating');
    const why =
      reason === 'ErrImagePull'
        ? "image can't be pulled"
        : reason === 'ImagePullBackOff'
          ? 'trying and failing to pull image'
          : reason;
    throw badRequest(`container "${container}" in pod "${podName}" is waiting to start: ${why}`);
  }
  return 'current';
}

function failPrevious(container: string, podName: string): never {
  throw badRequest(`previous terminated container "${container}" in pod "${podName}" not found`);
}

/** One line as the kubelet writes it, with its timestamp when asked. */
export function formatLogLine(line: LogLine, timestamps: boolean): string {
  return timestamps ? `${rfc3339NanoFixed(line.time)} ${line.text}\n` : `${line.text}\n`;
}

/** Renders the log body: tailLines first, then the since filter, timestamps, then limitBytes (may cut a line). */
export function renderLog(source: LogSource | undefined, options: PodLogOptions, now: Date): Buffer {
  if (!source) return Buffer.alloc(0);
  const since =
    options.sinceTime ??
    (options.sinceSeconds !== undefined ? new Date(now.getTime() - options.sinceSeconds * 1000) : undefined);
  const query: LogQuery = { now, previous: options.previous };
  if (since) query.since = since;
  if (options.tailLines !== undefined) query.tailLines = options.tailLines;
  let lines = typeof source === 'function' ? [...source(query)] : [...source];
  if (options.tailLines !== undefined) lines = options.tailLines === 0 ? [] : lines.slice(-options.tailLines);
  if (since) lines = lines.filter((l) => l.time.getTime() >= since.getTime());
  const body = encodeLogLines(lines, options.timestamps, formatLogLine);
  return options.limitBytes !== undefined && body.length > options.limitBytes
    ? body.subarray(0, options.limitBytes)
    : body;
}
