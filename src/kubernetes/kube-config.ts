/**
 * @module kubernetes/kube-config
 * Finds credentials like kubectl does: `--kubeconfig`, else `$KUBECONFIG`, else `~/.kube/config`, else the
 * in-cluster service account. Unlike client-node's `loadFromDefault`, it never falls back silently to
 * `http://localhost:8080`: no credentials is an error that says what was tried.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { MeshbotError } from '../core/errors.js';

export interface KubeConfigOptions {
  kubeconfig?: string | undefined;
  context?: string | undefined;
  env?: Readonly<Record<string, string | undefined>>;
  /** Deadline of every API request made with this config (default 30 s), so a hung API never hangs meshbot. */
  requestTimeoutMs?: number | undefined;
  /** Aborts every request made with this config (Ctrl-C). */
  signal?: AbortSignal | undefined;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/**
 * A KubeConfig whose requests all carry a deadline. client-node calls `applySecurityAuthentication` on
 * every request of every API client built from the config, before middleware, so a per-call timeout set
 * through middleware (as the pod-log reader does) still takes precedence.
 */
class DeadlineKubeConfig extends k8s.KubeConfig {
  constructor(
    private readonly requestTimeoutMs: number,
    private readonly signal?: AbortSignal,
  ) {
    super();
  }

  override async applySecurityAuthentication(context: k8s.RequestContext): Promise<void> {
    await super.applySecurityAuthentication(context);
    if (context.getSignal() !== undefined) return;
    const deadline = AbortSignal.timeout(this.requestTimeoutMs);
    context.setSignal(this.signal === undefined ? deadline : AbortSignal.any([deadline, this.signal]));
  }
}

const SA_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

export function loadKubeConfig(options: KubeConfigOptions = {}): k8s.KubeConfig {
  const env = options.env ?? process.env;
  const kc = new DeadlineKubeConfig(options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS, options.signal);
  const tried: string[] = [];
  try {
    if (options.kubeconfig !== undefined) {
      if (!existsSync(options.kubeconfig)) {
        throw new MeshbotError('kubeconfig_invalid', `--kubeconfig ${options.kubeconfig}: no such file`);
      }
      kc.loadFromFile(options.kubeconfig);
    } else if ((env.KUBECONFIG ?? '') !== '') {
      const files = (env.KUBECONFIG ?? '').split(':').filter((f) => f !== '' && existsSync(f));
      if (files.length === 0) {
        throw new MeshbotError(
          'kubeconfig_invalid',
          `KUBECONFIG=${env.KUBECONFIG} names no file that exists`,
        );
      }
      // Like kubectl: files merge in order, the first definition of each cluster, user and context name
      // wins (client-node's mergeConfig throws on duplicates instead), and the first file's context is current.
      const [first, ...others] = files;
      if (first !== undefined) kc.loadFromFile(first);
      for (const file of others) {
        const more = new k8s.KubeConfig();
        more.loadFromFile(file);
        mergeFirstWins(kc, more);
      }
    } else if (existsSync(join(env.HOME ?? homedir(), '.kube', 'config'))) {
      kc.loadFromFile(join(env.HOME ?? homedir(), '.kube', 'config'));
    } else if ((env.KUBERNETES_SERVICE_HOST ?? '') !== '' && existsSync(SA_TOKEN)) {
      kc.loadFromCluster();
    } else {
      tried.push('--kubeconfig', '$KUBECONFIG', '~/.kube/config', 'the in-cluster service account');
      throw new MeshbotError(
        'kubeconfig_invalid',
        `no Kubernetes credentials found (tried ${tried.join(', ')}); pass --kubeconfig FILE, or --file to read saved logs instead`,
      );
    }
  } catch (e) {
    if (e instanceof MeshbotError) throw e;
    throw new MeshbotError(
      'kubeconfig_invalid',
      `the kubeconfig could not be read: ${firstLine(e)}`,
      {},
      { cause: e },
    );
  }
  if (options.context !== undefined) {
    if (kc.getContextObject(options.context) === null) {
      const known = kc.getContexts().map((c) => c.name);
      throw new MeshbotError(
        'kubeconfig_invalid',
        `--context ${options.context} is not in the kubeconfig (contexts: ${known.join(', ') || 'none'})`,
      );
    }
    kc.setCurrentContext(options.context);
  }
  if (kc.getCurrentCluster() === null) {
    throw new MeshbotError(
      'kubeconfig_invalid',
      'the kubeconfig has no current context with a cluster; pass --context NAME',
    );
  }
  return kc;
}

function mergeFirstWins(into: k8s.KubeConfig, from: k8s.KubeConfig): void {
  const clusters = new Set(into.getClusters().map((c) => c.name));
  const users = new Set(into.getUsers().map((u) => u.name));
  const contexts = new Set(into.getContexts().map((c) => c.name));
  for (const cluster of from.getClusters()) if (!clusters.has(cluster.name)) into.addCluster(cluster);
  for (const user of from.getUsers()) if (!users.has(user.name)) into.addUser(user);
  for (const context of from.getContexts()) if (!contexts.has(context.name)) into.addContext(context);
  if (into.getCurrentContext() === '' || into.getCurrentContext() === undefined) {
    into.setCurrentContext(from.getCurrentContext());
  }
}

/** The namespace of the current context (kubectl's default for -n), else `default`. */
export function contextNamespace(kc: k8s.KubeConfig): string {
  return kc.getContextObject(kc.getCurrentContext())?.namespace ?? 'default';
}

export function serverOf(kc: k8s.KubeConfig): string {
  return kc.getCurrentCluster()?.server ?? '(unknown server)';
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
}
