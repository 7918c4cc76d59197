/** Reply buttons: every value is a `/mesh` command line that re-parses and re-prepares when clicked. */
import { describe, expect, it } from 'vitest';
import type { Finding, SummaryReport } from '../analysis/report.js';
import type { CommandReport } from '../commands/command-report.js';
import { parseTokens, prepareCommand } from '../commands/command-table.js';
import { tokenizeCommandText } from '../commands/parse-command-line.js';
import type { PreparedCommand } from '../commands/table/define-command.js';
import type {
  DisableLoggingResult,
  EnableLoggingResult,
  LoggingStatusEntry,
} from '../istio-logging/logging-result.js';
import { realisticSummary, realisticTrace, sampleStatusEntry } from '../render/sample-reports.test-helper.js';
import type { ButtonElement } from '../render/slack-message.js';
import {
  buttonsFor,
  CANCEL_ACTION,
  confirmButtons,
  EXTEND_FOR,
  RUN_ACTION_PREFIX,
  runButton,
  statusEntryButtons,
} from './reply-buttons.js';

const LIMITS = { maxLoggingMs: 4 * 3600_000 };
const HOUR = 3_600_000;
const NASTY_FILTER = `request.headers['x-user'] == "bob's" && response.code >= 500`;

/** What a click does with a button's value. */
function click(button: ButtonElement): PreparedCommand {
  return prepareCommand(parseTokens(tokenizeCommandText(button.value), 'slack'), LIMITS);
}

function expectAllRerun(buttons: readonly ButtonElement[]): PreparedCommand[] {
  const runs = buttons.filter((b) => b.action_id !== CANCEL_ACTION);
  for (const b of runs) {
    expect(b.action_id.startsWith(`${RUN_ACTION_PREFIX}:`)).toBe(true);
    expect(() => click(b), b.value).not.toThrow();
  }
  expect(new Set(buttons.map((b) => b.action_id)).size).toBe(buttons.length);
  return runs.map(click);
}

function enabled(extra: Partial<EnableLoggingResult> = {}): EnableLoggingResult {
  return {
    command: 'enable-logging',
    dryRun: false,
    mesh: false,
    api: { kind: 'Telemetry', version: 'v1' },
    change: {
      action: 'create',
      kind: 'Telemetry',
      apiVersion: 'telemetry.istio.io/v1',
      namespace: 'shop',
      name: 'meshbot-access-logging-app-cart',
    },
    notes: [],
    namespace: 'shop',
    workload: { label: 'app', value: 'cart' },
    mode: 'server',
    filter: NASTY_FILTER,
    provider: 'otel',
    requestedBy: 'slack:U123',
    sinceMs: Date.parse('2025-03-04T10:00:00Z'),
    untilMs: Date.parse('2025-03-04T11:00:00Z'),
    ...extra,
  };
}

function summary(sources: string[], findings: Finding[] = realisticSummary.findings): SummaryReport {
  return {
    ...realisticSummary,
    findings,
    sources: sources.map((name) => ({ name, entries: 10, skipped_lines: 0 })),
  };
}

function statusEntry(extra: Partial<LoggingStatusEntry> = {}): LoggingStatusEntry {
  return sampleStatusEntry({ ...extra });
}

describe('runButton', () => {
  it('quotes the arguments and numbers the action id', () => {
    expect(runButton('Go', ['enable-logging', 'shop', '--filter', 'a b'], 4, 'primary')).toEqual({
      type: 'button',
      action_id: `${RUN_ACTION_PREFIX}:4`,
      text: { type: 'plain_text', text: 'Go' },
      value: "enable-logging shop --filter 'a b'",
      style: 'primary',
    });
    expect(runButton('Help', [], 0)).not.toHaveProperty('style');
    expect(runButton('Help', [], 0).value).toBe('help');
  });
});

describe('buttonsFor an enable-logging result', () => {
  it('Extend keeps workload, mode, filter and provider; Disable names the workload', () => {
    const buttons = buttonsFor(enabled(), ['enable-logging', 'shop', '--share']);
    expect(buttons.map((b) => [b.text.text, b.style])).toEqual([
      [`Extend ${EXTEND_FOR}`, 'primary'],
      ['Disable now', 'danger'],
    ]);
    const [extend, disable] = expectAllRerun(buttons);
    expect(extend?.spec.name).toBe('enable-logging');
    expect(extend?.request).toMatchObject({
      namespace: 'shop',
      mesh: false,
      forMs: HOUR,
      workload: 'app=cart',
      mode: 'server',
      filter: NASTY_FILTER,
      provider: 'otel',
      dryRun: false,
      confirmed: false,
    });
    expect(extend?.scope).toEqual({ kind: 'namespaces', names: ['shop'] });
    expect(disable?.spec.name).toBe('disable-logging');
    expect(disable?.request).toMatchObject({
      namespace: 'shop',
      workload: 'app=cart',
      mesh: false,
      dryRun: false,
    });
  });

  it('leaves out the defaults (mode both, provider envoy) and an absent workload or filter', () => {
    const buttons = buttonsFor(
      enabled({ workload: undefined, mode: 'both', filter: undefined, provider: 'envoy' }),
      ['enable-logging', 'shop'],
    );
    expect(buttons.map((b) => b.value)).toEqual([
      `enable-logging shop --for ${EXTEND_FOR}`,
      'disable-logging shop',
    ]);
    expectAllRerun(buttons);
  });

  it.each([
    `it's "quoted" and spaced`,
    '$(rm -rf /); `id` | cat',
    "a\\b 'c'",
    'x == "<!channel> *bold*"',
    'multi\nline',
  ])('a filter %j round-trips exactly', (filter) => {
    const [extend] = expectAllRerun(buttonsFor(enabled({ filter }), []));
    expect(extend?.request).toMatchObject({ filter });
  });

  it('a dry run gets no buttons', () => {
    expect(buttonsFor(enabled({ dryRun: true }), ['enable-logging', 'shop', '--dry-run'])).toEqual([]);
  });

  // A filter is free text; one starting with "-" becomes `--filter '-…'`, which the parser reads as a
  // missing value ("--filter needs a value"). The button should write `--filter=VALUE` instead.
  it('a filter starting with "-" still round-trips', () => {
    const [extend] = expectAllRerun(buttonsFor(enabled({ filter: '-1 < response.code' }), []));
    expect(extend?.request).toMatchObject({ filter: '-1 < response.code' });
  });
});

describe('buttonsFor other reports', () => {
  it('gives other logging results and non-summary reports no buttons', () => {
    const disabled: DisableLoggingResult = {
      command: 'disable-logging',
      dryRun: false,
      remaining: [],
      namespace: 'shop',
      changes: [],
    };
    const reports: CommandReport[] = [
      disabled,
      { command: 'status', scope: 'all', nowMs: 0, mesh: null, entries: [] },
      { command: 'reconcile', nowMs: 0, reverted: [], pending: [], failures: [] },
      realisticTrace,
      { kind: 'help', topic: 'logs' },
      { kind: 'version', version: '1.0.0' },
    ];
    for (const report of reports) expect(buttonsFor(report, ['status'])).toEqual([]);
  });
});

describe('buttonsFor a summary', () => {
  const tokens = ['logs', 'cart', '-n', 'shop', '--since', '1h', '--share'];

  it('traces an example of the first non-info finding in the namespaces of its sources', () => {
    const buttons = buttonsFor(summary(['shop/cart-1', 'shop/cart-2', 'pay/api-1']), tokens);
    expect(buttons.map((b) => b.text.text)).toEqual(['Trace an example request', 'Refresh']);
    const finding = realisticSummary.findings.find(
      (f) => f.severity !== 'info' && f.example_request_ids.length > 0,
    );
    const id = finding?.example_request_ids[0] ?? '';
    expect(id).not.toBe('');
    expect(buttons[0]?.value).toBe(`trace ${id} -n shop -n pay`);
    const [trace] = expectAllRerun(buttons);
    expect(trace?.request).toMatchObject({ source: 'cluster', id, namespaces: ['shop', 'pay'], all: false });
    expect(trace?.scope).toEqual({ kind: 'namespaces', names: ['shop', 'pay'] });
  });

  it('searches every namespace when the sources have no namespace', () => {
    const buttons = buttonsFor(summary(['istio-proxy-productpage', '/weird']), tokens);
    expect(buttons[0]?.value).toMatch(/^trace \S+ -A$/);
    const [trace] = expectAllRerun(buttons);
    expect(trace?.scope).toEqual({ kind: 'all' });
  });

  it('names at most three namespaces', () => {
    const buttons = buttonsFor(summary(['a/1', 'b/1', 'a/2', 'c/1', 'd/1']), tokens);
    expect(buttons[0]?.value).toMatch(/ -n a -n b -n c$/);
    expectAllRerun(buttons);
  });

  it('skips info findings and findings without examples', () => {
    const [first, second] = realisticSummary.findings;
    if (first === undefined || second === undefined) throw new Error('fixture changed');
    const findings: Finding[] = [
      { ...first, severity: 'info', example_request_ids: ['aaaa-info'] },
      { ...first, example_request_ids: [] },
      { ...second, example_request_ids: ['bbbb-1234'] },
    ];
    const buttons = buttonsFor(summary(['shop/x'], findings), tokens);
    expect(buttons[0]?.value).toBe('trace bbbb-1234 -n shop');
    expectAllRerun(buttons);
  });

  it('offers only Refresh without a traceable finding', () => {
    const buttons = buttonsFor(summary(['shop/x'], []), tokens);
    expect(buttons.map((b) => b.text.text)).toEqual(['Refresh']);
  });

  it('Refresh re-runs the command as given, without --share', () => {
    const buttons = buttonsFor(summary(['shop/x'], []), tokens);
    expect(buttons[0]?.value).toBe('logs cart -n shop --since 1h');
    const [refresh] = expectAllRerun(buttons);
    expect(refresh?.request).toMatchObject({
      source: 'cluster',
      target: 'cart',
      namespace: 'shop',
      window: { kind: 'duration', ms: HOUR },
    });
  });

  it('Refresh keeps awkward arguments intact', () => {
    const given = tokenizeCommandText(`logs "deploy/cart" -n=shop --share --since=15m`);
    const [refresh] = buttonsFor(summary([], []), given);
    expect(refresh === undefined ? [] : tokenizeCommandText(refresh.value)).toEqual([
      'logs',
      'deploy/cart',
      '-n=shop',
      '--since=15m',
    ]);
  });

  // Example request ids come from log lines (a client can send any x-request-id), but the Trace button
  // puts the first one in a command that must pass validateRequestId. A summary whose finding holds such
  // an id gets a button that fails when clicked. It should skip ids that are not valid request ids.
  it('every button re-parses even when a log-derived request id is not a valid id', () => {
    const [first] = realisticSummary.findings;
    if (first === undefined) throw new Error('fixture changed');
    const hostile: Finding = { ...first, example_request_ids: ['<!channel> hi', 'x;y'] };
    expectAllRerun(buttonsFor(summary(['shop/x'], [hostile]), tokens));
  });
});

describe('statusEntryButtons', () => {
  it('extends a namespace entry with its mode, filter and provider; disables it', () => {
    const buttons = statusEntryButtons(
      statusEntry({ mode: 'CLIENT', filter: NASTY_FILTER, providers: ['otel', 'envoy'] }),
      2,
    );
    expect(buttons.map((b) => b.action_id)).toEqual([`${RUN_ACTION_PREFIX}:4`, `${RUN_ACTION_PREFIX}:5`]);
    const [extend, disable] = expectAllRerun(buttons);
    expect(extend?.request).toMatchObject({
      namespace: 'shop',
      forMs: HOUR,
      mode: 'client',
      filter: NASTY_FILTER,
      provider: 'otel',
      workload: undefined,
    });
    expect(disable?.request).toMatchObject({ namespace: 'shop', workload: undefined });
  });

  it.each<[string, string]>([
    ['CLIENT_AND_SERVER', 'both'],
    ['SERVER', 'server'],
    ['CLIENT', 'client'],
    ['SOMETHING_NEW', 'both'],
  ])('maps Telemetry mode %s to --mode %s', (mode, expected) => {
    const [extend] = expectAllRerun(statusEntryButtons(statusEntry({ mode }), 0));
    expect(extend?.request).toMatchObject({ mode: expected });
  });

  it('keeps the workload of a workload entry', () => {
    const buttons = statusEntryButtons(
      statusEntry({ scope: 'workload', selector: 'app=cart', managed: 'patched' }),
      0,
    );
    const [extend, disable] = expectAllRerun(buttons);
    expect(extend?.request).toMatchObject({ workload: 'app=cart' });
    expect(disable?.request).toMatchObject({ workload: 'app=cart' });
  });

  it.each<[string, Partial<LoggingStatusEntry>]>([
    ['not managed by meshbot', { managed: 'none' }],
    ['mesh-wide', { scope: 'mesh', namespace: 'istio-system' }],
    ['a workload entry with several labels', { scope: 'workload', selector: 'app=cart,version=v1' }],
    ['a workload entry without a selector', { scope: 'workload' }],
  ])('gives no buttons to an entry %s', (_, extra) => {
    expect(statusEntryButtons(statusEntry(extra), 0)).toEqual([]);
  });
});

describe('confirmButtons', () => {
  it('repeats the command with --yes (and without --share), or cancels', () => {
    const buttons = confirmButtons(['enable-logging', '--mesh', '--for', '1h', '--share']);
    expect(buttons.map((b) => [b.text.text, b.style, b.action_id])).toEqual([
      ['Yes, the whole mesh', 'danger', `${RUN_ACTION_PREFIX}:0`],
      ['Cancel', undefined, CANCEL_ACTION],
    ]);
    expect(buttons[0]?.value).toBe('enable-logging --mesh --for 1h --yes');
    const [yes] = expectAllRerun(buttons);
    expect(yes?.request).toMatchObject({ mesh: true, confirmed: true, forMs: HOUR });
    expect(yes?.scope).toEqual({ kind: 'mesh' });
  });

  it('keeps a quoted filter intact', () => {
    const tokens = tokenizeCommandText(
      `enable-logging --mesh --filter "${NASTY_FILTER.replaceAll('"', '\\"')}"`,
    );
    const [yes] = expectAllRerun(confirmButtons(tokens));
    expect(yes?.request).toMatchObject({ filter: NASTY_FILTER, confirmed: true });
  });

  // The bot asks this confirmation for every mutating mesh-scope request that is not `confirmed`, and
  // disable-logging's request has no `confirmed` (nor a --yes option), so `/mesh disable-logging --mesh`
  // is asked to confirm and the "Yes" button fails with "unknown option --yes for disable-logging".
  it('confirms disable-logging --mesh too', () => {
    const [yes] = expectAllRerun(confirmButtons(['disable-logging', '--mesh']));
    expect(yes?.spec.name).toBe('disable-logging');
    expect(yes?.scope).toEqual({ kind: 'mesh' });
  });
});
