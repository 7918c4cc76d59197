/**
 * @module render/render-trace-text
 * A {@link TraceReport} for the terminal: the request id and totals, notes (missing hops, clock skew,
 * retries) marked `✗`/`!`, the hop chain as an indented tree, and a timing waterfall. Same width,
 * colour and sanitizing rules as the summary text: the request id, pod and peer names and the notes (the
 * trace's conclusion) wrap and are never cut; only a hop's request path and authority are cut with `…`.
 * Waterfall labels take the room there is: bars shrink first, down to {@link MIN_BAR_COLUMNS}.
 */
import { hopFails } from '../analysis/classify.js';
import type { TraceConnection, TraceHop, TraceNote, TraceReport } from '../analysis/report.js';
import { displayWidth, fitToWidth, truncateToWidth } from './display-width.js';
import { formatCount, formatMs, formatTime, plural } from './format-values.js';
import {
  LIST_LIMITS,
  layoutWidth,
  listPieces,
  TEXT_LIMITS,
  type TextRenderOptions,
} from './render-summary-text.js';
import { cleanField } from './sanitize-text.js';
import {
  flowPieces,
  type Piece,
  piece,
  renderLines,
  type Style,
  type StyledLine,
  span,
  type TextWidth,
  words,
} from './styled-lines.js';
import { WATERFALL_COLUMNS, waterfallBar, waterfallSpan } from './waterfall-bar.js';

/** The narrowest a waterfall bar gets before labels wrap onto lines of their own. */
export const MIN_BAR_COLUMNS = 10;

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

/** Below this many columns a hop's request moves to the line under its source and peer. */
const MIN_REQUEST_ROOM = 8;

function treePrefix(depth: number): string {
  return depth === 0 ? '' : `${'  '.repeat(Math.min(depth - 1, 8))}└ `;
}

function requestOf(hop: TraceHop): string {
  return cleanField(
    [hop.method, hop.path].filter((p): p is string => p !== null).join(' '),
    TEXT_LIMITS.path,
  );
}

function flagsOf(hop: TraceHop): string {
  return hop.response_flags.length > 0 ? cleanField(hop.response_flags.join(','), 20) : '-';
}

/** The parts of a hop's row that are never cut: tree, direction, source, arrow and peer. */
function hopPieces(hop: TraceHop): Piece[] {
  return [
    piece(`${treePrefix(hop.depth)}${DIRECTION_SHORT[hop.direction]}`),
    piece(cleanField(hop.source, TEXT_LIMITS.name), { gap: ' ' }),
    piece(`${hop.direction === 'inbound' ? '←' : '→'} ${cleanField(hop.peer, TEXT_LIMITS.name)}`, {
      gap: ' ',
    }),
  ];
}

function joined(pieces: readonly Piece[]): string {
  return pieces.map((p, i) => (i === 0 ? p.text : `${p.gap ?? ''}${p.text}`)).join('');
}

interface HopColumns {
  index: number;
  body: number;
  flags: number;
  duration: number;
}

function hopColumns(report: TraceReport, width: TextWidth): HopColumns {
  const index = Math.max(3, String(report.hops.length - 1).length);
  let flags = 8;
  let duration = 8;
  let bodyNeed = 6;
  for (const hop of report.hops) {
    flags = Math.max(flags, displayWidth(flagsOf(hop)));
    duration = Math.max(duration, formatMs(hop.duration_ms).length);
    const request = requestOf(hop);
    bodyNeed = Math.max(
      bodyNeed,
      displayWidth(joined(hopPieces(hop))) + (request === '' ? 0 : 2 + displayWidth(request)),
    );
  }
  // head: mark + index + 2 spaces; tail: code(5) + space + flags + space + duration; one space between.
  const fixed = 1 + index + 2 + 1 + 5 + 1 + flags + 1 + duration;
  const body = width === undefined ? bodyNeed : Math.max(10, width - fixed);
  return { index, body, flags, duration };
}

function hopLines(hop: TraceHop, index: number, cols: HopColumns, width: TextWidth): StyledLine[] {
  const failing = hopFails(hop);
  const style: Style | undefined = failing ? 'red' : undefined;
  const code = hop.response_code === null ? '-' : String(hop.response_code);
  const tail = `${fitToWidth(code, 5, 'right')} ${fitToWidth(flagsOf(hop), cols.flags)} ${fitToWidth(formatMs(hop.duration_ms), cols.duration, 'right')}`;
  const head = `${failing ? '✗' : ' '}${fitToWidth(String(index), cols.index, 'right')}  `;
  const blankHead = ' '.repeat(displayWidth(head));
  const pieces = hopPieces(hop);
  const keep = joined(pieces);
  const request = requestOf(hop);
  const room = cols.body - displayWidth(keep) - 2;
  const lines: StyledLine[] = [];
  let body: string;
  if (request === '' && displayWidth(keep) <= cols.body) {
    body = keep;
  } else if (room >= Math.min(MIN_REQUEST_ROOM, displayWidth(request))) {
    body = `${keep}  ${truncateToWidth(request, room)}`;
  } else {
    // Source and peer do not leave room for the request: they get lines of their own, the row goes below.
    // Continuation lines start under the source.
    const under = displayWidth(head) + displayWidth(treePrefix(hop.depth)) + 4;
    lines.push(...flowPieces([span(head, style)], pieces, width, under));
    const indent = ' '.repeat(Math.min(2 * hop.depth + 2, Math.max(0, cols.body - MIN_REQUEST_ROOM)));
    body = request === '' ? '' : indent + truncateToWidth(request, cols.body - indent.length);
    lines.push([span(blankHead), span(`${fitToWidth(body, cols.body)} `), span(tail, style)]);
    lines.push(...detailLines(hop, blankHead, width));
    return lines;
  }
  lines.push([span(head, style), span(`${fitToWidth(body, cols.body)} `), span(tail, style)]);
  lines.push(...detailLines(hop, blankHead, width));
  return lines;
}

/** File and line, time, link, attempt, upstream time and authority under a hop (wrapped, authority cut). */
function detailLines(hop: TraceHop, blankHead: string, width: TextWidth): StyledLine[] {
  const detail: Piece[] = [piece(`${cleanField(hop.file, TEXT_LIMITS.name)}:${hop.line}`, { style: 'dim' })];
  const add = (text: string, cut = false) => detail.push(piece(text, { style: 'dim', gap: ' · ', cut }));
  if (hop.start_time !== null) add(formatTime(cleanField(hop.start_time, 64)));
  if (hop.link === 'timing') add('linked by timing only');
  if (hop.attempt !== null) add(`attempt ${hop.attempt}`);
  if (hop.upstream_service_time_ms !== null) add(`upstream ${formatMs(hop.upstream_service_time_ms)}`);
  if (hop.authority !== null) add(`authority ${cleanField(hop.authority, TEXT_LIMITS.path)}`, true);
  const lead = `${blankHead}${'  '.repeat(Math.min(hop.depth, 9))}`;
  return flowPieces([span(lead)], detail, width, displayWidth(lead));
}

/** A ztunnel record beside a waypoint hop: `L4 caller curl → productpage (ztunnel-x) 13ms · sent 291 B…`. */
function connectionLines(c: TraceConnection, hop: TraceHop, width: TextWidth): StyledLine[] {
  const name = (workload: string | null, addr: string | null) =>
    cleanField(workload ?? addr ?? '?', TEXT_LIMITS.name);
  const style: Style | undefined = c.error === null ? 'dim' : 'red';
  const pieces: Piece[] = [
    piece(`L4 ${c.side} ${name(c.src_workload, c.src_addr)} → ${name(c.dst_workload, c.dst_addr)}`, {
      style,
    }),
    piece(`(${cleanField(c.source, TEXT_LIMITS.name)}, ${c.direction ?? 'unknown'})`, {
      style: 'dim',
      gap: ' ',
    }),
  ];
  if (c.duration_ms !== null) pieces.push(piece(formatMs(c.duration_ms), { style: 'dim', gap: ' · ' }));
  if (c.bytes_sent !== null || c.bytes_recv !== null)
    pieces.push(
      piece(`sent ${c.bytes_sent ?? 0} B, received ${c.bytes_recv ?? 0} B`, { style: 'dim', gap: ' · ' }),
    );
  if (c.src_identity !== null)
    pieces.push(piece(`from ${cleanField(c.src_identity, TEXT_LIMITS.name)}`, { style: 'dim', gap: ' · ' }));
  if (c.error !== null)
    pieces.push(piece(`error: ${cleanField(c.error, TEXT_LIMITS.prose)}`, { style: 'red', gap: ' · ' }));
  const lead = `     ${'  '.repeat(Math.min(hop.depth, 9))}`;
  return flowPieces([span(lead)], pieces, width, displayWidth(lead) + 3);
}

function waterfallLines(report: TraceReport, width: TextWidth): StyledLine[] {
  const spanMs = waterfallSpan(report);
  const labels = report.hops.map(
    (hop, i) => `${i}${' '.repeat(Math.min(hop.depth, 6) + 1)}${cleanField(hop.source, TEXT_LIMITS.name)}`,
  );
  const need = Math.max(5, ...labels.map((l) => displayWidth(l)));
  const durations = report.hops.map((hop) => formatMs(hop.duration_ms));
  // label + " |" + bar + "| " + duration + " ✗"
  const overhead = 2 + 2 + Math.max(...durations.map((d) => d.length), 1) + 2;
  let bar = WATERFALL_COLUMNS;
  let labelWidth = need;
  if (width !== undefined) {
    const avail = width - overhead;
    bar = Math.max(1, Math.min(WATERFALL_COLUMNS, Math.max(MIN_BAR_COLUMNS, avail - need)));
    labelWidth = Math.max(1, Math.min(need, avail - bar));
  }
  const lines: StyledLine[] = [
    [span(`${' '.repeat(labelWidth)}  ${spanMs === null ? 'no timing' : `0 → ${formatMs(spanMs)}`}`, 'dim')],
  ];
  report.hops.forEach((hop, i) => {
    const failing = hopFails(hop);
    const label = labels[i] ?? '';
    const fits = displayWidth(label) <= labelWidth;
    // A label wider than the room is never cut: it goes on lines of its own, its bar below it.
    if (!fits) lines.push(...flowPieces([], [piece(label)], width, 2));
    lines.push([
      span(fitToWidth(fits ? label : '', labelWidth)),
      span(' |', 'dim'),
      span(waterfallBar(hop, spanMs, bar), failing ? 'red' : 'green'),
      span('| ', 'dim'),
      span(durations[i] ?? '-'),
      span(failing ? ' ✗' : '', 'red'),
    ]);
  });
  return lines;
}

/** Renders a trace report as terminal text. */
export function renderTraceText(report: TraceReport, options: TextRenderOptions): string {
  const width = layoutWidth(options);
  const failing = report.hops.filter(hopFails).length;
  const summary = [plural(report.hops.length, 'hop')];
  if (report.total_duration_ms !== null) summary.push(formatMs(report.total_duration_ms));
  if (report.start_time !== null) summary.push(`start ${formatTime(cleanField(report.start_time, 64))}`);
  const totals = summary.map((s, i) => piece(s, { gap: i === 0 ? '' : ' · ' }));
  if (failing > 0) totals.push(piece(`✗ ${plural(failing, 'failing hop')}`, { style: 'red', gap: ' · ' }));
  const lines: StyledLine[] = [
    ...flowPieces(
      [span('meshbot · trace ', 'bold')],
      [piece(cleanField(report.request_id, TEXT_LIMITS.id))],
      width,
      2,
    ),
    ...flowPieces([], totals, width, 2),
  ];
  const secondary: Piece[] = [];
  if (report.sources.length > 0) {
    const names = report.sources.map(
      (s) => `${cleanField(s.name, TEXT_LIMITS.name)} (${formatCount(s.entries)})`,
    );
    secondary.push(...listPieces(names, LIST_LIMITS.sources, { style: 'dim', gap: '' }));
  }
  secondary.push(piece(`${plural(report.logs_searched, 'log')} searched`, { style: 'dim', gap: ' · ' }));
  if (report.skipped_lines > 0)
    secondary.push(piece(plural(report.skipped_lines, 'skipped line'), { style: 'dim', gap: ' · ' }));
  if (secondary.length > 0) {
    const lead = report.sources.length > 0 ? [span('sources: ', 'dim')] : [];
    if (lead.length === 0 && secondary[0] !== undefined) secondary[0] = { ...secondary[0], gap: '' };
    lines.push(...flowPieces(lead, secondary, width, 9));
  }

  if (report.notes.length > 0) {
    lines.push([], [span('NOTES', 'bold')]);
    for (const note of report.notes) {
      const { mark, style } = NOTE_STYLE[note.kind];
      const where = note.hop === null ? '' : `#${note.hop} `;
      lines.push(
        ...flowPieces(
          [span(`${mark} `, style), span(where, 'bold')],
          words(cleanField(note.message, TEXT_LIMITS.prose), style === 'dim' ? undefined : style),
          width,
          2,
        ),
      );
    }
  }
  if (report.hops.length === 0) {
    lines.push([], [span('No entries for this request id.', 'bold')]);
    return renderLines(lines, { color: options.color, width });
  }

  const cols = hopColumns(report, width);
  const tableHeader = `${fitToWidth(`${' '.repeat(cols.index)}#  HOP`, 1 + cols.index + 2 + cols.body + 1)}${fitToWidth('CODE', 5, 'right')} ${fitToWidth('FLAGS', cols.flags)} ${fitToWidth('DURATION', cols.duration, 'right')}`;
  lines.push([], [span('HOPS', 'bold')], [span(tableHeader, 'dim')]);
  report.hops.forEach((hop, i) => {
    lines.push(...hopLines(hop, i, cols, width));
    for (const c of report.connections ?? []) if (c.hop === i) lines.push(...connectionLines(c, hop, width));
  });
  lines.push([], [span('WATERFALL', 'bold')], ...waterfallLines(report, width));
  return renderLines(lines, { color: options.color, width });
}
