/**
 * @module render/waterfall-bar
 * The timing bar of one hop in a trace waterfall: the hop's start offset and duration scaled to a fixed
 * number of columns. Shared by the Slack and terminal trace renderers.
 */
import type { TraceHop, TraceReport } from '../analysis/report.js';

/** Default bar width in columns. */
export const WATERFALL_COLUMNS = 40;

/**
 * The time span the bars are scaled to: the trace's total, else the latest hop end; 1 ms when every timed
 * hop took 0 ms (so they draw as 0 ms, not as unknown); null when no hop has timing.
 */
export function waterfallSpan(report: TraceReport): number | null {
  if (report.total_duration_ms !== null && report.total_duration_ms > 0) return report.total_duration_ms;
  let end = 0;
  let timed = false;
  for (const hop of report.hops) {
    if (hop.offset_ms !== null && hop.duration_ms !== null) timed = true;
    end = Math.max(end, (hop.offset_ms ?? 0) + (hop.duration_ms ?? 0));
  }
  return end > 0 ? end : timed ? 1 : null;
}

/**
 * A bar of exactly `columns` characters: `·` before the hop starts, `█` while it runs (at least one),
 * spaces after. Without an offset or a duration the bar is `?` marks, so missing timing is visible.
 */
export function waterfallBar(hop: TraceHop, span: number | null, columns = WATERFALL_COLUMNS): string {
  if (columns <= 0) return '';
  if (hop.offset_ms === null || hop.duration_ms === null || span === null) return '?'.repeat(columns);
  const offset = Math.max(0, hop.offset_ms);
  const start = Math.min(columns - 1, Math.floor((offset / span) * columns));
  const length = Math.max(
    1,
    Math.min(columns - start, Math.round((Math.max(0, hop.duration_ms) / span) * columns)),
  );
  return '·'.repeat(start) + '█'.repeat(length) + ' '.repeat(columns - start - length);
}
