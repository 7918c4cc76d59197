/**
 * deploy/ as `kubectl apply -k` would send it: every object valid against the Kubernetes schemas (no unknown
 * field either), the Deployment hardened and probed as the issue asks, its environment exactly what
 * `meshbot serve` reads and valid for it, and the read-only variant unable to change Istio config.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readBotConfig } from '../../src/core/config.js';
import { type K8sObject, only, parseYamlObjects, readRepoFile, renderKustomize } from './deploy-files.js';
import { schemaProblems, unknownFields } from './validate-object.js';

interface Container {
  name: string;
  image: string;
  args?: string[];
  ports: { name: string; containerPort: number }[];
  env: { name: string; value?: string; valueFrom?: Record<string, Record<string, unknown>> }[];
  envFrom: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  startupProbe?: { httpGet: { path: string; port: string | number } };
  livenessProbe: { httpGet: { path: string; port: string | number } };
  readinessProbe: { httpGet: { path: string; port: string | number } };
  resources: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext: Record<string, unknown>;
}
interface Deployment extends K8sObject {
  spec: {
    replicas: number;
    selector: { matchLabels: Record<string, string> };
    template: {
      metadata: { labels: Record<string, string> };
      spec: {
        serviceAccountName: string;
        terminationGracePeriodSeconds: number;
        securityContext: Record<string, unknown>;
        containers: Container[];
      };
    };
  };
}
interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
  verbs: string[];
}

const base = renderKustomize('deploy');
const readOnly = renderKustomize('deploy/read-only');
const deployment = only<Deployment>(base, 'Deployment', 'meshbot');
const container = deployment.spec.template.spec.containers[0] as Container;
const configMap = only<K8sObject & { data: Record<string, string> }>(base, 'ConfigMap', 'meshbot');
const secretExample = parseYamlObjects(readRepoFile('deploy/slack-secret.example.yaml'));
const pkg = JSON.parse(readRepoFile('package.json')) as { version: string };

/** The variables readBotConfig reads: its SOURCES table's `env` lists, and MESHBOT_CONFIG_FILE. */
function configVariables(): Set<string> {
  const source = readFileSync(new URL('../../src/core/config.ts', import.meta.url), 'utf8');
  const table = /const SOURCES = \{([\s\S]*?)\n\} as const/.exec(source)?.[1] ?? '';
  const names = [...table.matchAll(/env: \[([^\]]*)\]/g)].flatMap((m) =>
    [...(m[1] ?? '').matchAll(/'([A-Z_]+)'/g)].map((n) => n[1] as string),
  );
  return new Set([...names, 'MESHBOT_CONFIG_FILE']);
}

/** The environment the container gets, with the Secret example's values and the pod's own fields. */
function containerEnv(secretData: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const from of container.envFrom) {
    if (from.configMapRef?.name === configMap.metadata.name) Object.assign(env, configMap.data);
    else throw new Error(`envFrom of something other than the meshbot ConfigMap: ${JSON.stringify(from)}`);
  }
  for (const variable of container.env) {
    const ref = variable.valueFrom;
    if (variable.value !== undefined) env[variable.name] = variable.value;
    else if (ref?.fieldRef?.fieldPath === 'metadata.namespace') env[variable.name] = 'meshbot';
    else if (ref?.fieldRef?.fieldPath === 'metadata.name') env[variable.name] = 'meshbot-7d9c5b-x2x8p';
    else if (ref?.secretKeyRef !== undefined) {
      const value = secretData[String(ref.secretKeyRef.key)];
      if (value !== undefined) env[variable.name] = value;
      else if (ref.secretKeyRef.optional !== true) throw new Error(`${variable.name}: required key missing`);
    } else throw new Error(`${variable.name}: an env source the test does not know`);
  }
  return env;
}

describe('kubectl kustomize deploy/', () => {
  it.each([
    ['deploy/', base],
    ['deploy/read-only/', readOnly],
    ['deploy/slack-secret.example.yaml', secretExample],
  ])(
    '%s: every object is valid against the Kubernetes schemas, with no unknown field',
    async (_, objects) => {
      expect(objects.length).toBeGreaterThan(0);
      for (const object of objects) {
        expect({
          object: `${object.kind}/${object.metadata.name}`,
          problems: await schemaProblems(object),
        }).toEqual({
          object: `${object.kind}/${object.metadata.name}`,
          problems: [],
        });
        expect(unknownFields(object)).toEqual([]);
      }
    },
  );

  it('the validation catches a misspelt field and a wrong type (it would fail on a broken manifest)', async () => {
    const broken = structuredClone(deployment);
    const spec = broken.spec.template.spec;
    (spec.containers[0] as Container).securityContext = { readOnlyRootFileSystem: true, runAsNonRoot: 'yes' };
    expect(unknownFields(broken)).toEqual([
      'Deployment.spec.template.spec.containers[0].securityContext.readOnlyRootFileSystem',
    ]);
    expect((await schemaProblems(broken)).join('\n')).toContain('runAsNonRoot must be boolean');
  });

  it('has every part the issue lists', () => {
    const kinds = base.map((o) => `${o.kind}/${o.metadata.name}`).sort();
    expect(kinds).toEqual(
      [
        'ClusterRole/meshbot',
        'ClusterRole/meshbot-logging',
        'ClusterRoleBinding/meshbot',
        'ClusterRoleBinding/meshbot-logging',
        'ConfigMap/meshbot',
        'Deployment/meshbot',
        'Namespace/meshbot',
        'PodDisruptionBudget/meshbot',
        'Role/meshbot-leader-election',
        'Role/meshbot-mesh-config',
        'RoleBinding/meshbot-leader-election',
        'RoleBinding/meshbot-mesh-config',
        'Service/meshbot',
        'ServiceAccount/meshbot',
      ].sort(),
    );
    for (const o of base) {
      if (o.kind.startsWith('Cluster') || o.kind === 'Namespace')
        expect(o.metadata.namespace).toBeUndefined();
      else
        expect([o.kind, o.metadata.namespace]).toEqual([
          o.kind,
          o.metadata.name.includes('mesh-config') ? 'istio-system' : 'meshbot',
        ]);
    }
  });

  it('runs 2 replicas of the image of this version, as the meshbot service account, serving', () => {
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.template.spec.serviceAccountName).toBe('meshbot');
    expect(container.image).toBe(`meshbot:${pkg.version}`);
    expect(container.args).toEqual(['serve']);
    expect(deployment.spec.template.metadata.labels).toMatchObject(deployment.spec.selector.matchLabels);
  });

  it('is hardened: non-root, read-only root filesystem, no privilege escalation, no capabilities, RuntimeDefault seccomp', () => {
    expect(deployment.spec.template.spec.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(deployment.spec.template.spec.securityContext.runAsUser).not.toBe(0);
    expect(container.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container.securityContext.capabilities).not.toHaveProperty('add');
    expect(container.resources.requests).toMatchObject({
      cpu: expect.any(String),
      memory: expect.any(String),
    });
    expect(container.resources.limits).toMatchObject({ memory: expect.any(String) });
  });

  it('probes /healthz (liveness, start-up) and /readyz (readiness) on the port meshbot listens on', () => {
    const port = container.ports.find((p) => p.name === 'http');
    expect(port?.containerPort).toBe(Number(configMap.data.PORT));
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(container.startupProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
  });

  it('gives in-flight commands their shutdown timeout before the kill', () => {
    const env = containerEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' });
    const result = readBotConfig(env);
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(deployment.spec.template.spec.terminationGracePeriodSeconds * 1000).toBeGreaterThan(
      result.config.shutdownMs + 5_000,
    );
  });

  it('a Service on that port for /metrics and /slack/events, and a PodDisruptionBudget keeping one replica', () => {
    const service = only<
      K8sObject & {
        spec: { selector: Record<string, string>; ports: { port: number; targetPort: string }[] };
      }
    >(base, 'Service');
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
    expect(service.spec.ports).toEqual([
      { name: 'http', port: Number(configMap.data.PORT), targetPort: 'http' },
    ]);
    const pdb = only<
      K8sObject & { spec: { minAvailable: number; selector: { matchLabels: Record<string, string> } } }
    >(base, 'PodDisruptionBudget');
    expect(pdb.spec.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
    expect(pdb.spec.minAvailable).toBeLessThan(deployment.spec.replicas);
  });
});

describe('the Deployment environment against the configuration schema', () => {
  const known = configVariables();

  it('reads the schema table (the check below would pass on an empty list otherwise)', () => {
    expect(known).toContain('SLACK_BOT_TOKEN');
    expect(known).toContain('MESHBOT_SHUTDOWN_TIMEOUT');
    expect(known.size).toBeGreaterThan(15);
  });

  it('sets only variables meshbot reads', () => {
    const names = [...Object.keys(configMap.data), ...container.env.map((e) => e.name)];
    expect(names.filter((n) => !known.has(n))).toEqual([]);
  });

  it('keeps the tokens out of the ConfigMap: they come from the meshbot-slack Secret', () => {
    for (const secret of ['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'SLACK_SIGNING_SECRET'])
      expect(Object.keys(configMap.data)).not.toContain(secret);
    const refs = container.env.filter((e) => e.valueFrom?.secretKeyRef !== undefined);
    expect(
      refs.map((e) => [e.name, e.valueFrom?.secretKeyRef?.name, e.valueFrom?.secretKeyRef?.key]),
    ).toEqual([
      ['SLACK_BOT_TOKEN', 'meshbot-slack', 'SLACK_BOT_TOKEN'],
      ['SLACK_APP_TOKEN', 'meshbot-slack', 'SLACK_APP_TOKEN'],
      ['SLACK_SIGNING_SECRET', 'meshbot-slack', 'SLACK_SIGNING_SECRET'],
    ]);
    const example = only<K8sObject & { stringData: Record<string, string> }>(
      secretExample,
      'Secret',
      'meshbot-slack',
    );
    expect(example.metadata.namespace).toBe(deployment.metadata.namespace);
  });

  it('with the Secret example filled in, is a valid Socket Mode configuration whose Lease is in the pod namespace', () => {
    const example = only<K8sObject & { stringData: Record<string, string> }>(secretExample, 'Secret');
    const result = readBotConfig(containerEnv(example.stringData));
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.config).toMatchObject({
      mode: 'socket',
      port: 3000,
      leaseNamespace: 'meshbot',
      identity: 'meshbot-7d9c5b-x2x8p',
      admins: { users: [], groups: [] },
    });
  });

  it('in HTTP mode, with only the signing secret, is valid too; a missing token is reported, not crashed on', () => {
    configMap.data.SLACK_MODE = 'http';
    try {
      expect(
        readBotConfig(containerEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' })),
      ).toMatchObject({
        ok: true,
        config: { mode: 'http' },
      });
      expect(readBotConfig(containerEnv({ SLACK_BOT_TOKEN: 'xoxb-1' }))).toMatchObject({
        ok: false,
        problems: [expect.stringContaining('SLACK_SIGNING_SECRET is not set')],
      });
    } finally {
      configMap.data.SLACK_MODE = 'socket';
    }
  });
});

describe('kubectl kustomize deploy/read-only/', () => {
  const rules = (objects: readonly K8sObject[]) =>
    objects
      .filter((o) => o.kind === 'ClusterRole' || o.kind === 'Role')
      .flatMap((o) =>
        ((o as K8sObject & { rules: PolicyRule[] }).rules ?? []).map((r) => ({
          role: o.metadata.name,
          ...r,
        })),
      );
  const READ = new Set(['get', 'list', 'watch']);

  it('cannot change Istio config: no write verb on any *.istio.io resource; only the Lease is written', () => {
    const writes = rules(readOnly).filter((r) => r.verbs.some((v) => !READ.has(v)));
    expect([...new Set(writes.flatMap((r) => r.apiGroups ?? []))]).toEqual(['coordination.k8s.io']);
    expect(
      rules(base)
        .filter((r) => r.verbs.some((v) => !READ.has(v)))
        .flatMap((r) => r.apiGroups ?? []),
    ).toEqual(expect.arrayContaining(['telemetry.istio.io', 'networking.istio.io']));
  });

  it('is the same install otherwise, with nobody an admin', () => {
    const names = (objects: readonly K8sObject[]) =>
      objects.map((o) => `${o.kind}/${o.metadata.name}`).sort();
    expect(names(base).filter((n) => !names(readOnly).includes(n))).toEqual([
      'ClusterRole/meshbot-logging',
      'ClusterRoleBinding/meshbot-logging',
    ]);
    expect(only(readOnly, 'Deployment')).toEqual(deployment);
    expect(only<typeof configMap>(readOnly, 'ConfigMap').data.MESHBOT_ADMINS).toBe('');
  });

  it('deploy/rbac.yaml is the base RBAC itself, not a copy', () => {
    expect(readRepoFile('deploy/rbac.yaml')).toBe(readRepoFile('deploy/base/rbac.yaml'));
    const rbac = parseYamlObjects(readRepoFile('deploy/rbac.yaml'));
    expect(rbac.length).toBe(
      base.filter(
        (o) =>
          o.kind !== 'Namespace' &&
          ['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'].includes(o.kind),
      ).length,
    );
  });
});
