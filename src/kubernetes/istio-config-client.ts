/**
 * @module kubernetes/istio-config-client
 * {@link IstioConfigPort} over @kubernetes/client-node: API discovery of the Istio groups, the mesh
 * config, and Telemetry / EnvoyFilter reads and writes. Every failure becomes a coded MeshbotError that
 * names the verb, resource and namespace; a 409, or a failed JSON-patch `test` on resourceVersion (422),
 * becomes `k8s_conflict` so callers can re-read and retry.
 */
import * as k8s from '@kubernetes/client-node';
import { MeshbotError } from '../core/errors.js';
import type {
  IstioApis,
  IstioConfigPort,
  JsonMap,
  JsonPatchOp,
  LoggingApi,
  MeshConfigInfo,
} from '../istio-logging/logging-port.js';
import { type K8sRequestContext, k8sError, notKubernetesError } from './k8s-error.js';
import { serverOf } from './kube-config.js';
import { DEFAULT_ROOT_NAMESPACE, parseMeshConfig } from './parse-mesh-config.js';
import { answeredLikeNoKubernetes, probeVersion } from './probe-version.js';

const TELEMETRY_GROUP = 'telemetry.istio.io';
const NETWORKING_GROUP = 'networking.istio.io';

interface Coordinates {
  group: string;
  version: string;
  plural: string;
  resource: string;
}

function coordinates(api: LoggingApi): Coordinates {
  return api.kind === 'Telemetry'
    ? {
        group: TELEMETRY_GROUP,
        version: api.version,
        plural: 'telemetries',
        resource: `telemetries.${TELEMETRY_GROUP}`,
      }
    : {
        group: NETWORKING_GROUP,
        version: api.version,
        plural: 'envoyfilters',
        resource: `envoyfilters.${NETWORKING_GROUP}`,
      };
}

function isPatchTestFailure(e: unknown): boolean {
  if (!(e instanceof k8s.ApiException) || e.code !== 422) return false;
  const body: unknown = e.body;
  return typeof body === 'string' && body.includes('test failed');
}

function asJsonMap(value: unknown): JsonMap {
  return typeof value === 'object' && value !== null ? (value as JsonMap) : {};
}

export interface IstioConfigClientOptions {
  /** Where the mesh config lives (default istio-system / istio). */
  meshConfigNamespace?: string;
  meshConfigName?: string;
}

export class IstioConfigClient implements IstioConfigPort {
  readonly server: string;
  private readonly custom: k8s.CustomObjectsApi;
  private readonly apis: k8s.ApisApi;
  private readonly core: k8s.CoreV1Api;
  private readonly meshNamespace: string;
  private readonly meshName: string;
  private readonly kc: k8s.KubeConfig;
  /** `GET /version`, asked at most once, after an answer no Kubernetes API gives. */
  private probe: Promise<string | null> | undefined;

  constructor(kc: k8s.KubeConfig, options: IstioConfigClientOptions = {}) {
    this.kc = kc;
    this.server = serverOf(kc);
    this.custom = kc.makeApiClient(k8s.CustomObjectsApi);
    this.apis = kc.makeApiClient(k8s.ApisApi);
    this.core = kc.makeApiClient(k8s.CoreV1Api);
    this.meshNamespace = options.meshConfigNamespace ?? DEFAULT_ROOT_NAMESPACE;
    this.meshName = options.meshConfigName ?? 'istio';
  }

  private async call<T>(ctx: Omit<K8sRequestContext, 'server'>, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (e) {
      if (isPatchTestFailure(e)) {
        throw new MeshbotError(
          'k8s_conflict',
          `${ctx.resource} "${ctx.name ?? ''}" changed while meshbot was updating it`,
          {
            ...ctx,
            server: this.server,
          },
        );
      }
      if (answeredLikeNoKubernetes(e)) {
        this.probe ??= probeVersion(this.kc);
        const answer = await this.probe;
        if (answer !== null) throw notKubernetesError(this.server, answer, { cause: e });
      }
      throw k8sError(e, { ...ctx, server: this.server });
    }
  }

  async istioApis(): Promise<IstioApis> {
    const list = await this.call({ verb: 'get', resource: 'API discovery (/apis)' }, () =>
      this.apis.getAPIVersions(),
    );
    const versionsOf = (group: string): string[] =>
      list.groups.find((g) => g.name === group)?.versions.map((v) => v.version) ?? [];
    const telemetry = versionsOf(TELEMETRY_GROUP);
    return {
      telemetry: telemetry.includes('v1') ? 'v1' : telemetry.includes('v1alpha1') ? 'v1alpha1' : null,
      envoyFilter: versionsOf(NETWORKING_GROUP).includes('v1alpha3'),
    };
  }

  async meshConfig(revision?: string): Promise<MeshConfigInfo> {
    if (revision !== undefined && revision !== '' && revision !== 'default') {
      const revisioned = await this.readMeshConfig(`${this.meshName}-${revision}`);
      if (revisioned !== null) return revisioned;
    }
    return (await this.readMeshConfig(this.meshName)) ?? parseMeshConfig(undefined);
  }

  /** The named mesh-config ConfigMap, or null when it does not exist. */
  private async readMeshConfig(name: string): Promise<MeshConfigInfo | null> {
    try {
      const cm = await this.core.readNamespacedConfigMap({ name, namespace: this.meshNamespace });
      return parseMeshConfig(cm.data?.mesh ?? '', `${this.meshNamespace}/${name}`);
    } catch (e) {
      if (e instanceof k8s.ApiException && e.code === 404) return null;
      throw k8sError(e, {
        verb: 'get',
        resource: 'configmaps',
        namespace: this.meshNamespace,
        name,
        server: this.server,
      });
    }
  }

  async namespaceExists(name: string): Promise<boolean> {
    try {
      await this.core.readNamespace({ name });
      return true;
    } catch (e) {
      // A 404 from something that is no Kubernetes API is no answer about the namespace.
      if (answeredLikeNoKubernetes(e)) {
        this.probe ??= probeVersion(this.kc);
        const answer = await this.probe;
        if (answer !== null) throw notKubernetesError(this.server, answer, { cause: e });
      }
      if (e instanceof k8s.ApiException && e.code === 404) return false;
      throw k8sError(e, { verb: 'get', resource: 'namespaces', name, server: this.server });
    }
  }

  async list(api: LoggingApi, namespace: string | undefined): Promise<JsonMap[]> {
    const c = coordinates(api);
    const ctx = { verb: 'list', resource: c.resource, namespace };
    const result: unknown = await this.call(ctx, () =>
      namespace === undefined
        ? this.custom.listClusterCustomObject({ group: c.group, version: c.version, plural: c.plural })
        : this.custom.listNamespacedCustomObject({
            group: c.group,
            version: c.version,
            plural: c.plural,
            namespace,
          }),
    );
    const items = asJsonMap(result).items;
    return Array.isArray(items) ? items.map(asJsonMap) : [];
  }

  async get(api: LoggingApi, namespace: string, name: string): Promise<JsonMap | null> {
    const c = coordinates(api);
    try {
      const result: unknown = await this.custom.getNamespacedCustomObject({
        group: c.group,
        version: c.version,
        plural: c.plural,
        namespace,
        name,
      });
      return asJsonMap(result);
    } catch (e) {
      if (e instanceof k8s.ApiException && e.code === 404) return null;
      throw k8sError(e, { verb: 'get', resource: c.resource, namespace, name, server: this.server });
    }
  }

  async create(api: LoggingApi, namespace: string, body: JsonMap): Promise<JsonMap> {
    const c = coordinates(api);
    const name =
      typeof asJsonMap(body.metadata).name === 'string' ? String(asJsonMap(body.metadata).name) : undefined;
    const result: unknown = await this.call({ verb: 'create', resource: c.resource, namespace, name }, () =>
      this.custom.createNamespacedCustomObject({
        group: c.group,
        version: c.version,
        plural: c.plural,
        namespace,
        body,
        fieldManager: 'meshbot',
      }),
    );
    return asJsonMap(result);
  }

  async patch(
    api: LoggingApi,
    namespace: string,
    name: string,
    ops: readonly JsonPatchOp[],
  ): Promise<JsonMap> {
    const c = coordinates(api);
    const result: unknown = await this.call({ verb: 'patch', resource: c.resource, namespace, name }, () =>
      this.custom.patchNamespacedCustomObject(
        {
          group: c.group,
          version: c.version,
          plural: c.plural,
          namespace,
          name,
          body: [...ops],
          fieldManager: 'meshbot',
        },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch),
      ),
    );
    return asJsonMap(result);
  }

  async delete(api: LoggingApi, namespace: string, name: string, resourceVersion: string): Promise<void> {
    const c = coordinates(api);
    await this.call({ verb: 'delete', resource: c.resource, namespace, name }, () =>
      this.custom.deleteNamespacedCustomObject({
        group: c.group,
        version: c.version,
        plural: c.plural,
        namespace,
        name,
        body: { preconditions: { resourceVersion } },
      }),
    );
  }
}
