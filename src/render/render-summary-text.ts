/**
 * @module render/render-summary-text
 * A {@link SummaryReport} for the terminal: totals, notes, findings (most severe first), then inbound,
 * outbound and unknown-direction flow tables. No line is wider than `width` (default 100); errors carry a
 * `✗` marker and an ERRORS column so they stand out without colour; colour (red errors, yellow warnings,
 * dim secondary text) only when `color` is set. Log-derived text is sanitized: no escape sequence or
 * control character from a log line reaches the terminal.
 */

import { isCommand } from '../analysis/is-command.js';
import type { Finding, Flow, SummaryReport } from '../analysis/report.js';
import { displayWidth, fitToWidth } from './display-width.js';
import { formatCount, formatMs, formatWindow, plural, SEVERITY_RANK, topCounts } from './format-values.js';
import { cleanField } from './sanitize-text.js';
import { renderLines, type Span, type Style, type StyledLine, span, wrapWords } from './styled-lines.js';

export interface TextRenderOptions {
  color: boolean;
  /** Maximum line width in columns; default 100. */
  width?: number;
}

export const DEFAULT_TEXT_WIDTH = 100;

const SEVERITY_STYLE: Record<Finding['severity'], Style> = {
  critical: 'red',
  error: 'red',
  warning: 'yellow',
  info: 'dim',
};

const SEVERITY_MARK: Record<Finding['severity'], string> = {
  critical: '✗',
  error: '✗',
  warning: '!',
  info: '·',
};

/** Log-derived text for one cell: sanitized and bounded (the line is cut to width later). */
function clean(s: string, max = 200): string {
  return cleanField(s, max);
}

function countText(counts: Readonly<Record<string, number>>, limit: number): string {
  const { top, rest } = topCounts(counts, limit);
  const parts = top.map(([key, n]) => `${clean(key, 24)}×${formatCount(n)}`);
  if (rest > 0) parts.push(`+${rest}`);
  return parts.join(' ');
}

function headerLines(report: SummaryReport, title: string): StyledLine[] {
  const t = report.totals;
  const directions = [`${formatCount(t.inbound)} inbound`, `${formatCount(t.outbound)} outbound`];
  if (t.unknown > 0) directions.push(`${formatCount(t.unknown)} unknown`);
  const totals: Span[] = [
    span(`${plural(t.entries, 'entry', 'entries')} (${directions.join(' · ')})`),
    span(' · '),
  ];
  totals.push(t.errors > 0 ? span(`✗ ${plural(t.errors, 'error')}`, 'red') : span('no errors', 'green'));
  if (t.client_errors > 0)
    totals.push(span(' · '), span(`! ${plural(t.client_errors, 'client error')}`, 'yellow'));
  if (t.skipped_lines > 0) totals.push(span(' · '), span(plural(t.skipped_lines, 'skipped line'), 'dim'));
  if (t.filtered_out > 0)
    totals.push(span(' · '), span(`${formatCount(t.filtered_out)} before the window`, 'dim'));
  const lines: StyledLine[] = [[span(title, 'bold')], totals];
  const window = formatWindow(report.window);
  if (window !== null) lines.push([span(`window ${window}`, 'dim')]);
  const secondary: string[] = [];
  const skipped = Object.entries(report.skipped)
    .filter(([, n]) => n !== undefined && n > 0)
    .map(([reason, n]) => `${reason} ${formatCount(n ?? 0)}`);
  if (skipped.length > 0) secondary.push(`skipped: ${skipped.join(', ')}`);
  if (report.sources.length > 0) {
    const names = report.sources.slice(0, 4).map((s) => `${clean(s.name, 40)} (${formatCount(s.entries)})`);
    secondary.push(
      `sources: ${names.join(', ')}${report.sources.length > 4 ? ` +${report.sources.length - 4}` : ''}`,
    );
  }
  for (const text of secondary) lines.push([span(text, 'dim')]);
  return lines;
}

function findingLines(f: Finding, width: number): StyledLine[] {
  const style = SEVERITY_STYLE[f.severity];
  const lines: StyledLine[] = [
    [
      span(`${SEVERITY_MARK[f.severity]} ${f.severity.toUpperCase()} ×${formatCount(f.count)}  `, style),
      span(clean(f.title, 300), 'bold'),
    ],
  ];
  const indent = '    ';
  for (const line of wrapWords(clean(f.explanation, 1000), width - indent.length))
    lines.push([span(indent + line)]);
  const labelled = (label: string, values: readonly string[], valueStyle?: Style) => {
    values.forEach((value, i) => {
      const prefix = `${indent}${fitToWidth(i === 0 ? label : '', 8)}`;
      lines.push([span(prefix, 'dim'), span(value, valueStyle)]);
    });
  };
  const more = (total: number, shown: number) =>
    total > shown ? [`+${total - shown} more (-o json lists all)`] : [];
  labelled('causes', [...f.causes.slice(0, 4).map((c) => `• ${clean(c, 300)}`), ...more(f.causes.length, 4)]);
  labelled(
    'next',
    [
      ...f.next_steps.slice(0, 4).map((s) => (isCommand(s) ? `$ ${clean(s, 300)}` : `→ ${clean(s, 300)}`)),
      ...more(f.next_steps.length, 4),
    ],
    'cyan',
  );
  const evidence: string[] = [];
  if (f.peers.length > 0) {
    const peers = f.peers.slice(0, 3).map((p) => clean(p, 60));
    evidence.push(peers.join(', ') + (f.peers.length > 3 ? ` +${f.peers.length - 3}` : ''));
  }
  const id = f.example_request_ids[0];
  if (id !== undefined) evidence.push(`e.g. ${clean(id, 40)}`);
  const seen = evidence.length > 0 ? [evidence.join(' · ')] : [];
  const when = formatWindow({ from: f.first_seen, to: f.last_seen });
  if (when !== null) seen.push(when);
  labelled('seen', seen, 'dim');
  const detail = [f.response_code_details, f.upstream_transport_failure_reason]
    .filter((d): d is string => d !== null && d !== '')
    .map((d) => clean(d, 200));
  if (detail.length > 0) labelled('detail', [detail.join(' · ')], 'dim');
  return lines;
}

interface FlowColumns {
  peer: number;
  route: number;
}

const NUMERIC = { count: 7, errors: 7, latency: 7 };

/**
 * Splits the free width between PEER and REQUEST by what the flows need: the peer column gets its longest
 * name when the requests still fit, and at least 42% of the space otherwise.
 */
function flowColumns(width: number, flows: readonly Flow[]): FlowColumns {
  // marker(2) + peer + 1 + route + count + errors + 4 latencies
  const fixed = 2 + 1 + NUMERIC.count + NUMERIC.errors + 4 * NUMERIC.latency;
  const flexible = Math.max(16, width - fixed);
  let peerNeed = 4;
  let routeNeed = 7;
  for (const flow of flows) {
    peerNeed = Math.max(peerNeed, displayWidth(clean(flow.peer, 200)) + 1);
    routeNeed = Math.max(routeNeed, displayWidth(clean(`${flow.method ?? ''} ${flow.route}`, 200)) + 1);
  }
  const peer = Math.max(8, Math.min(peerNeed, Math.max(Math.floor(flexible * 0.42), flexible - routeNeed)));
  return { peer, route: Math.max(8, flexible - peer) };
}

function flowTableHeader(columns: FlowColumns): StyledLine {
  const text =
    '  ' +
    fitToWidth('PEER', columns.peer) +
    ' ' +
    fitToWidth('REQUEST', columns.route) +
    fitToWidth('COUNT', NUMERIC.count, 'right') +
    fitToWidth('ERRORS', NUMERIC.errors, 'right') +
    ['P50', 'P95', 'P99', 'MAX'].map((h) => fitToWidth(h, NUMERIC.latency, 'right')).join('');
  return [span(text, 'dim')];
}

function flowLines(flow: Flow, columns: FlowColumns): StyledLine[] {
  const errorish = flow.outcome === 'error';
  const warnish = flow.outcome === 'client_error';
  const marker = errorish ? '✗ ' : warnish ? '! ' : '  ';
  const style: Style | undefined = errorish ? 'red' : warnish ? 'yellow' : undefined;
  const request = flow.method === null ? flow.route : `${flow.method} ${flow.route}`;
  const d = flow.duration_ms;
  const main: StyledLine = [
    span(marker, style),
    span(`${fitToWidth(clean(flow.peer), columns.peer)} ${fitToWidth(clean(request, 300), columns.route)}`),
    span(fitToWidth(formatCount(flow.count), NUMERIC.count, 'right')),
    span(
      fitToWidth(flow.errors > 0 ? formatCount(flow.errors) : '-', NUMERIC.errors, 'right'),
      flow.errors > 0 ? 'red' : 'dim',
    ),
    span([d.p50, d.p95, d.p99, d.max].map((v) => fitToWidth(formatMs(v), NUMERIC.latency, 'right')).join('')),
  ];
  const detail: string[] = [];
  const codes = countText(flow.codes, 5);
  if (codes !== '') detail.push(`codes ${codes}`);
  const flags = countText(flow.flags, 4);
  if (flags !== '') detail.push(`flags ${flags}`);
  if (flow.client_errors > 0) detail.push(plural(flow.client_errors, 'client error'));
  const id = flow.example_request_ids[0];
  if (id !== undefined) detail.push(`e.g. ${clean(id, 40)}`);
  const lines = [main];
  if (detail.length > 0) lines.push([span(`    ${detail.join(' · ')}`, 'dim')]);
  return lines;
}

/** Renders a summary report as terminal text. */
export function renderSummaryText(report: SummaryReport, options: TextRenderOptions): string {
  const width = Math.max(20, options.width ?? DEFAULT_TEXT_WIDTH);
  const lines: StyledLine[] = headerLines(report, 'meshbot · logs');
  for (const note of report.notes) lines.push([span('· ', 'dim'), span(clean(note, 500))]);

  if (report.totals.entries === 0 && report.flows.length === 0) {
    if (report.notes.length === 0) lines.push([span('No access-log entries to summarise.', 'dim')]);
    return renderLines(lines, { color: options.color, width });
  }

  const findings = [...report.findings].sort(
    (a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || b.count - a.count,
  );
  lines.push([]);
  if (findings.length === 0) {
    lines.push([span('FINDINGS', 'bold'), span('  none: no errors that match a known cause', 'green')]);
  } else {
    lines.push([span(`FINDINGS (${formatCount(findings.length)})`, 'bold')]);
    findings.forEach((f, i) => {
      if (i > 0) lines.push([]);
      lines.push(...findingLines(f, width));
    });
  }

  const columns = flowColumns(width, report.flows);
  const groups: [string, Flow[]][] = [
    ['INBOUND FLOWS', report.flows.filter((f) => f.direction === 'inbound')],
    ['OUTBOUND FLOWS', report.flows.filter((f) => f.direction === 'outbound')],
    ['UNKNOWN-DIRECTION FLOWS', report.flows.filter((f) => f.direction === 'unknown')],
  ];
  for (const [label, flows] of groups) {
    if (flows.length === 0) continue;
    lines.push([], [span(`${label} (${formatCount(flows.length)})`, 'bold')], flowTableHeader(columns));
    for (const flow of flows) lines.push(...flowLines(flow, columns));
  }
  if (report.flows_truncated > 0) {
    lines.push(
      [],
      [span(`${plural(report.flows_truncated, 'flow')} merged into (other) rows: flow limit reached`, 'dim')],
    );
  }
  return renderLines(lines, { color: options.color, width });
}
