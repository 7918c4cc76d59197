/**
 * A summary keeps numbers and strings of its own, never views into the input: V8 slices share their
 * parent's memory, so one request id kept per flow would otherwise keep that flow's whole chunk of log.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { parseTextRecord } from '../accesslog/parse-text.js';
import { SummaryBuilder } from './summarize.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapMB(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

describe('SummaryBuilder memory', () => {
  it('does not keep the chunks its flows and findings were first seen in', () => {
    const builder = new SummaryBuilder();
    const before = heapMB();
    const flows = 1500;
    for (let i = 0; i < flows; i++) {
      const code = i % 3 === 0 ? 503 : 200;
      const flags = i % 3 === 0 ? 'UF' : '-';
      const line = `[2026-11-21T09:00:${String(i % 60).padStart(2, '0')}.000Z] "GET /service-${i}/items HTTP/1.1" ${code} ${flags} via_upstream - "-" 0 10 1 1 "-" "curl/8.5.0" "request-id-${i}-0000-0000-000000000000" "svc-${i}:9080" "10.0.${i % 250}.1:9080" outbound|9080||svc-${i}.ns-${i}.svc.cluster.local 10.1.0.1:${30000 + i} 10.96.0.1:9080 10.1.0.1:${40000 + i} - default`;
      // Each line is a view into its own 64 KiB chunk, as the file reader hands them over.
      const chunk = `${line}\n${'x'.repeat(65536)}${i}`;
      const result = parseTextRecord(chunk.slice(0, line.length), 'f', 1, null);
      if (!result.ok || result.entry === undefined) throw new Error(`line ${i} did not parse`);
      builder.add(result.entry);
    }
    const grown = heapMB() - before;
    const report = builder.result();
    expect(report.flows).toHaveLength(flows);
    expect(report.findings.length).toBeGreaterThan(0);
    // Keeping the chunks would cost 1500 × 64 KiB ≈ 94 MB.
    expect(grown).toBeLessThan(20);
  });
});

describe('SummaryBuilder example ids', () => {
  it('keeps at most 128 characters of an id: ids are log text, up to a line long', () => {
    const id = `req-${'a'.repeat(200_000)}`;
    const line = `[2026-11-21T09:00:00.000Z] "GET /x HTTP/1.1" 503 UF via_upstream - "-" 0 10 1 1 "-" "curl/8.5.0" "${id}" "svc:9080" "10.0.0.1:9080" outbound|9080||svc.ns.svc.cluster.local 10.1.0.1:30000 10.96.0.1:9080 10.1.0.1:40000 - default`;
    const result = parseTextRecord(line, 'f', 1, null);
    if (!result.ok || result.entry === undefined) throw new Error('the line did not parse');
    const builder = new SummaryBuilder();
    builder.add(result.entry);
    expect(builder.result().flows[0]?.example_request_ids).toEqual([id.slice(0, 128)]);
  });
});
