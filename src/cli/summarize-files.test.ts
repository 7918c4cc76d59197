import { describe, expect, it } from 'vitest';
import type { AccessLogEntry } from '../accesslog/entry.js';
import { parseTextRecord } from '../accesslog/parse-text.js';
import { summarizeEntries } from '../analysis/summarize.js';
import { fromPosted, toPosted } from './summarize-files.js';

function entry(code: number, path: string): AccessLogEntry {
  const line = `[2026-12-05T10:00:00.000Z] "GET ${path} HTTP/1.1" ${code} - via_upstream - "-" 0 10 5 4 "-" "curl" "id-${code}-${path}" "reviews:9080" "10.0.0.9:9080" outbound|9080||reviews.default.svc.cluster.local 10.0.0.1:40000 10.96.0.9:9080 10.0.0.1:39000 - default`;
  const result = parseTextRecord(line, 'test', 1, null);
  if (!result.ok || result.entry === undefined) throw new Error('test line does not parse');
  return result.entry;
}

describe('the report a worker posts', () => {
  it('comes back equal, response codes in the same order, through a structured clone', () => {
    const report = summarizeEntries([
      entry(503, '/a'),
      entry(200, '/a'),
      entry(200, '/a'),
      entry(404, '/b'),
      entry(0, '/c'),
    ]);
    const expected = structuredClone(report);
    const back = fromPosted(structuredClone(toPosted(report)));
    expect(back).toEqual(expected);
    for (const [i, flow] of back.flows.entries())
      expect(Object.keys(flow.codes)).toEqual(Object.keys(expected.flows[i]?.codes ?? {}));
  });
});
