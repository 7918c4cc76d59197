/**
 * @module commands/follow-logs
 * `meshbot logs TARGET --follow` (stern-style): one `follow=true` stream per matched pod's `istio-proxy`
 * container, each new entry printed as one line as it arrives, counted into the same summary `logs`
 * prints, which is emitted every `--summary-every` and returned when the user stops (Ctrl-C) or every
 * stream has ended and no pod is left to follow. Like stern, pods that start matching while it follows (a new
 * replica, a rollout) are picked up: the target is resolved again every few seconds (a list, not a watch,
 * which the read-only RBAC already allows), and a stream that ends (pod deleted, proxy restarted) is noted.
 */
import type { RecordParser } from '../accesslog/custom-format.js';
import { type AccessLogEntry, type ConnectionRecord, parseOutput } from '../accesslog/entry.js';
import { LogParser } from '../accesslog/log-parser.js';
import type { SummaryReport } from '../analysis/report.js';
import { SummaryBuilder } from '../analysis/summarize.js';
import { asMeshbotError, MeshbotError } from '../core/errors.js';
import { cleanField } from '../render/sanitize-text.js';
import type { ClusterReader, LogReadOptions, PodSummary } from './cluster-port.js';
import { DEFAULT_MAX_FOLLOW_STREAMS } from './limits.js';
import { allFailedError, failureReason, podResolver, type ReadFailure } from './live-logs.js';
import type { Clock } from './ports.js';
import type { ResolvedTarget } from './resolve-target.js';

/** Streams open at once when following, by default (stern's `--max-log-requests` default). */

export interface FollowLogsOptions {
  /** Entries from this long ago first (`--since`); without it and `tailLines`, only new entries. */
  sinceMs?: number | undefined;
  tailLines?: number | undefined;
  /** Streams open at once; more pods than this is an error (default 50). */
  maxStreams?: number | undefined;
  customParser?: RecordParser | undefined;
  /** `json`: each entry as one JSON object per line (NDJSON); otherwise a readable line. */
  format: 'text' | 'json';
  /** Emit the summary so far this often (`--summary-every`). */
  summaryEveryMs?: number | undefined;
  /** Stops following (Ctrl-C); the summary is returned. */
  signal?: AbortSignal | undefined;
}

export interface FollowSinks {
  /** Where entry lines go; the next chunk of a stream is read only when this resolves. */
  lines: (chunk: string) => Promise<void>;
  /** An intermediate summary. */
  emit?: ((report: SummaryReport) => void) | undefined;
  /** Said once when the streams are opening. */
  progress?: ((message: string) => void) | undefined;
}

const time = (at: string | null): string => (at === null ? '-' : cleanField(at.slice(11), 16));

/**
 * One entry as one line: time (UTC), pod, direction, method, authority and path, code, flags and
 * duration. Every field comes from the log, so each is stripped of control sequences and cut.
 */
export function followLine(entry: AccessLogEntry): string {
  const direction = entry.direction === 'inbound' ? 'in ' : entry.direction === 'outbound' ? 'out' : '-  ';
  const host = entry.authority ?? entry.upstream_cluster ?? '-';
  const target = `${cleanField(host, 80)}${entry.path === null ? '' : cleanField(entry.path, 200)}`;
  const flags = entry.response_flags.length === 0 ? '-' : cleanField(entry.response_flags.join(','), 40);
  return [
    time(entry.start_time),
    cleanField(entry.origin ?? entry.source, 80),
    direction,
    cleanField(entry.method ?? (entry.protocol === null ? 'TCP' : entry.protocol), 12),
    target,
    entry.response_code === null ? '-' : String(entry.response_code),
    flags,
    entry.duration_ms === null ? '-' : `${entry.duration_ms}ms`,
  ].join(' ');
}

/**
 * One ztunnel connection record (issue 14) as one line: time (UTC), pod, direction, `L4`, `source -> destination`
 * (workloads, else addresses; the service when known), bytes sent/received, duration, then a message other
 * than `connection complete` and the error. Cleaned and cut like {@link followLine}.
 */
export function followConnectionLine(record: ConnectionRecord): string {
  const direction = record.direction === 'inbound' ? 'in ' : record.direction === 'outbound' ? 'out' : '-  ';
  const from = cleanField(record.src_workload ?? record.src_addr ?? '-', 80);
  const to = cleanField(
    record.dst_service ?? record.dst_workload ?? record.dst_hbone_addr ?? record.dst_addr ?? '-',
    120,
  );
  const bytes =
    record.bytes_sent === null && record.bytes_recv === null
      ? '-'
      : `${record.bytes_sent ?? '-'}/${record.bytes_recv ?? '-'}B`;
  const parts = [
    time(record.timestamp),
    cleanField(record.origin ?? record.source, 80),
    direction,
    'L4',
    `${from} -> ${to}`,
    bytes,
    record.duration_ms === null ? '-' : `${record.duration_ms}ms`,
  ];
  if (record.message !== null && record.message !== 'connection complete')
    parts.push(cleanField(record.message, 40));
  if (record.error !== null) parts.push(`error: ${cleanField(record.error, 200)}`);
  return parts.join(' ');
}

/** One entry or connection record as `meshbot parse` writes it: `kind`, its output keys, then `pod`. */
export function followJson(record: AccessLogEntry | ConnectionRecord): string {
  return JSON.stringify(parseOutput(record));
}

function elapsed(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${s % 60 === 0 ? '' : `${s % 60}s`}` : `${Math.floor(m / 60)}h${m % 60}m`;
}

/** How often the target is resolved again to find pods that started matching (stern watches; this lists). */
export const DEFAULT_REDISCOVER_EVERY_MS = 5_000;

/** Resolves the target again while following, to pick up pods that appeared since. */
export interface Rediscovery {
  resolve: () => Promise<ResolvedTarget>;
  /** Default `DEFAULT_REDISCOVER_EVERY_MS`. */
  everyMs?: number | undefined;
}

interface Followed {
  pod: PodSummary;
  name: string;
  parser: LogParser;
  /** Entries parsed and not yet printed. */
  batch: string[];
  /** Started after following began (a pod that appeared meanwhile). */
  joined: boolean;
}

/** Resolves after `ms`, or at once when `signal` aborts; never keeps the process alive past an abort. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

const plural = (n: number, word: string) => `${n} ${n === 1 ? word : `${word}s`}`;

export async function followLogs(
  reader: ClusterReader,
  resolved: ResolvedTarget,
  options: FollowLogsOptions,
  sinks: FollowSinks,
  clock: Clock,
  rediscovery?: Rediscovery,
): Promise<SummaryReport> {
  const follow = reader.followProxyLog?.bind(reader);
  if (follow === undefined) {
    throw new MeshbotError('usage', '--follow needs a terminal: run it with the meshbot CLI', {
      command: 'logs',
    });
  }
  const limit = options.maxStreams ?? DEFAULT_MAX_FOLLOW_STREAMS;
  const { pods, description } = resolved;
  if (pods.length > limit) {
    throw new MeshbotError(
      'invalid_argument',
      `${description} has ${pods.length} pods and --follow keeps one stream open per pod (at most ${limit}): narrow it with -l SELECTOR or a workload, or raise --max-log-requests (up to 100)`,
      { command: 'logs', pods: pods.length, limit },
    );
  }
  const started = clock();
  const fromMs = options.sinceMs === undefined ? null : started - options.sinceMs;
  const newOnly = options.sinceMs === undefined && options.tailLines === undefined;
  const read: LogReadOptions = newOnly
    ? { tailLines: 0 } // like `kubectl logs -f --tail=0`: only what is written from now on
    : {
        ...(options.sinceMs === undefined
          ? {}
          : { sinceSeconds: Math.max(1, Math.ceil(options.sinceMs / 1000)) }),
        ...(options.tailLines === undefined ? {} : { tailLines: options.tailLines }),
      };
  // Caller IPs are named from every pod listed so far, the ones found while following too.
  let resolveIp = podResolver(resolved.seen, resolved.namespace);
  const builder = new SummaryBuilder({
    sinceMs: fromMs,
    resolve: (ip) => resolveIp(ip),
  });
  const stop = new AbortController();
  const onStop = () => stop.abort();
  options.signal?.addEventListener('abort', onStop, { once: true });
  if (options.signal?.aborted) stop.abort();
  const format = options.format === 'json' ? followJson : followLine;
  const formatConnection = options.format === 'json' ? followJson : followConnectionLine;
  const failures: ReadFailure[] = [];
  const ended: PodSummary[] = [];
  const followed = new Map<string, Followed>();
  const running = new Set<Promise<void>>();
  /** Pods that appeared while following but were not followed: the stream limit was reached. */
  const overLimit = new Set<string>();
  let rediscoveryProblem: string | undefined;

  const start = (pod: PodSummary, podRead: LogReadOptions, joined: boolean) => {
    const name = `${pod.namespace}/${pod.name}`;
    const batch: string[] = [];
    const parser = new LogParser(
      name,
      (result) => {
        if (!result.ok) return;
        if (result.connection !== undefined) {
          // ztunnel's connection records (issue 14) are printed, not summarized (yet).
          const record = result.connection;
          if (record.origin === null) record.origin = pod.name;
          const at = record.timestamp === null ? Number.NaN : Date.parse(record.timestamp);
          if (fromMs === null || Number.isNaN(at) || at >= fromMs)
            batch.push(`${formatConnection(record)}\n`);
          return;
        }
        const entry = result.entry;
        if (entry.origin === null) entry.origin = pod.name;
        builder.add(entry);
        const at = entry.start_time === null ? Number.NaN : Date.parse(entry.start_time);
        if (fromMs === null || Number.isNaN(at) || at >= fromMs) batch.push(`${format(entry)}\n`);
      },
      { customParser: options.customParser },
    );
    followed.set(name, { pod, name, parser, batch, joined });
    const task = (async () => {
      try {
        await follow(
          pod.namespace,
          pod.name,
          podRead,
          async (text) => {
            parser.push(text);
            if (batch.length === 0) return;
            const chunk = batch.join('');
            batch.length = 0;
            await sinks.lines(chunk);
          },
          stop.signal,
        );
        if (!stop.signal.aborted) ended.push(pod);
      } catch (e) {
        failures.push({ pod, error: asMeshbotError(e) });
      } finally {
        parser.end();
        if (batch.length > 0) await sinks.lines(batch.splice(0).join(''));
      }
    })();
    running.add(task);
    void task.finally(() => running.delete(task));
  };

  /** Follows the pods that match now and are not followed yet; how many it started. */
  const rediscover = async (resolve: () => Promise<ResolvedTarget>): Promise<number> => {
    let now: ResolvedTarget;
    try {
      now = await resolve();
    } catch (e) {
      const error = asMeshbotError(e);
      // No pod matches right now (scaled to zero, mid-rollout): nothing new, not a failure.
      if (error.code !== 'target_not_found') rediscoveryProblem = error.message;
      return 0;
    }
    rediscoveryProblem = undefined;
    resolveIp = podResolver([...resolved.seen, ...now.seen], resolved.namespace);
    let startedNow = 0;
    for (const pod of now.pods) {
      const name = `${pod.namespace}/${pod.name}`;
      if (followed.has(name) || stop.signal.aborted) continue;
      if (running.size >= limit) {
        overLimit.add(name);
        continue;
      }
      overLimit.delete(name);
      // A pod that appeared meanwhile: what it wrote since following started (all of it when new).
      const since = Math.max(1, Math.ceil((clock() - started) / 1000) + 1);
      start(pod, newOnly ? { sinceSeconds: since } : read, true);
      sinks.progress?.(`now also following ${name} (it appeared while following)`);
      startedNow += 1;
    }
    return startedNow;
  };

  const timer =
    options.summaryEveryMs !== undefined && sinks.emit !== undefined
      ? setInterval(() => {
          const report = builder.result();
          report.sources = sourcesNow();
          report.notes.unshift(
            `${description}: following ${plural(running.size, 'pod')} for ${elapsed(clock() - started)}`,
          );
          sinks.emit?.(report);
        }, options.summaryEveryMs)
      : undefined;
  const sourcesNow = () =>
    [...followed.values()].map(({ name, parser }) => ({
      name,
      entries: parser.stats.entries,
      skipped_lines: Object.entries(parser.stats.skipped).reduce(
        (n, [reason, count]) => (reason === 'blank' ? n : n + count),
        0,
      ),
    }));
  sinks.progress?.(
    `following the istio-proxy logs of ${plural(pods.length, 'pod')} of ${description}${
      newOnly ? ' (new entries only)' : ''
    }; Ctrl-C stops and prints the summary`,
  );
  for (const pod of pods) start(pod, read, false);
  try {
    if (rediscovery === undefined) {
      while (running.size > 0) await Promise.all([...running]);
    } else {
      const everyMs = rediscovery.everyMs ?? DEFAULT_REDISCOVER_EVERY_MS;
      while (!stop.signal.aborted) {
        const allEnded = Promise.all([...running]).then(() => running.size === 0);
        const wake = new AbortController();
        const waited = await Promise.race([
          sleep(everyMs, AbortSignal.any([stop.signal, wake.signal])).then(() => false),
          allEnded,
        ]);
        wake.abort();
        if (stop.signal.aborted) break;
        const startedNow = await rediscover(rediscovery.resolve);
        // Every stream ended and no pod is left to follow: done (as when the pods are deleted).
        if (waited && startedNow === 0 && running.size === 0) break;
      }
      while (running.size > 0) await Promise.all([...running]);
    }
  } finally {
    if (timer !== undefined) clearInterval(timer);
    options.signal?.removeEventListener('abort', onStop);
  }
  const all = [...followed.values()];
  if (failures.length === all.length) throw allFailedError(failures, description);
  const failed = new Set(failures.map((f) => f.pod));
  for (const { pod, name, parser } of all) {
    if (!failed.has(pod)) builder.addSource(name, parser.stats.entries, parser.stats.skipped);
  }
  const report = builder.result();
  const how = stop.signal.aborted ? 'stopped' : 'every stream ended';
  const joined = all.filter((f) => f.joined);
  report.notes.unshift(
    `${description}: ${plural(all.length, 'pod')} followed for ${elapsed(clock() - started)} (${how})${
      joined.length === 0 ? '' : `, ${joined.length} of them appeared while following`
    }`,
  );
  for (const f of joined) report.notes.push(`${f.name}: followed from when it appeared`);
  for (const f of failures) {
    report.notes.push(`${f.pod.namespace}/${f.pod.name} not followed: ${failureReason(f.pod, f.error)}`);
  }
  for (const p of ended) {
    report.notes.push(`${p.namespace}/${p.name}: stream ended (pod deleted or proxy restarted)`);
  }
  if (overLimit.size > 0) {
    report.notes.push(
      `${plural(overLimit.size, 'pod')} that appeared while following not followed: ${[...overLimit].slice(0, 3).join(', ')}${overLimit.size > 3 ? ` +${overLimit.size - 3} more` : ''} (at most ${plural(limit, 'stream')} at once; raise --max-log-requests)`,
    );
  }
  if (rediscoveryProblem !== undefined) {
    report.notes.push(`could not look for new pods at the end: ${rediscoveryProblem}`);
  }
  if (rediscovery === undefined && ended.length > 0) {
    report.notes.push('Pods created after following started are not followed.');
  }
  for (const p of resolved.withoutProxy) {
    report.notes.push(`${p.namespace}/${p.name} has no istio-proxy container (not injected); left out`);
  }
  return report;
}
