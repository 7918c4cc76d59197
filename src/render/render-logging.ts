/**
 * @module render/render-logging
 * The results of `enable-logging`, `disable-logging`, `reconcile` and `status` as terminal text, JSON,
 * or a Slack message; and the exact YAML a dry run would apply. Pure.
 */
import { stringify } from 'yaml';
import { formatDuration } from '../core/duration.js';
import type {
  DisableLoggingResult,
  EnableLoggingResult,
  LoggingChange,
  LoggingResult,
  LoggingStatusEntry,
  LoggingStatusResult,
  ReconcileResult,
} from '../istio-logging/logging-result.js';
import { codeSpan, mrkdwnText } from './escape-mrkdwn.js';
import type { OutputFormat } from './render-report.js';
import { sanitizeText } from './sanitize-text.js';
import { type SlackMessage, SlackMessageBuilder } from './slack-message.js';

function iso(ms: number | undefined): string {
  return ms === undefined ? '-' : new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}

/** The objects a change writes, as a YAML stream (`---`-separated); deletions as comments. */
export function stringifyLoggingYaml(result: EnableLoggingResult | DisableLoggingResult): string {
  const changes = result.command === 'enable-logging' ? [result.change] : result.changes;
  return changes
    .map((c) =>
      c.object === undefined
        ? `# ${c.action} ${c.kind} ${c.namespace}/${c.name}\n`
        : `# ${c.action} ${c.kind} ${c.namespace}/${c.name}\n${stringify(c.object, { lineWidth: 0 })}`,
    )
    .join('---\n');
}

function changeLine(c: LoggingChange, dryRun: boolean): string {
  const verb: Record<LoggingChange['action'], string> = {
    create: dryRun ? 'would create' : 'created',
    update: dryRun ? 'would update' : 'updated',
    patch: dryRun ? 'would patch accessLogging of' : 'patched accessLogging of',
    restore: dryRun ? 'would restore accessLogging of' : 'restored accessLogging of',
    release: dryRun ? 'would let go of' : 'let go of',
    delete: dryRun ? 'would delete' : 'deleted',
    none: 'unchanged:',
  };
  const why =
    c.action === 'release' ? ': edited by someone else since meshbot changed it; their edits are kept' : '';
  return `${verb[c.action]} ${c.kind} ${c.namespace}/${c.name} (${c.apiVersion})${why}`;
}

function enableText(r: EnableLoggingResult, nowMs: number | undefined, prefix: string): string[] {
  const where = r.mesh ? `the whole mesh (${r.namespace})` : `namespace ${r.namespace}`;
  const target = r.workload === undefined ? where : `${r.workload.label}=${r.workload.value} in ${where}`;
  const lines = [
    `${r.dryRun ? 'Dry run: ' : ''}access logging ${r.dryRun ? 'would be' : 'is'} on for ${target} until ${iso(r.untilMs)}${nowMs === undefined ? '' : ` (${formatDuration(r.untilMs - nowMs)})`}`,
    ...(r.previousUntilMs === undefined
      ? []
      : [
          `  already on; expiry ${r.dryRun ? 'would move' : 'moved'} from ${iso(r.previousUntilMs)} to ${iso(r.untilMs)}`,
        ]),
    `  ${changeLine(r.change, r.dryRun)}`,
    `  mode ${r.mode}, provider ${r.provider}${r.filter === undefined ? '' : `, filter ${r.filter}`}, requested by ${r.requestedBy}`,
    ...r.notes.map((n) => `  note: ${n}`),
  ];
  if (!r.dryRun)
    lines.push(
      `  turn it off early: ${prefix} disable-logging ${r.mesh ? '--mesh' : r.namespace}${r.workload === undefined ? '' : ` --workload ${r.workload.label}=${r.workload.value}`}`,
    );
  return lines;
}

function disableText(r: DisableLoggingResult): string[] {
  const what = `meshbot's access logging ${r.workload === undefined ? '' : `for ${r.workload} `}in ${r.namespace}`;
  const remaining = r.remaining ?? [];
  return [
    r.dryRun ? `Dry run: would switch off ${what}` : `Switched off ${what}`,
    ...r.changes.map((c) => `  ${changeLine(c, r.dryRun)}`),
    remaining.length === 0
      ? `  nothing else in ${r.namespace} switches access logging on (the mesh config may: see status)`
      : `  ${r.dryRun ? 'would still be on' : 'still on'} in ${r.namespace}: ${remaining.join(', ')}`,
  ];
}

function reconcileText(r: ReconcileResult): string[] {
  return [
    `${r.dryRun ? 'Dry run: ' : ''}reconcile at ${iso(r.nowMs)}: ${r.reverted.length} expired change(s) ${r.dryRun ? 'would be reverted' : 'reverted'}, ${r.pending.length} still active, ${r.failures.length} failed`,
    ...r.reverted.map((c) => `  ${changeLine(c, r.dryRun === true)}`),
    ...r.pending.map((p) => `  active: ${p.kind} ${p.namespace}/${p.name} until ${iso(p.untilMs)}`),
    ...r.failures.map((f) => `  failed: ${f.kind} ${f.namespace}/${f.name}: ${f.message}`),
  ];
}

/** `(45m left)`, or that the change has expired and was not reverted yet. */
function timeLeft(untilMs: number | undefined, nowMs: number): string {
  if (untilMs === undefined) return '';
  return untilMs > nowMs
    ? ` (${formatDuration(untilMs - nowMs)} left)`
    : ` — EXPIRED ${formatDuration(nowMs - untilMs)} ago, not yet reverted (reconcile reverts it)`;
}

function entryWho(e: LoggingStatusEntry, nowMs: number): string {
  if (e.managed === 'none') return 'not managed by meshbot';
  const by = e.requestedBy ?? 'unknown';
  return `meshbot (${e.managed === 'patched' ? 'patched' : 'created'}) for ${by}, since ${iso(e.sinceMs)} until ${iso(e.untilMs)}${timeLeft(e.untilMs, nowMs)}`;
}

/** Where a status entry applies: `ns`, `ns [app=x]` or `istio-system (whole mesh)`. */
export function statusEntryWhere(e: LoggingStatusEntry): string {
  return e.scope === 'workload'
    ? `${e.namespace} [${e.selector ?? ''}]`
    : e.scope === 'mesh'
      ? `${e.namespace} (whole mesh)`
      : e.namespace;
}

function entryText(e: LoggingStatusEntry, nowMs: number): string {
  const where = statusEntryWhere(e);
  const what = e.disabled
    ? 'DISABLED'
    : `providers ${e.providers.join(',')}, mode ${e.mode}${e.filter === undefined ? '' : `, filter ${e.filter}`}`;
  return `  ${where}: ${e.kind} ${e.name} — ${what}; ${entryWho(e, nowMs)}${e.ignored ? ' — IGNORED by Istio (an older selector-less Telemetry wins)' : ''}`;
}

function meshLine(r: LoggingStatusResult): string {
  if (r.meshError !== undefined) return `Mesh config: could not be read (${r.meshError})`;
  if (r.mesh?.accessLogFile !== undefined) {
    return `MESH-WIDE: the mesh config logs every proxy already (accessLogFile: ${r.mesh.accessLogFile}${r.mesh.accessLogEncoding ? `, ${r.mesh.accessLogEncoding}` : ''})`;
  }
  return `Mesh config: accessLogFile not set (no mesh-wide access log)${r.mesh?.found === false ? '; no istio ConfigMap found' : ''}`;
}

function statusText(r: LoggingStatusResult): string[] {
  const scope = r.scope === 'all' ? 'all namespaces' : `namespace ${r.scope}`;
  return [
    meshLine(r),
    r.entries.length === 0
      ? `No Telemetry or EnvoyFilter configures access logging in ${scope}.`
      : `Access logging in ${scope}:`,
    ...r.entries.map((e) => entryText(e, r.nowMs)),
  ];
}

/** `prefix` is how the reader runs meshbot (`meshbot`, `/mesh`), for the commands it suggests. */
export function renderLoggingText(result: LoggingResult, nowMs?: number, prefix = 'meshbot'): string {
  let lines: string[];
  switch (result.command) {
    case 'enable-logging':
      lines = enableText(result, nowMs, prefix);
      if (result.dryRun) lines.push('', stringifyLoggingYaml(result).trimEnd());
      break;
    case 'disable-logging':
      lines = disableText(result);
      if (result.dryRun) lines.push('', stringifyLoggingYaml(result).trimEnd());
      break;
    case 'reconcile':
      lines = reconcileText(result);
      break;
    case 'status':
      lines = statusText(result);
      break;
  }
  // Names, annotations and filters come from the cluster: anyone who can edit a Telemetry writes them.
  return `${lines.join('\n').split('\n').map(sanitizeText).join('\n')}\n`;
}

export function renderLoggingSlack(result: LoggingResult, nowMs?: number): SlackMessage {
  const b = new SlackMessageBuilder();
  const text = renderLoggingText(result, nowMs, '/mesh').split('\n');
  const [first = '', ...rest] = text.filter((l) => l !== '');
  if (result.command === 'status') {
    b.header('Access logging status');
    b.section(result.mesh?.accessLogFile !== undefined ? `*${mrkdwnText(first)}*` : mrkdwnText(first));
    b.list({
      items: result.entries.map(
        (e) => `${codeSpan(`${e.namespace}/${e.name}`)} ${mrkdwnText(entryText(e, result.nowMs).trim())}`,
      ),
      noun: 'resources',
      hint: '/mesh status NAMESPACE',
    });
  } else {
    b.section(`*${mrkdwnText(first)}*`);
    const yamlStart = rest.findIndex((l) => l.startsWith('# '));
    const body = yamlStart < 0 ? rest : rest.slice(0, yamlStart);
    if (body.length > 0) b.list({ items: body.map((l) => mrkdwnText(l.trim())), noun: 'lines' });
  }
  b.fallback(first);
  return b.build();
}

export function renderLogging(result: LoggingResult, format: OutputFormat, nowMs?: number): string {
  switch (format) {
    case 'text':
      return renderLoggingText(result, nowMs);
    case 'json':
      return `${JSON.stringify(result, null, 2)}\n`;
    case 'slack':
      return `${JSON.stringify(renderLoggingSlack(result, nowMs), null, 2)}\n`;
    default: {
      const unknown: never = format;
      throw new Error(`unknown output format: ${String(unknown)}`);
    }
  }
}
