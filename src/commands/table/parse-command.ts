/**
 * @module commands/table/parse-command
 * `parse [FILE...|-]`: one JSON object per entry (NDJSON) to the front end's sink, `kind` first (`request`;
 * `connection` for ztunnel's connection records), with a `pod` key from a log tool's prefix; the report
 * counts what was skipped, as `logs` does.
 */

import type { RecordParser } from '../../accesslog/custom-format.js';
import { parseOutput, type SkipReason } from '../../accesslog/entry.js';
import { countSkipped } from '../../analysis/skip-reasons.js';
import { MeshbotError } from '../../core/errors.js';
import type { ParseReport } from '../command-report.js';
import { defineCommand, positionals } from './define-command.js';
import { customParserOf } from './log-format.js';
import { LOG_FORMAT } from './options.js';
import { requireFiles } from './require-files.js';

export interface ParseRequest {
  files: string[];
  customParser: RecordParser | undefined;
}

export const parseCommand = defineCommand<ParseRequest>({
  spec: {
    name: 'parse',
    summary:
      'Print one JSON object per access-log entry or ztunnel connection (NDJSON); skipped lines are counted on stderr',
    positionals: [
      { name: 'FILE', kind: 'file', required: false, variadic: true, description: 'saved logs; - for stdin' },
    ],
    options: [LOG_FORMAT],
    examples: ['parse istio-proxy.log | jq .response_code'],
    frontEnds: ['cli'],
    mutating: false,
    heavy: false,
  },
  toRequest(parsed) {
    const files = positionals(parsed, 'FILE');
    return { files: files.length === 0 ? ['-'] : files, customParser: customParserOf(parsed) };
  },
  scope: () => ({ kind: 'none' }),
  async run(deps, request): Promise<ParseReport> {
    const sink = deps.ndjson;
    if (sink === undefined) throw new MeshbotError('usage', 'parse writes NDJSON and runs only in the CLI');
    const sources = await requireFiles(deps, request.files);
    const batch: string[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const chunk = batch.join('');
      batch.length = 0;
      await sink(chunk);
    };
    const throttled = sources.map((source) => ({
      name: source.name,
      async *read() {
        for await (const chunk of source.read()) {
          yield chunk;
          await flush();
        }
      },
    }));
    const write = (record: Parameters<typeof parseOutput>[0]) => {
      batch.push(`${JSON.stringify(parseOutput(record))}\n`);
    };
    const { readSources } = await import('../read-sources.js');
    const results = await readSources(throttled, write, {
      customParser: request.customParser,
      signal: deps.signal,
      onConnection: write,
    });
    await flush();
    const all: Partial<Record<SkipReason, number>> = {};
    let lines = 0;
    for (const { stats } of results) {
      lines += stats.lines;
      for (const [reason, n] of Object.entries(stats.skipped) as [SkipReason, number][]) {
        all[reason] = (all[reason] ?? 0) + n;
      }
    }
    // Counted as `logs` counts them (analysis/skip-reasons).
    const skipped = countSkipped(all).reasons;
    return deps.signal?.aborted === true
      ? { kind: 'parse', lines, skipped, interrupted: true }
      : { kind: 'parse', lines, skipped };
  },
});
