/** Derives the resource type a CustomResourceDefinition serves. */
import { isJsonObject, type JsonObject } from './json.js';
import { compareKubeVersions, type ResourceType } from './resource-types.js';

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

export function resourceTypeFromCrd(crd: JsonObject): ResourceType | undefined {
  const spec = crd.spec;
  if (!isJsonObject(spec) || !isJsonObject(spec.names) || typeof spec.group !== 'string') return undefined;
  const names = spec.names;
  if (typeof names.plural !== 'string' || typeof names.kind !== 'string') return undefined;
  const versions = Array.isArray(spec.versions) ? spec.versions.filter(isJsonObject) : [];
  const served = versions.filter((v) => v.served !== false && typeof v.name === 'string');
  if (served.length === 0) return undefined;
  const hasStatus = served.some((v) => isJsonObject(v.subresources) && v.subresources.status !== undefined);
  const hasScale = served.some((v) => isJsonObject(v.subresources) && v.subresources.scale !== undefined);
  return {
    group: spec.group,
    resource: names.plural,
    kind: names.kind,
    versions: served.map((v) => String(v.name)).sort(compareKubeVersions),
    namespaced: spec.scope !== 'Cluster',
    singular: typeof names.singular === 'string' ? names.singular : names.kind.toLowerCase(),
    listKind: typeof names.listKind === 'string' ? names.listKind : `${names.kind}List`,
    shortNames: strings(names.shortNames),
    categories: strings(names.categories),
    verbs: ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'],
    subresources: [...(hasStatus ? ['status'] : []), ...(hasScale ? ['scale'] : [])],
    unconditionalUpdate: false,
    listItemsHaveKind: true,
    statusSubresource: hasStatus,
    crd,
  };
}
