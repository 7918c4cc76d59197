/** The simulated cluster behind the fake API server: stored objects, CRDs, pod logs, and the seeding API. */
import { loadCrd } from './crd-schema.js';
import { recordUpdate } from './field-ownership.js';
import { type IstioGroupVersions, istioCrdsFor, istioGroupVersions } from './istio-crds.js';
import {
  cloneJson,
  getPath,
  isJsonObject,
  type JsonObject,
  objectAt,
  stringMap,
  toJsonObject,
} from './json.js';
import { parseLabelSelector } from './label-selector.js';
import { nameSuffix } from './name-suffix.js';
import { ObjectStore } from './object-store.js';
import { type LogLine, type LogQuery, PodLogStore } from './pod-logs.js';
import { buildPod, type PodSeed } from './pod-seed.js';
import { ResourceRegistry } from './resource-registry.js';
import { apiVersionOf, type ResourceType } from './resource-types.js';
import {
  buildEndpointSlice,
  buildEndpoints,
  buildService,
  type EndpointSliceSeed,
  type ServiceSeed,
} from './service-seed.js';
import { qualifiedKind } from './status.js';
import {
  buildWorkload,
  podNamesFor,
  templateHash,
  type WorkloadKind,
  type WorkloadSeed,
} from './workload-seed.js';

export interface SeededWorkload {
  workload: JsonObject;
  replicaSet?: JsonObject;
  pods: JsonObject[];
}

export interface SeedOptions {
  /** Validate against the CRD schema / ObjectMeta rules and throw when invalid (default true). */
  validate?: boolean;
}

export type LogLines = readonly LogLine[] | ((query: LogQuery) => Iterable<LogLine>);

const SEED_MANAGER = 'fake-apiserver-seed';

export class ClusterState {
  readonly store: ObjectStore;
  readonly registry: ResourceRegistry;
  readonly logs = new PodLogStore();
  /** The server clock: `sinceSeconds` and creation timestamps are relative to it. */
  readonly now: () => Date;
  private ipCounter = 10;

  constructor(now: () => Date) {
    this.now = now;
    this.store = new ObjectStore(now);
    this.registry = new ResourceRegistry(this.store);
  }

  private typeFor(apiVersion: string, resource: string): { type: ResourceType; version: string } {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
    const type = this.registry.find(group ?? '', version ?? '', resource);
    if (!type || version === undefined)
      throw new Error(`the fake API server does not serve ${resource} in ${apiVersion}`);
    return { type, version };
  }

  /** Creates or replaces any object (`apiVersion` like `v1`, `apps/v1`, `telemetry.istio.io/v1`). Returns a copy. */
  addObject(apiVersion: string, resource: string, object: object, options: SeedOptions = {}): JsonObject {
    const { type, version } = this.typeFor(apiVersion, resource);
    const copy = toJsonObject(object);
    copy.apiVersion = apiVersionOf(type.group, version);
    copy.kind = type.kind;
    const metadata = objectAt(copy, 'metadata');
    const name = String(metadata.name ?? '');
    const namespace = type.namespaced ? String(metadata.namespace ?? 'default') : '';
    if (type.namespaced) {
      metadata.namespace = namespace;
      if (!this.store.get('', 'namespaces', '', namespace)) this.addNamespace(namespace);
    }
    if (options.validate !== false) {
      const causes = this.registry.validate(type, version, copy);
      if (causes.length > 0) {
        const list = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message)).join('; ');
        throw new Error(`seeded ${qualifiedKind(type)} "${name}" is invalid: ${list}`);
      }
    }
    const previous = this.store.get(type.group, type.resource, namespace, name);
    const entry = previous
      ? this.store.update(type.group, type.resource, namespace, previous, copy)
      : this.store.create(type.group, type.resource, namespace, copy, new Map());
    recordUpdate(entry.owners, SEED_MANAGER, copy.apiVersion, previous?.object, entry.object);
    return cloneJson(entry.object);
  }

  getObject(
    apiVersion: string,
    resource: string,
    namespace: string | undefined,
    name: string,
  ): JsonObject | undefined {
    const { type } = this.typeFor(apiVersion, resource);
    const entry = this.store.get(type.group, type.resource, type.namespaced ? (namespace ?? '') : '', name);
    return entry ? cloneJson(entry.object) : undefined;
  }

  listObjects(apiVersion: string, resource: string, namespace?: string): JsonObject[] {
    const { type } = this.typeFor(apiVersion, resource);
    return this.store
      .list(type.group, type.resource, type.namespaced ? namespace : undefined)
      .map((e) => cloneJson(e.object));
  }

  deleteObject(apiVersion: string, resource: string, namespace: string | undefined, name: string): boolean {
    const { type } = this.typeFor(apiVersion, resource);
    const deleted = this.store.delete(
      type.group,
      type.resource,
      type.namespaced ? (namespace ?? '') : '',
      name,
    );
    if (deleted && type.resource === 'pods' && type.group === '') this.logs.deletePod(namespace ?? '', name);
    if (deleted && type.resource === 'namespaces' && type.group === '')
      this.store.deleteNamespaceContents(name);
    return deleted !== undefined;
  }

  addNamespace(name: string, labels: Record<string, string> = {}): JsonObject {
    return this.addObject('v1', 'namespaces', {
      metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...labels } },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
  }

  private nextIp(prefix: string): string {
    const n = this.ipCounter++;
    return `${prefix}.${Math.floor(n / 250) % 250}.${(n % 250) + 1}`;
  }

  addPod(seed: PodSeed): JsonObject {
    return this.addObject('v1', 'pods', buildPod(seed, this.now(), this.nextIp('10.244')));
  }

  addConfigMap(namespace: string, name: string, data: Record<string, string>): JsonObject {
    return this.addObject('v1', 'configmaps', { metadata: { name, namespace }, data });
  }

  /** The `istio` ConfigMap in istio-system holding the mesh config YAML under `mesh`. */
  addMeshConfig(meshYaml: string, namespace = 'istio-system'): JsonObject {
    return this.addConfigMap(namespace, 'istio', { mesh: meshYaml, meshNetworks: 'networks: {}' });
  }

  private addWorkload(kind: WorkloadKind, resource: string, seed: WorkloadSeed): SeededWorkload {
    const workload = this.addObject('apps/v1', resource, buildWorkload(kind, seed));
    const result: SeededWorkload = { workload, pods: [] };
    if (!seed.createPods) return result;
    let owner = {
      apiVersion: 'apps/v1',
      kind,
      name: seed.name,
      uid: String(getPath(workload, ['metadata', 'uid'])),
    };
    let template = workload;
    let podSeed = seed;
    let podKind: WorkloadKind = kind;
    if (kind === 'Deployment') {
      const hash = templateHash(seed);
      const rsName = `${seed.name}-${hash}`;
      const selector = stringMap(getPath(workload, ['spec', 'selector', 'matchLabels']));
      const replicaSet = this.addObject(
        'apps/v1',
        'replicasets',
        buildWorkload('ReplicaSet', { ...seed, name: rsName, selector }, owner, hash),
      );
      result.replicaSet = replicaSet;
      owner = {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        name: rsName,
        uid: String(getPath(replicaSet, ['metadata', 'uid'])),
      };
      template = replicaSet;
      podSeed = { ...seed, name: rsName };
      podKind = 'ReplicaSet';
    }
    const templateLabels = stringMap(getPath(template, ['spec', 'template', 'metadata', 'labels']));
    for (const { name, labels } of podNamesFor(podKind, podSeed)) {
      const pod = this.addPod({
        ...seed.podSeed,
        namespace: seed.namespace,
        name,
        labels: { ...templateLabels, ...seed.podSeed?.labels, ...labels },
        ...(seed.containers ? { containers: seed.containers } : {}),
        ...(seed.istio !== undefined ? { istio: seed.istio } : {}),
        ownerReferences: [{ ...owner, controller: true, blockOwnerDeletion: true }],
      });
      result.pods.push(pod);
    }
    return result;
  }

  addDeployment(seed: WorkloadSeed): SeededWorkload {
    return this.addWorkload('Deployment', 'deployments', seed);
  }

  addStatefulSet(seed: WorkloadSeed): SeededWorkload {
    return this.addWorkload('StatefulSet', 'statefulsets', seed);
  }

  addDaemonSet(seed: WorkloadSeed): SeededWorkload {
    return this.addWorkload('DaemonSet', 'daemonsets', seed);
  }

  addReplicaSet(seed: WorkloadSeed): SeededWorkload {
    return this.addWorkload('ReplicaSet', 'replicasets', seed);
  }

  addService(seed: ServiceSeed): JsonObject {
    return this.addObject('v1', 'services', buildService(seed, this.nextIp('10.96')));
  }

  /** Adds an EndpointSlice (label `kubernetes.io/service-name`) and the matching legacy Endpoints object. */
  addEndpointSlice(seed: EndpointSliceSeed): JsonObject {
    const name = seed.name ?? `${seed.service}-${nameSuffix(`${seed.namespace}/${seed.service}`, 5)}`;
    this.addObject('v1', 'endpoints', buildEndpoints(seed));
    return this.addObject('discovery.k8s.io/v1', 'endpointslices', buildEndpointSlice(seed, name));
  }

  /** Builds the EndpointSlice of a service from the pods its selector matches. */
  addEndpointsForService(namespace: string, service: string): JsonObject {
    const svc = this.getObject('v1', 'services', namespace, service);
    if (!svc) throw new Error(`service ${namespace}/${service} is not seeded`);
    const selector = stringMap(getPath(svc, ['spec', 'selector']));
    const match = parseLabelSelector(
      Object.entries(selector)
        .map(([k, v]) => `${k}=${v}`)
        .join(','),
    );
    const pods =
      Object.keys(selector).length === 0
        ? []
        : this.listObjects('v1', 'pods', namespace).filter((p) =>
            match(stringMap(getPath(p, ['metadata', 'labels']))),
          );
    const svcPorts = getPath(svc, ['spec', 'ports']);
    const ports = (Array.isArray(svcPorts) ? svcPorts.filter(isJsonObject) : []).map((p) => {
      const target = p.targetPort ?? p.port;
      return {
        ...(typeof p.name === 'string' ? { name: p.name } : {}),
        port: typeof target === 'number' ? target : Number(p.port),
        protocol: 'TCP' as const,
      };
    });
    return this.addEndpointSlice({
      namespace,
      service,
      ports,
      endpoints: pods.map((p) => ({
        ip: String(getPath(p, ['status', 'podIP'])),
        podName: String(getPath(p, ['metadata', 'name'])),
        nodeName: String(getPath(p, ['spec', 'nodeName'])),
        ready: getPath(p, ['status', 'phase']) === 'Running',
      })),
    });
  }

  /** Seeds a custom object of a served CRD (validated against its schema unless `validate: false`). */
  addCustomObject(
    group: string,
    version: string,
    plural: string,
    object: object,
    options: SeedOptions = {},
  ): JsonObject {
    return this.addObject(apiVersionOf(group, version), plural, object, options);
  }

  /**
   * Sets a container's log: an array of lines, or a function called on every read with the server time
   * (and the since/tail options, as hints). `previous: true` sets the previous instance's log and marks the
   * container as restarted so `previous=true` reads are valid.
   */
  setPodLog(
    namespace: string,
    pod: string,
    container: string,
    lines: LogLines,
    options: { previous?: boolean } = {},
  ): void {
    const previous = options.previous ?? false;
    this.logs.set(namespace, pod, container, lines, previous);
    if (previous) this.markRestarted(namespace, pod, container);
  }

  appendPodLog(namespace: string, pod: string, container: string, lines: readonly LogLine[]): void {
    this.logs.append(namespace, pod, container, lines);
  }

  private markRestarted(namespace: string, pod: string, container: string): void {
    const object = this.getObject('v1', 'pods', namespace, pod);
    if (!object) return;
    let changed = false;
    for (const field of ['containerStatuses', 'initContainerStatuses']) {
      const list = getPath(object, ['status', field]);
      if (!Array.isArray(list)) continue;
      for (const status of list) {
        if (
          !isJsonObject(status) ||
          status.name !== container ||
          isJsonObject(getPath(status, ['lastState', 'terminated']))
        )
          continue;
        const at = this.now()
          .toISOString()
          .replace(/\.\d+Z$/, 'Z');
        status.lastState = {
          terminated: {
            exitCode: 137,
            reason: 'OOMKilled',
            startedAt: at,
            finishedAt: at,
            containerID: `containerd://${'f'.repeat(64)}`,
          },
        };
        status.restartCount = Math.max(1, typeof status.restartCount === 'number' ? status.restartCount : 0);
        changed = true;
      }
    }
    if (changed) this.addObject('v1', 'pods', object, { validate: false });
  }

  /** Registers a CRD (object or YAML path); its resources are served and validated against its schema. */
  registerCrd(crd: object | string): JsonObject {
    const object = typeof crd === 'string' ? loadCrd(crd) : toJsonObject(crd);
    const entry = this.addObject('apiextensions.k8s.io/v1', 'customresourcedefinitions', object, {
      validate: false,
    });
    return entry;
  }

  /** Removes a CRD by name (e.g. `telemetries.telemetry.istio.io`) and every object of it. */
  removeCrd(name: string): void {
    const crd = this.store.get('apiextensions.k8s.io', 'customresourcedefinitions', '', name);
    if (!crd) return;
    const spec = crd.object.spec;
    this.store.delete('apiextensions.k8s.io', 'customresourcedefinitions', '', name);
    if (isJsonObject(spec) && isJsonObject(spec.names))
      this.store.dropResource(String(spec.group), String(spec.names.plural));
  }

  /**
   * Models an Istio release's CRDs: `'none'`, `'1.10'` (no telemetry group, EnvoyFilter only), `'1.11'`–`'1.21'`
   * (telemetry v1alpha1), `'1.22'`+ (v1 and v1alpha1); or an explicit group → versions map.
   */
  setIstioVersions(istio: string | IstioGroupVersions): void {
    const groupVersions = typeof istio === 'string' ? istioGroupVersions(istio) : istio;
    const wanted = istioCrdsFor(groupVersions);
    const wantedNames = new Set(wanted.map((c) => String(getPath(c, ['metadata', 'name']))));
    for (const crd of this.registry.crds()) {
      const name = String(getPath(crd, ['metadata', 'name']));
      if (name.endsWith('.istio.io') && !wantedNames.has(name)) this.removeCrd(name);
    }
    for (const crd of wanted) this.registerCrd(crd);
  }
}
