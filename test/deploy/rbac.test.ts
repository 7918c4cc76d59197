/**
 * The RBAC in deploy/base/rbac.yaml against the Kubernetes API calls in src/kubernetes/, both ways: every
 * call has a rule that lets meshbot's service account make it (in the namespace it is made in), and every
 * rule is needed by some call. The calls are found by scanning the source for @kubernetes/client-node API
 * methods and raw API paths; each must be in the table below, so a new call fails this test until its
 * permission is written down here and granted in rbac.yaml.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as k8s from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { type K8sObject, only, renderKustomize } from './deploy-files.js';

/** One permission a call needs. `namespace`/`name` undefined: any (cluster-wide lists, user-chosen names). */
interface Need {
  group: string;
  resource: string;
  verb: string;
  namespace?: string;
  name?: string;
}
interface NonResourceNeed {
  url: string;
  verb: string;
}
type Permission = Need | NonResourceNeed;

const SRC = new URL('../../src/', import.meta.url);
const source = (path: string) => readFileSync(new URL(path, SRC), 'utf8');

/** Where the fixed-name objects live, read from the code so a change there shows here. */
/** The first group of `pattern` in a source file; throws when the code no longer has it. */
function fromSource(path: string, pattern: RegExp): string {
  const found = pattern.exec(source(path))?.[1];
  if (found === undefined) throw new Error(`${path} no longer matches ${pattern}: update this test`);
  return found;
}
const MESH_CONFIG_NAMESPACE = fromSource(
  'kubernetes/parse-mesh-config.ts',
  /DEFAULT_ROOT_NAMESPACE = '([^']+)'/,
);
const MESH_CONFIG_NAME = fromSource('kubernetes/istio-config-client.ts', /meshConfigName \?\? '([^']+)'/);
const LEASE_NAME = fromSource('commands/reconcile-logging.ts', /leaseName \?\? '([^']+)'/);

const objects = renderKustomize('deploy');
const deployment = only(objects, 'Deployment', 'meshbot');
/** The Lease lives in the pod's namespace (POD_NAMESPACE from the Deployment). */
const POD_NAMESPACE = deployment.metadata.namespace ?? 'default';

/** The Istio resources the CustomObjectsApi calls are made for (istio-config-client's `coordinates`). */
const CUSTOM_RESOURCES = [
  { group: 'telemetry.istio.io', resource: 'telemetries' },
  { group: 'networking.istio.io', resource: 'envoyfilters' },
];
const custom = (verb: string): Need[] => CUSTOM_RESOURCES.map((r) => ({ ...r, verb }));
const core = (resource: string, verb: string, more: Partial<Need> = {}): Need[] => [
  { group: '', resource, verb, ...more },
];
const apps = (resource: string, verb: string): Need[] => [{ group: 'apps', resource, verb }];

/** client-node API method → what it needs. Methods that might come next are listed too; only calls found count. */
const METHODS: Record<string, Permission[]> = {
  listNamespace: core('namespaces', 'list'),
  readNamespace: core('namespaces', 'get'),
  listPodForAllNamespaces: core('pods', 'list'),
  listNamespacedPod: core('pods', 'list'),
  readNamespacedPod: core('pods', 'get'),
  readNamespacedPodLog: core('pods/log', 'get'),
  listServiceForAllNamespaces: core('services', 'list'),
  listNamespacedService: core('services', 'list'),
  readNamespacedConfigMap: core('configmaps', 'get', {
    namespace: MESH_CONFIG_NAMESPACE,
    name: MESH_CONFIG_NAME,
  }),
  listDeploymentForAllNamespaces: apps('deployments', 'list'),
  listNamespacedDeployment: apps('deployments', 'list'),
  listStatefulSetForAllNamespaces: apps('statefulsets', 'list'),
  listNamespacedStatefulSet: apps('statefulsets', 'list'),
  listDaemonSetForAllNamespaces: apps('daemonsets', 'list'),
  listNamespacedDaemonSet: apps('daemonsets', 'list'),
  listReplicaSetForAllNamespaces: apps('replicasets', 'list'),
  listNamespacedReplicaSet: apps('replicasets', 'list'),
  getAPIVersions: [{ url: '/apis/', verb: 'get' }],
  getCode: [{ url: '/version', verb: 'get' }],
  listClusterCustomObject: custom('list'),
  listNamespacedCustomObject: custom('list'),
  getNamespacedCustomObject: custom('get'),
  createNamespacedCustomObject: custom('create'),
  patchNamespacedCustomObject: custom('patch'),
  deleteNamespacedCustomObject: custom('delete'),
  readNamespacedLease: [
    {
      group: 'coordination.k8s.io',
      resource: 'leases',
      verb: 'get',
      namespace: POD_NAMESPACE,
      name: LEASE_NAME,
    },
  ],
  createNamespacedLease: [
    { group: 'coordination.k8s.io', resource: 'leases', verb: 'create', namespace: POD_NAMESPACE },
  ],
  replaceNamespacedLease: [
    {
      group: 'coordination.k8s.io',
      resource: 'leases',
      verb: 'update',
      namespace: POD_NAMESPACE,
      name: LEASE_NAME,
    },
  ],
};

/** API paths requested without client-node's API classes (`${…}` written as `{}`) → what they need. */
const RAW_PATHS: Record<string, Permission[]> = {
  // Pod logs are streamed (and searched in their bytes) and pod lists paged as plain JSON (cluster-reader).
  '/api/v1/namespaces/{}/pods/{}/log': core('pods/log', 'get'),
  '/api/v1/namespaces/{}/pods': core('pods', 'list'),
  '/api/v1/pods': core('pods', 'list'),
};

/** Every method of client-node's typed API classes (the generic KubernetesObjectApi is refused below). */
const API_METHODS = new Set(
  Object.entries(k8s)
    .filter(
      ([name, value]) =>
        name.endsWith('Api') && name !== 'KubernetesObjectApi' && typeof value === 'function',
    )
    .flatMap(([, value]) => Object.getOwnPropertyNames((value as { prototype: object }).prototype))
    .filter((name) => name !== 'constructor')
    .map((name) => name.replace(/WithHttpInfo$/, '')),
);

interface Call {
  file: string;
  call: string;
}

function scanCalls(): { methods: Call[]; paths: Call[]; unsupported: Call[] } {
  const dir = new URL('kubernetes/', SRC);
  const methods: Call[] = [];
  const paths: Call[] = [];
  const unsupported: Call[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
    const text = readFileSync(new URL(file, dir), 'utf8');
    for (const m of text.matchAll(/\.(\w+)(?:<[^>(]*>)?\(/g)) {
      const name = (m[1] as string).replace(/WithHttpInfo$/, '');
      if (API_METHODS.has(name)) methods.push({ file, call: name });
    }
    for (const m of text.matchAll(/[`'"](\/apis?\/[^`'"]*)[`'"]/g)) {
      paths.push({ file, call: (m[1] as string).replace(/\$\{[^}]*\}/g, '{}') });
    }
    for (const m of text.matchAll(
      /\b(KubernetesObjectApi|Watch|Log|Exec|Attach|PortForward|Cp|Metrics|makeInformer)\b/g,
    )) {
      if (new RegExp(`k8s\\.${m[1]}\\b`).test(text)) unsupported.push({ file, call: m[1] as string });
    }
  }
  return { methods, paths, unsupported };
}

interface Rule {
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
  verbs: string[];
}
/** A rule as granted to meshbot's service account: where it applies (undefined: every namespace). */
interface Grant extends Rule {
  role: string;
  namespace?: string;
}

function grants(all: readonly K8sObject[]): Grant[] {
  const sa = only(all, 'ServiceAccount', 'meshbot');
  const bindsMeshbot = (b: K8sObject) =>
    (
      (b as K8sObject & { subjects?: { kind: string; name: string; namespace?: string }[] }).subjects ?? []
    ).some(
      (s) =>
        s.kind === 'ServiceAccount' && s.name === sa.metadata.name && s.namespace === sa.metadata.namespace,
    );
  const result: Grant[] = [];
  for (const binding of all.filter((o) => o.kind === 'ClusterRoleBinding' || o.kind === 'RoleBinding')) {
    if (!bindsMeshbot(binding)) continue;
    const ref = (binding as K8sObject & { roleRef: { kind: string; name: string } }).roleRef;
    const role = all.find(
      (o) =>
        o.kind === ref.kind &&
        o.metadata.name === ref.name &&
        (ref.kind === 'ClusterRole' || o.metadata.namespace === binding.metadata.namespace),
    ) as (K8sObject & { rules: Rule[] }) | undefined;
    if (role === undefined)
      throw new Error(`${binding.kind} ${binding.metadata.name} refers to a missing ${ref.kind} ${ref.name}`);
    const namespace = binding.kind === 'RoleBinding' ? binding.metadata.namespace : undefined;
    for (const rule of role.rules)
      result.push({ role: `${ref.kind}/${ref.name}`, ...(namespace ? { namespace } : {}), ...rule });
  }
  return result;
}

function covers(grant: Grant, need: Permission): boolean {
  if (!grant.verbs.includes(need.verb)) return false;
  if ('url' in need) return (grant.nonResourceURLs ?? []).includes(need.url);
  if (!(grant.apiGroups ?? []).includes(need.group) || !(grant.resources ?? []).includes(need.resource))
    return false;
  if (grant.namespace !== undefined && grant.namespace !== need.namespace) return false;
  if (
    grant.resourceNames !== undefined &&
    (need.name === undefined || !grant.resourceNames.includes(need.name))
  )
    return false;
  return true;
}

const describeNeed = (n: Permission) =>
  'url' in n
    ? `${n.verb} ${n.url}`
    : `${n.verb} ${n.resource}${n.group ? `.${n.group}` : ''}${n.namespace ? ` in ${n.namespace}` : ''}${n.name ? ` named ${n.name}` : ''}`;

const scanned = scanCalls();
const needs: { call: string; need: Permission }[] = [
  ...scanned.methods.flatMap(({ call }) => (METHODS[call] ?? []).map((need) => ({ call, need }))),
  ...scanned.paths.flatMap(({ call }) => (RAW_PATHS[call] ?? []).map((need) => ({ call, need }))),
];

describe('RBAC against the API calls meshbot makes', () => {
  it('finds the calls (the checks below would pass on none) and every one is in the table', () => {
    expect(scanned.methods.map((c) => c.call)).toEqual(
      expect.arrayContaining([
        'listNamespacedService',
        'createNamespacedCustomObject',
        'replaceNamespacedLease',
      ]),
    );
    expect(scanned.paths.map((c) => c.call)).toEqual(
      expect.arrayContaining(['/api/v1/namespaces/{}/pods/{}/log', '/api/v1/namespaces/{}/pods']),
    );
    expect(scanned.methods.filter((c) => METHODS[c.call] === undefined)).toEqual([]);
    expect(scanned.paths.filter((c) => RAW_PATHS[c.call] === undefined)).toEqual([]);
    expect(scanned.unsupported).toEqual([]);
    expect([MESH_CONFIG_NAMESPACE, MESH_CONFIG_NAME, LEASE_NAME, POD_NAMESPACE]).toEqual([
      'istio-system',
      'istio',
      'meshbot-reconciler',
      'meshbot',
    ]);
  });

  it('the Istio resources of the custom-object calls are the ones the table lists', () => {
    const client = source('kubernetes/istio-config-client.ts');
    const groups = [...client.matchAll(/_GROUP = '([^']+)'/g)].map((m) => m[1]);
    const plurals = [...client.matchAll(/plural: '([^']+)'/g)].map((m) => m[1]);
    expect({ groups, plurals }).toEqual({
      groups: CUSTOM_RESOURCES.map((r) => r.group),
      plurals: CUSTOM_RESOURCES.map((r) => r.resource),
    });
  });

  const granted = grants(objects);

  it('every call is allowed: a call without a rule fails here', () => {
    const missing = needs.filter(({ need }) => !granted.some((g) => covers(g, need)));
    expect(missing.map(({ call, need }) => `${call}: ${describeNeed(need)}`)).toEqual([]);
  });

  it('every rule is used: a rule (verb, resource, name or URL) without a call fails here', () => {
    const unused: string[] = [];
    for (const grant of granted) {
      for (const verb of grant.verbs) {
        for (const url of grant.nonResourceURLs ?? [])
          if (!needs.some(({ need }) => 'url' in need && need.url === url && need.verb === verb))
            unused.push(`${grant.role}: ${verb} ${url}`);
        for (const group of grant.apiGroups ?? [])
          for (const resource of grant.resources ?? []) {
            const single: Grant = { ...grant, verbs: [verb], apiGroups: [group], resources: [resource] };
            for (const names of grant.resourceNames?.map((n) => [n]) ?? [undefined]) {
              const rule = names === undefined ? single : { ...single, resourceNames: names };
              if (!needs.some(({ need }) => covers(rule, need)))
                unused.push(`${grant.role}: ${verb} ${resource}.${group} ${names ?? ''}`);
            }
          }
      }
    }
    expect(unused).toEqual([]);
  });

  it('never grants secrets or wildcards, and every role is bound to meshbot', () => {
    for (const grant of granted) {
      const words = [
        ...grant.verbs,
        ...(grant.resources ?? []),
        ...(grant.apiGroups ?? []),
        ...(grant.nonResourceURLs ?? []),
      ];
      expect(words.filter((w) => w.includes('*'))).toEqual([]);
      expect(grant.resources ?? []).not.toContain('secrets');
    }
    const roles = objects
      .filter((o) => o.kind === 'ClusterRole' || o.kind === 'Role')
      .map((o) => `${o.kind}/${o.metadata.name}`);
    expect([...new Set(granted.map((g) => g.role))].sort()).toEqual(roles.sort());
  });

  it('the checks fail on a rule too many and on a rule too few', () => {
    const role = only<K8sObject & { rules: Rule[] }>(objects, 'ClusterRole', 'meshbot');
    const extra = objects.map((o) =>
      o === role
        ? { ...role, rules: [...role.rules, { apiGroups: [''], resources: ['pods'], verbs: ['get'] }] }
        : o,
    );
    const extraGrant = grants(extra).find((g) => g.resources?.includes('pods') && g.verbs.includes('get'));
    expect(extraGrant !== undefined && !needs.some(({ need }) => covers(extraGrant, need))).toBe(true);
    const fewer = objects.map((o) =>
      o === role ? { ...role, rules: role.rules.filter((r) => !r.resources?.includes('pods/log')) } : o,
    );
    const fewerGrants = grants(fewer);
    expect(
      needs.filter(({ need }) => !fewerGrants.some((g) => covers(g, need))).map((n) => n.call),
    ).toContain('/api/v1/namespaces/{}/pods/{}/log');
  });
});
