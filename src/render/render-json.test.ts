import { describe, expect, it } from 'vitest';
import { jsonContractProblems } from '../../test/support/json-contract.js';
import type { CommandReport } from '../commands/command-report.js';
import type { LoggingStatusResult, ReconcileResult } from '../istio-logging/logging-result.js';
import { renderJson, rfc3339, snakeCase, toJsonDocument } from './render-json.js';
import { realisticSummary, realisticTrace } from './sample-reports.test-helper.js';

const T0 = Date.parse('2024-05-01T12:00:00.000Z');

describe('snakeCase', () => {
  it.each([
    ['requestedBy', 'requested_by'],
    ['apiVersion', 'api_version'],
    ['accessLogFile', 'access_log_file'],
    ['previousUntil', 'previous_until'],
    ['exitCode', 'exit_code'],
    ['HTTPStatus', 'http_status'],
    ['podIP', 'pod_ip'],
    ['dry-run', 'dry_run'],
    ['start_time', 'start_time'],
    ['kind', 'kind'],
  ])('%s → %s', (key, snake) => expect(snakeCase(key)).toBe(snake));
});

describe('rfc3339', () => {
  it('is UTC with milliseconds, and null for what RFC 3339 cannot write', () => {
    expect(rfc3339(T0)).toBe('2024-05-01T12:00:00.000Z');
    expect(rfc3339(1e15)).toBeNull();
    expect(rfc3339(Number.NaN)).toBeNull();
  });
});

describe('toJsonDocument', () => {
  const status: LoggingStatusResult = {
    command: 'status',
    scope: 'all',
    nowMs: T0,
    mesh: { found: true, rootNamespace: 'istio-system', accessLogFile: '/dev/stdout' },
    entries: [
      {
        kind: 'Telemetry',
        apiVersion: 'telemetry.istio.io/v1',
        namespace: 'shop',
        name: 'meshbot-access-logging',
        scope: 'namespace',
        providers: ['envoy'],
        mode: 'CLIENT_AND_SERVER',
        disabled: false,
        managed: 'created',
        requestedBy: 'carol',
        sinceMs: T0 - 60_000,
        untilMs: T0 + 3_600_000,
        ignored: false,
      },
    ],
  };

  it('renames camelCase keys to snake_case and epoch-ms instants to RFC 3339 under the key without Ms', () => {
    expect(toJsonDocument(status)).toEqual({
      command: 'status',
      scope: 'all',
      now: '2024-05-01T12:00:00.000Z',
      mesh: { found: true, root_namespace: 'istio-system', access_log_file: '/dev/stdout' },
      entries: [
        {
          kind: 'Telemetry',
          api_version: 'telemetry.istio.io/v1',
          namespace: 'shop',
          name: 'meshbot-access-logging',
          scope: 'namespace',
          providers: ['envoy'],
          mode: 'CLIENT_AND_SERVER',
          disabled: false,
          managed: 'created',
          requested_by: 'carol',
          since: '2024-05-01T11:59:00.000Z',
          until: '2024-05-01T13:00:00.000Z',
          ignored: false,
        },
      ],
    });
  });

  it("keeps a Kubernetes object's own keys, and leaves out what is undefined", () => {
    const object = { apiVersion: 'telemetry.istio.io/v1', kind: 'Telemetry', spec: { accessLogging: [{}] } };
    const reconcile: ReconcileResult = {
      command: 'reconcile',
      nowMs: T0,
      dryRun: undefined,
      reverted: [
        {
          action: 'delete',
          kind: 'Telemetry',
          apiVersion: 'telemetry.istio.io/v1',
          namespace: 'shop',
          name: 'x',
          object,
        },
      ],
      pending: [{ kind: 'Telemetry', namespace: 'cart', name: 'y', untilMs: T0 + 1000 }],
      failures: [],
    };
    const json = toJsonDocument(reconcile) as Record<string, unknown>;
    expect(json).not.toHaveProperty('dry_run');
    expect(json).toMatchObject({
      now: '2024-05-01T12:00:00.000Z',
      reverted: [{ api_version: 'telemetry.istio.io/v1', object }],
      pending: [{ until: '2024-05-01T12:00:01.000Z' }],
    });
    expect(jsonContractProblems(json)).toEqual([]);
  });

  it.each<[string, CommandReport]>([
    ['summary', realisticSummary],
    ['trace', realisticTrace],
    ['status', status],
    ['version', { kind: 'version', version: '1.2.3' }],
    ['help', { kind: 'help', topic: 'logs' }],
    ['parse', { kind: 'parse', lines: 3, skipped: { not_access_log: 1 } }],
    ['stopped', { kind: 'stopped', what: 'reconcile --watch', exitCode: 0 }],
  ])('%s: the rendered JSON keeps the contract', (_kind, report) => {
    const text = renderJson(report);
    expect(text.endsWith('}\n')).toBe(true);
    expect(jsonContractProblems(JSON.parse(text) as unknown)).toEqual([]);
  });

  it('summaries and traces are written as they are (snake_case by construction)', () => {
    expect(toJsonDocument(realisticSummary)).toBe(realisticSummary);
    expect(JSON.parse(renderJson(realisticTrace))).toEqual(JSON.parse(JSON.stringify(realisticTrace)));
  });
});

describe('the JSON contract walker', () => {
  it('names every key that is not snake_case, every time that is not RFC 3339, every epoch in *_ms', () => {
    expect(
      jsonContractProblems({
        requestedBy: 'x',
        until: '2024-05-01T13:00:00Z',
        since: 1714561200000,
        entries: [{ start_time: '2024-05-01 13:00:00.000' }],
        note: '2024-05-01T13:00:00+02:00',
        until_ms: 1714561200000,
        codes: { '503': 1 },
        flags: { UH: 1 },
        object: { apiVersion: 'v1' },
        first_seen: null,
      }),
    ).toEqual([
      '$.requestedBy: key is not snake_case',
      '$.until: "2024-05-01T13:00:00Z" is not an RFC 3339 time (UTC, ms)',
      '$.until: "2024-05-01T13:00:00Z" is a time but not RFC 3339 (UTC, ms)',
      '$.since: 1714561200000 is not an RFC 3339 time (UTC, ms)',
      '$.entries[0].start_time: "2024-05-01 13:00:00.000" is not an RFC 3339 time (UTC, ms)',
      '$.entries[0].start_time: "2024-05-01 13:00:00.000" is a time but not RFC 3339 (UTC, ms)',
      '$.note: "2024-05-01T13:00:00+02:00" is a time but not RFC 3339 (UTC, ms)',
      '$.until_ms: 1714561200000 looks like epoch milliseconds, not a duration',
    ]);
  });
});
