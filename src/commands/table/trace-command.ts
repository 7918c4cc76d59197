/**
 * @module commands/table/trace-command
 * `trace REQUEST_ID [-n NS]... [-A] | --file FILE...`: one request's hops across proxies.
 */
import type { RecordParser } from '../../accesslog/custom-format.js';
import { MeshbotError } from '../../core/errors.js';
import type { Connection } from '../command-deps.js';
import { clusterSinceMs, fileWindow, type SinceWindow, sinceWindowOf } from '../since-window.js';
import {
  connectionOf,
  defineCommand,
  flag,
  list,
  number,
  positional,
  positionals,
  refuseWithFiles,
} from './define-command.js';
import { customParserOf } from './log-format.js';
import {
  ALL_NAMESPACES,
  CONNECTION,
  FILE,
  FORMAT,
  LOG_FORMAT,
  MAX_LOG_REQUESTS,
  NAMESPACES,
  SINCE_TIME,
} from './options.js';
import { requireFiles } from './require-files.js';

/** A whole x-request-id as Envoy makes them (a UUID). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type TraceRequest =
  | {
      source: 'cluster';
      id: string;
      namespaces: string[];
      all: boolean;
      /** `--since` or `--since-time`, as `sinceMs` at run time (since-window). */
      window: SinceWindow | undefined;
      maxLogRequests: number | undefined;
      customParser: RecordParser | undefined;
      connection: Connection;
    }
  | {
      source: 'files';
      id: string;
      files: string[];
      /** `--since` (counted back from the newest entry in the files; from now with stdin) or `--since-time`. */
      window: SinceWindow | undefined;
      customParser: RecordParser | undefined;
    };

export const traceCommand = defineCommand<TraceRequest>({
  spec: {
    name: 'trace',
    summary: 'Follow one x-request-id across proxies and show the hop chain with timings',
    positionals: [
      {
        name: 'REQUEST_ID',
        kind: 'request-id',
        required: true,
        description: 'the x-request-id from an access log, e.g. be5acb4a-9e3e-4540-814d-07c2c7dcf7f1',
      },
      {
        name: 'FILE',
        kind: 'file',
        required: false,
        variadic: true,
        description: 'saved logs',
        frontEnds: ['cli'],
      },
    ],
    options: [
      FILE,
      NAMESPACES,
      ALL_NAMESPACES,
      {
        name: 'since',
        kind: 'duration',
        description:
          'Leave out hops that started longer ago (default 1h from a cluster; with --file counted back from the newest entry in the files)',
      },
      SINCE_TIME,
      MAX_LOG_REQUESTS,
      ...CONNECTION,
      FORMAT,
      LOG_FORMAT,
    ],
    examples: [
      'trace be5acb4a-9e3e-4540-814d-07c2c7dcf7f1 -n istio-testing',
      'trace be5acb4a-9e3e-4540-814d-07c2c7dcf7f1 -A --since 3h',
      'trace be5acb4a-9e3e-4540-814d-07c2c7dcf7f1 --file sleep.log --file helloworld.log',
    ],
    frontEnds: ['cli', 'slack'],
    mutating: false,
    heavy: true,
  },
  toRequest(parsed) {
    const id = positional(parsed, 'REQUEST_ID') ?? '';
    const customParser = customParserOf(parsed);
    const files = [...list(parsed, 'file'), ...positionals(parsed, 'FILE')];
    // `trace id1 id2`: a second id is not a file name (a saved log named like an id takes -f ./id).
    const ids = positionals(parsed, 'FILE').filter((f) => UUID.test(f));
    if (ids.length > 0) {
      throw new MeshbotError(
        'usage',
        `trace takes one request id (got ${ids.length + 1}: ${[id, ...ids].map((i) => `"${i}"`).join(', ')}); trace them one at a time`,
        { command: 'trace' },
      );
    }
    if (files.length > 0) {
      refuseWithFiles(parsed, ['namespace', 'all-namespaces', 'max-log-requests', 'kubeconfig', 'context']);
      return { source: 'files', id, files, window: sinceWindowOf(parsed), customParser };
    }
    const namespaces = [...new Set(list(parsed, 'namespace'))];
    const all = flag(parsed, 'all-namespaces');
    if (all && namespaces.length > 0) {
      throw new MeshbotError('usage', 'pass either -n NAMESPACE (repeatable) or -A, not both', {
        command: 'trace',
      });
    }
    return {
      source: 'cluster',
      id,
      namespaces,
      all,
      window: sinceWindowOf(parsed),
      maxLogRequests: number(parsed, 'max-log-requests'),
      customParser,
      connection: connectionOf(parsed),
    };
  },
  scope(request) {
    if (request.source === 'files') return { kind: 'none' };
    if (request.all) return { kind: 'all' };
    return request.namespaces.length === 0
      ? { kind: 'default' }
      : { kind: 'namespaces', names: request.namespaces };
  },
  async run(deps, request) {
    if (request.source === 'files') {
      const sources = await requireFiles(deps, request.files);
      const window = await fileWindow(request.window, sources, {
        hasStdin: request.files.includes('-'),
        clock: deps.clock,
        customParser: request.customParser,
        signal: deps.signal,
      });
      const { traceRequest } = await import('../trace-request.js');
      const report = await traceRequest(request.id, sources, {
        customParser: request.customParser,
        sinceMs: window.sinceMs,
        signal: deps.signal,
      });
      if (window.note !== undefined) report.notes.push({ kind: 'info', hop: null, message: window.note });
      if (report.hops.length === 0 && report.interrupted !== true) {
        report.notes.push({
          kind: 'info',
          hop: null,
          message: `not in ${request.files.length === 1 ? 'this file' : `these ${request.files.length} files`}: check the id, or add other proxies' logs with -f`,
        });
      }
      return report;
    }
    const { liveTrace } = await import('../live-trace.js');
    return liveTrace(await deps.cluster(request.connection), request.id, {
      namespaces: request.namespaces,
      allNamespaces: request.all,
      sinceMs: clusterSinceMs(request.window, deps.clock),
      // `--since-time`: read from that instant (the API's sinceTime), not from a duration back from now.
      sinceTimeMs: request.window?.kind === 'time' ? request.window.atMs : undefined,
      nowMs: deps.clock(),
      signal: deps.signal,
      maxLogRequests: request.maxLogRequests,
      customParser: request.customParser,
      progress: deps.progress,
      onMatchingLines: deps.matchingLines,
    });
  },
});
