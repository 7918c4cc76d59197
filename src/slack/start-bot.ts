/**
 * @module slack/start-bot
 * `meshbot serve` assembled: the configuration, one Kubernetes connection shared by every command
 * (log reads bounded across all of them, namespaces limited), the Bolt app with health and metrics, and
 * the expiry reconciler (replicas coordinate through the Lease). `stop()` stops taking work, lets what is
 * running finish within the shutdown timeout, and closes everything.
 */
import type { ClusterReader } from '../commands/cluster-port.js';
import { guardClusterReader, LogReadLimiter } from '../commands/guarded-cluster-reader.js';
import type { Clock } from '../commands/ports.js';
import { type Reconciler, startReconciler } from '../commands/reconcile-logging.js';
import { type BotConfig, describeConfig, namespaceAllowed } from '../core/config.js';
import { createRedactor } from '../core/redact.js';
import { toUserMessage } from '../core/user-message.js';
import type { IstioConfigPort, LeasePort } from '../istio-logging/logging-port.js';
import { healthRoutes } from './health-routes.js';
import { createMetrics, type Metrics } from './metrics.js';
import { createResponseBudget } from './response-budget.js';
import { createSlackApp, type SlackApp } from './slack-app.js';
import { createBusyTracker } from './user-busy.js';

/** The cluster the bot talks to (the real client-node adapters, or test doubles over real HTTP). */
export interface BotCluster {
  cluster: ClusterReader;
  istio: IstioConfigPort;
  leases: LeasePort;
}

export interface StartBotOptions {
  config: BotConfig;
  cluster: BotCluster;
  clock?: Clock;
  /** One JSON object per line (default: stdout). */
  log?: (record: Record<string, unknown>) => void;
  fetch?: typeof fetch;
  /** Run the expiry reconciler (default true). */
  reconcile?: boolean;
  /** This replica's name in the Lease. */
  identity: string;
  leaseNamespace: string;
}

export interface RunningBot {
  slack: SlackApp;
  metrics: Metrics;
  limiter: LogReadLimiter;
  port: number;
  /** Stops taking work, waits for in-flight commands (bounded by `config.shutdownMs`), closes everything. */
  stop(): Promise<{ drained: boolean }>;
}

export async function startBot(options: StartBotOptions): Promise<RunningBot> {
  const { config } = options;
  const clock = options.clock ?? Date.now;
  const log = options.log ?? ((record) => process.stdout.write(`${JSON.stringify(record)}\n`));
  const metrics = createMetrics(undefined, { defaultMetrics: true });
  const limiter = new LogReadLimiter(config.maxLogReads, (n) => metrics.logReadsInFlight.set(n));
  const allowed = (namespace: string) => namespaceAllowed(config.namespaces, namespace);
  const cluster = guardClusterReader(options.cluster.cluster, { limiter, namespaceAllowed: allowed });
  let stopping = false;
  let slack: SlackApp | undefined;
  const routes = healthRoutes({
    metrics,
    isStopping: () => stopping,
    checks: [
      {
        name: 'slack',
        check: async () => {
          if (slack?.slackReady() !== true)
            throw new Error(config.mode === 'socket' ? 'not connected' : 'not listening');
        },
      },
      {
        name: 'kubernetes',
        check: async () => {
          await options.cluster.cluster.getNamespace(options.leaseNamespace);
        },
      },
    ],
  });
  slack = createSlackApp({
    config,
    routes,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    services: {
      clock,
      maxLoggingMs: config.maxLoggingMs,
      policy: {
        admins: config.admins,
        allowedChannels: config.allowedChannels,
        namespaces: config.namespaces,
      },
      auditChannel: config.auditChannel,
      redact: createRedactor(config.redact),
      metrics,
      busy: createBusyTracker(),
      budget: createResponseBudget({ now: clock }),
      cluster: async () => cluster,
      istio: async () => options.cluster.istio,
      leases: async () => options.cluster.leases,
      log,
      isStopping: () => stopping,
    },
  });
  for (const line of describeConfig(config)) log({ event: 'config', message: line });
  await slack.start();
  let reconciler: Reconciler | undefined;
  if (options.reconcile !== false) {
    reconciler = startReconciler({
      istio: options.cluster.istio,
      leases: options.cluster.leases,
      clock,
      identity: options.identity,
      namespace: options.leaseNamespace,
      intervalMs: config.reconcileIntervalMs,
      onPass: (result) => {
        if (result.reverted.length > 0) metrics.reconcilerReverted(result.reverted.length);
        for (const change of result.reverted) {
          log({
            event: 'audit',
            source: 'reconciler',
            outcome: 'ok',
            changes: [`${change.action} ${change.kind} ${change.namespace}/${change.name}`],
          });
        }
        for (const failure of result.failures) {
          log({
            event: 'error',
            source: 'reconciler',
            error: `${failure.namespace}/${failure.name}: ${failure.message}`,
          });
        }
      },
      onError: (error) => log({ event: 'error', source: 'reconciler', error: toUserMessage(error) }),
    });
  }
  const running = slack;
  log({ event: 'started', mode: config.mode, port: running.port() });
  return {
    slack: running,
    metrics,
    limiter,
    port: running.port(),
    async stop() {
      stopping = true;
      const drained = await running.drain(config.shutdownMs);
      await reconciler?.stop();
      await running.stop();
      log({ event: 'stopped', drained, abandoned: running.inFlight() });
      return { drained };
    },
  };
}
