/**
 * @module render/render-trace-slack
 * A {@link TraceReport} as a Slack message: header, context (request id, hops, total time, sources),
 * notes first (missing hops, clock skew, retries, errors), the hop chain, then a timing waterfall in a
 * code block. Log-derived text is escaped inside the code block too, and backticks are swapped so a
 * log line cannot close the block.
 */
import { hopFails } from '../analysis/classify.js';
import type { TraceConnection, TraceHop, TraceNote, TraceReport } from '../analysis/report.js';
import { displayWidth } from './display-width.js';
import { BACKTICK_LOOKALIKE, codeSpan, escapeMrkdwn, mrkdwnText } from './escape-mrkdwn.js';
import { formatCount, formatMs, formatTime, plural } from './format-values.js';
import { cleanField } from './sanitize-text.js';
import { type SlackMessage, SlackMessageBuilder } from './slack-message.js';
import { WATERFALL_COLUMNS, waterfallBar, waterfallSpan } from './waterfall-bar.js';

const NOTE_EMOJI: Record<TraceNote['kind'], string> = {
  missing_hop: ':x:',
  broken_chain: ':x:',
  error: ':red_circle:',
  clock_skew: ':warning:',
  retry: ':repeat:',
  fan_out: ':twisted_rightwards_arrows:',
  info: ':information_source:',
};

const DIRECTION_LABEL: Record<TraceHop['direction'], string> = {
  inbound: 'inbound',
  outbound: 'outbound',
  unknown: 'unknown',
};

function hopItem(hop: TraceHop, index: number): string {
  const indent = hop.depth > 0 ? `${'\u2003'.repeat(Math.min(hop.depth - 1, 6))}↳ ` : '';
  const request = [hop.method, hop.path].filter((p): p is string => p !== null).join(' ');
  const parts = [
    `${indent}*#${index}* ${DIRECTION_LABEL[hop.direction]} ${codeSpan(hop.source, 50)} ${hop.direction === 'inbound' ? '←' : '→'} ${codeSpan(hop.peer, 60)}`,
  ];
  if (request !== '') parts.push(codeSpan(request, 80));
  const code = hop.response_code === null ? '-' : String(hop.response_code);
  parts.push(hopFails(hop) ? `:x: *${code}*` : code);
  if (hop.response_flags.length > 0) parts.push(codeSpan(hop.response_flags.join(','), 40));
  parts.push(formatMs(hop.duration_ms));
  if (hop.attempt !== null) parts.push(`attempt ${hop.attempt}`);
  if (hop.link === 'timing') parts.push('_linked by timing_');
  return parts.join(' · ');
}

/** A ztunnel record beside a waypoint hop (ambient mode): `L4 caller `curl` → `waypoint` · 19ms`. */
function connectionItem(c: TraceConnection): string {
  const parts = [
    `\u2003L4 ${c.side} ${codeSpan(c.src_workload ?? c.src_addr ?? '?', 60)} → ${codeSpan(c.dst_workload ?? c.dst_addr ?? '?', 60)}`,
  ];
  if (c.duration_ms !== null) parts.push(formatMs(c.duration_ms));
  if (c.error !== null) parts.push(`:x: ${codeSpan(c.error, 160)}`);
  return parts.join(' · ');
}

function noteItem(note: TraceNote): string {
  const where = note.hop === null ? '' : `*#${note.hop}* `;
  return `${NOTE_EMOJI[note.kind]} ${where}${mrkdwnText(note.message, 300)}`;
}

function waterfallLines(report: TraceReport): string[] {
  const span = waterfallSpan(report);
  // Pad on the raw (cleaned) text, escape afterwards: `&amp;` shows as one column in a code block.
  const labels = report.hops.map(
    (hop, i) =>
      `${i}${' '.repeat(Math.min(hop.depth, 6) + 1)}${cleanField(hop.source, 22).replaceAll('`', BACKTICK_LOOKALIKE)}`,
  );
  const labelWidth = Math.min(30, Math.max(5, ...labels.map((l) => displayWidth(l))));
  const lines = report.hops.map((hop, i) => {
    const label = labels[i] ?? '';
    const pad = ' '.repeat(Math.max(0, labelWidth - displayWidth(label)));
    const mark = hopFails(hop) ? ' ✗' : '';
    return `${escapeMrkdwn(label)}${pad} |${waterfallBar(hop, span, WATERFALL_COLUMNS)}| ${formatMs(hop.duration_ms)}${mark}`;
  });
  const scale = span === null ? 'no timing' : `0 → ${formatMs(span)}`;
  return [`${' '.repeat(labelWidth)}  ${scale}`, ...lines];
}

/** Renders a trace report as a Slack message within Slack's limits. */
export function renderTraceSlack(report: TraceReport): SlackMessage {
  const builder = new SlackMessageBuilder().header('meshbot · trace');
  const context = [`request ${codeSpan(report.request_id, 80)}`, plural(report.hops.length, 'hop')];
  if (report.total_duration_ms !== null) context.push(`:stopwatch: ${formatMs(report.total_duration_ms)}`);
  if (report.start_time !== null) context.push(mrkdwnText(formatTime(report.start_time), 40));
  if (report.sources.length > 0) {
    const names = report.sources.slice(0, 4).map((s) => codeSpan(s.name, 40));
    context.push(
      `from ${names.join(' ')}${report.sources.length > 4 ? ` +${formatCount(report.sources.length - 4)} more` : ''}`,
    );
  }
  context.push(`${plural(report.logs_searched, 'log')} searched`);
  if (report.skipped_lines > 0) context.push(plural(report.skipped_lines, 'skipped line'));
  builder.context(context);

  if (report.notes.length > 0) {
    builder.list({
      heading: '*Notes*',
      items: report.notes.map(noteItem),
      noun: 'notes',
      hint: 'use the CLI for all',
      maxShare: 0.3,
    });
  }
  if (report.hops.length === 0) {
    builder.section('*No entries for this request id.*');
    return builder.fallback(fallbackText(report)).build();
  }
  builder.divider().list({
    heading: `*Hops* (${formatCount(report.hops.length)})`,
    items: report.hops.map((hop, i) =>
      [hopItem(hop, i), ...(report.connections ?? []).filter((c) => c.hop === i).map(connectionItem)].join(
        '\n',
      ),
    ),
    noun: 'hops',
    hint: 'use the CLI for all',
    maxShare: 0.5,
  });
  builder.list({
    heading: '*Waterfall*',
    items: waterfallLines(report),
    total: report.hops.length + 1,
    noun: 'waterfall rows',
    hint: 'use the CLI for all',
    code: true,
  });
  return builder.fallback(fallbackText(report)).build();
}

function fallbackText(report: TraceReport): string {
  const errors = report.hops.filter(hopFails).length;
  const head = [
    `meshbot trace ${mrkdwnText(report.request_id, 80)}`,
    plural(report.hops.length, 'hop'),
    report.total_duration_ms === null ? null : formatMs(report.total_duration_ms),
    errors > 0 ? plural(errors, 'failing hop') : null,
  ].filter((p): p is string => p !== null);
  const lines = [head.join(' · ')];
  for (const note of report.notes.slice(0, 3)) lines.push(`• ${mrkdwnText(note.message, 200)}`);
  if (report.notes.length > 3) lines.push(`+${formatCount(report.notes.length - 3)} more notes`);
  return lines.join('\n');
}
