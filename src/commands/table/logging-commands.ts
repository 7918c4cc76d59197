/**
 * @module commands/table/logging-commands
 * `enable-logging`, `disable-logging`, `status` and `reconcile`: switching Istio access logging on and
 * off through the Telemetry API, and reverting what has expired.
 */

import { formatDuration } from '../../core/duration.js';
import { isMeshbotError, MeshbotError } from '../../core/errors.js';
import { toUserMessage } from '../../core/user-message.js';
import { LOGGING_MODES, type LoggingMode } from '../../istio-logging/logging-resources.js';
import { RECONCILER_LEASE_NAME } from '../../istio-logging/reverter-status.js';
import type { ClusterReader } from '../cluster-port.js';
import type { CommandDeps, Connection } from '../command-deps.js';
import type { CommandReport } from '../command-report.js';
import type { ParsedCommand } from '../command-spec.js';
import {
  connectionOf,
  defineCommand,
  flag,
  type NamespaceScope,
  number,
  positional,
  text,
} from './define-command.js';
import {
  ALL_NAMESPACES,
  CONNECTION,
  DRY_RUN,
  DRY_RUN_VALUES,
  FORMAT,
  MESH,
  NAMESPACE_ARGUMENT,
  WORKLOAD,
  YES,
} from './options.js';

const NS = {
  name: 'NS',
  kind: 'namespace',
  required: false,
  description: 'the namespace (or --mesh for the whole mesh)',
  option: 'namespace',
} as const;

/** kubectl users type -A; a change is made in one namespace, or the mesh root with --mesh. */
const NO_ALL_NAMESPACES = {
  ...ALL_NAMESPACES,
  refused: 'it changes one namespace at a time; name one, or pass --mesh for the whole mesh',
};

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

/** Where the reconciler's Lease is: meshbot's namespace as `reconcile --watch` would pick it. */
function leaseNamespaceOf(deps: CommandDeps): string {
  try {
    return deps.watchDefaults?.().leaseNamespace ?? 'meshbot';
  } catch {
    return 'meshbot';
  }
}

/** The cluster reader, connected when first used: a failure becomes a preflight warning, not a refusal. */
function lazyCluster(
  deps: CommandDeps,
  connection: Connection,
): Pick<ClusterReader, 'getNamespace' | 'listPods'> {
  let connected: Promise<ClusterReader> | undefined;
  const cluster = (): Promise<ClusterReader> => {
    connected ??= deps.cluster(connection);
    return connected;
  };
  return {
    getNamespace: async (name) => (await cluster()).getNamespace(name),
    listPods: async (namespace, selector) => (await cluster()).listPods(namespace, selector),
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
      NAMESPACE_ARGUMENT,
      WORKLOAD,
      MESH,
      DRY_RUN,
      NO_ALL_NAMESPACES,
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
    const { enableLogging } = await import('../enable-logging.js');
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
      {
        istio: await deps.istio(request.connection),
        clock: deps.clock,
        cluster: lazyCluster(deps, request.connection),
        leases: await deps.leases(request.connection),
        leaseNamespace: leaseNamespaceOf(deps),
      },
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
    options: [NAMESPACE_ARGUMENT, WORKLOAD, MESH, DRY_RUN, NO_ALL_NAMESPACES, YES, FORMAT, ...CONNECTION],
    examples: ['disable-logging istio-testing', 'disable-logging shop --workload app=cart'],
    frontEnds: ['cli', 'slack'],
    mutating: true,
    heavy: false,
  },
  toRequest: (parsed) => ({ ...targetOf(parsed), confirmed: flag(parsed, 'yes') }),
  scope: scopeOf,
  async run(deps, request) {
    const { disableLogging } = await import('../disable-logging.js');
    return disableLogging(
      {
        namespace: request.namespace,
        mesh: request.mesh,
        workload: request.workload,
        dryRun: request.dryRun,
      },
      { istio: await deps.istio(request.connection), clock: deps.clock },
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
      {
        name: 'NS',
        kind: 'namespace',
        required: false,
        description: 'one namespace (default: all)',
        option: 'namespace',
      },
    ],
    options: [
      NAMESPACE_ARGUMENT,
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
    const { loggingStatus } = await import('../logging-status.js');
    return loggingStatus(
      { namespace: request.namespace, all: request.namespace === undefined },
      {
        istio: await deps.istio(request.connection),
        clock: deps.clock,
        leases: await deps.leases(request.connection),
        leaseNamespace: leaseNamespaceOf(deps),
      },
    );
  },
});

function leaseNamespaceMissing(namespace: string): MeshbotError {
  return new MeshbotError(
    'target_not_found',
    `namespace ${namespace} does not exist, so reconcile --watch cannot keep its Lease there: create it (kubectl create namespace ${namespace}) or pass --lease-namespace with an existing namespace (default: $MESHBOT_NAMESPACE, else the pod's namespace, else meshbot)`,
    { namespace },
  );
}

/** The API's answer to writing into a namespace that is gone (`namespaces "x" not found`). */
function isMissingNamespace(error: unknown, namespace: string): boolean {
  return (
    isMeshbotError(error) &&
    error.code === 'k8s_not_found' &&
    error.details.apiMessage === `namespaces "${namespace}" not found`
  );
}

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
      {
        name: 'dry-run',
        kind: 'boolean',
        values: DRY_RUN_VALUES,
        description: 'Only report what would be reverted (--dry-run=client is the same)',
      },
      { ...ALL_NAMESPACES, description: 'Every namespace (what reconcile always checks)' },
      {
        ...NAMESPACE_ARGUMENT,
        refused: 'it always checks every namespace, reverting expired changes wherever meshbot made them',
      },
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
    const { reconcileLogging, startReconciler } = await import('../reconcile-logging.js');
    if (!request.watch) return reconcileLogging({ istio, clock: deps.clock }, { dryRun: request.dryRun });
    const defaults = deps.watchDefaults?.() ?? { leaseNamespace: 'meshbot', identity: 'meshbot' };
    const namespace = request.leaseNamespace ?? defaults.leaseNamespace;
    const identity = request.identity ?? defaults.identity;
    const signal = deps.signal;
    const leases = await deps.leases(request.connection);
    if (signal?.aborted) return { kind: 'stopped', what: 'reconcile --watch', exitCode: 0 };
    // Retrying cannot help when the Lease's namespace is missing: say how to fix it and stop.
    // A server that is no Kubernetes API will not become one: stop too. Other failures: the loop retries.
    const exists = await istio.namespaceExists(namespace).catch((e: unknown) => {
      if (e instanceof MeshbotError && e.details.versionAnswer !== undefined) throw e;
      return true;
    });
    if (!exists) throw leaseNamespaceMissing(namespace);
    deps.warn?.(
      `reconciling every ${formatDuration(request.intervalMs)} as ${identity} (Lease ${namespace}/${RECONCILER_LEASE_NAME}); stop with Ctrl-C`,
    );
    let fatal: MeshbotError | undefined;
    let wake = (): void => {};
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
      onError: (error) => {
        // A pass cut short by the stop signal is not a failure.
        if (signal?.aborted === true) return;
        if (isMissingNamespace(error, namespace)) {
          fatal = leaseNamespaceMissing(namespace);
          wake();
          return;
        }
        deps.warn?.(`reconcile pass failed: ${toUserMessage(error)}`);
      },
    });
    // Checked again here: a stop that came while the reconciler started must not be missed.
    await new Promise<void>((resolve) => {
      wake = resolve;
      if (signal === undefined) return;
      if (signal.aborted) resolve();
      else signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await reconciler.stop();
    if (fatal !== undefined) throw fatal;
    return { kind: 'stopped', what: 'reconcile --watch', exitCode: 0 };
  },
});
