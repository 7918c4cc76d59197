/**
 * @module commands/read-sources
 * Feeds every source through the access-log parser, one source at a time, and hands each entry to a
 * consumer as it is parsed (streaming: nothing is kept unless the consumer keeps it).
 */
import type { RecordParser } from '../accesslog/custom-format.js';
import type { AccessLogEntry, ConnectionRecord } from '../accesslog/entry.js';
import { LogParser, type ParseStats } from '../accesslog/log-parser.js';
import type { LogSource } from './ports.js';

export interface ReadOptions {
  customParser?: RecordParser | undefined;
  prefilter?: ((text: string) => boolean) | undefined;
  /** See `LogParserOptions.general` (for tests). */
  general?: boolean | undefined;
  /** Sees ztunnel's connection records (issue 14), in input order; without it they are only counted. */
  onConnection?: ((record: ConnectionRecord) => void) | undefined;
  /**
   * Reading stops between chunks, and before the next source, once this aborts (Ctrl-C): what was read is
   * still parsed and returned. Sources that can wait for input (stdin) should stop on it too.
   */
  signal?: AbortSignal | undefined;
}

export interface SourceResult {
  source: LogSource;
  stats: ParseStats;
}

/**
 * Parses each source in turn; `onEntry` sees entries in input order. Errors from a source propagate.
 * Sources not reached because `options.signal` aborted have no result.
 */
export async function readSources(
  sources: readonly LogSource[],
  onEntry: (entry: AccessLogEntry) => void,
  options: ReadOptions = {},
  onSourceDone?: (result: SourceResult) => void,
): Promise<SourceResult[]> {
  const results: SourceResult[] = [];
  for (const source of sources) {
    if (options.signal?.aborted === true) break;
    const result = await readSource(source, onEntry, options);
    results.push(result);
    onSourceDone?.(result);
  }
  return results;
}

export async function readSource(
  source: LogSource,
  onEntry: (entry: AccessLogEntry) => void,
  options: ReadOptions = {},
): Promise<SourceResult> {
  const origin = source.origin ?? null;
  const onConnection = options.onConnection;
  const parser = new LogParser(
    source.name,
    (result) => {
      if (!result.ok) return;
      const record = result.entry ?? result.connection;
      if (origin !== null && record.origin === null) record.origin = origin;
      if (result.entry !== undefined) onEntry(result.entry);
      else onConnection?.(result.connection);
    },
    {
      customParser: options.customParser,
      prefilter: options.prefilter,
      general: options.general,
    },
  );
  const signal = options.signal;
  for await (const chunk of source.read()) {
    parser.push(chunk);
    if (signal?.aborted === true) break;
  }
  parser.end();
  return { source, stats: parser.stats };
}
