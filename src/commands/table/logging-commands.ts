/**
 * @module commands/table/logging-commands
 * `enable-logging`, `disable-logging`, `status` and `reconcile`: switching Istio access logging on and
 * off through the Telemetry API, and reverting what has expired.
 */

import { formatDuration } from '../../core/duration.js';
import { MeshbotError } from '../../core/errors.js';
import { toUserMessage } from '../../core/user-message.js';
import { LOGGING_MODES, type LoggingMode } from '../../istio-logging/logging-resources.js';
import type { Connection } from '../command-deps.js';
import type { CommandReport } from '../command-report.js';
import type { ParsedCommand } from '../command-spec.js';
import { disableLogging } from '../disable-logging.js';
import { enableLogging } from '../enable-logging.js';
import { loggingStatus } from '../logging-status.js';
import { reconcileLogging, startReconciler } from '../reconcile-logging.js';
import {
  connectionOf,
  defineCommand,
  flag,
  type NamespaceScope,
  number,
  positional,
  text,
} from './define-command.js';
import { CONNECTION, DRY_RUN, FORMAT, MESH, WORKLOAD, YES } from './options.js';

const NS = {
  name: 'NS',
  kind: 'namespace',
  required: false,
  description: 'the namespace (or --mesh for the whole mesh)',
} as const;

interface Target {
  namespace: string | undefined;
  mesh: boolean;
  workload: string | undefined;
  dryRun: boolean;
  connection: Connection;
}

function targetOf(parsed: ParsedCommand): Target {
  const namespace = positional(parsed, 'NS');
  const mesh = flag(parsed, 'mesh');
  if (mesh && namespace !== undefined) {
    throw new MeshbotError('usage', 'pass a namespace or --mesh, not both', { command: parsed.spec.name });
  }
  if (!mesh && namespace === undefined) {
    throw new MeshbotError('usage', 'which namespace? Name one, or pass --mesh for the whole mesh', {
      command: parsed.spec.name,
    });
  }
  return {
    namespace,
    mesh,
    workload: text(parsed, 'workload'),
    dryRun: flag(parsed, 'dry-run'),
    connection: connectionOf(parsed),
  };
}

function scopeOf(target: Target): NamespaceScope {
  return target.mesh
    ? { kind: 'mesh' }
    : { kind: 'namespaces', names: target.namespace === undefined ? [] : [target.namespace] };
}

export interface EnableLoggingRequest extends Target {
  forMs: number | undefined;
  mode: LoggingMode;
  filter: string | undefined;
  provider: string | undefined;
  /** `--requested-by` (CLI only); otherwise the front end's requester. */
  requestedBy: string | undefined;
  /** A mesh-wide change confirmed (Slack's confirmation button). */
  confirmed: boolean;
}

export const enableLoggingCommand = defineCommand<EnableLoggingRequest>({
  spec: {
    name: 'enable-logging',
    summary:
      'Switch Istio access logging on for a while (Telemetry API; an existing Telemetry is patched, never clobbered)',
    positionals: [NS],
    options: [
      {
        name: 'for',
        kind: 'duration',
        description: 'How long, e.g. 30m, 1h (default and maximum: MESHBOT_MAX_LOGGING_DURATION, 4h)',
      },
      {
        name: 'mode',
        kind: 'enum',
        choices: LOGGING_MODES,
        description: 'Which side of each connection logs (default both)',
      },
      {
        name: 'filter',
        kind: 'string',
        value: 'CEL',
        description: "Only log what matches, e.g. 'response.code >= 400'",
      },
      {
        name: 'provider',
        kind: 'string',
        value: 'NAME',
        description: 'Access-log provider from the mesh config (default envoy: /dev/stdout)',
      },
      WORKLOAD,
      MESH,
      DRY_RUN,
      {
        name: 'requested-by',
        kind: 'string',
        value: 'WHO',
        description: 'Recorded on the resource (default $USER)',
        frontEnds: ['cli'],
      },
      YES,
      FORMAT,
      ...CONNECTION,
    ],
    examples: [
      'enable-logging istio-testing --for 1h',
      "enable-logging shop --workload app=cart --mode server --filter 'response.code >= 500' --dry-run",
    ],
    frontEnds: ['cli', 'slack'],
    mutating: true,
    heavy: false,
  },
  toRequest(parsed, limits) {
    const target = targetOf(parsed);
    const forMs = number(parsed, 'for');
    if (forMs !== undefined && forMs > limits.maxLoggingMs) {
      throw new MeshbotError(
        'invalid_argument',
        `--for ${formatDuration(forMs)} is longer than the allowed maximum of ${formatDuration(limits.maxLoggingMs)} (access logs cost money; MESHBOT_MAX_LOGGING_DURATION sets the maximum)`,
        { forMs, maxMs: limits.maxLoggingMs, command: 'enable-logging' },
      );
    }
    const filter = text(parsed, 'filter');
    if (filter !== undefined && filter.trim() === '') {
      throw new MeshbotError(
        'invalid_argument',
        '--filter is empty: give a CEL expression, e.g. --filter "response.code >= 400"',
      );
    }
    const provider = text(parsed, 'provider');
    if (provider !== undefined && !/^[A-Za-z0-9][-A-Za-z0-9_.]{0,252}$/.test(provider)) {
      throw new MeshbotError(
        'invalid_argument',
        `--provider "${provider.slice(0, 40)}" is not a provider name`,
      );
    }
    const requestedBy = text(parsed, 'requested-by');
    return {
      ...target,
      forMs,
      mode: (text(parsed, 'mode') ?? 'both') as LoggingMode,
      filter,
      provider,
      requestedBy: requestedBy === undefined ? undefined : requestedBy.slice(0, 200),
      confirmed: flag(parsed, 'yes'),
    };
  },
  scope: scopeOf,
  async run(deps, request) {
    return enableLogging(
      {
        namespace: request.namespace,
        mesh: request.mesh,
        forMs: request.forMs,
        maxMs: deps.maxLoggingMs,
        mode: request.mode,
        filter: request.filter,
        provider: request.provider,
        workload: request.workload,
        requestedBy: request.requestedBy ?? deps.requester,
        dryRun: request.dryRun,
      },
      { istio: await deps.istio(request.connection), clock: deps.clock },
    );
  },
});

export interface DisableLoggingRequest extends Target {
  /** A mesh-wide change confirmed (Slack's confirmation button). */
  confirmed: boolean;
}

export const disableLoggingCommand = defineCommand<DisableLoggingRequest>({
  spec: {
    name: 'disable-logging',
    summary: 'Undo enable-logging now: delete what meshbot created, restore what it patched',
    positionals: [NS],
    options: [WORKLOAD, MESH, DRY_RUN, YES, FORMAT, ...CONNECTION],
    examples: ['disable-logging istio-testing', 'disable-logging shop --workload app=cart'],
    frontEnds: ['cli', 'slack'],
    mutating: true,
    heavy: false,
  },
  toRequest: (parsed) => ({ ...targetOf(parsed), confirmed: flag(parsed, 'yes') }),
  scope: scopeOf,
  async run(deps, request) {
    return disableLogging(
      {
        namespace: request.namespace,
        mesh: request.mesh,
        workload: request.workload,
        dryRun: request.dryRun,
      },
      { istio: await deps.istio(request.connection) },
    );
  },
});

export interface StatusRequest {
  namespace: string | undefined;
  connection: Connection;
}

export const statusCommand = defineCommand<StatusRequest>({
  spec: {
    name: 'status',
    summary: 'Show where access logging is on, through which resource, until when and for whom',
    positionals: [
      { name: 'NS', kind: 'namespace', required: false, description: 'one namespace (default: all)' },
    ],
    options: [
      { name: 'all-namespaces', short: 'A', kind: 'boolean', description: 'Every namespace (the default)' },
      FORMAT,
      ...CONNECTION,
    ],
    examples: ['status istio-testing', 'status -A'],
    frontEnds: ['cli', 'slack'],
    mutating: false,
    heavy: false,
  },
  toRequest(parsed) {
    const namespace = positional(parsed, 'NS');
    if (namespace !== undefined && flag(parsed, 'all-namespaces')) {
      throw new MeshbotError('usage', 'pass a namespace or -A, not both', { command: 'status' });
    }
    return { namespace, connection: connectionOf(parsed) };
  },
  scope: (request) =>
    request.namespace === undefined ? { kind: 'all' } : { kind: 'namespaces', names: [request.namespace] },
  async run(deps, request) {
    return loggingStatus(
      { namespace: request.namespace, all: request.namespace === undefined },
      { istio: await deps.istio(request.connection), clock: deps.clock },
    );
  },
});

export interface ReconcileRequest {
  dryRun: boolean;
  watch: boolean;
  intervalMs: number;
  leaseNamespace: string | undefined;
  identity: string | undefined;
  connection: Connection;
}

export const reconcileCommand = defineCommand<ReconcileRequest>({
  spec: {
    name: 'reconcile',
    summary:
      'Revert expired enable-logging changes: once, or continuously with --watch (one replica at a time)',
    positionals: [],
    options: [
      { name: 'dry-run', kind: 'boolean', description: 'Only report what would be reverted' },
      {
        name: 'watch',
        kind: 'boolean',
        description:
          'Keep reconciling until stopped; replicas coordinate through a Lease so only one reverts',
      },
      { name: 'interval', kind: 'duration', description: 'With --watch: time between passes (default 1m)' },
      {
        name: 'lease-namespace',
        kind: 'namespace',
        description:
          "With --watch: the Lease's namespace (default $MESHBOT_NAMESPACE, the pod's namespace, or meshbot)",
      },
      {
        name: 'identity',
        kind: 'string',
        value: 'NAME',
        description: 'With --watch: this replica in the Lease (default $POD_NAME or the host name)',
      },
      FORMAT,
      ...CONNECTION,
    ],
    examples: ['reconcile', 'reconcile --watch --interval 30s'],
    frontEnds: ['cli'],
    mutating: true,
    heavy: false,
  },
  toRequest(parsed) {
    const watch = flag(parsed, 'watch');
    const dryRun = flag(parsed, 'dry-run');
    if (watch && dryRun) {
      throw new MeshbotError('usage', '--watch and --dry-run cannot be used together', {
        command: 'reconcile',
      });
    }
    const identity = text(parsed, 'identity');
    return {
      dryRun,
      watch,
      intervalMs: number(parsed, 'interval') ?? 60_000,
      leaseNamespace: text(parsed, 'lease-namespace'),
      identity: identity === undefined ? undefined : identity.slice(0, 128),
      connection: connectionOf(parsed),
    };
  },
  scope: () => ({ kind: 'all' }),
  async run(deps, request): Promise<CommandReport> {
    const istio = await deps.istio(request.connection);
    if (!request.watch) return reconcileLogging({ istio, clock: deps.clock }, { dryRun: request.dryRun });
    const defaults = deps.watchDefaults?.() ?? { leaseNamespace: 'meshbot', identity: 'meshbot' };
    const namespace = request.leaseNamespace ?? defaults.leaseNamespace;
    const identity = request.identity ?? defaults.identity;
    const signal = deps.signal;
    const leases = await deps.leases(request.connection);
    if (signal?.aborted) return { kind: 'stopped', what: 'reconcile --watch', exitCode: 0 };
    deps.warn?.(
      `reconciling every ${formatDuration(request.intervalMs)} as ${identity} (Lease ${namespace}/meshbot-reconciler); stop with Ctrl-C`,
    );
    const reconciler = startReconciler({
      istio,
      leases,
      clock: deps.clock,
      identity,
      namespace,
      intervalMs: request.intervalMs,
      onPass: (result) => {
        if (result.reverted.length > 0 || result.failures.length > 0) deps.emit?.(result);
      },
      // A pass cut short by the stop signal is not a failure.
      onError: (error) => {
        if (signal?.aborted !== true) deps.warn?.(`reconcile pass failed: ${toUserMessage(error)}`);
      },
    });
    // Checked again here: a stop that came while the reconciler started must not be missed.
    await new Promise<void>((resolve) => {
      if (signal === undefined) return;
      if (signal.aborted) resolve();
      else signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await reconciler.stop();
    return { kind: 'stopped', what: 'reconcile --watch', exitCode: 0 };
  },
});
