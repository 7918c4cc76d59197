/** In-memory object storage in plain maps, with the metadata Kubernetes manages (resourceVersion, uid, …). */
import { randomUUID } from 'node:crypto';
import type { FieldOwners } from './field-ownership.js';
import { isJsonObject, type JsonObject, jsonEqual, objectAt } from './json.js';

export interface StoredObject {
  object: JsonObject;
  owners: FieldOwners;
}

const bucketKey = (group: string, resource: string): string => `${group}/${resource}`;
const objectKey = (namespace: string, name: string): string => `${namespace}/${name}`;

/** Formats a Date the way ObjectMeta times are serialised: RFC 3339, seconds precision, UTC. */
export function metaTime(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

function withoutManaged(object: JsonObject): JsonObject {
  const { metadata, status, ...rest } = object;
  if (!isJsonObject(metadata)) return rest;
  const { resourceVersion, generation, managedFields, uid, creationTimestamp, ...meta } = metadata;
  return { ...rest, metadata: meta };
}

/** True when something other than metadata and status changed (what bumps metadata.generation). */
function specChanged(before: JsonObject, after: JsonObject): boolean {
  const strip = (o: JsonObject): JsonObject => {
    const { metadata, status, ...rest } = withoutManaged(o);
    return rest;
  };
  return !jsonEqual(strip(before), strip(after));
}

export class ObjectStore {
  private readonly buckets = new Map<string, Map<string, StoredObject>>();
  private revision = 1000;
  private readonly now: () => Date;

  constructor(now: () => Date) {
    this.now = now;
  }

  get resourceVersion(): string {
    return String(this.revision);
  }

  private bucket(group: string, resource: string): Map<string, StoredObject> {
    const key = bucketKey(group, resource);
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new Map();
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  /** The stored entry (not a copy: callers clone before handing objects out). */
  get(group: string, resource: string, namespace: string, name: string): StoredObject | undefined {
    return this.buckets.get(bucketKey(group, resource))?.get(objectKey(namespace, name));
  }

  /** Entries sorted by namespace then name, like etcd key order. `namespace` undefined = all namespaces. */
  list(group: string, resource: string, namespace?: string): StoredObject[] {
    const bucket = this.buckets.get(bucketKey(group, resource));
    if (!bucket) return [];
    const entries = [...bucket.entries()]
      .filter(([key]) => namespace === undefined || key.startsWith(`${namespace}/`))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return entries.map(([, v]) => v);
  }

  /** Stores a new object, filling uid, creationTimestamp, resourceVersion and generation. */
  create(
    group: string,
    resource: string,
    namespace: string,
    object: JsonObject,
    owners: FieldOwners,
  ): StoredObject {
    const metadata = objectAt(object, 'metadata');
    delete metadata.managedFields;
    delete metadata.deletionTimestamp;
    metadata.uid = randomUUID();
    metadata.resourceVersion = String(++this.revision);
    metadata.creationTimestamp = metaTime(this.now());
    if (group !== '') metadata.generation = 1;
    const entry: StoredObject = { object, owners };
    this.bucket(group, resource).set(objectKey(namespace, String(metadata.name)), entry);
    return entry;
  }

  /** Replaces a stored object, keeping uid/creationTimestamp, bumping resourceVersion (and generation on spec change). */
  update(
    group: string,
    resource: string,
    namespace: string,
    previous: StoredObject,
    object: JsonObject,
  ): StoredObject {
    const metadata = objectAt(object, 'metadata');
    const old = isJsonObject(previous.object.metadata) ? previous.object.metadata : {};
    delete metadata.managedFields;
    for (const key of ['uid', 'creationTimestamp'] as const) {
      const value = old[key];
      if (value === undefined) delete metadata[key];
      else metadata[key] = value;
    }
    const oldGeneration = typeof old.generation === 'number' ? old.generation : undefined;
    if (oldGeneration === undefined) delete metadata.generation;
    else metadata.generation = specChanged(previous.object, object) ? oldGeneration + 1 : oldGeneration;
    const unchanged =
      jsonEqual(withoutManaged(previous.object), withoutManaged(object)) &&
      jsonEqual(previous.object.status, object.status);
    metadata.resourceVersion = unchanged ? String(old.resourceVersion) : String(++this.revision);
    const entry: StoredObject = { object, owners: previous.owners };
    this.bucket(group, resource).set(objectKey(namespace, String(metadata.name)), entry);
    return entry;
  }

  delete(group: string, resource: string, namespace: string, name: string): StoredObject | undefined {
    const bucket = this.buckets.get(bucketKey(group, resource));
    const entry = bucket?.get(objectKey(namespace, name));
    if (!bucket || !entry) return undefined;
    bucket.delete(objectKey(namespace, name));
    this.revision++;
    return entry;
  }

  /** Removes every namespaced object in a namespace. */
  deleteNamespaceContents(namespace: string): void {
    for (const bucket of this.buckets.values()) {
      for (const key of [...bucket.keys()]) if (key.startsWith(`${namespace}/`)) bucket.delete(key);
    }
  }

  /** Removes all objects of a resource (when its CRD goes away). */
  dropResource(group: string, resource: string): void {
    this.buckets.delete(bucketKey(group, resource));
  }
}
