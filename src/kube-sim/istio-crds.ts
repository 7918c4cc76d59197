/**
 * The Istio CRDs a cluster serves for a given Istio release. Telemetry and EnvoyFilter come from the real
 * CRDs in assets/istio-crds; the other Istio kinds get minimal CRDs that accept any spec.
 */
import { fileURLToPath } from 'node:url';
import { loadCrd } from './crd-schema.js';
import { cloneJson, isJsonObject, type JsonObject } from './json.js';

/** Group → served versions, e.g. `{ 'telemetry.istio.io': ['v1alpha1'] }`. */
export type IstioGroupVersions = Readonly<Record<string, readonly string[]>>;

export const ISTIO_CRD_DIR = fileURLToPath(new URL('../../assets/istio-crds/', import.meta.url));

interface MinimalCrd {
  group: string;
  plural: string;
  kind: string;
  versions: string[];
  shortNames?: string[];
}

const MINIMAL: MinimalCrd[] = [
  {
    group: 'networking.istio.io',
    plural: 'virtualservices',
    kind: 'VirtualService',
    versions: ['v1', 'v1beta1', 'v1alpha3'],
    shortNames: ['vs'],
  },
  {
    group: 'networking.istio.io',
    plural: 'destinationrules',
    kind: 'DestinationRule',
    versions: ['v1', 'v1beta1', 'v1alpha3'],
    shortNames: ['dr'],
  },
  {
    group: 'networking.istio.io',
    plural: 'gateways',
    kind: 'Gateway',
    versions: ['v1', 'v1beta1', 'v1alpha3'],
    shortNames: ['gw'],
  },
  {
    group: 'networking.istio.io',
    plural: 'serviceentries',
    kind: 'ServiceEntry',
    versions: ['v1', 'v1beta1', 'v1alpha3'],
    shortNames: ['se'],
  },
  {
    group: 'networking.istio.io',
    plural: 'sidecars',
    kind: 'Sidecar',
    versions: ['v1', 'v1beta1', 'v1alpha3'],
  },
  {
    group: 'security.istio.io',
    plural: 'peerauthentications',
    kind: 'PeerAuthentication',
    versions: ['v1', 'v1beta1'],
    shortNames: ['pa'],
  },
  {
    group: 'security.istio.io',
    plural: 'authorizationpolicies',
    kind: 'AuthorizationPolicy',
    versions: ['v1', 'v1beta1'],
    shortNames: ['ap'],
  },
  { group: 'extensions.istio.io', plural: 'wasmplugins', kind: 'WasmPlugin', versions: ['v1alpha1'] },
];

function minimalCrd(def: MinimalCrd): JsonObject {
  const open = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${def.plural}.${def.group}`, labels: { app: 'istio-pilot' } },
    spec: {
      group: def.group,
      names: {
        kind: def.kind,
        listKind: `${def.kind}List`,
        plural: def.plural,
        singular: def.kind.toLowerCase(),
        shortNames: def.shortNames ?? [],
        categories: ['istio-io'],
      },
      scope: 'Namespaced',
      versions: def.versions.map((name, i) => ({
        name,
        served: true,
        storage: i === def.versions.length - 1,
        schema: { openAPIV3Schema: { type: 'object', properties: { spec: open, status: open } } },
        subresources: { status: {} },
      })),
    },
  };
}

let fixtureCache: JsonObject[] | undefined;

/** Every Istio CRD this fake knows, with all versions any release served. */
export function allIstioCrds(): JsonObject[] {
  fixtureCache ??= [
    loadCrd(`${ISTIO_CRD_DIR}telemetries.telemetry.istio.io.yaml`),
    loadCrd(`${ISTIO_CRD_DIR}envoyfilters.networking.istio.io.yaml`),
  ];
  return [...fixtureCache.map((c) => cloneJson(c)), ...MINIMAL.map(minimalCrd)];
}

function parseMinor(version: string): number {
  const m = /^v?1\.(\d+)/.exec(version);
  if (!m) throw new Error(`Istio version must look like "1.22", got "${version}"`);
  return Number(m[1]);
}

/** Served Istio group versions per release: Telemetry v1alpha1 from 1.11, v1 (and the other v1 APIs) from 1.22. */
export function istioGroupVersions(istio: string): IstioGroupVersions {
  if (istio === 'none') return {};
  const minor = parseMinor(istio);
  const groups: Record<string, string[]> = {
    'networking.istio.io': minor >= 22 ? ['v1', 'v1beta1', 'v1alpha3'] : ['v1beta1', 'v1alpha3'],
    'security.istio.io': minor >= 22 ? ['v1', 'v1beta1'] : ['v1beta1'],
  };
  if (minor >= 11) groups['telemetry.istio.io'] = minor >= 22 ? ['v1', 'v1alpha1'] : ['v1alpha1'];
  if (minor >= 12) groups['extensions.istio.io'] = ['v1alpha1'];
  return groups;
}

/** The CRDs to serve for the given group versions, each trimmed to the versions requested. */
export function istioCrdsFor(groupVersions: IstioGroupVersions): JsonObject[] {
  const out: JsonObject[] = [];
  for (const crd of allIstioCrds()) {
    const spec = crd.spec;
    if (!isJsonObject(spec) || !Array.isArray(spec.versions)) continue;
    const wanted = groupVersions[String(spec.group)] ?? [];
    const versions = spec.versions.filter(
      (v): v is JsonObject => isJsonObject(v) && wanted.includes(String(v.name)),
    );
    if (versions.length === 0) continue;
    if (!versions.some((v) => v.storage === true)) {
      versions.forEach((v, i) => {
        v.storage = i === versions.length - 1;
      });
    }
    spec.versions = versions;
    out.push(crd);
  }
  return out;
}
