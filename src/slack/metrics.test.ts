import { register as globalRegistry, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createMetrics } from './metrics.js';

function line(body: string, prefix: string): string | undefined {
  return body.split('\n').find((l) => l.startsWith(prefix));
}

describe('createMetrics', () => {
  it('counts commands by command and outcome and records their duration', async () => {
    const metrics = createMetrics();
    metrics.commandFinished('logs', 'ok', 0.2);
    metrics.commandFinished('logs', 'ok', 3);
    metrics.commandFinished('status', 'busy', 0.01);
    const { body, contentType } = await metrics.render();
    expect(contentType).toMatch(/^text\/plain/);
    expect(line(body, 'meshbot_commands_total{command="logs",outcome="ok"}')).toMatch(/ 2$/);
    expect(line(body, 'meshbot_commands_total{command="status",outcome="busy"}')).toMatch(/ 1$/);
    expect(line(body, 'meshbot_command_duration_seconds_count{command="logs"}')).toMatch(/ 2$/);
    expect(line(body, 'meshbot_command_duration_seconds_bucket{le="0.05",command="logs"}')).toMatch(/ 0$/);
    expect(line(body, 'meshbot_command_duration_seconds_bucket{le="0.25",command="logs"}')).toMatch(/ 1$/);
    expect(line(body, 'meshbot_command_duration_seconds_bucket{le="60",command="logs"}')).toMatch(/ 2$/);
  });

  it('records names outside the command table as unknown', async () => {
    const metrics = createMetrics();
    metrics.commandFinished('rm -rf /', 'usage_error', 0);
    metrics.commandFinished('custom', 'ok', Number.NaN);
    const { body } = await metrics.render();
    expect(line(body, 'meshbot_commands_total{command="unknown",outcome="usage_error"}')).toMatch(/ 1$/);
    expect(body).not.toContain('rm -rf');

    const custom = createMetrics(new Registry(), { commands: ['custom'] });
    custom.commandFinished('custom', 'ok', 1);
    expect(
      line((await custom.render()).body, 'meshbot_commands_total{command="custom",outcome="ok"}'),
    ).toMatch(/ 1$/);
  });

  it('bounds the free-text labels', async () => {
    const metrics = createMetrics(new Registry(), { maxLabelValues: 2 });
    metrics.kubernetesError('k8s_forbidden');
    metrics.kubernetesError('429');
    metrics.kubernetesError('k8s_conflict');
    metrics.kubernetesError('has spaces and "quotes"');
    metrics.slackApiError('chat.postMessage', 'rate_limited');
    const { body } = await metrics.render();
    expect(line(body, 'meshbot_kubernetes_api_errors_total{code="k8s_forbidden"}')).toMatch(/ 1$/);
    expect(line(body, 'meshbot_kubernetes_api_errors_total{code="429"}')).toMatch(/ 1$/);
    expect(line(body, 'meshbot_kubernetes_api_errors_total{code="other"}')).toMatch(/ 2$/);
    expect(
      line(body, 'meshbot_slack_api_errors_total{method="chat.postMessage",kind="rate_limited"}'),
    ).toMatch(/ 1$/);
  });

  it('exposes reverts and in-flight gauges', async () => {
    const metrics = createMetrics();
    metrics.reconcilerReverted(3);
    metrics.reconcilerReverted(0);
    metrics.reconcilerReverted(-1);
    metrics.commandsInFlight.inc();
    metrics.commandsInFlight.inc();
    metrics.commandsInFlight.dec();
    metrics.logReadsInFlight.set(7);
    const { body } = await metrics.render();
    expect(line(body, 'meshbot_reconciler_reverts_total ')).toBe('meshbot_reconciler_reverts_total 3');
    expect(line(body, 'meshbot_commands_in_flight ')).toBe('meshbot_commands_in_flight 1');
    expect(line(body, 'meshbot_pod_log_reads_in_flight ')).toBe('meshbot_pod_log_reads_in_flight 7');
  });

  it('uses its own registry, so two instances coexist and the global one stays empty', async () => {
    const a = createMetrics();
    const b = createMetrics();
    a.commandFinished('logs', 'ok', 1);
    expect(line((await b.render()).body, 'meshbot_commands_total{')).toBeUndefined();
    expect(await globalRegistry.metrics()).not.toContain('meshbot_');
  });

  it('adds default process metrics only when asked', async () => {
    expect((await createMetrics().render()).body).not.toContain('process_cpu');
    const withDefaults = createMetrics(new Registry(), { defaultMetrics: true });
    expect((await withDefaults.render()).body).toContain('process_cpu_user_seconds_total');
  });
});
