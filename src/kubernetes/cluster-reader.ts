/**
 * @module kubernetes/cluster-reader
 * The {@link ClusterReader} port over @kubernetes/client-node 1.4: lists pods, workloads, services and
 * namespaces as meshbot's own types, reads the `istio-proxy` container's log with bounds (sinceTime or
 * sinceSeconds, tailLines, limitBytes), searches it as it streams (`searchProxyLog`, `log-grep.ts`: `trace`),
 * and follows it (`logs --follow`). Pod lists and log reads go through one keep-alive connection pool with
 * the kubeconfig's TLS and credentials (`log-request.ts`); the rest through client-node. Every call has a
 * timeout, and every failure becomes a coded error naming the verb, resource, namespace and server
 * (`k8sError`); an answer that no Kubernetes API server would give (a 404 page, JSON of another shape) makes
 * it ask `GET /version` once and say that the kubeconfig's server is not a Kubernetes API.
 */

import type { IncomingMessage } from 'node:http';
import * as http from 'node:http';
import * as https from 'node:https';
import { finished } from 'node:stream/promises';
import * as k8s from '@kubernetes/client-node';
import type {
  ClusterReader,
  LabelSelector,
  LabelSelectorRequirement,
  LogReadOptions,
  LogSearch,
  NamespaceSummary,
  PodSummary,
  ProxyInfo,
  ServiceSummary,
  WorkloadKind,
  WorkloadSummary,
} from '../commands/cluster-port.js';
import { MeshbotError } from '../core/errors.js';
import { isDns1123Label, isDns1123Subdomain } from '../core/kubernetes-names.js';
import { isKubernetesStatus, type K8sRequestContext, k8sError, notKubernetesError } from './k8s-error.js';
import { contextNamespace, serverOf } from './kube-config.js';
import { labelSelectorString } from './label-selector-string.js';
import { LogGrep } from './log-grep.js';
import { createLogRequester, logQuery } from './log-request.js';
import { probeVersion } from './probe-version.js';

export const PROXY_CONTAINER = 'istio-proxy';
/** Pods per page of a pod list (kubectl's `--chunk-size` default). */
const POD_PAGE = 500;
/** Default cap on one pod log read. */
export const DEFAULT_LIMIT_BYTES = 8 * 1024 * 1024;

export interface ClusterReaderOptions {
  /** Timeout of list/get calls (default 15 s). */
  timeoutMs?: number;
  /** Timeout of one pod log read (default 30 s). */
  logTimeoutMs?: number;
  /** Default `limitBytes` of a pod log read (default 8 MiB). */
  limitBytes?: number;
  /** Aborts every request in flight (Ctrl-C), on top of the timeouts. */
  signal?: AbortSignal | undefined;
}

/** Per-call timeout through client-node's middleware (libraries.md §4.6). */
function withTimeout(ms: number, signal?: AbortSignal): k8s.ConfigurationOptions {
  return {
    middleware: [
      {
        pre: (ctx: k8s.RequestContext) => {
          const deadline = AbortSignal.timeout(ms);
          ctx.setSignal(signal === undefined ? deadline : AbortSignal.any([deadline, signal]));
          return new k8s.Observable(Promise.resolve(ctx));
        },
        post: (response: k8s.ResponseContext) => new k8s.Observable(Promise.resolve(response)),
      },
    ],
    middlewareMergeStrategy: 'append',
  };
}

function checkName(kind: 'namespace' | 'name', value: string): string {
  const ok = kind === 'namespace' ? isDns1123Label(value) : isDns1123Subdomain(value);
  if (!ok) {
    throw new MeshbotError(
      'invalid_argument',
      `"${value.slice(0, 80).replace(/[^\x20-\x7e]/g, '?')}" is not a valid ${kind}`,
      { [kind]: value.slice(0, 80) },
    );
  }
  return value;
}

const record = (map: { [key: string]: string } | undefined): Record<string, string> => ({ ...map });

function proxyOf(pod: k8s.V1Pod): ProxyInfo {
  const sidecar = pod.spec?.containers.find((c) => c.name === PROXY_CONTAINER);
  const native = pod.spec?.initContainers?.find(
    (c) => c.name === PROXY_CONTAINER && c.restartPolicy === 'Always',
  );
  if (sidecar === undefined && native === undefined) {
    return { present: false, native: false, state: 'missing', restarts: 0 };
  }
  const statuses = native ? pod.status?.initContainerStatuses : pod.status?.containerStatuses;
  const status = statuses?.find((s) => s.name === PROXY_CONTAINER);
  const base = { present: true, native: native !== undefined, restarts: status?.restartCount ?? 0 };
  const state = status?.state;
  if (state?.running) return { ...base, state: 'running' };
  if (state?.terminated) return { ...base, state: 'terminated', reason: state.terminated.reason };
  if (state?.waiting) return { ...base, state: 'waiting', reason: state.waiting.reason };
  return { ...base, state: 'waiting', reason: 'no status yet' };
}

export function podSummary(pod: k8s.V1Pod): PodSummary {
  const owner =
    pod.metadata?.ownerReferences?.find((o) => o.controller) ?? pod.metadata?.ownerReferences?.[0];
  return {
    namespace: pod.metadata?.namespace ?? '',
    name: pod.metadata?.name ?? '',
    ip: pod.status?.podIP ?? null,
    labels: record(pod.metadata?.labels),
    annotations: record(pod.metadata?.annotations),
    phase: pod.status?.phase ?? 'Unknown',
    proxy: proxyOf(pod),
    ownerKind: owner?.kind ?? null,
    ownerName: owner?.name ?? null,
    node: pod.spec?.nodeName ?? null,
  };
}

const OPERATORS = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);

function selectorOf(selector: k8s.V1LabelSelector | undefined): LabelSelector {
  const matchExpressions: LabelSelectorRequirement[] = [];
  for (const e of selector?.matchExpressions ?? []) {
    if (!OPERATORS.has(e.operator)) continue;
    matchExpressions.push({
      key: e.key,
      operator: e.operator as LabelSelectorRequirement['operator'],
      values: e.values ?? [],
    });
  }
  return { matchLabels: record(selector?.matchLabels), matchExpressions };
}

/** Thrown inside `call` when a 200 answer is not shaped like the Kubernetes object asked for. */
class UnexpectedAnswer extends Error {}

function listOf<T extends { items: unknown }>(list: T): T {
  if (typeof list !== 'object' || list === null || !Array.isArray(list.items)) {
    throw new UnexpectedAnswer('the answer is not a Kubernetes list');
  }
  return list;
}

/**
 * Whether a failure may mean the server is not a Kubernetes API at all: a 404 without a Status body,
 * or an answer that could not be read as the object asked for. Credentials and network failures are not.
 */
function suspicious(e: unknown): boolean {
  if (e instanceof MeshbotError) return false;
  if (e instanceof UnexpectedAnswer) return true;
  const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
  if (typeof code === 'number') return code === 404 && !isKubernetesStatus((e as { body?: unknown }).body);
  if (typeof code === 'string') return false; // ECONNREFUSED and the like
  const name = e instanceof Error ? e.name : '';
  return name !== 'AbortError' && name !== 'TimeoutError' && !(e instanceof Error && 'cause' in e && e.cause);
}

/** Drops a last line cut by `limitBytes` (the API may stop mid-line). */
export function dropCutLine(body: string, limitBytes: number): string {
  if (Buffer.byteLength(body, 'utf8') < limitBytes || body.endsWith('\n')) return body;
  const nl = body.lastIndexOf('\n');
  return nl < 0 ? '' : body.slice(0, nl + 1);
}

export function createClusterReader(kc: k8s.KubeConfig, options: ClusterReaderOptions = {}): ClusterReader {
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  const server = serverOf(kc);
  const timeout = withTimeout(options.timeoutMs ?? 15_000, options.signal);
  const defaultLimit = options.limitBytes ?? DEFAULT_LIMIT_BYTES;

  // Asked at most once, and only after an answer no Kubernetes API server gives.
  let probe: Promise<string | null> | undefined;
  const notKubernetes = (): Promise<string | null> => {
    probe ??= probeVersion(kc, timeout);
    return probe;
  };

  async function call<T>(ctx: Omit<K8sRequestContext, 'server'>, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (e) {
      if (suspicious(e)) {
        const answer = await notKubernetes();
        if (answer !== null) throw notKubernetesError(server, answer, { cause: e });
      }
      throw k8sError(e, { ...ctx, server });
    }
  }

  const ns = (namespace: string | null) => (namespace === null ? null : checkName('namespace', namespace));

  const requests = createLogRequester(kc, server);
  // Ctrl-C aborts every request running: one listener on the caller's signal, not one per request (50 at once).
  const running = new Set<AbortController>();
  options.signal?.addEventListener(
    'abort',
    () => {
      for (const stop of running) stop.abort(options.signal?.reason);
    },
    { once: true },
  );

  /**
   * Runs `work` with a signal that aborts at the deadline or at Ctrl-C. A timer and a listener cleared when
   * it ends: AbortSignal.timeout and .any would keep every read's request reachable until its deadline
   * (~10 KB per pod of a 3,000-pod trace).
   */
  async function withDeadline<T>(ms: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const stop = new AbortController();
    const timer = setTimeout(() => stop.abort(new DOMException('the request timed out', 'TimeoutError')), ms);
    if (options.signal?.aborted) stop.abort(options.signal.reason);
    running.add(stop);
    try {
      return await work(stop.signal);
    } finally {
      clearTimeout(timer);
      running.delete(stop);
    }
  }

  /**
   * One bounded read of the proxy's log: `consume` attaches to the 200 answer's body and returns what to
   * resolve with once it has ended. The deadline covers the whole read; Ctrl-C aborts it.
   */
  function readLog<T>(
    namespace: string,
    pod: string,
    read: LogReadOptions,
    limitBytes: number,
    consume: (res: IncomingMessage) => () => T,
  ): Promise<T> {
    const query = logQuery(PROXY_CONTAINER, read, limitBytes);
    const path = `/api/v1/namespaces/${namespace}/pods/${pod}/log`;
    return call({ verb: 'get', resource: 'pods/log', namespace, name: pod }, () =>
      withDeadline(options.logTimeoutMs ?? 30_000, async (signal) => {
        const res = await requests.open(path, query, signal);
        const result = consume(res);
        await finished(res);
        return result();
      }),
    );
  }

  return {
    server,
    defaultNamespace: contextNamespace(kc),

    async listNamespaces(): Promise<NamespaceSummary[]> {
      const list = await call({ verb: 'list', resource: 'namespaces' }, async () =>
        listOf(await core.listNamespace({}, timeout)),
      );
      return list.items.map((n) => ({ name: n.metadata?.name ?? '', labels: record(n.metadata?.labels) }));
    },

    async getNamespace(name: string): Promise<NamespaceSummary | null> {
      checkName('namespace', name);
      try {
        const n = await call({ verb: 'get', resource: 'namespaces', name }, () =>
          core.readNamespace({ name }, timeout),
        );
        return { name: n.metadata?.name ?? name, labels: record(n.metadata?.labels) };
      } catch (e) {
        if (e instanceof MeshbotError && e.code === 'k8s_not_found') return null;
        throw e;
      }
    },

    async listPods(namespace: string | null, selector?: LabelSelector): Promise<PodSummary[]> {
      const checked = ns(namespace);
      const labelSelector = selector ? labelSelectorString(selector) : undefined;
      const path = checked === null ? '/api/v1/pods' : `/api/v1/namespaces/${checked}/pods`;
      // Pages of 500 (as kubectl), each kept only as summaries: memory does not grow with the page count.
      return call({ verb: 'list', resource: 'pods', namespace: checked ?? undefined }, () =>
        withDeadline(options.timeoutMs ?? 15_000, async (signal) => {
          const pods: PodSummary[] = [];
          let token: string | undefined;
          do {
            const query = new URLSearchParams({ limit: String(POD_PAGE) });
            if (labelSelector) query.set('labelSelector', labelSelector);
            if (token !== undefined) query.set('continue', token);
            const page = listOf((await requests.getJson(path, query, signal)) as k8s.V1PodList);
            for (const pod of page.items) pods.push(podSummary(pod));
            const next =
              page.metadata?._continue ?? (page.metadata as { continue?: unknown } | undefined)?.continue;
            token = typeof next === 'string' && next !== '' ? next : undefined;
          } while (token !== undefined);
          return pods;
        }),
      );
    },

    async listWorkloads(namespace: string | null): Promise<WorkloadSummary[]> {
      const checked = ns(namespace);
      const ctx = (resource: string) => ({ verb: 'list', resource, namespace: checked ?? undefined });
      const [deployments, statefulSets, daemonSets] = await Promise.all([
        call(ctx('deployments.apps'), async () =>
          listOf(
            checked === null
              ? await apps.listDeploymentForAllNamespaces({}, timeout)
              : await apps.listNamespacedDeployment({ namespace: checked }, timeout),
          ),
        ),
        call(ctx('statefulsets.apps'), async () =>
          listOf(
            checked === null
              ? await apps.listStatefulSetForAllNamespaces({}, timeout)
              : await apps.listNamespacedStatefulSet({ namespace: checked }, timeout),
          ),
        ),
        call(ctx('daemonsets.apps'), async () =>
          listOf(
            checked === null
              ? await apps.listDaemonSetForAllNamespaces({}, timeout)
              : await apps.listNamespacedDaemonSet({ namespace: checked }, timeout),
          ),
        ),
      ]);
      const summarize =
        (kind: WorkloadKind) =>
        (w: k8s.V1Deployment | k8s.V1StatefulSet | k8s.V1DaemonSet): WorkloadSummary => ({
          kind,
          namespace: w.metadata?.namespace ?? '',
          name: w.metadata?.name ?? '',
          selector: selectorOf(w.spec?.selector),
        });
      return [
        ...deployments.items.map(summarize('Deployment')),
        ...statefulSets.items.map(summarize('StatefulSet')),
        ...daemonSets.items.map(summarize('DaemonSet')),
      ];
    },

    async listServices(namespace: string | null): Promise<ServiceSummary[]> {
      const checked = ns(namespace);
      const list = await call(
        { verb: 'list', resource: 'services', namespace: checked ?? undefined },
        async () =>
          listOf(
            checked === null
              ? await core.listServiceForAllNamespaces({}, timeout)
              : await core.listNamespacedService({ namespace: checked }, timeout),
          ),
      );
      return list.items.map((s) => ({
        namespace: s.metadata?.namespace ?? '',
        name: s.metadata?.name ?? '',
        selector:
          s.spec?.selector && Object.keys(s.spec.selector).length > 0 ? record(s.spec.selector) : null,
        clusterIPs: (s.spec?.clusterIPs ?? (s.spec?.clusterIP ? [s.spec.clusterIP] : [])).filter(
          (ip) => ip !== '' && ip !== 'None',
        ),
        labels: record(s.metadata?.labels),
      }));
    },

    async readProxyLog(namespace: string, pod: string, read: LogReadOptions): Promise<string> {
      checkName('namespace', namespace);
      checkName('name', pod);
      const limitBytes = read.limitBytes ?? defaultLimit;
      const body = await readLog(namespace, pod, read, limitBytes, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        return () => Buffer.concat(chunks).toString('utf8');
      });
      return dropCutLine(body, limitBytes);
    },

    async searchProxyLog(namespace, pod, read, text): Promise<LogSearch> {
      checkName('namespace', namespace);
      checkName('name', pod);
      const limitBytes = read.limitBytes ?? defaultLimit;
      const grep = new LogGrep(text);
      return readLog(namespace, pod, read, limitBytes, (res) => {
        res.on('data', (chunk: Buffer) => grep.push(chunk));
        return () => {
          const cut = grep.bytes >= limitBytes;
          return { ...grep.end(cut), cut };
        };
      });
    },

    async followProxyLog(namespace, pod, read, onText, signal): Promise<void> {
      checkName('namespace', namespace);
      checkName('name', pod);
      const ctx = { verb: 'get', resource: 'pods/log', namespace, name: pod, server };
      const url = new URL(`${server.replace(/\/+$/, '')}/api/v1/namespaces/${namespace}/pods/${pod}/log`);
      const query = url.searchParams;
      query.set('container', PROXY_CONTAINER);
      query.set('follow', 'true');
      if (read.sinceSeconds !== undefined)
        query.set('sinceSeconds', String(Math.max(1, Math.ceil(read.sinceSeconds))));
      if (read.tailLines !== undefined) query.set('tailLines', String(read.tailLines));
      if (read.limitBytes !== undefined) query.set('limitBytes', String(read.limitBytes));
      if (read.timestamps) query.set('timestamps', 'true');
      const stop = options.signal === undefined ? signal : AbortSignal.any([signal, options.signal]);
      if (stop.aborted) return;
      const request: https.RequestOptions = {};
      await kc.applyToHTTPSOptions(request);
      const tls = url.protocol === 'https:';
      await new Promise<void>((resolve, reject) => {
        // Only the wait for the answer's head has a deadline: a followed log may stay quiet for hours.
        const started = AbortSignal.timeout(options.timeoutMs ?? 15_000);
        const onStart = () => req.destroy(Object.assign(new Error('timed out'), { name: 'TimeoutError' }));
        started.addEventListener('abort', onStart, { once: true });
        const req = (tls ? https : http).request(
          url,
          {
            method: 'GET',
            headers: { ...request.headers, accept: 'text/plain' },
            ...(tls ? { agent: request.agent } : {}),
            ...(request.auth ? { auth: request.auth } : {}),
            signal: stop,
          },
          (res) => {
            started.removeEventListener('abort', onStart);
            res.setEncoding('utf8');
            if (res.statusCode !== 200) {
              let body = '';
              res.on('data', (chunk: string) => {
                if (body.length < 65_536) body += chunk;
              });
              res.on('end', () => reject(k8sError({ code: res.statusCode ?? 0, body }, ctx)));
              res.on('error', (e) => reject(k8sError(e, ctx)));
              return;
            }
            (async () => {
              for await (const chunk of res) await onText(chunk as string);
            })().then(resolve, (e: unknown) => {
              if (stop.aborted) resolve();
              else reject(e instanceof MeshbotError ? e : k8sError(e, ctx));
            });
          },
        );
        req.on('error', (e) => {
          started.removeEventListener('abort', onStart);
          if (stop.aborted) resolve();
          else reject(k8sError(e, ctx));
        });
        req.end();
      });
    },
  };
}
