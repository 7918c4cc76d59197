/**
 * @module commands/table/logs-from-files
 * `logs --file FILE... [WORKLOAD] [--since DUR | --since-time T]`: the summary over saved logs.
 * Next to `--file`, a positional that is a plain name (a DNS label: no dot, no slash) or KIND/NAME
 * (`deploy/x`, `pod/x`, …) is the workload to summarise out of a mesh-wide file; anything else (`a.log`,
 * `./all`, `-`, `logs/*.log` expanded by the shell) is one more file.
 */
import type { RecordParser } from '../../accesslog/custom-format.js';
import type { SummaryReport } from '../../analysis/report.js';
import { MeshbotError } from '../../core/errors.js';
import type { CommandDeps } from '../command-deps.js';
import type { ParsedCommand } from '../command-spec.js';
import { fileWindow, type SinceWindow, sinceWindowOf } from '../since-window.js';
import { looksLikeTarget, workloadFilter } from '../workload-filter.js';
import { requireFiles } from './require-files.js';

export interface LogsFromFilesRequest {
  source: 'files';
  files: string[];
  /** The workload whose entries to keep; undefined keeps every entry. */
  target: string | undefined;
  window: SinceWindow | undefined;
  customParser: RecordParser | undefined;
  /** `--log-format` as given (compiled into `customParser`), for a summary made elsewhere. */
  logFormat: string | undefined;
}

/** The request for `logs --file …`: files and at most one workload among the positionals. */
export function logsFromFilesRequest(
  parsed: ParsedCommand,
  given: readonly string[],
  positionals: readonly string[],
  customParser: RecordParser | undefined,
  logFormat?: string | undefined,
): LogsFromFilesRequest {
  const targets = positionals.filter(looksLikeTarget);
  if (targets.length > 1) {
    throw new MeshbotError(
      'usage',
      `with --file, logs takes one workload to summarise (got ${targets.join(', ')}); a file without a dot in its name is passed as ./NAME or with --file`,
      { command: 'logs' },
    );
  }
  return {
    source: 'files',
    files: [...given, ...positionals.filter((p) => !looksLikeTarget(p))],
    target: targets[0],
    window: sinceWindowOf(parsed),
    customParser,
    logFormat,
  };
}

export async function logsFromFiles(
  deps: CommandDeps,
  request: LogsFromFilesRequest,
): Promise<SummaryReport> {
  const sources = await requireFiles(deps, request.files);
  const window = await fileWindow(request.window, sources, {
    hasStdin: request.files.includes('-'),
    clock: deps.clock,
    customParser: request.customParser,
    signal: deps.signal,
  });
  const notes = window.note === undefined ? [] : [window.note];
  const elsewhere =
    request.files.includes('-') || deps.summarizeFiles === undefined
      ? undefined
      : deps.summarizeFiles(
          {
            paths: sources.map((s) => s.name),
            sinceMs: window.sinceMs ?? null,
            logFormat: request.logFormat,
            target: request.target,
            notes,
          },
          deps.signal,
        );
  if (elsewhere !== undefined) return elsewhere;
  const { summarizeLogs } = await import('../summarize-logs.js');
  return summarizeLogs(sources, {
    sinceMs: window.sinceMs,
    customParser: request.customParser,
    filter: request.target === undefined ? undefined : workloadFilter(request.target),
    signal: deps.signal,
    notes,
  });
}
