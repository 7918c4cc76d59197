/**
 * @module slack/metrics — the bot's Prometheus metrics, on a registry of its own
 * The one place that knows prom-client: everything else gets the small `Metrics` interface. Every label
 * value is bounded: command names come from the command table (anything else is `unknown`), and the free
 * text labels (Kubernetes error codes, Slack API methods and error kinds) are reduced to a safe alphabet
 * and capped at a fixed number of distinct values per label (further ones become `other`).
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { COMMAND_SPECS } from '../commands/command-table.js';

export type CommandOutcome = 'ok' | 'usage_error' | 'refused' | 'error' | 'busy';

export const COMMAND_OUTCOMES: readonly CommandOutcome[] = ['ok', 'usage_error', 'refused', 'error', 'busy'];

/** Seconds: a quick `status` answers in ~50 ms, a `logs --since` over many pods may take a minute. */
export const COMMAND_DURATION_BUCKETS: readonly number[] = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60];

export interface Metrics {
  /** One finished (or refused) command: counts it by outcome and records how long it took. */
  commandFinished(command: string, outcome: CommandOutcome, seconds: number): void;
  /** A failed Kubernetes API call, by meshbot error code or HTTP status (`k8s_forbidden`, `429`). */
  kubernetesError(code: string): void;
  /** Logging resources the reconciler reverted (expired or orphaned). */
  reconcilerReverted(n: number): void;
  /** A failed Slack Web API call: `chat.postMessage`, `rate_limited`. */
  slackApiError(method: string, kind: string): void;
  readonly commandsInFlight: { inc(): void; dec(): void };
  readonly logReadsInFlight: { set(n: number): void };
  /** Prometheus text exposition of every metric in this registry. */
  render(): Promise<{ contentType: string; body: string }>;
}

export interface MetricsOptions {
  /** Also export the default process metrics (CPU, memory, event loop lag, GC). Default false. */
  defaultMetrics?: boolean;
  /** Command names accepted as label values; others are recorded as `unknown`. Default: the command table. */
  commands?: readonly string[];
  /** Distinct values each free-text label may take before further ones become `other`. Default 50. */
  maxLabelValues?: number;
}

const UNKNOWN = 'unknown';
const OTHER = 'other';
const SAFE_LABEL = /^[A-Za-z0-9_.:-]{1,64}$/;

/** Maps free text onto at most `max` distinct label values (plus `unknown` and `other`). */
function boundedLabel(max: number): (value: string) => string {
  const seen = new Set<string>();
  return (value) => {
    if (!SAFE_LABEL.test(value)) return value === '' ? UNKNOWN : OTHER;
    if (seen.has(value)) return value;
    if (seen.size >= max) return OTHER;
    seen.add(value);
    return value;
  };
}

function finiteNonNegative(n: number): number {
  return Number.isFinite(n) && n > 0 ? n : 0;
}

export function createMetrics(registry: Registry = new Registry(), options: MetricsOptions = {}): Metrics {
  const commands = new Set(options.commands ?? COMMAND_SPECS.map((s) => s.name));
  const outcomes = new Set<string>(COMMAND_OUTCOMES);
  const maxLabelValues = options.maxLabelValues ?? 50;
  const k8sCode = boundedLabel(maxLabelValues);
  const slackMethod = boundedLabel(maxLabelValues);
  const slackKind = boundedLabel(maxLabelValues);
  const registers = [registry];

  if (options.defaultMetrics === true) collectDefaultMetrics({ register: registry });

  const commandsTotal = new Counter({
    name: 'meshbot_commands_total',
    help: 'Commands run from Slack, by command and outcome.',
    labelNames: ['command', 'outcome'] as const,
    registers,
  });
  const commandDuration = new Histogram({
    name: 'meshbot_command_duration_seconds',
    help: 'Time from receiving a command to its last reply, in seconds.',
    labelNames: ['command'] as const,
    buckets: [...COMMAND_DURATION_BUCKETS],
    registers,
  });
  const kubernetesErrors = new Counter({
    name: 'meshbot_kubernetes_api_errors_total',
    help: 'Failed Kubernetes API calls, by error code.',
    labelNames: ['code'] as const,
    registers,
  });
  const reconcilerReverts = new Counter({
    name: 'meshbot_reconciler_reverts_total',
    help: 'Logging resources reverted by the reconciler.',
    registers,
  });
  const slackApiErrors = new Counter({
    name: 'meshbot_slack_api_errors_total',
    help: 'Failed Slack Web API calls, by method and kind of error.',
    labelNames: ['method', 'kind'] as const,
    registers,
  });
  const commandsInFlight = new Gauge({
    name: 'meshbot_commands_in_flight',
    help: 'Commands currently running.',
    registers,
  });
  const logReadsInFlight = new Gauge({
    name: 'meshbot_pod_log_reads_in_flight',
    help: 'Pod log streams currently being read.',
    registers,
  });

  return {
    commandFinished(command, outcome, seconds) {
      const name = commands.has(command) ? command : UNKNOWN;
      commandsTotal.inc({ command: name, outcome: outcomes.has(outcome) ? outcome : UNKNOWN });
      commandDuration.observe({ command: name }, finiteNonNegative(seconds));
    },
    kubernetesError(code) {
      kubernetesErrors.inc({ code: k8sCode(code) });
    },
    reconcilerReverted(n) {
      const count = Math.floor(finiteNonNegative(n));
      if (count > 0) reconcilerReverts.inc(count);
    },
    slackApiError(method, kind) {
      slackApiErrors.inc({ method: slackMethod(method), kind: slackKind(kind) });
    },
    commandsInFlight: {
      inc: () => commandsInFlight.inc(),
      dec: () => commandsInFlight.dec(),
    },
    logReadsInFlight: {
      set: (n) => logReadsInFlight.set(finiteNonNegative(n)),
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
