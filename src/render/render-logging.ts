/**
 * @module render/render-logging
 * The results of `enable-logging`, `disable-logging`, `reconcile` and `status` as terminal text, JSON,
 * or a Slack message; and the exact YAML a dry run would apply. Pure.
 */
import { formatRelativeTime } from '../core/duration.js';
import type {
  DisableLoggingResult,
  EnableLoggingResult,
  LoggingChange,
  LoggingResult,
  LoggingStatusEntry,
  LoggingStatusResult,
  ReconcileFailure,
  ReconcileResult,
} from '../istio-logging/logging-result.js';
import { RECONCILER_LEASE_NAME } from '../istio-logging/reverter-status.js';
import { codeSpan, mrkdwnText } from './escape-mrkdwn.js';
import { renderJson } from './render-json.js';
import type { OutputFormat } from './render-report.js';
import { sanitizeText } from './sanitize-text.js';
import { type SlackMessage, SlackMessageBuilder } from './slack-message.js';
import { toYaml } from './yaml.js';

/** An instant to the second, as meshbot's annotations record it (JSON keeps the milliseconds). */
function iso(ms: number | undefined): string {
  return ms === undefined ? '-' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The objects a change writes, as a YAML stream (`---`-separated); deletions as comments. */
export function stringifyLoggingYaml(result: EnableLoggingResult | DisableLoggingResult): string {
  const changes = result.command === 'enable-logging' ? [result.change] : result.changes;
  return changes
    .map((c) =>
      c.object === undefined
        ? `# ${c.action} ${c.kind} ${c.namespace}/${c.name}\n`
        : `# ${c.action} ${c.kind} ${c.namespace}/${c.name}\n${toYaml(c.object)}`,
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
  const target =
    r.workload !== undefined
      ? `${r.workload.label}=${r.workload.value} in ${where}`
      : r.waypoint !== undefined
        ? `the waypoint ${r.waypoint} of ${where}`
        : where;
  const lines = [
    `${r.dryRun ? 'Dry run: ' : ''}access logging ${r.dryRun ? 'would be' : 'is'} on for ${target} until ${iso(r.untilMs)}${nowMs === undefined ? '' : ` (${formatRelativeTime(r.untilMs, nowMs)})`}`,
    ...(r.previousUntilMs === undefined
      ? []
      : [
          `  already on; expiry ${r.dryRun ? 'would move' : 'moved'} from ${iso(r.previousUntilMs)} to ${iso(r.untilMs)}`,
        ]),
    `  ${changeLine(r.change, r.dryRun)}`,
    `  mode ${r.mode}, provider ${r.provider}${r.filter === undefined ? '' : `, filter ${r.filter}`}, requested by ${r.requestedBy}`,
    ...r.notes.map((n) => `  note: ${n}`),
    ...checkLines(r),
    ...expiredLines(r.expiredReverted, r.expiredFailures, r.dryRun),
    ...(r.reverter === undefined ? [] : [`  ${reverterLine(r, prefix)}`]),
  ];
  if (!r.dryRun)
    lines.push(
      `  turn it off early: ${prefix} disable-logging ${r.mesh ? '--mesh' : r.namespace}${r.workload === undefined ? '' : ` --workload ${r.workload.label}=${r.workload.value}`}`,
    );
  return lines;
}

/** What the preflight found: warnings one per line, what passed on one line. */
function checkLines(r: EnableLoggingResult): string[] {
  const checks = r.checks ?? [];
  const passed = checks.filter((c) => c.outcome === 'ok').map((c) => c.message);
  return [
    ...checks.filter((c) => c.outcome === 'warning').map((c) => `  warning: ${c.message}`),
    ...(passed.length === 0 ? [] : [`  checked: ${passed.join('; ')}`]),
  ];
}

function expiredLines(
  reverted: readonly LoggingChange[] | undefined,
  failures: readonly ReconcileFailure[] | undefined,
  dryRun: boolean,
): string[] {
  const done = reverted ?? [];
  return [
    ...(done.length === 0
      ? []
      : [
          `  ${dryRun ? 'would revert' : 'reverted'} ${done.length} expired change${done.length === 1 ? '' : 's'} found here: ${done.map((c) => changeLine(c, dryRun)).join('; ')}`,
        ]),
    ...(failures ?? []).map(
      (f) => `  could not revert expired ${f.kind} ${f.namespace}/${f.name}: ${f.message}`,
    ),
  ];
}

const LEASE = RECONCILER_LEASE_NAME;

/** `4s ago`, `1h30m ago`, `now`. */
function ago(ms: number): string {
  return formatRelativeTime(-ms, 0);
}

/** Who switches time-boxed logging off at `untilMs`, or that nobody will and what to run instead. */
function reverterLine(r: EnableLoggingResult, prefix: string): string {
  const reverter = r.reverter;
  if (reverter === undefined) return '';
  const lease = `Lease ${reverter.leaseNamespace}/${LEASE}`;
  switch (reverter.state) {
    case 'running':
      return `${r.dryRun ? 'would be reverted' : 'reverted'} at ${iso(r.untilMs)} by reconciler ${reverter.holder} (${lease} renewed ${ago(reverter.renewedAgoMs)})`;
    case 'none': {
      const stale =
        reverter.holder === undefined
          ? `no ${lease}`
          : `${lease} last renewed by ${reverter.holder} ${ago(reverter.renewedAgoMs ?? 0)}`;
      return `no reconciler is running (${stale}): nothing will switch this off at ${iso(r.untilMs)}; run meshbot reconcile --watch (or deploy meshbot serve), or ${prefix} disable-logging ${r.mesh ? '--mesh' : r.namespace}${r.workload === undefined ? '' : ` --workload ${r.workload.label}=${r.workload.value}`} when done`;
    }
    case 'unknown':
      return `could not tell whether a reconciler will switch this off at ${iso(r.untilMs)} (reading ${lease}: ${reverter.reason})`;
  }
}

function disableText(r: DisableLoggingResult): string[] {
  const where = r.mesh === true ? `the whole mesh (${r.namespace})` : r.namespace;
  const what =
    r.mesh === true && r.workload === undefined
      ? `meshbot's access logging for the whole mesh (${r.namespace})`
      : `meshbot's access logging ${r.workload === undefined ? '' : `for ${r.workload} `}in ${where}`;
  const remaining = r.remaining ?? [];
  return [
    r.dryRun ? `Dry run: would switch off ${what}` : `Switched off ${what}`,
    ...r.changes.map((c) => `  ${changeLine(c, r.dryRun)}`),
    remaining.length === 0
      ? r.mesh === true
        ? `  nothing else in ${r.namespace}, the root namespace, switches access logging on for the mesh (namespaces' own rules and the mesh config may: see status -A)`
        : `  nothing else in ${r.namespace} switches access logging on (the mesh config may: see status)`
      : `  ${r.dryRun ? 'would still be on' : 'still on'} in ${where}: ${remaining.join(', ')}`,
    ...expiredLines(r.expiredReverted, r.expiredFailures, r.dryRun),
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

/** `(expires in 45m)`, or that the change has expired and was not reverted yet. */
function timeLeft(untilMs: number | undefined, nowMs: number): string {
  if (untilMs === undefined) return '';
  return untilMs > nowMs
    ? ` (expires ${formatRelativeTime(untilMs, nowMs)})`
    : ` — EXPIRED ${formatRelativeTime(untilMs, nowMs)}, not yet reverted (reconcile reverts it)`;
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

/** For `status NS`: which rule decides logging for the namespace as a whole. */
function namespaceRuleLine(r: LoggingStatusResult): string | undefined {
  const rule = r.appliesToNamespace;
  if (rule === undefined) return undefined;
  const what = `${rule.kind ?? ''} ${rule.namespace ?? ''}/${rule.name ?? ''}`.trim();
  const onOff = rule.disabled === true ? 'switches access logging OFF' : 'applies';
  switch (rule.source) {
    case 'namespace':
      return `Namespace ${r.scope} as a whole: its own ${what} ${onOff}`;
    case 'mesh':
      return `Namespace ${r.scope} as a whole: the mesh-wide ${what} ${onOff} (root namespace ${rule.namespace ?? ''})`;
    case 'mesh-config':
      return `Namespace ${r.scope} as a whole: the mesh config's accessLogFile applies (no Telemetry overrides it)`;
    case 'none':
      return `Namespace ${r.scope} as a whole: no rule switches access logging on (only workload rules listed above, if any)`;
  }
}

/**
 * The commands that undo the meshbot changes `status` lists: `disable-logging --mesh` for the mesh-wide one,
 * `disable-logging NS` for a namespace's (with `--workload` for a workload rule); NAMESPACE when there are many.
 */
function disableCommands(r: LoggingStatusResult, prefix: string): string {
  const commands = [
    ...new Set(
      r.entries
        .filter((e) => e.managed !== 'none')
        .map((e) =>
          e.scope === 'mesh'
            ? '--mesh'
            : e.scope === 'workload' && /^[^,=\s]+=[^,=\s]+$/.test(e.selector ?? '')
              ? `${e.namespace} --workload ${e.selector ?? ''}`
              : e.namespace,
        ),
    ),
  ].map((c) => `${prefix} disable-logging ${c}`);
  if (commands.length === 0 || commands.length > 3) return `${prefix} disable-logging NAMESPACE`;
  return commands.join(' or ');
}

/** For status: who reverts meshbot's changes when they expire. */
function statusReverterLine(r: LoggingStatusResult, prefix: string): string | undefined {
  const reverter = r.reverter;
  if (reverter === undefined) return undefined;
  const lease = `Lease ${reverter.leaseNamespace}/${LEASE}`;
  switch (reverter.state) {
    case 'running':
      return `Expiry: reconciler ${reverter.holder} reverts meshbot's changes when they expire (${lease} renewed ${ago(reverter.renewedAgoMs)})`;
    case 'none':
      return `Expiry: no reconciler is running (${reverter.holder === undefined ? `no ${lease}` : `${lease} last renewed ${ago(reverter.renewedAgoMs ?? 0)}`}), so nothing reverts meshbot's changes when they expire; run meshbot reconcile --watch (or deploy meshbot serve), or ${disableCommands(r, prefix)}`;
    case 'unknown':
      return `Expiry: could not tell whether a reconciler is running (reading ${lease}: ${reverter.reason})`;
  }
}

function statusText(r: LoggingStatusResult, prefix: string): string[] {
  const scope = r.scope === 'all' ? 'all namespaces' : `namespace ${r.scope}`;
  const rule = namespaceRuleLine(r);
  const reverter = statusReverterLine(r, prefix);
  return [
    meshLine(r),
    r.entries.length === 0
      ? `No Telemetry or EnvoyFilter configures access logging in ${scope}.`
      : `Access logging in ${scope}:`,
    ...r.entries.map((e) => entryText(e, r.nowMs)),
    ...(rule === undefined ? [] : [rule]),
    ...(reverter === undefined ? [] : [reverter]),
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
      lines = statusText(result, prefix);
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
    const rule = namespaceRuleLine(result);
    const reverter = statusReverterLine(result, '/mesh');
    for (const line of [rule, reverter]) if (line !== undefined) b.section(mrkdwnText(sanitizeText(line)));
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
      return renderJson(result);
    case 'slack':
      return `${JSON.stringify(renderLoggingSlack(result, nowMs), null, 2)}\n`;
    default: {
      const unknown: never = format;
      throw new Error(`unknown output format: ${String(unknown)}`);
    }
  }
}
