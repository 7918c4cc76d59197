/** Runs text through a LogParser and returns the entries, the connection records and the parser's stats. */
import type { RecordParser } from '../../src/accesslog/custom-format.js';
import type { AccessLogEntry, ConnectionRecord, ParseResult } from '../../src/accesslog/entry.js';
import { LogParser, type ParseStats } from '../../src/accesslog/log-parser.js';

export function parseAll(
  input: string | string[],
  options: { source?: string; customParser?: RecordParser } = {},
): { entries: AccessLogEntry[]; connections: ConnectionRecord[]; results: ParseResult[]; stats: ParseStats } {
  const results: ParseResult[] = [];
  const parser = new LogParser(options.source ?? 'test.log', (r) => results.push(r), {
    customParser: options.customParser,
  });
  for (const chunk of Array.isArray(input) ? input : [input]) parser.push(chunk);
  parser.end();
  const entries = results.flatMap((r) => (r.ok && r.entry !== undefined ? [r.entry] : []));
  const connections = results.flatMap((r) => (r.ok && r.connection !== undefined ? [r.connection] : []));
  return { entries, connections, results, stats: parser.stats };
}

export function parseOne(line: string): AccessLogEntry {
  const { entries } = parseAll(`${line}\n`);
  const entry = entries[0];
  if (entries.length !== 1 || entry === undefined) throw new Error(`expected one entry from: ${line}`);
  return entry;
}
