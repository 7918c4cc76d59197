/**
 * @module commands/table/logs-command
 * `logs TARGET | -l SELECTOR | --file FILE...`: a workload's inbound and outbound flows, findings first;
 * with `--follow` (CLI only) each new entry is printed as it arrives and the summary when it stops.
 */
import type { RecordParser } from '../../accesslog/custom-format.js';
import { MeshbotError } from '../../core/errors.js';
import type { Connection } from '../command-deps.js';
import type { ParsedCommand } from '../command-spec.js';
import { parseLabelSelector } from '../label-selector.js';
import { DEFAULT_MAX_FOLLOW_STREAMS } from '../limits.js';
import type { LogsTarget } from '../live-logs.js';
import { clusterSinceMs, type SinceWindow, sinceWindowOf } from '../since-window.js';
import { looksLikeTarget } from '../workload-filter.js';
import {
  connectionOf,
  defineCommand,
  flag,
  list,
  number,
  positionals,
  refuseWithFiles,
  text,
} from './define-command.js';
import { customParserOf } from './log-format.js';
import { type LogsFromFilesRequest, logsFromFiles, logsFromFilesRequest } from './logs-from-files.js';
import {
  ALL_NAMESPACES,
  CONNECTION,
  FILE,
  FORMAT,
  LOG_FORMAT,
  MAX_LOG_REQUESTS,
  NAMESPACE,
  SINCE_TIME,
} from './options.js';

export type LogsRequest =
  | {
      source: 'cluster';
      target: LogsTarget;
      /** `--follow`: stream entries (as text lines or NDJSON) and summarise every `summaryEveryMs`. */
      follow?: { format: 'text' | 'json'; summaryEveryMs: number | undefined };
      namespace: string | undefined;
      /** `--since` or `--since-time`, as `sinceMs` at run time (since-window). */
      window: SinceWindow | undefined;
      tailLines: number | undefined;
      previous: boolean;
      maxLogRequests: number | undefined;
      customParser: RecordParser | undefined;
      connection: Connection;
    }
  | LogsFromFilesRequest;

export const logsCommand = defineCommand<LogsRequest>({
  spec: {
    name: 'logs',
    summary: 'Summarise access-log entries: findings first, then inbound and outbound flows',
    positionals: [
      {
        name: 'TARGET',
        kind: 'string',
        required: false,
        variadic: true,
        description: 'a pod, deploy/NAME, sts/NAME, ds/NAME, svc/NAME or an app name',
      },
    ],
    options: [
      {
        ...FILE,
        missing:
          '-f is --file in meshbot (saved logs, - for stdin); to stream new entries from a cluster use --follow',
      },
      NAMESPACE,
      {
        name: 'selector',
        short: 'l',
        kind: 'string',
        value: 'SELECTOR',
        description:
          'Read the pods matching this label selector instead of a TARGET, e.g. app=reviews,version!=v1 (=, ==, !=, in, notin, KEY, !KEY)',
      },
      {
        name: 'follow',
        kind: 'boolean',
        description:
          'Print each new entry as it arrives (stern-style) until Ctrl-C, then the summary (exit 0); pods that appear meanwhile are followed too. -f is --file, not follow',
        frontEnds: ['cli'],
      },
      {
        name: 'summary-every',
        kind: 'duration',
        description: 'With --follow: also print the summary so far this often, e.g. 1m',
        frontEnds: ['cli'],
      },
      {
        ...ALL_NAMESPACES,
        refused:
          "it reads one TARGET; without -n it looks in the context's namespace, then in every namespace",
      },
      {
        name: 'since',
        kind: 'duration',
        description:
          'Only entries within this long before now (in saved logs: before their newest entry), e.g. 15m, 2h (default 15m from a cluster)',
      },
      SINCE_TIME,
      {
        name: 'tail',
        kind: 'count',
        min: 0,
        unlimited: -1,
        description: 'Read at most the last N lines of each pod (-1: all, as kubectl)',
      },
      {
        name: 'previous',
        short: 'p',
        kind: 'boolean',
        description: "Read the previous (crashed or restarted) proxy container's log",
      },
      {
        ...MAX_LOG_REQUESTS,
        description: `Pod logs read at once (default 5; with --follow, streams open at once, default ${DEFAULT_MAX_FOLLOW_STREAMS})`,
      },
      ...CONNECTION,
      FORMAT,
      LOG_FORMAT,
    ],
    examples: [
      'logs deploy/reviews -n bookinfo --since 1h',
      'logs helloworld -n istio-testing',
      'logs istio-ingressgateway',
      'logs -l app=reviews,version!=v1 -n bookinfo',
      'logs deploy/reviews -n bookinfo --follow',
      'logs --file examples/bookinfo.log',
      'logs --file examples/bookinfo.log productpage --since 1m',
    ],
    frontEnds: ['cli', 'slack'],
    mutating: false,
    heavy: true,
  },
  toRequest(parsed) {
    const given = list(parsed, 'file');
    const targets = positionals(parsed, 'TARGET');
    const customParser = customParserOf(parsed);
    if (given.length > 0) {
      refuseWithFiles(parsed, [
        'namespace',
        'selector',
        'tail',
        'previous',
        'follow',
        'summary-every',
        'max-log-requests',
        'kubeconfig',
        'context',
      ]);
      return logsFromFilesRequest(parsed, given, targets, customParser, text(parsed, 'log-format'));
    }
    const [name, ...extra] = targets;
    const selectorText = text(parsed, 'selector');
    if (selectorText !== undefined && name !== undefined) {
      throw new MeshbotError(
        'usage',
        `give a TARGET or -l SELECTOR, not both (got ${targets.length === 1 ? 'a TARGET' : 'TARGETs'} and -l)`,
        { command: 'logs' },
      );
    }
    const target: LogsTarget | undefined =
      selectorText === undefined ? name : { selector: parseLabelSelector(selectorText) };
    if (target === undefined) {
      throw new MeshbotError(
        'usage',
        'what should meshbot read? Name a TARGET (a pod, deploy/NAME, svc/NAME or an app name) or -l SELECTOR',
        { command: 'logs' },
      );
    }
    if (extra.length > 0) throw new MeshbotError('usage', 'logs takes one TARGET', { command: 'logs' });
    return {
      source: 'cluster',
      target,
      ...followOf(parsed),
      namespace: text(parsed, 'namespace'),
      window: sinceWindowOf(parsed),
      tailLines: number(parsed, 'tail'),
      previous: flag(parsed, 'previous'),
      maxLogRequests: number(parsed, 'max-log-requests'),
      customParser,
      connection: connectionOf(parsed),
    };
  },
  scope(request) {
    if (request.source === 'files') return { kind: 'none' };
    return request.namespace === undefined
      ? { kind: 'default' }
      : { kind: 'namespaces', names: [request.namespace] };
  },
  async run(deps, request) {
    if (request.source === 'files') {
      return logsFromFiles(deps, request).catch((e: unknown) => {
        throw kubectlFollowHint(e, request.files);
      });
    }
    // The use cases are loaded by the command that runs them: every start-up loads the command table.
    const { liveLogs, resolveLogsTarget } = await import('../live-logs.js');
    if (request.follow !== undefined) {
      const { followLogs } = await import('../follow-logs.js');
      const reader = await deps.cluster(request.connection);
      const lines = deps.lines;
      if (lines === undefined) {
        throw new MeshbotError('usage', '--follow streams to a terminal: run it with the meshbot CLI', {
          command: 'logs',
        });
      }
      const resolved = await resolveLogsTarget(reader, request.target, request.namespace);
      if (resolved.pods.length === 0 && resolved.ambient.length > 0) {
        throw new MeshbotError(
          'usage',
          `${resolved.description} is in ambient mode (no sidecar): --follow streams sidecar logs only; run without --follow to read its ztunnel and waypoint logs`,
          { command: 'logs' },
        );
      }
      return followLogs(
        reader,
        resolved,
        {
          sinceMs: clusterSinceMs(request.window, deps.clock),
          tailLines: request.tailLines,
          maxStreams: request.maxLogRequests,
          customParser: request.customParser,
          format: request.follow.format,
          summaryEveryMs: request.follow.summaryEveryMs,
          signal: deps.signal,
        },
        { lines, emit: deps.emit, progress: deps.progress ?? deps.warn },
        deps.clock,
        // Like stern: a replica that appears while following (scale-up, rollout) is followed too.
        { resolve: () => resolveLogsTarget(reader, request.target, request.namespace) },
      );
    }
    return liveLogs(
      await deps.cluster(request.connection),
      request.target,
      {
        namespace: request.namespace,
        sinceMs: clusterSinceMs(request.window, deps.clock),
        sinceTimeMs: request.window?.kind === 'time' ? request.window.atMs : undefined,
        tailLines: request.tailLines,
        previous: request.previous,
        maxLogRequests: request.maxLogRequests,
        customParser: request.customParser,
        progress: deps.progress,
        onErrorLines: deps.matchingLines,
      },
      deps.clock,
    );
  },
});

/** `--follow` and what goes with it, checked before anything reaches a cluster (nothing when not following). */
function followOf(parsed: ParsedCommand): {
  follow?: { format: 'text' | 'json'; summaryEveryMs: number | undefined };
} {
  const summaryEveryMs = number(parsed, 'summary-every');
  if (!flag(parsed, 'follow')) {
    if (summaryEveryMs !== undefined) {
      throw new MeshbotError('usage', '--summary-every applies to --follow: add --follow or drop it', {
        command: 'logs',
      });
    }
    return {};
  }
  if (flag(parsed, 'previous')) {
    throw new MeshbotError(
      'usage',
      'the previous istio-proxy has stopped, so its log cannot be followed: drop --follow or --previous',
      { command: 'logs' },
    );
  }
  const format = text(parsed, 'format');
  if (format !== undefined && format !== 'text' && format !== 'json' && format !== 'wide') {
    throw new MeshbotError(
      'usage',
      `--follow prints entries as lines (text) or one JSON object per line (-o json), not ${format}`,
      { command: 'logs' },
    );
  }
  return { follow: { format: format === 'json' ? 'json' : 'text', summaryEveryMs } };
}

/**
 * kubectl users type `logs -f TARGET` meaning follow; in meshbot `-f` is `--file`. A missing "file" that
 * reads as a TARGET gets that said.
 */
function kubectlFollowHint(e: unknown, files: readonly string[]): unknown {
  if (!(e instanceof MeshbotError) || e.code !== 'file_not_found') return e;
  const path = typeof e.details.path === 'string' ? e.details.path : undefined;
  if (path === undefined || !files.includes(path) || !looksLikeTarget(path)) return e;
  return new MeshbotError(
    'file_not_found',
    `${e.message}. -f is --file in meshbot; to follow ${path} in a cluster: meshbot logs ${path} --follow`,
    { ...e.details, followHint: true },
    { cause: e },
  );
}
