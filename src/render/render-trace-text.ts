/**
 * @module render/render-trace-text
 * A {@link TraceReport} for the terminal: the request id and totals, notes (missing hops, clock skew,
 * retries) marked `✗`/`!`, the hop chain as an indented tree, and a timing waterfall. Same width,
 * colour and sanitizing rules as the summary text.
 */
import type { TraceHop, TraceNote, TraceReport } from '../analysis/report.js';
import { displayWidth, fitToWidth } from './display-width.js';
import { formatCount, formatMs, formatTime, plural } from './format-values.js';
import { DEFAULT_TEXT_WIDTH, type TextRenderOptions } from './render-summary-text.js';
import { cleanField } from './sanitize-text.js';
import { renderLines, type Style, type StyledLine, span } from './styled-lines.js';
import { WATERFALL_COLUMNS, waterfallBar, waterfallSpan } from './waterfall-bar.js';

const NOTE_STYLE: Record<TraceNote['kind'], { mark: string; style: Style }> = {
  missing_hop: { mark: '✗', style: 'red' },
  broken_chain: { mark: '✗', style: 'red' },
  error: { mark: '✗', style: 'red' },
  clock_skew: { mark: '!', style: 'yellow' },
  retry: { mark: '!', style: 'yellow' },
  fan_out: { mark: '·', style: 'dim' },
  info: { mark: '·', style: 'dim' },
};

const DIRECTION_SHORT: Record<TraceHop['direction'], string> = {
  inbound: 'in ',
  outbound: 'out',
  unknown: '?  ',
};

function isErrorHop(hop: TraceHop): boolean {
  return (
    (hop.response_code !== null && (hop.response_code >= 500 || hop.response_code === 0)) ||
    hop.response_flags.some((f) => f !== 'DI' && f !== 'RFCF')
  );
}

function treePrefix(depth: number): string {
  return depth === 0 ? '' : `${'  '.repeat(Math.min(depth - 1, 8))}└ `;
}

function hopLines(hop: TraceHop, index: number, width: number): StyledLine[] {
  const failing = isErrorHop(hop);
  const request = [hop.method, hop.path].filter((p): p is string => p !== null).join(' ');
  const code = hop.response_code === null ? '-' : String(hop.response_code);
  const flags = hop.response_flags.length > 0 ? cleanField(hop.response_flags.join(','), 20) : '-';
  const tail = `${fitToWidth(code, 5, 'right')} ${fitToWidth(flags, 8)} ${fitToWidth(formatMs(hop.duration_ms), 8, 'right')}`;
  const head = `${failing ? '✗' : ' '}${fitToWidth(String(index), 3, 'right')}  `;
  const body = `${treePrefix(hop.depth)}${DIRECTION_SHORT[hop.direction]} ${cleanField(hop.source, 60)} ${hop.direction === 'inbound' ? '←' : '→'} ${cleanField(hop.peer, 80)}${request === '' ? '' : `  ${cleanField(request, 200)}`}`;
  const bodyWidth = Math.max(10, width - displayWidth(head) - displayWidth(tail) - 1);
  const style: Style | undefined = failing ? 'red' : undefined;
  const lines: StyledLine[] = [
    [span(head, style), span(`${fitToWidth(body, bodyWidth)} `), span(tail, style)],
  ];
  const detail: string[] = [`${cleanField(hop.file, 60)}:${hop.line}`];
  if (hop.start_time !== null) detail.push(formatTime(hop.start_time));
  if (hop.link === 'timing') detail.push('linked by timing only');
  if (hop.attempt !== null) detail.push(`attempt ${hop.attempt}`);
  if (hop.upstream_service_time_ms !== null)
    detail.push(`upstream ${formatMs(hop.upstream_service_time_ms)}`);
  if (hop.authority !== null) detail.push(`authority ${cleanField(hop.authority, 60)}`);
  lines.push([
    span(
      `${' '.repeat(displayWidth(head))}${'  '.repeat(Math.min(hop.depth, 9))}${detail.join(' · ')}`,
      'dim',
    ),
  ]);
  return lines;
}

function waterfallLines(report: TraceReport, width: number): StyledLine[] {
  const spanMs = waterfallSpan(report);
  const labels = report.hops.map(
    (hop, i) => `${i}${' '.repeat(Math.min(hop.depth, 6) + 1)}${cleanField(hop.source, 24)}`,
  );
  const labelWidth = Math.min(28, Math.max(5, ...labels.map((l) => displayWidth(l))));
  // label + " |" + bar + "| " + duration(8) + " ✗"
  const columns = Math.max(8, Math.min(WATERFALL_COLUMNS, width - labelWidth - 14));
  const lines: StyledLine[] = [
    [span(`${' '.repeat(labelWidth)}  ${spanMs === null ? 'no timing' : `0 → ${formatMs(spanMs)}`}`, 'dim')],
  ];
  report.hops.forEach((hop, i) => {
    const failing = isErrorHop(hop);
    lines.push([
      span(fitToWidth(labels[i] ?? '', labelWidth)),
      span(' |', 'dim'),
      span(waterfallBar(hop, spanMs, columns), failing ? 'red' : 'green'),
      span('| ', 'dim'),
      span(formatMs(hop.duration_ms)),
      span(failing ? ' ✗' : '', 'red'),
    ]);
  });
  return lines;
}

/** Renders a trace report as terminal text. */
export function renderTraceText(report: TraceReport, options: TextRenderOptions): string {
  const width = Math.max(20, options.width ?? DEFAULT_TEXT_WIDTH);
  const failing = report.hops.filter(isErrorHop).length;
  const summary = [plural(report.hops.length, 'hop')];
  if (report.total_duration_ms !== null) summary.push(formatMs(report.total_duration_ms));
  if (report.start_time !== null) summary.push(`start ${formatTime(report.start_time)}`);
  const lines: StyledLine[] = [
    [span('meshbot · trace ', 'bold'), span(cleanField(report.request_id, 120))],
    [span(summary.join(' · ')), span(failing > 0 ? ` · ✗ ${plural(failing, 'failing hop')}` : '', 'red')],
  ];
  const secondary: string[] = [];
  if (report.sources.length > 0) {
    const names = report.sources
      .slice(0, 4)
      .map((s) => `${cleanField(s.name, 40)} (${formatCount(s.entries)})`);
    secondary.push(
      `sources: ${names.join(', ')}${report.sources.length > 4 ? ` +${report.sources.length - 4}` : ''}`,
    );
  }
  if (report.skipped_lines > 0) secondary.push(plural(report.skipped_lines, 'skipped line'));
  if (secondary.length > 0) lines.push([span(secondary.join(' · '), 'dim')]);

  if (report.notes.length > 0) {
    lines.push([], [span('NOTES', 'bold')]);
    for (const note of report.notes) {
      const { mark, style } = NOTE_STYLE[note.kind];
      const where = note.hop === null ? '' : `#${note.hop} `;
      lines.push([
        span(`${mark} `, style),
        span(where, 'bold'),
        span(cleanField(note.message, 500), style === 'dim' ? undefined : style),
      ]);
    }
  }
  if (report.hops.length === 0) {
    lines.push([], [span('No entries for this request id.', 'bold')]);
    return renderLines(lines, { color: options.color, width });
  }

  const tableHeader = `${fitToWidth('   #  HOP', width - 24)}${fitToWidth('CODE', 5, 'right')} ${fitToWidth('FLAGS', 8)} ${fitToWidth('DURATION', 8, 'right')}`;
  lines.push([], [span('HOPS', 'bold')], [span(tableHeader, 'dim')]);
  report.hops.forEach((hop, i) => {
    lines.push(...hopLines(hop, i, width));
  });
  lines.push([], [span('WATERFALL', 'bold')], ...waterfallLines(report, width));
  return renderLines(lines, { color: options.color, width });
}
