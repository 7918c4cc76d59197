/** Looks up resource types: the built-in table plus whatever the stored CRDs serve. */

import { resourceTypeFromCrd } from './crd-resource-type.js';
import { crdValidator } from './crd-schema.js';
import type { JsonObject } from './json.js';
import { validateObjectMeta } from './object-meta-validation.js';
import type { ObjectStore } from './object-store.js';
import { BUILTIN_RESOURCES, type ResourceType } from './resource-types.js';
import type { StatusCause } from './status.js';

export class ResourceRegistry {
  private readonly store: ObjectStore;

  constructor(store: ObjectStore) {
    this.store = store;
  }

  crds(): JsonObject[] {
    return this.store.list('apiextensions.k8s.io', 'customresourcedefinitions').map((e) => e.object);
  }

  /** Every served resource type, built-ins first. */
  all(): ResourceType[] {
    const custom = this.crds()
      .map(resourceTypeFromCrd)
      .filter((t): t is ResourceType => t !== undefined);
    return [...BUILTIN_RESOURCES, ...custom];
  }

  /** The type serving `group/version` `resource`, or undefined (404). */
  find(group: string, version: string, resource: string): ResourceType | undefined {
    return this.all().find(
      (t) => t.group === group && t.resource === resource && t.versions.includes(version),
    );
  }

  /** Group → served versions (preferred first), in discovery order. */
  groups(): Map<string, string[]> {
    const groups = new Map<string, string[]>();
    for (const type of this.all()) {
      const versions = groups.get(type.group) ?? [];
      for (const v of type.versions) if (!versions.includes(v)) versions.push(v);
      groups.set(type.group, versions);
    }
    return groups;
  }

  /** Schema (CRDs) and ObjectMeta validation causes for an object about to be stored. */
  validate(type: ResourceType, version: string, object: JsonObject): StatusCause[] {
    if (type.crd) return crdValidator(type.crd, version)(object);
    return validateObjectMeta(object);
  }
}
