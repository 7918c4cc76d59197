/**
 * @module istio-logging/preflight
 * The checks `enable-logging` runs before it writes (and in dry runs): is the provider one the mesh config
 * knows, is the filter valid CEL, does the workload selector match a pod, are the pods injected, and does
 * the new rule narrow logging that is already on. Pure: the command gathers the facts, this judges them.
 * The impossible is refused with the reason and the fix; the surprising is a warning.
 */
import { type ErrorCode, MeshbotError } from '../core/errors.js';
import { checkCelSyntax, describeCelProblem } from './check-cel.js';
import type { JsonMap, LoggingApi, MeshConfigInfo } from './logging-port.js';
import {
  asMap,
  byAge,
  isNamespaceWide,
  type LoggingMode,
  managementOf,
  nameOf,
  namespaceOf,
  selectorLabelsOf,
  specOf,
  type WorkloadSelector,
} from './logging-resources.js';

export type PreflightCheckName = 'provider' | 'filter' | 'workload' | 'injection' | 'narrowing';

export interface PreflightCheck {
  check: PreflightCheckName;
  outcome: 'ok' | 'warning' | 'refused' | 'skipped';
  message: string;
  /** The error code of a refusal. */
  code?: ErrorCode | undefined;
}

/** Istio's built-in access-log provider (a file access log to /dev/stdout), always there. */
export const BUILT_IN_PROVIDER = 'envoy';

/** The `extensionProviders` kinds that write access logs (the others trace, export metrics or authorise). */
export const ACCESS_LOG_PROVIDER_KINDS: readonly string[] = [
  'envoyFileAccessLog',
  'envoyHttpAls',
  'envoyTcpAls',
  'envoyOtelAls',
  'stackdriver',
];

/** A mesh config read, or why it could not be. */
export type MeshConfigFact = { ok: true; info: MeshConfigInfo } | { ok: false; reason: string };

/** A pod as the checks see it. */
export interface PodFact {
  name: string;
  labels: Readonly<Record<string, string>>;
  /** Has an `istio-proxy` container (classic or native sidecar). */
  proxy: boolean;
  /** Captured by ambient mode (`ambient.istio.io/redirection: enabled`). */
  ambient: boolean;
}

export type PodsFact =
  | { ok: true; pods: PodFact[]; ambientNamespace: boolean }
  | { ok: false; reason: string };

/** One access-log rule of a Telemetry (`spec.accessLogging[]`), normalised. */
export interface AccessLogRule {
  /** Empty: the mesh's default providers. */
  providers: string[];
  mode: 'CLIENT_AND_SERVER' | 'CLIENT' | 'SERVER';
  filter?: string | undefined;
  disabled: boolean;
}

/** What switches access logging on for the target today, and through what. */
export interface ExistingLogging {
  /** `Telemetry shop/default (namespace-wide)`, `the mesh config (accessLogFile: /dev/stdout)`. */
  source: string;
  rules: AccessLogRule[];
  /** The target object itself (meshbot will replace its `accessLogging` while on). */
  replaced: boolean;
}

export interface PreflightInput {
  api: LoggingApi;
  namespace: string;
  mesh: boolean;
  workload?: WorkloadSelector | undefined;
  mode: LoggingMode;
  provider: string;
  filter?: string | undefined;
  meshConfig: MeshConfigFact;
  /** Undefined: pods were not looked at (no cluster reader, or `--mesh`). */
  pods?: PodsFact | undefined;
  existing?: ExistingLogging | undefined;
}

const MODE_OF: Record<LoggingMode, AccessLogRule['mode']> = {
  client: 'CLIENT',
  server: 'SERVER',
  both: 'CLIENT_AND_SERVER',
};

function listed(names: readonly string[], max = 8): string {
  const shown = names.slice(0, max).join(', ');
  return names.length > max ? `${shown} (+${names.length - max} more)` : shown;
}

export function checkProvider(
  input: Pick<PreflightInput, 'api' | 'provider' | 'meshConfig'>,
): PreflightCheck {
  const { provider, meshConfig } = input;
  if (input.api.kind === 'EnvoyFilter') {
    return {
      check: 'provider',
      outcome: 'ok',
      message: 'EnvoyFilter writes a file access log to /dev/stdout',
    };
  }
  if (!meshConfig.ok) {
    return {
      check: 'provider',
      outcome: provider === BUILT_IN_PROVIDER ? 'ok' : 'warning',
      message:
        provider === BUILT_IN_PROVIDER
          ? `${provider} is built in (the mesh config could not be read: ${meshConfig.reason})`
          : `provider ${provider} was not checked: the mesh config could not be read (${meshConfig.reason})`,
    };
  }
  const providers = meshConfig.info.extensionProviders ?? [];
  const found = providers.find((p) => p.name === provider);
  const where = meshConfig.info.source ?? 'the mesh config';
  if (found === undefined && provider === BUILT_IN_PROVIDER) {
    return {
      check: 'provider',
      outcome: 'ok',
      message: 'envoy is built in (a file access log to /dev/stdout)',
    };
  }
  const known = [
    ...(providers.some((p) => p.name === BUILT_IN_PROVIDER) ? [] : ['envoy (built in, /dev/stdout)']),
    ...providers
      .filter((p) => ACCESS_LOG_PROVIDER_KINDS.includes(p.kind))
      .map((p) => `${p.name} (${p.kind})`),
  ];
  if (found === undefined) {
    if (!meshConfig.info.found) {
      return {
        check: 'provider',
        outcome: 'warning',
        message: `provider ${provider} was not checked: no mesh config ConfigMap was found (${where})`,
      };
    }
    return {
      check: 'provider',
      outcome: 'refused',
      code: 'invalid_argument',
      message: `--provider ${provider} is not in the mesh config (${where}): Istio would ignore the rule and nothing would be logged. Access-log providers there: ${listed(known)}. Pick one, or add ${provider} to meshConfig.extensionProviders first`,
    };
  }
  if (!ACCESS_LOG_PROVIDER_KINDS.includes(found.kind)) {
    return {
      check: 'provider',
      outcome: 'refused',
      code: 'invalid_argument',
      message: `--provider ${provider} is a ${found.kind} provider in the mesh config (${where}), not an access-log provider. Access-log providers there: ${listed(known)}`,
    };
  }
  return {
    check: 'provider',
    outcome: 'ok',
    message: `${provider} is an access-log provider (${found.kind}) in ${where}`,
  };
}

export function checkFilter(filter: string | undefined): PreflightCheck {
  if (filter === undefined) return { check: 'filter', outcome: 'skipped', message: 'no --filter' };
  const check = checkCelSyntax(filter);
  return check.ok
    ? { check: 'filter', outcome: 'ok', message: 'the filter is valid CEL' }
    : {
        check: 'filter',
        outcome: 'refused',
        code: 'invalid_argument',
        message: describeCelProblem(filter, check),
      };
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** The workload selector matches a pod; the pods that will log have a proxy (or are in ambient mode). */
export function checkPods(input: Pick<PreflightInput, 'namespace' | 'workload' | 'pods'>): PreflightCheck[] {
  const { namespace, workload, pods } = input;
  if (pods === undefined) return [];
  if (!pods.ok) {
    return [
      {
        check: workload === undefined ? 'injection' : 'workload',
        outcome: 'warning',
        message: `could not list pods in ${namespace} (${pods.reason}): ${workload === undefined ? 'sidecar injection was' : 'the workload selector and sidecar injection were'} not checked`,
      },
    ];
  }
  const checks: PreflightCheck[] = [];
  let relevant = pods.pods;
  let whose = `in ${namespace}`;
  if (workload !== undefined) {
    const selector = `${workload.label}=${workload.value}`;
    relevant = pods.pods.filter((p) => p.labels[workload.label] === workload.value);
    if (relevant.length === 0) {
      const values = [
        ...new Set(pods.pods.map((p) => p.labels[workload.label]).filter((v) => v !== undefined)),
      ].sort();
      const there =
        pods.pods.length === 0
          ? `namespace ${namespace} has no pods`
          : `pods there: ${listed(pods.pods.map((p) => p.name))}${values.length > 0 ? `; values of ${workload.label} there: ${listed(values)}` : `; none has the label ${workload.label}`}`;
      checks.push({
        check: 'workload',
        outcome: 'refused',
        code: 'target_not_found',
        message: `no pod in ${namespace} matches --workload ${selector}, so nothing would log (${there}). Check the label with kubectl get pods -n ${namespace} --show-labels, or leave out --workload to log the whole namespace`,
      });
      return checks;
    }
    checks.push({
      check: 'workload',
      outcome: 'ok',
      message: `${selector} matches ${plural(relevant.length, 'pod')} in ${namespace}`,
    });
    whose = `matching ${selector}`;
  }
  if (relevant.length === 0) {
    checks.push({
      check: 'injection',
      outcome: 'warning',
      message: `namespace ${namespace} has no pods yet: logging applies to pods with an Istio proxy started while it is on`,
    });
    return checks;
  }
  const meshed = relevant.filter((p) => p.proxy || p.ambient || pods.ambientNamespace);
  const bare = relevant.filter((p) => !(p.proxy || p.ambient || pods.ambientNamespace));
  if (meshed.length === 0) {
    checks.push({
      check: 'injection',
      outcome: 'warning',
      message: `none of the ${plural(relevant.length, 'pod')} ${whose} has an Istio proxy (no istio-proxy sidecar) and ${namespace} is not in ambient mode, so nothing will log until they are injected: kubectl label namespace ${namespace} istio-injection=enabled, then restart them. Logging applies to pods injected later`,
    });
  } else if (bare.length > 0) {
    checks.push({
      check: 'injection',
      outcome: 'warning',
      message: `${bare.length} of ${plural(relevant.length, 'pod')} ${whose} have no Istio proxy and will not log: ${listed(
        bare.map((p) => p.name),
        5,
      )}`,
    });
  } else {
    const how = relevant.every((p) => p.proxy) ? 'an Istio proxy' : 'an Istio proxy or ambient mode';
    checks.push({
      check: 'injection',
      outcome: 'ok',
      message: `${plural(relevant.length, 'pod')} ${whose} ${relevant.length === 1 ? 'has' : 'have'} ${how}`,
    });
  }
  return checks;
}

// ---- what logs already, and whether the new rule narrows it ----------------------------------------

/** The access-log rules of a Telemetry; undefined when it sets no `accessLogging` (it then inherits). */
export function accessLogRulesOf(object: JsonMap): AccessLogRule[] | undefined {
  const raw = specOf(object).accessLogging;
  if (!Array.isArray(raw)) return undefined;
  return raw.map((r) => {
    const rule = asMap(r) ?? {};
    const providers = Array.isArray(rule.providers)
      ? rule.providers.map((p) => String(asMap(p)?.name ?? '')).filter((p) => p !== '')
      : [];
    const mode = String(asMap(rule.match)?.mode ?? 'CLIENT_AND_SERVER');
    const expression = asMap(rule.filter)?.expression;
    return {
      providers,
      mode: mode === 'CLIENT' || mode === 'SERVER' ? mode : 'CLIENT_AND_SERVER',
      filter: typeof expression === 'string' ? expression : undefined,
      disabled: rule.disabled === true,
    };
  });
}

function describe(object: JsonMap, scope: string): string {
  return `Telemetry ${namespaceOf(object)}/${nameOf(object)} (${scope})`;
}

/** The oldest selector-less Telemetry that sets `accessLogging` (Istio honours the oldest one). */
function namespaceRule(objects: readonly JsonMap[]): JsonMap | undefined {
  return objects.filter((o) => isNamespaceWide(o) && accessLogRulesOf(o) !== undefined).sort(byAge)[0];
}

/**
 * What decides access logging for the target today, most specific first: a Telemetry that is the target
 * itself (patched in place; meshbot's own is renewed, so it does not count), the namespace-wide Telemetry
 * (for a workload), the root namespace's, then the mesh config's `accessLogFile`. A broader rule counts
 * whoever made it: meshbot's own namespace-wide rule is not replaced by a workload rule, which narrows it
 * all the same. Telemetry API only.
 */
export function existingLogging(input: {
  namespace: string;
  workload?: WorkloadSelector | undefined;
  /** The object `enable-logging` will patch, if any. */
  target?: JsonMap | undefined;
  namespaceObjects: readonly JsonMap[];
  rootNamespace: string;
  rootObjects: readonly JsonMap[];
  meshConfig?: MeshConfigInfo | undefined;
}): ExistingLogging | undefined {
  const target = input.target;
  const others = (objects: readonly JsonMap[]) =>
    objects.filter(
      (o) => target === undefined || nameOf(o) !== nameOf(target) || namespaceOf(o) !== namespaceOf(target),
    );
  if (target !== undefined && managementOf(target).kind === 'none') {
    const rules = accessLogRulesOf(target);
    if (rules !== undefined) {
      const scope =
        input.workload === undefined
          ? 'namespace-wide'
          : Object.entries(selectorLabelsOf(target))
              .map(([k, v]) => `${k}=${v}`)
              .join(',');
      return { source: describe(target, scope), rules, replaced: true };
    }
  }
  if (input.workload !== undefined && input.namespace !== input.rootNamespace) {
    const wide = namespaceRule(others(input.namespaceObjects));
    if (wide !== undefined) {
      return {
        source: describe(wide, 'namespace-wide'),
        rules: accessLogRulesOf(wide) ?? [],
        replaced: false,
      };
    }
  }
  if (input.namespace !== input.rootNamespace || input.workload !== undefined) {
    const root = namespaceRule(others(input.rootObjects));
    if (root !== undefined) {
      return { source: describe(root, 'mesh-wide'), rules: accessLogRulesOf(root) ?? [], replaced: false };
    }
  }
  const file = input.meshConfig?.accessLogFile;
  if (file !== undefined) {
    return {
      source: `the mesh config (accessLogFile: ${file})`,
      rules: [{ providers: [BUILT_IN_PROVIDER], mode: 'CLIENT_AND_SERVER', disabled: false }],
      replaced: false,
    };
  }
  return undefined;
}

const SIDES: Record<AccessLogRule['mode'], readonly string[]> = {
  CLIENT_AND_SERVER: ['client', 'server'],
  CLIENT: ['client'],
  SERVER: ['server'],
};

/** Warns when the new rule logs less than what applies today: Istio uses only the most specific rule. */
export function checkNarrowing(
  input: Pick<
    PreflightInput,
    'api' | 'workload' | 'namespace' | 'mode' | 'provider' | 'filter' | 'existing'
  > & {
    mesh?: boolean | undefined;
  },
): PreflightCheck {
  const existing = input.existing;
  if (input.api.kind !== 'Telemetry' || existing === undefined) {
    return { check: 'narrowing', outcome: 'ok', message: 'no broader rule logs here today' };
  }
  const enabled = existing.rules.filter((r) => !r.disabled);
  if (enabled.length === 0) {
    return { check: 'narrowing', outcome: 'ok', message: `${existing.source} switches access logging off` };
  }
  const lost: string[] = [];
  const sides = new Set(SIDES[MODE_OF[input.mode]]);
  const lostSides = [...new Set(enabled.flatMap((r) => SIDES[r.mode]))].filter((s) => !sides.has(s));
  for (const side of lostSides) lost.push(`the ${side} side`);
  const lostProviders = [
    ...new Set(
      enabled.flatMap((r) => (r.providers.length === 0 ? ['the mesh default providers'] : r.providers)),
    ),
  ].filter((p) => p !== input.provider);
  if (lostProviders.length > 0) lost.push(`the logs sent to ${lostProviders.join(', ')}`);
  if (input.filter !== undefined) {
    const unfiltered = enabled.some((r) => r.filter === undefined);
    const others = enabled.map((r) => r.filter).filter((f) => f !== undefined && f !== input.filter);
    if (unfiltered) lost.push('every request that does not match the filter');
    else if (others.length > 0) lost.push(`requests matching its own filter (${others[0]})`);
  }
  if (lost.length === 0) {
    return { check: 'narrowing', outcome: 'ok', message: `${existing.source} logs no more than this rule` };
  }
  const target =
    input.workload !== undefined
      ? `${input.workload.label}=${input.workload.value}`
      : input.mesh === true
        ? 'the whole mesh'
        : `namespace ${input.namespace}`;
  const how = existing.replaced
    ? `meshbot replaces its accessLogging with this rule until it expires`
    : `Istio applies only the most specific Telemetry's accessLogging, so while this is on it replaces that rule there`;
  return {
    check: 'narrowing',
    outcome: 'warning',
    message: `${existing.source} already logs ${target}; ${how}, which stops logging ${lost.join(' and ')}. To log more rather than less, drop --filter/--mode or use the same provider`,
  };
}

/** Every check, in a fixed order. */
export function runPreflight(input: PreflightInput): PreflightCheck[] {
  return [checkProvider(input), checkFilter(input.filter), ...checkPods(input), checkNarrowing(input)];
}

/** The refusal of a failed preflight (every refused check's reason), or undefined. */
export function preflightRefusal(checks: readonly PreflightCheck[]): MeshbotError | undefined {
  const refused = checks.filter((c) => c.outcome === 'refused');
  const first = refused[0];
  if (first === undefined) return undefined;
  return new MeshbotError(first.code ?? 'invalid_argument', refused.map((c) => c.message).join('; also: '), {
    refused: refused.map((c) => c.check),
  });
}
