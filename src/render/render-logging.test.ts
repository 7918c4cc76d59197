import { describe, expect, it } from 'vitest';
import type {
  EnableLoggingResult,
  LoggingStatusEntry,
  LoggingStatusResult,
  ReconcileResult,
} from '../istio-logging/logging-result.js';
import { renderLogging, renderLoggingSlack, renderLoggingText } from './render-logging.js';
import { sampleStatusEntry } from './sample-reports.test-helper.js';
import { expectInert, expectWithinSlackLimits } from './slack-assertions.test-helper.js';

const T0 = Date.parse('2024-05-01T12:00:00.000Z');
const HOUR = 3_600_000;

const telemetry = {
  apiVersion: 'telemetry.istio.io/v1',
  kind: 'Telemetry',
  metadata: {
    name: 'meshbot-access-logging',
    namespace: 'shop',
    labels: { 'app.kubernetes.io/managed-by': 'meshbot' },
  },
  spec: { accessLogging: [{ providers: [{ name: 'envoy' }], disabled: false }] },
};

function enable(fields: Partial<EnableLoggingResult> = {}): EnableLoggingResult {
  return {
    command: 'enable-logging',
    dryRun: false,
    mesh: false,
    api: { kind: 'Telemetry', version: 'v1' },
    namespace: 'shop',
    mode: 'both',
    provider: 'envoy',
    requestedBy: 'alice',
    sinceMs: T0,
    untilMs: T0 + HOUR,
    change: {
      action: 'create',
      kind: 'Telemetry',
      apiVersion: 'telemetry.istio.io/v1',
      namespace: 'shop',
      name: 'meshbot-access-logging',
      object: telemetry,
    },
    notes: [],
    ...fields,
  };
}

function statusEntry(fields: Partial<LoggingStatusEntry> = {}): LoggingStatusEntry {
  return sampleStatusEntry({ requestedBy: 'alice', sinceMs: T0, untilMs: T0 + HOUR, ...fields });
}

describe('renderLogging', () => {
  it('says what enable-logging did, until when, and how to undo it', () => {
    const text = renderLoggingText(enable(), T0);
    expect(text).toContain('access logging is on for namespace shop until 2024-05-01T13:00:00Z (in 1h)');
    expect(text).toContain('created Telemetry shop/meshbot-access-logging (telemetry.istio.io/v1)');
    expect(text).toContain('meshbot disable-logging shop');
  });

  it('prints the exact YAML of a dry run', () => {
    const text = renderLoggingText(enable({ dryRun: true }), T0);
    expect(text).toContain('Dry run: access logging would be on');
    expect(text).toContain('would create Telemetry shop/meshbot-access-logging');
    expect(text).toMatch(/^apiVersion: telemetry\.istio\.io\/v1$/m);
    expect(text).toMatch(/^kind: Telemetry$/m);
    expect(text).toMatch(/^ {2}name: meshbot-access-logging$/m);
    expect(text).not.toContain('disable-logging');
  });

  it('lists reverted and pending changes of a reconcile pass', () => {
    const result: ReconcileResult = {
      command: 'reconcile',
      nowMs: T0,
      reverted: [
        {
          action: 'delete',
          kind: 'Telemetry',
          apiVersion: 'telemetry.istio.io/v1',
          namespace: 'shop',
          name: 'meshbot-access-logging',
        },
      ],
      pending: [{ kind: 'Telemetry', namespace: 'web', name: 'meshbot-access-logging', untilMs: T0 + HOUR }],
      failures: [],
    };
    const text = renderLoggingText(result);
    expect(text).toContain('deleted Telemetry shop/meshbot-access-logging');
    expect(text).toContain('web');
  });

  it('puts a mesh-wide access log first in the status', () => {
    const status: LoggingStatusResult = {
      command: 'status',
      scope: 'all',
      nowMs: T0,
      mesh: { found: true, rootNamespace: 'istio-system', accessLogFile: '/dev/stdout' },
      entries: [
        statusEntry(),
        statusEntry({ namespace: 'cart', name: 'other', managed: 'none', ignored: true }),
      ],
    };
    const lines = renderLoggingText(status).split('\n');
    expect(lines[0]).toContain('MESH-WIDE');
    expect(lines.join('\n')).toContain('IGNORED by Istio');
    const json = JSON.parse(renderLogging(status, 'json')) as LoggingStatusResult;
    expect(json.entries).toHaveLength(2);
  });

  it('status shows the time left, and marks an expired change that was not reverted yet', () => {
    const status: LoggingStatusResult = {
      command: 'status',
      scope: 'all',
      nowMs: T0 + 30 * 60_000,
      mesh: { found: true, rootNamespace: 'istio-system' },
      entries: [statusEntry(), statusEntry({ namespace: 'cart', untilMs: T0 + 27 * 60_000 })],
    };
    const text = renderLoggingText(status);
    expect(text).toMatch(/shop: .* \(expires in 30m\)/);
    expect(text).toMatch(/cart: .* — EXPIRED 3m ago, not yet reverted/);
  });

  it('keeps cluster-written values inert in the terminal and in Slack', () => {
    const hostile = '<!channel> `rm -rf` *x* \x1b[2J\x1b]0;pwned\x07 <https://evil|click>';
    const status: LoggingStatusResult = {
      command: 'status',
      scope: 'all',
      nowMs: T0,
      mesh: { found: true, rootNamespace: 'istio-system' },
      entries: Array.from({ length: 300 }, (_, i) =>
        statusEntry({
          name: `t-${i}`,
          requestedBy: hostile,
          filter: hostile,
          selector: hostile,
          scope: 'workload',
        }),
      ),
    };
    const text = renderLoggingText(status);
    expect(text).not.toContain('\x1b');
    expect(text).not.toContain('\x07');
    const slack = renderLoggingSlack(status);
    expectWithinSlackLimits(slack);
    expectInert(slack);
    expect(JSON.stringify(slack)).toContain('more resources not shown');
    const enableSlack = renderLoggingSlack(
      enable({
        requestedBy: hostile,
        filter: hostile,
        reverter: { state: 'running', leaseNamespace: 'meshbot', holder: hostile, renewedAgoMs: 4000 },
      }),
    );
    expectWithinSlackLimits(enableSlack);
    expectInert(enableSlack);
    const statusSlack = renderLoggingSlack({
      ...status,
      reverter: { state: 'none', leaseNamespace: 'meshbot', holder: hostile, renewedAgoMs: 4000 },
    });
    expectInert(statusSlack);
    expect(
      renderLoggingText({
        ...status,
        reverter: { state: 'unknown', leaseNamespace: 'meshbot', reason: hostile },
      }),
    ).not.toContain('\x1b');
  });

  it('enable-logging: warnings, what was checked, expired changes reverted, and who switches it off', () => {
    const result = enable({
      checks: [
        { check: 'provider', outcome: 'ok', message: 'envoy is built in' },
        { check: 'filter', outcome: 'skipped', message: 'no --filter' },
        { check: 'injection', outcome: 'warning', message: 'none of the 2 pods in shop has an Istio proxy' },
      ],
      expiredReverted: [
        {
          action: 'delete',
          kind: 'Telemetry',
          apiVersion: 'telemetry.istio.io/v1',
          namespace: 'shop',
          name: 'meshbot-access-logging-app-cart-1a2b3c',
        },
      ],
      expiredFailures: [{ kind: 'Telemetry', namespace: 'shop', name: 'x', message: 'gone wrong' }],
      reverter: { state: 'running', leaseNamespace: 'meshbot', holder: 'meshbot-7d9f', renewedAgoMs: 4000 },
    });
    const text = renderLoggingText(result, T0);
    expect(text).toContain('  warning: none of the 2 pods in shop has an Istio proxy\n');
    expect(text).toContain('  checked: envoy is built in\n');
    expect(text).not.toContain('no --filter');
    expect(text).toContain(
      'reverted 1 expired change found here: deleted Telemetry shop/meshbot-access-logging-app-cart-1a2b3c (telemetry.istio.io/v1)',
    );
    expect(text).toContain('could not revert expired Telemetry shop/x: gone wrong');
    expect(text).toContain(
      'reverted at 2024-05-01T13:00:00Z by reconciler meshbot-7d9f (Lease meshbot/meshbot-reconciler renewed 4s ago)',
    );
    const dry = renderLoggingText({ ...result, dryRun: true }, T0);
    expect(dry).toContain('would revert 1 expired change found here: would delete Telemetry');
    expect(dry).toContain('would be reverted at 2024-05-01T13:00:00Z by reconciler meshbot-7d9f');
    const nobody = renderLoggingText(
      {
        ...result,
        workload: { label: 'app', value: 'web' },
        reverter: { state: 'none', leaseNamespace: 'ops' },
      },
      T0,
      '/mesh',
    );
    expect(nobody).toContain(
      'no reconciler is running (no Lease ops/meshbot-reconciler): nothing will switch this off at 2024-05-01T13:00:00Z; run meshbot reconcile --watch (or deploy meshbot serve), or /mesh disable-logging shop --workload app=web when done',
    );
    const slack = JSON.stringify(renderLoggingSlack(result, T0));
    expect(slack).toContain('warning: none of the 2 pods in shop has an Istio proxy');
    expect(slack).toContain('by reconciler meshbot-7d9f');
  });

  it('status NS: which rule applies to the namespace, and who reverts at expiry, in text and Slack', () => {
    const status: LoggingStatusResult = {
      command: 'status',
      scope: 'shop',
      nowMs: T0,
      mesh: { found: true, rootNamespace: 'istio-system' },
      entries: [statusEntry({ namespace: 'istio-system', scope: 'mesh' })],
      appliesToNamespace: {
        source: 'mesh',
        kind: 'Telemetry',
        namespace: 'istio-system',
        name: 'meshbot-access-logging',
        disabled: false,
      },
      reverter: { state: 'none', leaseNamespace: 'meshbot', holder: 'old-pod', renewedAgoMs: 2 * HOUR },
    };
    const text = renderLoggingText(status);
    expect(text).toContain(
      'Namespace shop as a whole: the mesh-wide Telemetry istio-system/meshbot-access-logging applies (root namespace istio-system)',
    );
    expect(text).toContain(
      'Expiry: no reconciler is running (Lease meshbot/meshbot-reconciler last renewed 2h ago), so nothing reverts',
    );
    for (const [rule, words] of [
      [
        { source: 'namespace', kind: 'Telemetry', namespace: 'shop', name: 'off', disabled: true },
        'its own Telemetry shop/off switches access logging OFF',
      ],
      [{ source: 'mesh-config' }, "the mesh config's accessLogFile applies"],
      [{ source: 'none' }, 'no rule switches access logging on'],
    ] as const) {
      expect(renderLoggingText({ ...status, appliesToNamespace: rule })).toContain(
        `Namespace shop as a whole: ${words}`,
      );
    }
    const slack = JSON.stringify(renderLoggingSlack(status));
    expect(slack).toContain('Namespace shop as a whole: the mesh-wide Telemetry');
    // The change listed is the mesh-wide one: disabling shop would not undo it.
    expect(slack).toContain('/mesh disable-logging --mesh');
    expect(text).toContain('or meshbot disable-logging --mesh');
    expect(text).not.toContain('disable-logging shop');
    const both = renderLoggingText({
      ...status,
      entries: [
        ...status.entries,
        statusEntry({ namespace: 'shop', scope: 'workload', selector: 'app=web' }),
      ],
    });
    expect(both).toContain(
      'or meshbot disable-logging --mesh or meshbot disable-logging shop --workload app=web',
    );
  });

  it('disable-logging --mesh speaks of the whole mesh', () => {
    const off = renderLoggingText({
      command: 'disable-logging',
      dryRun: false,
      namespace: 'istio-system',
      mesh: true,
      changes: [
        {
          action: 'delete',
          kind: 'Telemetry',
          apiVersion: 'telemetry.istio.io/v1',
          namespace: 'istio-system',
          name: 'meshbot-access-logging',
        },
      ],
      remaining: [],
    });
    expect(off).toBe(
      [
        "Switched off meshbot's access logging for the whole mesh (istio-system)",
        '  deleted Telemetry istio-system/meshbot-access-logging (telemetry.istio.io/v1)',
        "  nothing else in istio-system, the root namespace, switches access logging on for the mesh (namespaces' own rules and the mesh config may: see status -A)",
        '',
      ].join('\n'),
    );
  });
});
