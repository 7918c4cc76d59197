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
    expect(text).toContain('access logging is on for namespace shop until 2024-05-01T13:00:00Z (1h)');
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
    expect(text).toMatch(/shop: .* \(30m left\)/);
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
    const enableSlack = renderLoggingSlack(enable({ requestedBy: hostile, filter: hostile }));
    expectWithinSlackLimits(enableSlack);
    expectInert(enableSlack);
  });
});
