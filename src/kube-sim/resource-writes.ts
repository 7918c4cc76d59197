/** POST (create), PUT (replace) and DELETE of objects, with the real server's checks and errors. */
import {
  type ApiResponse,
  applySubresourceRules,
  decodeBody,
  fieldManagerOf,
  getExisting,
  isDryRun,
  present,
  type ResourceContext,
  type ResourceRequest,
  requireNamespace,
  storeNamespace,
} from './api-request.js';
import { type FieldOwners, recordUpdate } from './field-ownership.js';
import { cloneJson, isJsonObject, type JsonObject, objectAt, parseJson, stringMap } from './json.js';
import { parseLabelSelector } from './label-selector.js';
import { nameSuffix } from './name-suffix.js';
import type { StoredObject } from './object-store.js';
import { apiVersionOf } from './resource-types.js';
import { alreadyExists, conflict, invalid } from './status.js';

let generated = 0;

/** Validates and stores a new object (shared by POST and server-side apply). */
export function storeNew(
  ctx: ResourceContext,
  req: ResourceRequest,
  object: JsonObject,
  owners: FieldOwners,
): JsonObject {
  const metadata = objectAt(object, 'metadata');
  const name = String(metadata.name ?? '');
  const namespace = storeNamespace(req);
  if (ctx.store.get(req.type.group, req.type.resource, namespace, name)) throw alreadyExists(req.type, name);
  const prepared = applySubresourceRules(req, undefined, object);
  const causes = ctx.registry.validate(req.type, req.version, prepared);
  if (causes.length > 0) throw invalid(req.type, name, causes);
  if (isDryRun(req)) {
    const dry = cloneJson(prepared);
    objectAt(dry, 'metadata').creationTimestamp = ctx
      .now()
      .toISOString()
      .replace(/\.\d+Z$/, 'Z');
    return present(req.type, req.version, dry);
  }
  const entry = ctx.store.create(req.type.group, req.type.resource, namespace, prepared, owners);
  return present(req.type, req.version, entry.object);
}

/** Validates and stores a changed object, enforcing optimistic concurrency on metadata.resourceVersion. */
export function storeUpdate(
  ctx: ResourceContext,
  req: ResourceRequest,
  previous: StoredObject,
  next: JsonObject,
): JsonObject {
  const name = req.name ?? '';
  const given = objectAt(next, 'metadata').resourceVersion;
  const current = objectAt(previous.object, 'metadata').resourceVersion;
  if (given !== undefined && given !== '' && given !== current) throw conflict(req.type, name);
  const prepared = applySubresourceRules(req, previous.object, next);
  const causes = ctx.registry.validate(req.type, req.version, prepared);
  if (causes.length > 0) throw invalid(req.type, name, causes);
  if (isDryRun(req)) return present(req.type, req.version, prepared);
  const entry = ctx.store.update(req.type.group, req.type.resource, storeNamespace(req), previous, prepared);
  return present(req.type, req.version, entry.object);
}

/** Stores an update (PUT or PATCH) and, unless it is a dry run, records which manager now owns which fields. */
export function commitUpdate(
  ctx: ResourceContext,
  req: ResourceRequest,
  previous: StoredObject,
  next: JsonObject,
): JsonObject {
  const result = storeUpdate(ctx, req, previous, next);
  if (!isDryRun(req)) {
    recordUpdate(
      previous.owners,
      fieldManagerOf(req),
      apiVersionOf(req.type.group, req.version),
      previous.object,
      result,
    );
  }
  return result;
}

export function handleCreate(ctx: ResourceContext, req: ResourceRequest): ApiResponse {
  const object = decodeBody(req);
  const metadata = objectAt(object, 'metadata');
  if ((metadata.name === undefined || metadata.name === '') && typeof metadata.generateName === 'string') {
    metadata.name = `${metadata.generateName}${nameSuffix(`${metadata.generateName}${++generated}${Math.random()}`, 5)}`;
  }
  delete metadata.resourceVersion;
  requireNamespace(ctx, req);
  const owners: FieldOwners = new Map();
  recordUpdate(owners, fieldManagerOf(req), apiVersionOf(req.type.group, req.version), undefined, object);
  return { code: 201, json: storeNew(ctx, req, object, owners) };
}

export function handleUpdate(ctx: ResourceContext, req: ResourceRequest): ApiResponse {
  const object = decodeBody(req);
  const previous = getExisting(ctx, req);
  const name = req.name ?? '';
  const given = objectAt(object, 'metadata').resourceVersion;
  if ((given === undefined || given === '') && !req.type.unconditionalUpdate) {
    throw invalid(req.type, name, [
      {
        reason: 'FieldValueInvalid',
        field: 'metadata.resourceVersion',
        message: 'Invalid value: 0x0: must be specified for an update',
      },
    ]);
  }
  return { code: 200, json: commitUpdate(ctx, req, previous, object) };
}

function deleteOne(ctx: ResourceContext, req: ResourceRequest, name: string): JsonObject {
  const { type } = req;
  const namespace = storeNamespace(req);
  const entry = getExisting(ctx, { ...req, name });
  const options = parseJson(req.body);
  const preconditions =
    isJsonObject(options) && isJsonObject(options.preconditions) ? options.preconditions : {};
  const meta = objectAt(entry.object, 'metadata');
  if (
    typeof preconditions.resourceVersion === 'string' &&
    preconditions.resourceVersion !== meta.resourceVersion
  ) {
    throw conflict(
      type,
      name,
      `Precondition failed: ResourceVersion in precondition: ${preconditions.resourceVersion}, ResourceVersion in object meta: ${String(meta.resourceVersion)}`,
    );
  }
  if (typeof preconditions.uid === 'string' && preconditions.uid !== meta.uid) {
    throw conflict(
      type,
      name,
      `Precondition failed: UID in precondition: ${preconditions.uid}, UID in object meta: ${String(meta.uid)}`,
    );
  }
  const deleted = present(type, req.version, entry.object);
  if (!isDryRun(req)) {
    ctx.store.delete(type.group, type.resource, namespace, name);
    if (type.group === '' && type.resource === 'namespaces') ctx.store.deleteNamespaceContents(name);
    ctx.onDeleted?.(type, namespace, name);
  }
  return deleted;
}

export function handleDelete(ctx: ResourceContext, req: ResourceRequest): ApiResponse {
  const name = req.name ?? '';
  const deleted = deleteOne(ctx, req, name);
  const { type } = req;
  // Pods and namespaces answer with the object (graceful deletion); other resources with a Success Status.
  if (type.group === '' && (type.resource === 'pods' || type.resource === 'namespaces')) {
    const meta = objectAt(deleted, 'metadata');
    meta.deletionTimestamp = ctx
      .now()
      .toISOString()
      .replace(/\.\d+Z$/, 'Z');
    if (type.resource === 'namespaces') objectAt(deleted, 'status').phase = 'Terminating';
    return { code: 200, json: deleted };
  }
  return {
    code: 200,
    json: {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: {
        name,
        ...(type.group ? { group: type.group } : {}),
        kind: type.resource,
        uid: String(objectAt(deleted, 'metadata').uid),
      },
    },
  };
}

export function handleDeleteCollection(ctx: ResourceContext, req: ResourceRequest): ApiResponse {
  const matchLabels = parseLabelSelector(req.query.get('labelSelector'));
  const namespace = req.type.namespaced ? req.namespace : undefined;
  const victims = ctx.store
    .list(req.type.group, req.type.resource, namespace)
    .map((e) => e.object)
    .filter((o) => matchLabels(stringMap(objectAt(o, 'metadata').labels)));
  const items = victims.map((o) => {
    const meta = objectAt(o, 'metadata');
    return deleteOne(
      ctx,
      { ...req, namespace: typeof meta.namespace === 'string' ? meta.namespace : undefined },
      String(meta.name),
    );
  });
  return {
    code: 200,
    json: {
      apiVersion: apiVersionOf(req.type.group, req.version),
      kind: req.type.listKind,
      metadata: { resourceVersion: ctx.store.resourceVersion },
      items,
    },
  };
}
