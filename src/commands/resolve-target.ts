/**
 * @module commands/resolve-target
 * `meshbot logs TARGET`: which pods TARGET means. TARGET is a pod name, a workload (`deploy/x`, `sts/x`,
 * `ds/x`, or a bare name matching one), a Service (`svc/x`: its selector's pods), or an app label value
 * (`app`, `app.kubernetes.io/name`, `service.istio.io/canonical-name`, `istio` for gateways). Without
 * `-n` it looks in the default namespace, then across namespaces (when meshbot may not list them, it says
 * pass -n). Not found names the namespace, where else TARGET exists, or the closest names of its kind.
 * `logs -l` resolves a label selector the same way. Pure over the {@link ClusterReader} port.
 * TARGET is validated before any API call, so user text never reaches a URL or a selector unchecked.
 */
import { MeshbotError } from '../core/errors.js';
import { isDns1123Subdomain, isLabelValue, printable, validateNamespace } from '../core/kubernetes-names.js';
import type {
  ClusterReader,
  LabelSelector,
  PodSummary,
  ServiceSummary,
  WorkloadKind,
  WorkloadSummary,
} from './cluster-port.js';
import { formatLabelSelector } from './label-selector.js';

export type TargetKind = 'pod' | WorkloadKind | 'Service' | 'any';

export interface TargetQuery {
  kind: TargetKind;
  name: string;
}

const PREFIXES: Record<string, TargetKind> = {
  pod: 'pod',
  po: 'pod',
  pods: 'pod',
  deploy: 'Deployment',
  deployment: 'Deployment',
  deployments: 'Deployment',
  sts: 'StatefulSet',
  statefulset: 'StatefulSet',
  statefulsets: 'StatefulSet',
  ds: 'DaemonSet',
  daemonset: 'DaemonSet',
  daemonsets: 'DaemonSet',
  svc: 'Service',
  service: 'Service',
  services: 'Service',
};

/** Parses and validates TARGET (`deploy/x`, `sts/x`, `ds/x`, `svc/x`, `pod/x`, or a bare name). */
export function parseTarget(target: string): TargetQuery {
  const text = target.trim();
  const slash = text.indexOf('/');
  const kindText = slash >= 0 ? text.slice(0, slash).toLowerCase() : null;
  const name = slash >= 0 ? text.slice(slash + 1) : text;
  const kind = kindText === null ? 'any' : PREFIXES[kindText];
  if (kind === undefined) {
    throw new MeshbotError(
      'invalid_argument',
      `"${printable(text)}": unknown kind "${printable(kindText ?? '')}"; use pod/NAME, deploy/NAME, sts/NAME, ds/NAME, svc/NAME or a bare name`,
      { target: printable(text) },
    );
  }
  // A bare name may be an app label value (letters, digits, '-', '_', '.'), anything else a DNS-1123 name.
  const valid = kind === 'any' ? isLabelValue(name) && name !== '' : isDns1123Subdomain(name);
  if (!valid) {
    throw new MeshbotError(
      'invalid_argument',
      `"${printable(text)}" is not a valid TARGET: expected a pod, workload or service name (lowercase letters, digits, '-' and '.'), optionally as pod/NAME, deploy/NAME, sts/NAME, ds/NAME or svc/NAME`,
      { target: printable(text) },
    );
  }
  return { kind, name };
}

/** The label keys whose value a bare TARGET may match (the app, its canonical name, a gateway's `istio`). */
export const APP_LABEL_KEYS = [
  'app',
  'app.kubernetes.io/name',
  'service.istio.io/canonical-name',
  'istio',
] as const;

export interface ResolvedTarget {
  /** What matched, for the report: `deploy/reviews in bookinfo`. */
  description: string;
  namespace: string;
  /** Pods with an `istio-proxy` container, to read. */
  pods: PodSummary[];
  /** Matched pods without an `istio-proxy` container and not in ambient mode (left out, worth a note). */
  withoutProxy: PodSummary[];
  /**
   * Matched pods in Istio's ambient mode (no sidecar: ztunnel on their node logs their connections, a
   * waypoint their requests); see commands/ambient-sources.
   */
  ambient: PodSummary[];
  /** The target namespace's labels, when they were read (ambient mode and waypoints are set there). */
  namespaceLabels: Readonly<Record<string, string>> | null;
  /** Every pod listed while resolving (for mapping caller IPs to pod names). */
  seen: PodSummary[];
}

interface Candidate {
  kind: 'pod' | WorkloadKind | 'Service' | 'label';
  namespace: string;
  name: string;
  /** For label matches: the key that matched. */
  labelKey?: string;
  selector?: LabelSelector;
  pod?: PodSummary;
}

const SHORT: Record<Candidate['kind'], string> = {
  pod: 'pod',
  Deployment: 'deploy',
  StatefulSet: 'sts',
  DaemonSet: 'ds',
  Service: 'svc',
  label: 'label',
};

function describe(c: Candidate): string {
  const what = c.kind === 'label' ? `${c.labelKey ?? 'app'}=${c.name}` : `${SHORT[c.kind]}/${c.name}`;
  return `${what} in ${c.namespace}`;
}

interface Scope {
  pods: PodSummary[];
  workloads: WorkloadSummary[];
  services: ServiceSummary[];
}

async function loadScope(
  reader: ClusterReader,
  namespace: string | null,
  query: TargetQuery,
): Promise<Scope> {
  const wantsWorkloads =
    query.kind === 'any' || ['Deployment', 'StatefulSet', 'DaemonSet'].includes(query.kind);
  const wantsServices = query.kind === 'any' || query.kind === 'Service';
  const [pods, workloads, services] = await Promise.all([
    reader.listPods(namespace),
    wantsWorkloads ? reader.listWorkloads(namespace) : Promise.resolve([]),
    wantsServices ? reader.listServices(namespace) : Promise.resolve([]),
  ]);
  return { pods, workloads, services };
}

/**
 * The candidates in one scope, in kubectl's order of precedence for a bare name: a pod, else a workload,
 * else a Service, else pods carrying the name as an app label.
 */
function candidatesIn(scope: Scope, query: TargetQuery): Candidate[] {
  return candidateTiers(scope, query).find((tier) => tier.length > 0) ?? [];
}

/** Every tier of candidates (pods, workloads, services, app labels), each possibly empty. */
function candidateTiers(scope: Scope, query: TargetQuery): Candidate[][] {
  const { kind, name } = query;
  const tiers: Candidate[][] = [];
  if (kind === 'pod' || kind === 'any') {
    tiers.push(
      scope.pods
        .filter((p) => p.name === name)
        .map((p) => ({ kind: 'pod', namespace: p.namespace, name: p.name, pod: p })),
    );
  }
  if (kind === 'any' || kind === 'Deployment' || kind === 'StatefulSet' || kind === 'DaemonSet') {
    tiers.push(
      scope.workloads
        .filter((w) => w.name === name && (kind === 'any' || w.kind === kind))
        .map((w) => ({ kind: w.kind, namespace: w.namespace, name: w.name, selector: w.selector })),
    );
  }
  if (kind === 'any' || kind === 'Service') {
    tiers.push(
      scope.services
        .filter((s) => s.name === name)
        .map((s) => ({
          kind: 'Service',
          namespace: s.namespace,
          name: s.name,
          ...(s.selector ? { selector: { matchLabels: s.selector, matchExpressions: [] } } : {}),
        })),
    );
  }
  if (kind === 'any') {
    const byNamespace = new Map<string, Candidate>();
    for (const key of APP_LABEL_KEYS) {
      for (const pod of scope.pods) {
        if (pod.labels[key] !== name || byNamespace.has(pod.namespace)) continue;
        byNamespace.set(pod.namespace, { kind: 'label', namespace: pod.namespace, name, labelKey: key });
      }
    }
    tiers.push([...byNamespace.values()]);
  }
  return tiers;
}

/** The words for what a TARGET of each kind is, in "no deployment x in namespace ns". */
const KIND_WORD: Record<TargetKind, string> = {
  pod: 'pod',
  Deployment: 'deployment',
  StatefulSet: 'statefulset',
  DaemonSet: 'daemonset',
  Service: 'service',
  any: 'pod, workload, service or app label',
};

/** Whether a failed cross-namespace list means "not allowed to look there", not a broken connection. */
const cannotLookEverywhere = (e: unknown): boolean =>
  e instanceof MeshbotError && (e.code === 'k8s_forbidden' || e.code === 'k8s_not_found');

/**
 * Resolves TARGET to the pods to read. Throws `target_not_found` (naming the namespace searched, where
 * else TARGET exists when meshbot can see it, and the closest names), `target_ambiguous` or `no_sidecar`.
 */
export async function resolveTarget(
  reader: ClusterReader,
  target: string,
  options: { namespace?: string | undefined } = {},
): Promise<ResolvedTarget> {
  const query = parseTarget(target);
  const explicit = options.namespace === undefined ? undefined : validateNamespace(options.namespace);
  const home = explicit ?? reader.defaultNamespace;
  const scope = await loadScope(reader, home, query);
  const found = pick(scope, query, target);
  if (found !== undefined) return podsOf(reader, found, scope.pods);
  if (explicit !== undefined) {
    await requireNamespace(reader, explicit);
    throw notFound(query, target, home, scope, await namespacesWith(reader, query, home));
  }
  // Without -n, kubectl's namespace first, then every namespace meshbot may list.
  let everywhere: Scope;
  try {
    everywhere = await loadScope(reader, null, query);
  } catch (e) {
    if (!cannotLookEverywhere(e)) throw e;
    throw notFound(query, target, home, scope, null, e as MeshbotError);
  }
  const elsewhere = pick(everywhere, query, target);
  if (elsewhere !== undefined) return podsOf(reader, elsewhere, everywhere.pods);
  const seen: Scope = {
    pods: [...scope.pods, ...everywhere.pods],
    workloads: [...scope.workloads, ...everywhere.workloads],
    services: [...scope.services, ...everywhere.services],
  };
  const suggestions = query.kind === 'any' ? closestNames(query.name, seen) : closestOfKind(query, seen);
  throw new MeshbotError(
    'target_not_found',
    `no ${KIND_WORD[query.kind]} ${query.kind === 'any' ? `"${query.name}"` : query.name} in any namespace${didYouMean(suggestions)}`,
    { target, suggestions },
  );
}

/** The one candidate of a scope; several are ambiguous. */
function pick(scope: Scope, query: TargetQuery, target: string): Candidate | undefined {
  const candidates = candidatesIn(scope, query);
  if (candidates.length > 1) {
    const list = candidates.map(describe);
    throw new MeshbotError(
      'target_ambiguous',
      `"${query.name}" matches ${list.join(', ')}: pass -n NAMESPACE${query.kind === 'any' ? ' or KIND/NAME' : ''}`,
      { target, candidates: list },
    );
  }
  return candidates[0];
}

const didYouMean = (names: readonly string[]): string =>
  names.length > 0 ? `; did you mean ${names.join(', ')}?` : '';

/** The namespaces other than `home` where TARGET exists, when meshbot may list them (null when not). */
async function namespacesWith(
  reader: ClusterReader,
  query: TargetQuery,
  home: string,
): Promise<string[] | null> {
  let everywhere: Scope;
  try {
    everywhere = await loadScope(reader, null, query);
  } catch {
    return null; // Only for the hint: the answer stays "not found in NS".
  }
  const namespaces = new Set<string>();
  for (const tier of candidateTiers(everywhere, query))
    for (const c of tier) if (c.namespace !== home) namespaces.add(c.namespace);
  return [...namespaces].sort();
}

/** Suggestions of TARGET's own kind (`deploy/x` → Deployments), written the way it was asked for. */
function closestOfKind(query: TargetQuery, scope: Scope): string[] {
  const names =
    query.kind === 'pod'
      ? scope.pods.map((p) => p.name)
      : query.kind === 'Service'
        ? scope.services.map((s) => s.name)
        : scope.workloads.filter((w) => w.kind === query.kind).map((w) => w.name);
  const prefix = query.kind === 'any' ? '' : `${SHORT[query.kind]}/`;
  return closestOf(query.name, [...new Set(names)]).map((n) => `${prefix}${n}`);
}

/** "no deployment x in namespace ns", with where else it is, or why meshbot did not look further. */
function notFound(
  query: TargetQuery,
  target: string,
  home: string,
  scope: Scope,
  elsewhere: string[] | null,
  lookFailed?: MeshbotError,
): MeshbotError {
  const what =
    query.kind === 'any'
      ? `${query.name} not found in namespace ${home} (no pod, workload, service or app label of that name)`
      : `no ${KIND_WORD[query.kind]} ${query.name} in namespace ${home}`;
  const suggestions = query.kind === 'any' ? closestNames(query.name, scope) : closestOfKind(query, scope);
  let hint = '';
  if (elsewhere !== null && elsewhere.length > 0) {
    hint =
      elsewhere.length === 1
        ? `; it exists in ${elsewhere[0]}: pass -n ${elsewhere[0]}`
        : `; it exists in ${elsewhere.slice(0, 5).join(', ')}: pass -n with one of them`;
  } else if (lookFailed !== undefined) {
    hint = `; pass -n NAMESPACE (meshbot may not list ${String(lookFailed.details.resource ?? 'pods')} across namespaces to find it)`;
  }
  return new MeshbotError('target_not_found', `${what}${hint}${hint === '' ? didYouMean(suggestions) : ''}`, {
    target,
    namespace: home,
    suggestions,
    ...(elsewhere !== null && elsewhere.length > 0 ? { foundIn: elsewhere } : {}),
  });
}

async function podsOf(
  reader: ClusterReader,
  match: Candidate,
  scopePods: PodSummary[],
): Promise<ResolvedTarget> {
  let pods: PodSummary[];
  if (match.pod !== undefined) pods = [match.pod];
  else if (match.kind === 'label') {
    const key = match.labelKey ?? 'app';
    pods = scopePods.filter((p) => p.namespace === match.namespace && p.labels[key] === match.name);
  } else if (match.selector === undefined) {
    throw new MeshbotError(
      'target_not_found',
      `${describe(match)} has no selector, so meshbot cannot tell which pods serve it; name a pod or workload instead`,
      { target: describe(match) },
    );
  } else {
    pods = await reader.listPods(match.namespace, match.selector);
  }
  pods = pods.filter(live);
  const description = describe(match);
  if (pods.length === 0) {
    throw new MeshbotError('target_not_found', `${description} has no running pods`, { target: description });
  }
  return withProxyOnly(reader, match.namespace, description, pods, scopePods);
}

const live = (p: PodSummary): boolean => p.phase !== 'Succeeded' && p.phase !== 'Failed';

async function withProxyOnly(
  reader: ClusterReader,
  namespace: string,
  description: string,
  pods: PodSummary[],
  seen: PodSummary[],
): Promise<ResolvedTarget> {
  const withProxy = pods.filter((p) => p.proxy.present);
  const bare = pods.filter((p) => !p.proxy.present);
  if (bare.length === 0)
    return {
      description,
      namespace,
      pods: withProxy,
      withoutProxy: [],
      ambient: [],
      namespaceLabels: null,
      seen,
    };
  const namespaceLabels = await namespaceLabelsOf(reader, namespace);
  const ambient = bare.filter((p) => isAmbientPod(p, namespaceLabels));
  const withoutProxy = bare.filter((p) => !ambient.includes(p));
  if (withProxy.length === 0 && ambient.length === 0)
    throw noSidecar(namespace, description, withoutProxy, namespaceLabels);
  return { description, namespace, pods: withProxy, withoutProxy, ambient, namespaceLabels, seen };
}

/** The `istio.io/dataplane-mode` label that puts a namespace's (or a pod's) traffic through ztunnel. */
export const DATAPLANE_MODE_LABEL = 'istio.io/dataplane-mode';
/** Set by the ambient CNI on each pod it captured. */
export const AMBIENT_REDIRECTION_ANNOTATION = 'ambient.istio.io/redirection';

/**
 * In ambient mode: the CNI says it captured the pod, or the pod or its namespace asks for ambient and the
 * pod does not opt out (`istio.io/dataplane-mode: none`).
 */
export function isAmbientPod(
  pod: PodSummary,
  namespaceLabels: Readonly<Record<string, string>> | null,
): boolean {
  if (pod.proxy.present) return false;
  const redirection = pod.annotations[AMBIENT_REDIRECTION_ANNOTATION];
  if (redirection === 'enabled') return true;
  const own = pod.labels[DATAPLANE_MODE_LABEL];
  if (own !== undefined) return own === 'ambient';
  return redirection !== 'disabled' && namespaceLabels?.[DATAPLANE_MODE_LABEL] === 'ambient';
}

async function namespaceLabelsOf(
  reader: ClusterReader,
  namespace: string,
): Promise<Readonly<Record<string, string>> | null> {
  try {
    return (await reader.getNamespace(namespace))?.labels ?? null;
  } catch {
    return null; // Only for ambient detection and the hint; pods' own labels and annotations still decide.
  }
}

/**
 * `logs -l SELECTOR`: the pods the selector matches in `-n` (else the context's namespace), like
 * `kubectl logs -l`. None there is `target_not_found`, naming the namespaces where pods match when
 * meshbot may list them.
 */
export async function resolveSelector(
  reader: ClusterReader,
  selector: LabelSelector,
  options: { namespace?: string | undefined } = {},
): Promise<ResolvedTarget> {
  const explicit = options.namespace === undefined ? undefined : validateNamespace(options.namespace);
  const namespace = explicit ?? reader.defaultNamespace;
  const text = formatLabelSelector(selector);
  const description = `-l ${text} in ${namespace}`;
  const pods = (await reader.listPods(namespace, selector)).filter(live);
  if (pods.length > 0) return withProxyOnly(reader, namespace, description, pods, pods);
  if (explicit !== undefined) await requireNamespace(reader, explicit);
  let elsewhere: string[] = [];
  try {
    const all = (await reader.listPods(null, selector)).filter(live);
    elsewhere = [...new Set(all.map((p) => p.namespace))].filter((n) => n !== namespace).sort();
  } catch {
    elsewhere = []; // Only for the hint.
  }
  const hint =
    elsewhere.length === 0
      ? ''
      : elsewhere.length === 1
        ? `; pods match in ${elsewhere[0]}: pass -n ${elsewhere[0]}`
        : `; pods match in ${elsewhere.slice(0, 5).join(', ')}: pass -n with one of them`;
  throw new MeshbotError(
    'target_not_found',
    `no running pods match -l ${text} in namespace ${namespace}${hint}`,
    {
      selector: text,
      namespace,
      foundIn: elsewhere,
    },
  );
}

function noSidecar(
  namespace: string,
  description: string,
  pods: PodSummary[],
  labels: Readonly<Record<string, string>> | null,
): MeshbotError {
  const injection = labels?.['istio-injection'];
  const revision = labels?.['istio.io/rev'];
  const shown =
    labels === null
      ? 'its labels could not be read'
      : `istio-injection=${injection ?? '(unset)'}, istio.io/rev=${revision ?? '(unset)'}`;
  const names = pods.slice(0, 3).map((p) => p.name);
  return new MeshbotError(
    'no_sidecar',
    `${description}: ${names.join(', ')}${pods.length > 3 ? ` +${pods.length - 3}` : ''} ${
      pods.length === 1 ? 'has' : 'have'
    } no istio-proxy container and ${pods.length === 1 ? 'is' : 'are'} not in ambient mode, so no proxy logs ${pods.length === 1 ? 'its' : 'their'} traffic. Namespace ${namespace} is probably not in the mesh (${shown}, ${DATAPLANE_MODE_LABEL}=${labels?.[DATAPLANE_MODE_LABEL] ?? '(unset)'}): add it with sidecars (kubectl label namespace ${namespace} istio-injection=enabled, then restart the workload) or in ambient mode (kubectl label namespace ${namespace} ${DATAPLANE_MODE_LABEL}=ambient)`,
    { namespace, pods: names, istioInjection: injection ?? null, istioRev: revision ?? null },
  );
}

/** Throws `target_not_found` (with the closest names) when the namespace does not exist. */
export async function requireNamespace(reader: ClusterReader, namespace: string): Promise<void> {
  if ((await reader.getNamespace(namespace)) !== null) return;
  const namespaces = (await reader.listNamespaces()).map((n) => n.name);
  const close = closestOf(namespace, namespaces);
  throw new MeshbotError(
    'target_not_found',
    `namespace ${namespace} does not exist${close.length > 0 ? `; did you mean ${close.join(', ')}?` : ''}`,
    { namespace, suggestions: close },
  );
}

/** Levenshtein distance, with an early exit above `max`. */
export function editDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      row.push(value);
      best = Math.min(best, value);
    }
    if (best > max) return max + 1;
    prev = row;
  }
  return prev[b.length] ?? max + 1;
}

/** Up to three of `names` closest to `name` (typos and prefixes). */
function closestOf(name: string, names: readonly string[]): string[] {
  const max = Math.max(2, Math.floor(name.length / 3));
  return names
    .map((candidate) => ({ candidate, distance: editDistance(name, candidate, max) }))
    .filter((c) => c.distance <= max || c.candidate.startsWith(name) || name.startsWith(c.candidate))
    .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate))
    .slice(0, 3)
    .map((c) => c.candidate);
}

/** Up to five names seen (pods, workloads, services, app labels) closest to `name`. */
export function closestNames(name: string, seen: Scope): string[] {
  const names = new Map<string, string>();
  const add = (candidate: string, shown: string) => {
    if (!names.has(candidate)) names.set(candidate, shown);
  };
  for (const w of seen.workloads)
    add(`${SHORT[w.kind]}/${w.name}`, `${SHORT[w.kind]}/${w.name} in ${w.namespace}`);
  for (const s of seen.services) add(`svc/${s.name}`, `svc/${s.name} in ${s.namespace}`);
  for (const p of seen.pods) {
    add(`pod/${p.name}`, `${p.name} in ${p.namespace}`);
    const app = p.labels.app;
    if (app !== undefined) add(`app/${app}`, `${app} (app label) in ${p.namespace}`);
  }
  const max = Math.max(2, Math.floor(name.length / 3));
  const scored: { shown: string; score: number }[] = [];
  for (const [key, shown] of names) {
    const bare = key.slice(key.indexOf('/') + 1);
    const distance = editDistance(name, bare, max);
    const prefix =
      Math.min(bare.length, name.length) >= 3 && (bare.startsWith(name) || name.startsWith(bare));
    if (distance <= max || prefix) scored.push({ shown, score: prefix ? Math.min(distance, 1) : distance });
  }
  scored.sort((a, b) => a.score - b.score || a.shown.localeCompare(b.shown));
  return scored.slice(0, 5).map((s) => s.shown);
}
