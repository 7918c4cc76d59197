/**
 * @module commands/table/trace-command
 * `trace REQUEST_ID [-n NS]... [-A] | --file FILE...`: one request's hops across proxies.
 */
import type { RecordParser } from '../../accesslog/custom-format.js';
import { MeshbotError } from '../../core/errors.js';
import type { Connection } from '../command-deps.js';
import { liveTrace } from '../live-trace.js';
import { traceRequest } from '../trace-request.js';
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
} from './options.js';
import { requireFiles } from './require-files.js';

export type TraceRequest =
  | {
      source: 'cluster';
      id: string;
      namespaces: string[];
      all: boolean;
      sinceMs: number | undefined;
      maxLogRequests: number | undefined;
      customParser: RecordParser | undefined;
      connection: Connection;
    }
  | { source: 'files'; id: string; files: string[]; customParser: RecordParser | undefined };

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
      { name: 'since', kind: 'duration', description: 'How far back to read pod logs (default 1h)' },
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
    if (files.length > 0) {
      refuseWithFiles(parsed, [
        'namespace',
        'all-namespaces',
        'since',
        'max-log-requests',
        'kubeconfig',
        'context',
      ]);
      return { source: 'files', id, files, customParser };
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
      sinceMs: number(parsed, 'since'),
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
      const report = await traceRequest(request.id, await requireFiles(deps, request.files), {
        customParser: request.customParser,
      });
      if (report.hops.length === 0) {
        report.notes.push({
          kind: 'info',
          hop: null,
          message: `not in ${request.files.length === 1 ? 'this file' : `these ${request.files.length} files`}: check the id, or add other proxies' logs with -f`,
        });
      }
      return report;
    }
    return liveTrace(await deps.cluster(request.connection), request.id, {
      namespaces: request.namespaces,
      allNamespaces: request.all,
      sinceMs: request.sinceMs,
      maxLogRequests: request.maxLogRequests,
      customParser: request.customParser,
      progress: deps.progress,
      onMatchingLines: deps.matchingLines,
    });
  },
});
