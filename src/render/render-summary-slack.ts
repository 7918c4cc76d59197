/**
 * @module render/render-summary-slack
 * A {@link SummaryReport} as a Slack message: header, a context line of totals, notes, then findings
 * (most severe first), then inbound and outbound flows as compact lines. Every log-derived value is shown
 * as a code span or as neutralized prose, so log lines cannot mention, link or format. The builder cuts
 * what does not fit and says how much was left out.
 */

import { isCommand } from '../analysis/is-command.js';
import type { ConnectionFlow, Finding, Flow, SummaryReport } from '../analysis/report.js';
import { describeSkipped } from '../analysis/skip-reasons.js';
import { codeSpan, mrkdwnText } from './escape-mrkdwn.js';
import {
  formatBytes,
  formatCount,
  formatPercentiles,
  formatWindow,
  plural,
  SEVERITY_RANK,
  topCounts,
} from './format-values.js';
import { type SlackMessage, SlackMessageBuilder } from './slack-message.js';

export interface SummarySlackOptions {
  /** Header text; defaults to `meshbot · logs`. */
  title?: string;
}

const JSON_HINT = 'use the CLI with --format json for all';

const SEVERITY_EMOJI: Record<Finding['severity'], string> = {
  critical: ':rotating_light:',
  error: ':red_circle:',
  warning: ':warning:',
  info: ':information_source:',
};

/** `503×12 · 200×30 · +2 more` with the counts of a code or flag map. */
function countList(counts: Readonly<Record<string, number>>, limit: number, code: boolean): string | null {
  const { top, rest } = topCounts(counts, limit);
  if (top.length === 0) return null;
  const parts = top.map(([key, n]) => `${code ? codeSpan(key, 40) : mrkdwnText(key, 20)}×${formatCount(n)}`);
  if (rest > 0) parts.push(`+${rest} more`);
  return parts.join(' ');
}

function totalsContext(report: SummaryReport): string[] {
  const t = report.totals;
  const directions = [`${formatCount(t.inbound)} in`, `${formatCount(t.outbound)} out`];
  if (t.unknown > 0) directions.push(`${formatCount(t.unknown)} other`);
  const elements = [`*${plural(t.entries, 'entry', 'entries')}* (${directions.join(' · ')})`];
  const l4 = report.connections?.totals;
  if (l4 !== undefined)
    elements.push(
      `*${plural(l4.connections, 'L4 connection')}* (ztunnel)${l4.failed > 0 ? ` · :x: *${formatCount(l4.failed)} failed*` : ''}`,
    );
  elements.push(t.errors > 0 ? `:x: *${plural(t.errors, 'error')}*` : ':white_check_mark: no errors');
  if (t.warnings > 0) elements.push(`:warning: ${plural(t.warnings, 'warning')}`);
  if (t.client_errors > 0) elements.push(plural(t.client_errors, 'client error'));
  if (t.skipped_lines > 0) {
    const reasons = describeSkipped(report.skipped, formatCount);
    elements.push(`${plural(t.skipped_lines, 'skipped line')}${reasons === '' ? '' : ` (${reasons})`}`);
  }
  if (t.filtered_out > 0) elements.push(`${formatCount(t.filtered_out)} older than the window`);
  const window = formatWindow(report.window);
  if (window !== null) elements.push(`:clock3: ${mrkdwnText(window, 80)}`);
  return elements;
}

function findingItem(f: Finding): string {
  const lines = [
    `${SEVERITY_EMOJI[f.severity]} *${mrkdwnText(f.title, 150)}* · ${formatCount(f.count)}×`,
    mrkdwnText(f.explanation, 400),
  ];
  const causes = f.causes.slice(0, 3).map((c) => mrkdwnText(c, 160));
  if (causes.length > 0)
    lines.push(
      `_Likely causes:_ ${causes.join(' · ')}${f.causes.length > 3 ? ` · +${f.causes.length - 3} more` : ''}`,
    );
  const steps = f.next_steps.slice(0, 3).map((s) => (isCommand(s) ? codeSpan(s, 160) : mrkdwnText(s, 200)));
  if (steps.length > 0)
    lines.push(
      `_Next:_ ${steps.join('  ')}${f.next_steps.length > 3 ? `  +${f.next_steps.length - 3} more` : ''}`,
    );
  const evidence: string[] = [];
  if (f.peers.length > 0) {
    const peers = f.peers.slice(0, 3).map((p) => codeSpan(p, 60));
    evidence.push(
      `${peers.join(' ')}${f.peers.length > 3 ? ` +${formatCount(f.peers.length - 3)} more` : ''}`,
    );
  }
  const id = f.example_request_ids[0];
  if (id !== undefined) evidence.push(`e.g. ${codeSpan(id, 40)}`);
  const when = formatWindow({ from: f.first_seen, to: f.last_seen });
  if (when !== null) evidence.push(mrkdwnText(when, 100));
  if (evidence.length > 0) lines.push(`_Seen:_ ${evidence.join(' · ')}`);
  const detail = [f.response_code_details, f.upstream_transport_failure_reason]
    .filter((d): d is string => d !== null && d !== '')
    .map((d) => codeSpan(d, 160));
  if (detail.length > 0) lines.push(`_Detail:_ ${detail.join(' ')}`);
  const errors = (f.connection_errors ?? []).map((e) => `${codeSpan(e.error, 200)}×${formatCount(e.count)}`);
  if (errors.length > 0) lines.push(`_ztunnel error:_ ${errors.join(' ')}`);
  return lines.join('\n');
}

/** One compact line per row of ztunnel connections (L4). */
export function connectionLine(flow: ConnectionFlow): string {
  const marker =
    flow.outcome === 'error' ? ':x:' : flow.outcome === 'warning' ? ':warning:' : ':white_circle:';
  const parts = [
    `${marker} ${codeSpan(flow.source, 60)} → ${codeSpan(flow.destination, 60)}`,
    `*${formatCount(flow.count)}* conn`,
  ];
  if (flow.failed > 0) parts.push(`*${formatCount(flow.failed)} failed*`);
  const timing = formatPercentiles(flow.duration_ms, ' ');
  if (timing !== null) parts.push(timing);
  parts.push(`${formatBytes(flow.bytes_sent)} sent, ${formatBytes(flow.bytes_recv)} received`);
  const error = flow.errors[0];
  if (error !== undefined) parts.push(`error ${codeSpan(error.error, 120)}`);
  return parts.join(' · ');
}

/** One compact line per flow. */
export function flowLine(flow: Flow): string {
  const marker =
    flow.outcome === 'error' ? ':x:' : flow.outcome === 'client_error' ? ':warning:' : ':white_circle:';
  const arrow = flow.direction === 'inbound' ? '←' : flow.direction === 'outbound' ? '→' : '↔';
  const request = flow.method === null ? flow.route : `${flow.method} ${flow.route}`;
  const parts = [
    `${marker} ${arrow} ${codeSpan(flow.peer, 60)} ${codeSpan(request, 80)}`,
    `*${formatCount(flow.count)}* req`,
  ];
  if (flow.errors > 0) parts.push(`*${plural(flow.errors, 'error')}*`);
  if (flow.client_errors > 0) parts.push(plural(flow.client_errors, 'client error'));
  const codes = countList(flow.codes, 4, false);
  if (codes !== null) parts.push(codes);
  const flags = countList(flow.flags, 3, true);
  if (flags !== null) parts.push(flags);
  const timing = formatPercentiles(flow.duration_ms, ' ');
  if (timing !== null) parts.push(timing);
  const id = flow.example_request_ids[0];
  if (id !== undefined) parts.push(`e.g. ${codeSpan(id, 40)}`);
  const noun = flow.direction === 'inbound' ? 'callers' : flow.direction === 'unknown' ? 'clients' : 'peers';
  if (flow.peer_group !== null) parts.push(groupText(`top ${noun}`, flow.peer_group));
  if (flow.route_group !== null) parts.push(groupText('top routes', flow.route_group));
  return parts.join(' · ');
}

/** Names of a grouped row listed per flow line. */
const GROUP_LISTED = 3;
/** Flows listed per direction; the rest are one `+N more flows` line with their entries. */
const FLOWS_LISTED = 15;

/** `top callers `a`×40 `b`×38 +810 more ×2,190`. */
function groupText(label: string, group: NonNullable<Flow['peer_group']>): string {
  const shown = group.top.slice(0, GROUP_LISTED);
  const parts = shown.map((t) => `${codeSpan(t.name, 60)}×${formatCount(t.count)}`);
  const more = Math.max(0, group.distinct - shown.length);
  const rest = group.others + group.top.slice(shown.length).reduce((a, t) => a + t.count, 0);
  if (more > 0 && rest > 0)
    parts.push(`+${group.distinct_estimated ? '~' : ''}${formatCount(more)} more ×${formatCount(rest)}`);
  return `${label} ${parts.join(' ')}`;
}

/** The flow lines of one direction: the first {@link FLOWS_LISTED}, then the rest counted. */
function flowItems(flows: readonly Flow[]): string[] {
  const items = flows.slice(0, FLOWS_LISTED).map(flowLine);
  const rest = flows.slice(FLOWS_LISTED);
  if (rest.length > 0) {
    const entries = rest.reduce((a, f) => a + f.count, 0);
    const errors = rest.reduce((a, f) => a + f.errors, 0);
    items.push(
      `_+${plural(rest.length, 'more flow')} ×${formatCount(entries)}${errors > 0 ? ` (${plural(errors, 'error')})` : ''}_`,
    );
  }
  return items;
}

function fallbackText(report: SummaryReport, findings: readonly Finding[]): string {
  const t = report.totals;
  const head = `meshbot: ${plural(t.entries, 'entry', 'entries')}, ${plural(t.errors, 'error')}, ${plural(findings.length, 'finding')}`;
  const lines = [head];
  for (const f of findings.slice(0, 5))
    lines.push(`• ${f.severity}: ${mrkdwnText(f.title, 150)} (${formatCount(f.count)}×)`);
  if (findings.length > 5) lines.push(`…and ${formatCount(findings.length - 5)} more findings`);
  for (const note of report.notes.slice(0, 3)) lines.push(mrkdwnText(note, 200));
  if (report.notes.length > 3) lines.push(`+${formatCount(report.notes.length - 3)} more notes`);
  return lines.join('\n');
}

/** Renders a summary report as a Slack message within Slack's limits. */
export function renderSummarySlack(report: SummaryReport, options: SummarySlackOptions = {}): SlackMessage {
  const findings = [...report.findings].sort(
    (a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || b.count - a.count,
  );
  const builder = new SlackMessageBuilder()
    .header(options.title ?? 'meshbot · logs')
    .context(totalsContext(report));

  if (report.notes.length > 0) {
    builder.list({
      items: report.notes.map((n) => `:information_source: ${mrkdwnText(n, 300)}`),
      noun: 'notes',
      maxShare: 0.2,
    });
  }
  if (report.totals.entries === 0 && report.flows.length === 0 && report.connections === undefined) {
    if (report.notes.length === 0) builder.section('_No access-log entries to summarise._');
    return builder.fallback(fallbackText(report, findings)).build();
  }

  builder.divider();
  if (findings.length > 0) {
    builder.list({
      heading: `*Findings* (${formatCount(findings.length)})`,
      items: findings.map(findingItem),
      noun: 'findings',
      hint: JSON_HINT,
      blockPerItem: true,
      maxShare: 0.6,
    });
  } else {
    builder.section(':white_check_mark: *No findings:* no errors that match a known cause.');
  }

  const groups: [string, Flow[]][] = [
    ['Inbound', report.flows.filter((f) => f.direction === 'inbound')],
    ['Outbound', report.flows.filter((f) => f.direction === 'outbound')],
    ['Unknown direction', report.flows.filter((f) => f.direction === 'unknown')],
  ];
  const present = groups.filter(([, flows]) => flows.length > 0);
  const connections = report.connections;
  present.forEach(([label, flows], index) => {
    builder.divider().list({
      heading: `*${label} flows* (${formatCount(flows.length)})`,
      items: flowItems(flows),
      folded: Math.max(0, flows.length - FLOWS_LISTED),
      noun: `${label.toLowerCase()} flows`,
      hint: JSON_HINT,
      maxShare: index === present.length - 1 && connections === undefined ? 1 : 0.5,
    });
  });
  if (connections !== undefined) {
    const t = connections.totals;
    const items = connections.flows.slice(0, FLOWS_LISTED).map(connectionLine);
    const rest = connections.flows.slice(FLOWS_LISTED);
    if (rest.length > 0) {
      const count = rest.reduce((a, f) => a + f.count, 0);
      items.push(`_+${plural(rest.length, 'more row')} ×${formatCount(count)}_`);
    }
    builder.divider().list({
      heading: `*L4 connections (ztunnel)* · ${plural(t.connections, 'connection')}${t.failed > 0 ? ` · *${formatCount(t.failed)} failed*` : ''}`,
      items,
      folded: rest.length,
      noun: 'connection rows',
      hint: JSON_HINT,
      maxShare: 1,
    });
  }
  if (report.flows_truncated > 0) {
    builder.context([
      `_${plural(report.flows_truncated, 'entry', 'entries')} counted in \`(other)\` rows because the flow limit was reached_`,
    ]);
  }
  return builder.fallback(fallbackText(report, findings)).build();
}
