/**
 * @module slack/reply-buttons
 * Buttons that save typing. A button's value is a `/mesh` command line, so a click goes through the same
 * parser, validation and authorization as typed text: nothing is kept in memory, and a button still works
 * after the bot restarts or on another replica. Pure.
 */
import type { CommandReport } from '../commands/command-report.js';
import { formatCommandLine } from '../commands/parse-command-line.js';
import { validateRequestId } from '../commands/request-id.js';
import type { LoggingStatusEntry } from '../istio-logging/logging-result.js';
import type { ButtonElement } from '../render/slack-message.js';

function isRequestId(id: string): boolean {
  try {
    return validateRequestId(id) === id;
  } catch {
    return false;
  }
}

/** Every button runs its value; the suffix keeps action ids unique within a message. */
export const RUN_ACTION_PREFIX = 'mesh_run';
export const CANCEL_ACTION = 'mesh_cancel';
export const EXTEND_FOR = '1h';

export function runButton(
  label: string,
  args: readonly string[],
  index: number,
  style?: 'primary' | 'danger',
): ButtonElement {
  const [name = 'help', ...rest] = args;
  return {
    type: 'button',
    action_id: `${RUN_ACTION_PREFIX}:${index}`,
    text: { type: 'plain_text', text: label },
    value: formatCommandLine(name, rest),
    ...(style ? { style } : {}),
  };
}

const MODE_OF: Record<string, string> = { CLIENT: 'client', SERVER: 'server', CLIENT_AND_SERVER: 'both' };

/** `enable-logging` arguments that extend what is on now, keeping its settings. */
function extendArgs(
  namespace: string,
  settings: {
    workload?: string | undefined;
    mode?: string | undefined;
    filter?: string | undefined;
    provider?: string | undefined;
  },
): string[] {
  return [
    'enable-logging',
    namespace,
    '--for',
    EXTEND_FOR,
    ...(settings.workload ? ['--workload', settings.workload] : []),
    ...(settings.mode && settings.mode !== 'both' ? ['--mode', settings.mode] : []),
    // `--filter=…`: a CEL expression may start with "-", which must not be read as a flag.
    ...(settings.filter ? [`--filter=${settings.filter}`] : []),
    ...(settings.provider && settings.provider !== 'envoy' ? ['--provider', settings.provider] : []),
  ];
}

/** Namespaces the report's sources came from (`ns/pod`), for a trace button. */
function sourceNamespaces(sources: readonly { name: string }[]): string[] {
  const out = new Set<string>();
  for (const s of sources) {
    const slash = s.name.indexOf('/');
    if (slash > 0) out.add(s.name.slice(0, slash));
  }
  return [...out].slice(0, 3);
}

/** The buttons under a reply. `tokens` is the command as the user gave it (for "Refresh"). */
export function buttonsFor(report: CommandReport, tokens: readonly string[]): ButtonElement[] {
  const buttons: ButtonElement[] = [];
  if ('command' in report) {
    // Mesh-wide changes get no shortcut buttons: extending or undoing them goes through the confirmation.
    if (report.command === 'enable-logging' && !report.dryRun && !report.mesh) {
      const workload = report.workload ? `${report.workload.label}=${report.workload.value}` : undefined;
      buttons.push(
        runButton(
          `Extend ${EXTEND_FOR}`,
          extendArgs(report.namespace, { ...report, workload }),
          0,
          'primary',
        ),
        runButton(
          'Disable now',
          ['disable-logging', report.namespace, ...(workload ? ['--workload', workload] : [])],
          1,
          'danger',
        ),
      );
    }
    return buttons;
  }
  if (report.kind === 'summary') {
    // Ids come from log lines: only one that is a valid request id makes a button.
    const id = report.findings
      .filter((f) => f.severity !== 'info')
      .flatMap((f) => f.example_request_ids)
      .find(isRequestId);
    if (id !== undefined) {
      const namespaces = sourceNamespaces(report.sources);
      const where = namespaces.length === 0 ? ['-A'] : namespaces.flatMap((n) => ['-n', n]);
      buttons.push(runButton('Trace an example request', ['trace', id, ...where], 0));
    }
    buttons.push(
      runButton(
        'Refresh',
        tokens.filter((t) => t !== '--share'),
        1,
      ),
    );
  }
  return buttons;
}

/** "Extend" and "Disable" for one entry of the status (App Home), when meshbot manages it. */
export function statusEntryButtons(entry: LoggingStatusEntry, index: number): ButtonElement[] {
  if (entry.managed === 'none' || entry.scope === 'mesh') return [];
  const workload = entry.scope === 'workload' ? entry.selector : undefined;
  // meshbot's own workload rules select one LABEL=VALUE; anything else was not made by `--workload`.
  if (entry.scope === 'workload' && (workload === undefined || !/^[^,=]+=[^,]*$/.test(workload))) return [];
  return [
    runButton(
      `Extend ${EXTEND_FOR}`,
      extendArgs(entry.namespace, {
        workload,
        mode: MODE_OF[entry.mode],
        filter: entry.filter,
        provider: entry.providers[0],
      }),
      index * 2,
      'primary',
    ),
    runButton(
      'Disable',
      ['disable-logging', entry.namespace, ...(workload ? ['--workload', workload] : [])],
      index * 2 + 1,
      'danger',
    ),
  ];
}

/** The confirmation a mesh-wide change asks for: the same command with `--yes`, or cancel. */
export function confirmButtons(tokens: readonly string[]): ButtonElement[] {
  return [
    runButton('Yes, the whole mesh', [...tokens.filter((t) => t !== '--share'), '--yes'], 0, 'danger'),
    {
      type: 'button',
      action_id: CANCEL_ACTION,
      text: { type: 'plain_text', text: 'Cancel' },
      value: 'cancel',
    },
  ];
}
