/**
 * @module render/render-summary-text
 * A {@link SummaryReport} for the terminal: totals, notes, findings (most severe first), then inbound,
 * outbound and unknown-direction flow tables. Errors carry a `✗` marker and an ERRORS column so they stand
 * out without colour; colour (red errors, yellow warnings, dim secondary text) only when `color` is set.
 * Log-derived text is sanitized: no escape sequence or control character from a log line reaches the
 * terminal.
 *
 * With a width, no line is wider; request ids, pod and peer names, suggested commands and prose wrap onto
 * indented continuation lines, and only the REQUEST column (a path) is cut with `…`. Without a width (a
 * pipe, a file, `--wide`) nothing is cut and the table's columns are as wide as their content. A list
 * that is shortened says how many it left out (`+2 more`).
 */

import type { SkipReason } from '../accesslog/entry.js';
import { isCommand } from '../analysis/is-command.js';
import type { ConnectionFlow, ConnectionSummary, Finding, Flow, SummaryReport } from '../analysis/report.js';
import { countSkipped, skippedText } from '../analysis/skip-reasons.js';
import { displayWidth, fitToWidth } from './display-width.js';
import {
  formatBytes,
  formatCount,
  formatMs,
  formatWindow,
  plural,
  SEVERITY_RANK,
  topCounts,
} from './format-values.js';
import { cleanField } from './sanitize-text.js';
import {
  flowPieces,
  type Piece,
  piece,
  renderLines,
  type Span,
  type Style,
  type StyledLine,
  span,
  type TextWidth,
  words,
} from './styled-lines.js';
import { wrapCommand } from './wrap-command.js';

export interface TextRenderOptions {
  color: boolean;
  /**
   * Columns to fit (at least 20). Undefined when nothing may be cut (stdout is not a terminal, `--wide`):
   * columns are sized to their content and lines are as long as they need.
   */
  width?: number | undefined;
  /** Flows listed per direction (default `LIST_LIMITS.flows`); a report uploaded as a file lists them all. */
  maxFlows?: number | undefined;
}

/** The width to lay out for: at least 20 columns, or undefined for "never cut". */
export function layoutWidth(options: TextRenderOptions): TextWidth {
  return options.width === undefined ? undefined : Math.max(20, options.width);
}

/**
 * Bounds on log-derived text, applied with or without a width (a 100k-character header costs no more than
 * a short one): names and ids are DNS names or UUIDs far below them, so only hostile values reach them.
 */
export const TEXT_LIMITS = { name: 256, id: 256, prose: 1000, path: 500 } as const;

/** How many items each shortened list shows; the rest are counted as `+N more`. */
export const LIST_LIMITS = {
  causes: 4,
  nextSteps: 4,
  peers: 3,
  sources: 4,
  codes: 5,
  flags: 4,
  /** Flows shown per direction; the rest are one `+N more flows` row with their entries. */
  flows: 40,
  /** A grouped row's callers or routes listed. */
  grouped: 3,
} as const;

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

/** Log-derived text for one cell: sanitized and bounded. */
function clean(s: string, max: number): string {
  return cleanField(s, max);
}

/** `+3 more` when `total` items were shortened to `shown`. */
export function moreText(total: number, shown: number): string | null {
  return total > shown ? `+${formatCount(total - shown)} more` : null;
}

/** A list as pieces `a, b, c +2 more`, the first one after `gap`. */
export function listPieces(
  items: readonly string[],
  limit: number,
  options: { style?: Style | undefined; gap: string; separator?: string; total?: number },
): Piece[] {
  const shown = items.slice(0, limit);
  const pieces = shown.map((item, i) =>
    piece(item, { style: options.style, gap: i === 0 ? options.gap : (options.separator ?? ', ') }),
  );
  const more = moreText(options.total ?? items.length, shown.length);
  if (more !== null) pieces.push(piece(more, { style: options.style, gap: ' ' }));
  return pieces;
}

/** `codes 503×42 200×18 +1 more`: the label and the largest counts. */
function countPieces(label: string, counts: Readonly<Record<string, number>>, limit: number): Piece[] {
  const { top, rest } = topCounts(counts, limit);
  if (top.length === 0) return [];
  const items = top.map(([key, n]) => `${clean(key, 24)}×${formatCount(n)}`);
  const [first, ...others] = listPieces(items, limit, {
    style: 'dim',
    gap: ' · ',
    separator: ' ',
    total: top.length + rest,
  });
  return first === undefined
    ? []
    : [piece(`${label} ${first.text}`, { style: 'dim', gap: ' · ' }), ...others];
}

/** The pods whose proxies logged a flow or finding, `label`led: `logged by a, b +2 more`. */
function podPieces(label: string, names: readonly string[], more: number, gap: string): Piece[] {
  const pods = names.map((n) => clean(n, TEXT_LIMITS.name));
  const [first, ...others] = listPieces(pods, pods.length, { style: 'dim', gap, total: pods.length + more });
  return first === undefined ? [] : [piece(`${label}${first.text}`, { style: 'dim', gap }), ...others];
}

/** A grouped row's names: `top callers reviews-v1 ×40, 10.1.0.9 ×38 +810 more ×2,190` (`~` when estimated). */
function groupPieces(label: string, group: NonNullable<Flow['peer_group']>): Piece[] {
  const shown = group.top.slice(0, LIST_LIMITS.grouped);
  const items = shown.map((t) => `${clean(t.name, TEXT_LIMITS.name)} ×${formatCount(t.count)}`);
  const pieces = items.map((item, i) =>
    piece(i === 0 ? `${label}${item}` : item, { style: 'dim', gap: i === 0 ? ' · ' : ', ' }),
  );
  const more = Math.max(0, group.distinct - shown.length);
  const rest = group.others + group.top.slice(shown.length).reduce((a, t) => a + t.count, 0);
  if (more > 0 && rest > 0)
    pieces.push(
      piece(`+${group.distinct_estimated ? '~' : ''}${formatCount(more)} more ×${formatCount(rest)}`, {
        style: 'dim',
        gap: ' ',
      }),
    );
  return pieces;
}

function headerLines(report: SummaryReport, title: string, width: TextWidth): StyledLine[] {
  const t = report.totals;
  const directions = [`${formatCount(t.inbound)} inbound`, `${formatCount(t.outbound)} outbound`];
  if (t.unknown > 0) directions.push(`${formatCount(t.unknown)} unknown`);
  const totals: Piece[] = [piece(`${plural(t.entries, 'entry', 'entries')} (${directions.join(' · ')})`)];
  const l4 = report.connections?.totals;
  if (l4 !== undefined) {
    totals.push(piece(`${plural(l4.connections, 'L4 connection')} (ztunnel)`, { gap: ' · ' }));
    if (l4.failed > 0) totals.push(piece(`✗ ${formatCount(l4.failed)} failed`, { style: 'red', gap: ' · ' }));
  }
  totals.push(
    t.errors > 0
      ? piece(`✗ ${plural(t.errors, 'error')}`, { style: 'red', gap: ' · ' })
      : piece('no errors', { style: 'green', gap: ' · ' }),
  );
  if (t.warnings > 0)
    totals.push(piece(`! ${plural(t.warnings, 'warning')}`, { style: 'yellow', gap: ' · ' }));
  if (t.client_errors > 0)
    totals.push(piece(`! ${plural(t.client_errors, 'client error')}`, { style: 'yellow', gap: ' · ' }));
  if (t.skipped_lines > 0)
    totals.push(piece(plural(t.skipped_lines, 'skipped line'), { style: 'dim', gap: ' · ' }));
  if (t.filtered_out > 0)
    totals.push(piece(`${formatCount(t.filtered_out)} before the window`, { style: 'dim', gap: ' · ' }));
  const lines: StyledLine[] = [[span(title, 'bold')], ...flowPieces([], totals, width, 2)];
  const window = formatWindow(report.window);
  if (window !== null) lines.push(...flowPieces([], words(`window ${window}`, 'dim'), width, 7));
  const skipped = Object.entries(countSkipped(report.skipped).reasons).map(([reason, n], i) =>
    piece(skippedText(reason as SkipReason, n ?? 0, formatCount), {
      style: 'dim',
      gap: i === 0 ? '' : ', ',
    }),
  );
  if (skipped.length > 0) lines.push(...flowPieces([span('skipped: ', 'dim')], skipped, width, 9));
  if (report.sources.length > 0) {
    const names = report.sources.map((s) => `${clean(s.name, TEXT_LIMITS.name)} (${formatCount(s.entries)})`);
    lines.push(
      ...flowPieces(
        [span('sources: ', 'dim')],
        listPieces(names, LIST_LIMITS.sources, { style: 'dim', gap: '' }),
        width,
        9,
      ),
    );
  }
  return lines;
}

const INDENT = 4;
const LABEL = 8;
const VALUE = INDENT + LABEL;

function findingLines(f: Finding, width: TextWidth): StyledLine[] {
  const style = SEVERITY_STYLE[f.severity];
  const lines: StyledLine[] = flowPieces(
    [span(`${SEVERITY_MARK[f.severity]} ${f.severity.toUpperCase()} ×${formatCount(f.count)}  `, style)],
    words(clean(f.title, TEXT_LIMITS.prose), 'bold'),
    width,
    INDENT,
  );
  lines.push(
    ...flowPieces([span(' '.repeat(INDENT))], words(clean(f.explanation, TEXT_LIMITS.prose)), width, INDENT),
  );
  // A labelled block: the label on its first line, every item starting at the value column.
  const labelled = (label: string, items: readonly ((lead: Span[]) => StyledLine[])[]) => {
    items.forEach((item, i) => {
      lines.push(...item([span(`${' '.repeat(INDENT)}${fitToWidth(i === 0 ? label : '', LABEL)}`, 'dim')]));
    });
  };
  const bullet = (mark: string, text: string, itemStyle?: Style) => (lead: Span[]) =>
    flowPieces([...lead, span(mark, itemStyle)], words(text, itemStyle), width, VALUE + displayWidth(mark));
  const more = (total: number, shown: number) => {
    const text = moreText(total, shown);
    return text === null ? [] : [bullet('', `${text} (-o json lists all)`)];
  };
  const command = (text: string) => (lead: Span[]) => {
    const room = width === undefined ? undefined : width - VALUE - 2;
    return wrapCommand(text, room, room === undefined ? undefined : room - 2).map(
      (line, i): StyledLine =>
        i === 0
          ? [...lead, span(`$ ${line.text}`, 'cyan')]
          : [span(line.indent ? ' '.repeat(VALUE + 4) : ''), span(line.text, 'cyan')],
    );
  };
  labelled('causes', [
    ...f.causes.slice(0, LIST_LIMITS.causes).map((c) => bullet('• ', clean(c, TEXT_LIMITS.prose))),
    ...more(f.causes.length, LIST_LIMITS.causes),
  ]);
  labelled('next', [
    ...f.next_steps
      .slice(0, LIST_LIMITS.nextSteps)
      .map((s) =>
        isCommand(s)
          ? command(clean(s, TEXT_LIMITS.prose))
          : bullet('→ ', clean(s, TEXT_LIMITS.prose), 'cyan'),
      ),
    ...more(f.next_steps.length, LIST_LIMITS.nextSteps),
  ]);
  const evidence: Piece[] = listPieces(
    f.peers.map((p) => clean(p, TEXT_LIMITS.name)),
    LIST_LIMITS.peers,
    { style: 'dim', gap: ' · ' },
  );
  const id = f.example_request_ids[0];
  if (id !== undefined)
    evidence.push(piece(`e.g. ${clean(id, TEXT_LIMITS.id)}`, { style: 'dim', gap: ' · ' }));
  const seen: ((lead: Span[]) => StyledLine[])[] = [];
  if (evidence.length > 0) seen.push((lead) => flowPieces(lead, evidence, width, VALUE));
  const when = formatWindow({ from: f.first_seen, to: f.last_seen });
  if (when !== null)
    seen.push((lead) => flowPieces(lead, words(clean(when, TEXT_LIMITS.prose), 'dim'), width, VALUE));
  labelled('seen', seen);
  const pods = podPieces('', f.reported_by, f.reported_by_more, '');
  if (pods.length > 0) labelled('pods', [(lead) => flowPieces(lead, pods, width, VALUE)]);
  const detail = [f.response_code_details, f.upstream_transport_failure_reason]
    .filter((d): d is string => d !== null && d !== '')
    .map((d) => clean(d, TEXT_LIMITS.prose));
  if (detail.length > 0)
    labelled('detail', [(lead) => flowPieces(lead, words(detail.join(' · '), 'dim'), width, VALUE)]);
  // An L4 finding: what ztunnel wrote, as written (sanitised), most frequent first.
  const errors = (f.connection_errors ?? []).map((e) =>
    bullet('', `${clean(e.error, TEXT_LIMITS.prose)} ×${formatCount(e.count)}`, 'dim'),
  );
  if (errors.length > 0) labelled('error', errors);
  return lines;
}

/** One row of ztunnel connections: `source → destination`, counts and latencies, then bytes, identities, errors. */
function connectionLines(flow: ConnectionFlow, width: TextWidth): StyledLine[] {
  const style: Style | undefined =
    flow.outcome === 'error' ? 'red' : flow.outcome === 'warning' ? 'yellow' : undefined;
  const marker = flow.outcome === 'error' ? '✗ ' : flow.outcome === 'warning' ? '! ' : '  ';
  const d = flow.duration_ms;
  const head: Piece[] = [
    piece(`${clean(flow.source, TEXT_LIMITS.name)} → ${clean(flow.destination, TEXT_LIMITS.name)}`, {
      style,
    }),
    piece(`×${formatCount(flow.count)}`, { gap: '  ' }),
  ];
  if (flow.failed > 0) head.push(piece(`✗ ${formatCount(flow.failed)} failed`, { style: 'red', gap: ' · ' }));
  if (d.p50 !== null)
    head.push(
      piece(`p50 ${formatMs(d.p50)} · p99 ${formatMs(d.p99)} · max ${formatMs(d.max)}`, {
        style: 'dim',
        gap: ' · ',
      }),
    );
  const lines = flowPieces([span(marker, style)], head, width, 2);
  const detail: Piece[] = [
    piece(`sent ${formatBytes(flow.bytes_sent)} · received ${formatBytes(flow.bytes_recv)}`, {
      style: 'dim',
    }),
  ];
  if (flow.destination_workload !== null && flow.destination_workload !== flow.destination)
    detail.push(
      piece(`to ${clean(flow.destination_workload, TEXT_LIMITS.name)}`, { style: 'dim', gap: ' · ' }),
    );
  if (flow.source_identity !== null)
    detail.push(piece(`from ${clean(flow.source_identity, TEXT_LIMITS.name)}`, { style: 'dim', gap: ' · ' }));
  if (flow.destination_identity !== null)
    detail.push(
      piece(`as ${clean(flow.destination_identity, TEXT_LIMITS.name)}`, { style: 'dim', gap: ' · ' }),
    );
  for (const e of flow.errors)
    detail.push(
      piece(`error: ${clean(e.error, TEXT_LIMITS.prose)} ×${formatCount(e.count)}`, {
        style: 'red',
        gap: ' · ',
      }),
    );
  detail.push(...podPieces('logged by ', flow.reported_by, flow.reported_by_more, ' · '));
  lines.push(...flowPieces([span('    ')], detail, width, 6));
  return lines;
}

/** The ztunnel section: L4 connections by direction, the rows past the limit counted. */
function connectionSection(summary: ConnectionSummary, width: TextWidth, maxFlows: number): StyledLine[] {
  const t = summary.totals;
  const lines: StyledLine[] = [[]];
  const head: Piece[] = [
    piece(`L4 CONNECTIONS (ztunnel): ${plural(t.connections, 'connection')}`, { style: 'bold' }),
    t.failed > 0
      ? piece(`✗ ${formatCount(t.failed)} failed`, { style: 'red', gap: ' · ' })
      : piece('none failed', { style: 'green', gap: ' · ' }),
    piece(`sent ${formatBytes(t.bytes_sent)} · received ${formatBytes(t.bytes_recv)}`, {
      style: 'dim',
      gap: ' · ',
    }),
  ];
  if (t.opened > 0)
    head.push(piece(`${formatCount(t.opened)} opened (counted when they end)`, { style: 'dim', gap: ' · ' }));
  if (t.filtered_out > 0)
    head.push(piece(`${formatCount(t.filtered_out)} before the window`, { style: 'dim', gap: ' · ' }));
  lines.push(...flowPieces([], head, width, 2));
  for (const dir of ['inbound', 'outbound', 'unknown'] as const) {
    const flows = summary.flows.filter((f) => f.direction === dir);
    if (flows.length === 0) continue;
    lines.push([span(`  ${dir.toUpperCase()} (${formatCount(flows.length)})`, 'bold')]);
    const shown = flows.slice(0, maxFlows);
    for (const flow of shown) lines.push(...connectionLines(flow, width));
    const rest = flows.slice(shown.length);
    if (rest.length > 0) {
      const count = rest.reduce((a, f) => a + f.count, 0);
      const failed = rest.reduce((a, f) => a + f.failed, 0);
      lines.push(
        ...flowPieces(
          [span('  ')],
          words(
            `+${plural(rest.length, 'more row')} ×${formatCount(count)}${failed > 0 ? ` (${formatCount(failed)} failed)` : ''} (-o json lists all)`,
            'dim',
          ),
          width,
          2,
        ),
      );
    }
  }
  if (summary.flows_truncated > 0)
    lines.push(
      ...flowPieces(
        [],
        words(
          `${plural(summary.flows_truncated, 'connection')} counted in (other) rows: the row limit was reached`,
          'dim',
        ),
        width,
        0,
      ),
    );
  return lines;
}

interface FlowColumns {
  peer: number;
  route: number;
  count: number;
  errors: number;
  latency: number;
}

function requestText(flow: Flow): string {
  return clean(flow.method === null ? flow.route : `${flow.method} ${flow.route}`, TEXT_LIMITS.path);
}

/**
 * Column widths. Numbers get what their longest value needs (at least 7). Without a width PEER and REQUEST
 * are as wide as their longest value; with one they share the rest: PEER gets its longest name when the
 * requests still fit, and at least 42% of the space otherwise (a longer name goes on a line of its own).
 */
function flowColumns(width: TextWidth, flows: readonly Flow[]): FlowColumns {
  let peerNeed = 4;
  let routeNeed = 7;
  let count = 7;
  let errors = 7;
  let latency = 7;
  for (const flow of flows) {
    peerNeed = Math.max(peerNeed, displayWidth(clean(flow.peer, TEXT_LIMITS.name)) + 1);
    routeNeed = Math.max(routeNeed, displayWidth(requestText(flow)) + 1);
    count = Math.max(count, formatCount(flow.count).length + 1);
    errors = Math.max(errors, formatCount(flow.errors).length + 1);
    const d = flow.duration_ms;
    for (const v of [d.p50, d.p95, d.p99, d.max]) latency = Math.max(latency, formatMs(v).length + 1);
  }
  if (width === undefined) return { peer: peerNeed, route: routeNeed, count, errors, latency };
  // marker(2) + peer + 1 + route + count + errors + 4 latencies
  const fixed = 2 + 1 + count + errors + 4 * latency;
  const flexible = Math.max(14, width - fixed);
  const peer = Math.max(6, Math.min(peerNeed, Math.max(Math.floor(flexible * 0.42), flexible - routeNeed)));
  return { peer, route: Math.max(8, flexible - peer), count, errors, latency };
}

function flowTableHeader(columns: FlowColumns): StyledLine {
  const text =
    '  ' +
    fitToWidth('PEER', columns.peer) +
    ' ' +
    fitToWidth('REQUEST', columns.route) +
    fitToWidth('COUNT', columns.count, 'right') +
    fitToWidth('ERRORS', columns.errors, 'right') +
    ['P50', 'P95', 'P99', 'MAX'].map((h) => fitToWidth(h, columns.latency, 'right')).join('');
  return [span(text, 'dim')];
}

function flowLines(flow: Flow, columns: FlowColumns, width: TextWidth): StyledLine[] {
  const errorish = flow.outcome === 'error';
  const warnish = flow.outcome === 'client_error' || flow.outcome === 'warning';
  const marker = errorish ? '✗ ' : warnish ? '! ' : '  ';
  const style: Style | undefined = errorish ? 'red' : warnish ? 'yellow' : undefined;
  const peer = clean(flow.peer, TEXT_LIMITS.name);
  const d = flow.duration_ms;
  const lines: StyledLine[] = [];
  // A peer wider than its column is never cut: it goes on a line of its own, the row below it.
  const peerFits = displayWidth(peer) <= columns.peer;
  if (!peerFits) lines.push(...flowPieces([span(marker, style)], [piece(peer)], width, 2));
  lines.push([
    span(peerFits ? marker : '  ', style),
    span(`${fitToWidth(peerFits ? peer : '', columns.peer)} ${fitToWidth(requestText(flow), columns.route)}`),
    span(fitToWidth(formatCount(flow.count), columns.count, 'right')),
    span(
      fitToWidth(flow.errors > 0 ? formatCount(flow.errors) : '-', columns.errors, 'right'),
      flow.errors > 0 ? 'red' : 'dim',
    ),
    span([d.p50, d.p95, d.p99, d.max].map((v) => fitToWidth(formatMs(v), columns.latency, 'right')).join('')),
  ]);
  const detail: Piece[] = [
    ...countPieces('codes', flow.codes, LIST_LIMITS.codes),
    ...countPieces('flags', flow.flags, LIST_LIMITS.flags),
  ];
  if (flow.client_errors > 0)
    detail.push(piece(plural(flow.client_errors, 'client error'), { style: 'dim', gap: ' · ' }));
  if (flow.warnings > 0) detail.push(piece(plural(flow.warnings, 'warning'), { style: 'dim', gap: ' · ' }));
  const id = flow.example_request_ids[0];
  if (id !== undefined) detail.push(piece(`e.g. ${clean(id, TEXT_LIMITS.id)}`, { style: 'dim', gap: ' · ' }));
  const noun = flow.direction === 'inbound' ? 'callers' : flow.direction === 'unknown' ? 'clients' : 'peers';
  if (flow.peer_group !== null) detail.push(...groupPieces(`top ${noun} `, flow.peer_group));
  if (flow.route_group !== null) detail.push(...groupPieces('top routes ', flow.route_group));
  detail.push(...podPieces('logged by ', flow.reported_by, flow.reported_by_more, ' · '));
  if (detail.length > 0) lines.push(...flowPieces([span('    ')], detail, width, 6));
  return lines;
}

/** Renders a summary report as terminal text. */
export function renderSummaryText(report: SummaryReport, options: TextRenderOptions): string {
  const width = layoutWidth(options);
  const lines: StyledLine[] = headerLines(report, 'meshbot · logs', width);
  for (const note of report.notes)
    lines.push(...flowPieces([span('· ', 'dim')], words(clean(note, TEXT_LIMITS.prose)), width, 2));

  if (report.totals.entries === 0 && report.flows.length === 0 && report.connections === undefined) {
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
    const shown = flows.slice(0, options.maxFlows ?? LIST_LIMITS.flows);
    for (const flow of shown) lines.push(...flowLines(flow, columns, width));
    const rest = flows.slice(shown.length);
    if (rest.length > 0) {
      // The rows left out, counted, so that the table still adds up to the totals.
      const entries = rest.reduce((a, f) => a + f.count, 0);
      const errors = rest.reduce((a, f) => a + f.errors, 0);
      lines.push(
        ...flowPieces(
          [span('  ')],
          words(
            `+${plural(rest.length, 'more flow')} ×${formatCount(entries)}${errors > 0 ? ` (${plural(errors, 'error')})` : ''} (-o json lists all)`,
            'dim',
          ),
          width,
          2,
        ),
      );
    }
  }
  if (report.connections !== undefined)
    lines.push(...connectionSection(report.connections, width, options.maxFlows ?? LIST_LIMITS.flows));
  if (report.flows_truncated > 0) {
    lines.push(
      [],
      ...flowPieces(
        [],
        words(
          `${plural(report.flows_truncated, 'entry', 'entries')} counted in (other) rows: the flow limit was reached`,
          'dim',
        ),
        width,
        0,
      ),
    );
  }
  return renderLines(lines, { color: options.color, width });
}
