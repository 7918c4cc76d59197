/**
 * @module commands/table/logs-command
 * `logs TARGET | --file FILE...`: a workload's inbound and outbound flows, findings first.
 */
import type { RecordParser } from '../../accesslog/custom-format.js';
import { MeshbotError } from '../../core/errors.js';
import type { Connection } from '../command-deps.js';
import { liveLogs } from '../live-logs.js';
import { summarizeLogs } from '../summarize-logs.js';
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
import { CONNECTION, FILE, FORMAT, LOG_FORMAT, MAX_LOG_REQUESTS, NAMESPACE } from './options.js';
import { requireFiles } from './require-files.js';

export type LogsRequest =
  | {
      source: 'cluster';
      target: string;
      namespace: string | undefined;
      sinceMs: number | undefined;
      tailLines: number | undefined;
      previous: boolean;
      maxLogRequests: number | undefined;
      customParser: RecordParser | undefined;
      connection: Connection;
    }
  | {
      source: 'files';
      files: string[];
      sinceMs: number | undefined;
      customParser: RecordParser | undefined;
    };

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
      FILE,
      NAMESPACE,
      {
        name: 'since',
        kind: 'duration',
        description: 'Only entries within this long before now, e.g. 15m, 2h (default 15m from a cluster)',
      },
      { name: 'tail', kind: 'count', min: 0, description: 'Read at most the last N lines of each pod' },
      {
        name: 'previous',
        short: 'p',
        kind: 'boolean',
        description: "Read the previous (crashed or restarted) proxy container's log",
      },
      MAX_LOG_REQUESTS,
      ...CONNECTION,
      FORMAT,
      LOG_FORMAT,
    ],
    examples: [
      'logs deploy/reviews -n bookinfo --since 1h',
      'logs helloworld -n istio-testing',
      'logs istio-ingressgateway',
      'logs --file examples/bookinfo.log',
    ],
    frontEnds: ['cli', 'slack'],
    mutating: false,
    heavy: true,
  },
  toRequest(parsed) {
    const given = list(parsed, 'file');
    const targets = positionals(parsed, 'TARGET');
    const customParser = customParserOf(parsed);
    const sinceMs = number(parsed, 'since');
    if (given.length > 0) {
      refuseWithFiles(parsed, ['namespace', 'tail', 'previous', 'max-log-requests', 'kubeconfig', 'context']);
      return { source: 'files', files: [...given, ...targets], sinceMs, customParser };
    }
    const [target, ...extra] = targets;
    if (target === undefined) {
      throw new MeshbotError(
        'usage',
        'what should meshbot read? Name a TARGET: a pod, deploy/NAME, svc/NAME or an app name',
        { command: 'logs' },
      );
    }
    if (extra.length > 0) throw new MeshbotError('usage', 'logs takes one TARGET', { command: 'logs' });
    return {
      source: 'cluster',
      target,
      namespace: text(parsed, 'namespace'),
      sinceMs,
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
      return summarizeLogs(await requireFiles(deps, request.files), {
        sinceMs: request.sinceMs === undefined ? null : deps.clock() - request.sinceMs,
        customParser: request.customParser,
      });
    }
    return liveLogs(
      await deps.cluster(request.connection),
      request.target,
      {
        namespace: request.namespace,
        sinceMs: request.sinceMs,
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
