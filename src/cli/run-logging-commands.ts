/**
 * @module cli/run-logging-commands
 * CLI handlers for `enable-logging`, `disable-logging`, `status` and `reconcile`: argv values → command
 * → renderer. The cluster is reached like kubectl (`--kubeconfig`, `--context`, `$KUBECONFIG`, in-cluster).
 */
import { readFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { disableLogging } from '../commands/disable-logging.js';
import { DEFAULT_MAX_LOGGING_MS, enableLogging } from '../commands/enable-logging.js';
import type { LoggingResult } from '../commands/logging-result.js';
import { loggingStatus } from '../commands/logging-status.js';
import { reconcileLogging, startReconciler } from '../commands/reconcile-logging.js';
import { formatDuration, parseDuration } from '../core/duration.js';
import { MeshbotError } from '../core/errors.js';
import { validateNamespace } from '../core/kubernetes-names.js';
import { toUserMessage } from '../core/user-message.js';
import { IstioConfigClient } from '../kubernetes/istio-config-client.js';
import { loadKubeConfig } from '../kubernetes/kube-config.js';
import { LeaseClient } from '../kubernetes/lease-client.js';
import { renderLogging } from '../render/render-logging.js';
import { isOutputFormat, type OutputFormat } from '../render/render-report.js';
import type { Invocation, Values } from './run-cli.js';

function str(values: Values, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

function format(values: Values): OutputFormat {
  const f = str(values, 'format') ?? 'text';
  if (!isOutputFormat(f))
    throw new MeshbotError('usage', `--format must be one of text, json, slack (got "${f.slice(0, 20)}")`);
  return f;
}

/** `MESHBOT_MAX_LOGGING_DURATION` (default 4h). */
export function maxLoggingMs(env: Readonly<Record<string, string | undefined>>): number {
  const text = env.MESHBOT_MAX_LOGGING_DURATION;
  return text === undefined || text === ''
    ? DEFAULT_MAX_LOGGING_MS
    : parseDuration(text, 'MESHBOT_MAX_LOGGING_DURATION');
}

function requester(values: Values, env: Readonly<Record<string, string | undefined>>): string {
  const given = str(values, 'requested-by') ?? env.USER ?? env.USERNAME;
  if (given !== undefined && given !== '') return given.slice(0, 200);
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

function onePositional(invocation: Invocation, what: string): string | undefined {
  const [first, ...extra] = invocation.positionals;
  if (extra.length > 0) {
    throw new MeshbotError(
      'usage',
      `${invocation.command.name} takes one ${what} (got ${invocation.positionals.length}); see --help`,
    );
  }
  return first;
}

/** The NS argument, checked before any credentials are loaded or requests made. */
function namespaceArgument(invocation: Invocation): string | undefined {
  const namespace = onePositional(invocation, 'namespace');
  return namespace === undefined ? undefined : validateNamespace(namespace);
}

export async function runLoggingCommand(invocation: Invocation): Promise<number> {
  const { command, values, io } = invocation;
  const output = format(values);
  const clock = io.now;
  const connect = () =>
    new IstioConfigClient(
      loadKubeConfig({ kubeconfig: str(values, 'kubeconfig'), context: str(values, 'context'), env: io.env }),
    );
  let result: LoggingResult;
  switch (command.name) {
    case 'enable-logging': {
      const namespace = namespaceArgument(invocation);
      const forText = str(values, 'for');
      const input = {
        namespace,
        mesh: values.mesh === true,
        forMs: forText === undefined ? undefined : parseDuration(forText, '--for'),
        maxMs: maxLoggingMs(io.env),
        mode: str(values, 'mode'),
        filter: str(values, 'filter'),
        provider: str(values, 'provider'),
        workload: str(values, 'workload'),
        requestedBy: requester(values, io.env),
        dryRun: values['dry-run'] === true,
      };
      result = await enableLogging(input, { istio: connect(), clock });
      break;
    }
    case 'disable-logging':
      result = await disableLogging(
        {
          namespace: namespaceArgument(invocation),
          mesh: values.mesh === true,
          workload: str(values, 'workload'),
          dryRun: values['dry-run'] === true,
        },
        { istio: connect() },
      );
      break;
    case 'status': {
      const namespace = namespaceArgument(invocation);
      const all = values['all-namespaces'] === true;
      if (all && namespace !== undefined) throw new MeshbotError('usage', 'pass a namespace or -A, not both');
      result = await loggingStatus(
        { namespace, all: all || namespace === undefined },
        { istio: connect(), clock },
      );
      break;
    }
    case 'reconcile':
      onePositional(invocation, 'argument');
      if (invocation.positionals.length > 0) throw new MeshbotError('usage', 'reconcile takes no arguments');
      if (values.watch === true) return watchReconcile(invocation, output);
      result = await reconcileLogging({ istio: connect(), clock }, { dryRun: values['dry-run'] === true });
      break;
    default:
      throw new MeshbotError('internal', `command ${command.name} has no handler`);
  }
  io.stdout.write(renderLogging(result, output, clock()));
  return result.command === 'reconcile' && result.failures.length > 0 ? 1 : 0;
}

const SA_NAMESPACE_FILE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

function leaseNamespace(values: Values, env: Readonly<Record<string, string | undefined>>): string {
  const given = str(values, 'lease-namespace') ?? env.MESHBOT_NAMESPACE ?? env.POD_NAMESPACE;
  if (given !== undefined && given !== '') return validateNamespace(given);
  try {
    return validateNamespace(readFileSync(SA_NAMESPACE_FILE, 'utf8').trim());
  } catch {
    return 'meshbot';
  }
}

/** `reconcile --watch`: the long-running reconciler, until the process is asked to stop. */
async function watchReconcile(invocation: Invocation, output: OutputFormat): Promise<number> {
  const { values, io } = invocation;
  if (values['dry-run'] === true)
    throw new MeshbotError('usage', '--watch and --dry-run cannot be used together');
  const intervalText = str(values, 'interval');
  const intervalMs = intervalText === undefined ? 60_000 : parseDuration(intervalText, '--interval');
  const namespace = leaseNamespace(values, io.env);
  const identity = (str(values, 'identity') ?? io.env.POD_NAME ?? `${hostname()}-${process.pid}`).slice(
    0,
    128,
  );
  const kc = loadKubeConfig({
    kubeconfig: str(values, 'kubeconfig'),
    context: str(values, 'context'),
    env: io.env,
  });
  const signal = io.signal;
  if (signal?.aborted) return 0;
  io.stderr.write(
    `meshbot: reconciling every ${formatDuration(intervalMs)} as ${identity} (Lease ${namespace}/meshbot-reconciler); stop with Ctrl-C\n`,
  );
  const reconciler = startReconciler({
    istio: new IstioConfigClient(kc),
    leases: new LeaseClient(kc),
    clock: io.now,
    identity,
    namespace,
    intervalMs,
    onPass: (result) => {
      if (result.reverted.length > 0 || result.failures.length > 0)
        io.stdout.write(renderLogging(result, output, io.now()));
    },
    onError: (error) => io.stderr.write(`meshbot: reconcile pass failed: ${toUserMessage(error)}\n`),
  });
  await new Promise<void>((resolve) => {
    if (signal === undefined) return;
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await reconciler.stop();
  return 0;
}
