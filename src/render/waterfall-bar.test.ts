/** Waterfall bars: a 0 ms hop draws as a 0 ms bar, not as unknown timing. */
import { describe, expect, it } from 'vitest';
import type { TraceReport } from '../analysis/report.js';
import { realisticTrace } from './sample-reports.test-helper.js';
import { waterfallBar, waterfallSpan } from './waterfall-bar.js';

const base = realisticTrace.hops[0];

function traceOf(hops: { offset_ms: number | null; duration_ms: number | null }[]): TraceReport {
  if (base === undefined) throw new Error('sample trace has no hops');
  return { ...realisticTrace, total_duration_ms: 0, hops: hops.map((h) => ({ ...base, ...h })) };
}

describe('waterfall', () => {
  it('draws hops that all took 0 ms as one-column bars', () => {
    const trace = traceOf([
      { offset_ms: 0, duration_ms: 0 },
      { offset_ms: 0, duration_ms: 0 },
    ]);
    const span = waterfallSpan(trace);
    expect(span).toBe(1);
    for (const hop of trace.hops) expect(waterfallBar(hop, span, 10)).toBe(`█${' '.repeat(9)}`);
  });

  it('keeps ? marks only where timing is unknown', () => {
    const trace = traceOf([{ offset_ms: null, duration_ms: null }]);
    expect(waterfallSpan(trace)).toBeNull();
    const [hop] = trace.hops;
    if (hop === undefined) throw new Error('no hop');
    expect(waterfallBar(hop, null, 4)).toBe('????');
  });
});
