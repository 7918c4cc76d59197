/** The parsed request a resource handler works on, its response, and helpers shared by the handlers. */
import { cloneJson, isJsonObject, type JsonObject, objectAt, parseJson } from './json.js';
import type { ObjectStore, StoredObject } from './object-store.js';
import type { ResourceRegistry } from './resource-registry.js';
import { apiVersionOf, type ResourceType } from './resource-types.js';
import { badRequest, namespaceNotFound, notFound } from './status.js';

export interface ResourceContext {
  store: ObjectStore;
  registry: ResourceRegistry;
  now: () => Date;
  /** Called after a pod is deleted (to drop its logs). */
  onDeleted?: (type: ResourceType, namespace: string, name: string) => void;
}

export interface ResourceRequest {
  verb: string;
  type: ResourceType;
  version: string;
  namespace: string | undefined;
  name: string | undefined;
  subresource: string | undefined;
  query: URLSearchParams;
  body: string;
  contentType: string;
  userAgent: string;
}

export interface ApiResponse {
  code: number;
  json?: JsonObject;
  text?: Buffer;
  headers?: Record<string, string>;
  /**
   * Keeps a 200 response open after `text` (`follow=true`): called with a writer and an end function once
   * the head and `text` are sent; returns the function that stops it when the client goes away.
   */
  follow?: (write: (chunk: Buffer) => void, end: () => void) => () => void;
}

/** The store key namespace: '' for cluster-scoped resources. */
export const storeNamespace = (req: ResourceRequest): string =>
  req.type.namespaced ? (req.namespace ?? '') : '';

/** A copy of a stored object as served at the request's version. */
export function present(type: ResourceType, version: string, object: JsonObject): JsonObject {
  const copy = cloneJson(object);
  const { apiVersion: _a, kind: _k, ...rest } = copy;
  return { apiVersion: apiVersionOf(type.group, version), kind: type.kind, ...rest };
}

export function getExisting(ctx: ResourceContext, req: ResourceRequest): StoredObject {
  const name = req.name ?? '';
  const entry = ctx.store.get(req.type.group, req.type.resource, storeNamespace(req), name);
  if (!entry) throw notFound(req.type, name);
  return entry;
}

export function requireNamespace(ctx: ResourceContext, req: ResourceRequest): void {
  if (!req.type.namespaced || req.namespace === undefined) return;
  if (!ctx.store.get('', 'namespaces', '', req.namespace)) throw namespaceNotFound(req.namespace);
}

/** The field manager for a write: `fieldManager`, else the User-Agent's product name, like the real server. */
export function fieldManagerOf(req: ResourceRequest): string {
  const explicit = req.query.get('fieldManager');
  if (explicit) return explicit;
  const product = req.userAgent.split('/')[0]?.trim();
  return product || 'unknown';
}

export const isDryRun = (req: ResourceRequest): boolean => req.query.getAll('dryRun').includes('All');

/** Parses a JSON request body into an object, checking apiVersion/kind/namespace like the decoder does. */
export function decodeBody(req: ResourceRequest, text: string = req.body): JsonObject {
  const parsed = parseJson(text);
  if (parsed === undefined)
    throw badRequest(`couldn't get version/kind; json parse error: invalid JSON in request body`);
  if (!isJsonObject(parsed))
    throw badRequest('json: cannot unmarshal array into Go value of type map[string]interface {}');
  return checkTypeMeta(req, parsed, text);
}

export function checkTypeMeta(req: ResourceRequest, object: JsonObject, text: string): JsonObject {
  const expected = apiVersionOf(req.type.group, req.version);
  if (object.kind === undefined || object.kind === '') {
    if (req.type.crd) throw badRequest(`Object 'Kind' is missing in '${text.slice(0, 500)}'`);
    object.kind = req.type.kind;
  }
  if (object.apiVersion === undefined || object.apiVersion === '') {
    if (req.type.crd) throw badRequest(`Object 'apiVersion' is missing in '${text.slice(0, 500)}'`);
    object.apiVersion = expected;
  }
  if (object.apiVersion !== expected && req.subresource === undefined) {
    throw badRequest(
      `the API version in the data (${String(object.apiVersion)}) does not match the expected API version (${expected})`,
    );
  }
  if (object.kind !== req.type.kind) {
    throw badRequest(
      `the kind in the data (${String(object.kind)}) does not match the expected kind (${req.type.kind})`,
    );
  }
  const metadata = objectAt(object, 'metadata');
  if (req.type.namespaced) {
    if (
      metadata.namespace !== undefined &&
      metadata.namespace !== '' &&
      metadata.namespace !== req.namespace
    ) {
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    if (req.namespace !== undefined) metadata.namespace = req.namespace;
  } else {
    delete metadata.namespace;
  }
  if (req.name !== undefined) {
    if (metadata.name === undefined || metadata.name === '') metadata.name = req.name;
    if (metadata.name !== req.name) {
      throw badRequest(
        `the name of the object (${String(metadata.name)}) does not match the name on the URL (${req.name})`,
      );
    }
  }
  return object;
}

/** Carries `.status` over from the stored object (status subresource semantics), or only `.status` for `/status`. */
export function applySubresourceRules(
  req: ResourceRequest,
  previous: JsonObject | undefined,
  next: JsonObject,
): JsonObject {
  if (req.subresource === 'status' && previous) {
    const result = cloneJson(previous);
    if (next.status === undefined) delete result.status;
    else result.status = next.status;
    const meta = objectAt(result, 'metadata');
    const nextMeta = isJsonObject(next.metadata) ? next.metadata : {};
    if (nextMeta.resourceVersion !== undefined) meta.resourceVersion = nextMeta.resourceVersion;
    return result;
  }
  if (req.type.statusSubresource) {
    if (previous?.status === undefined) delete next.status;
    else next.status = cloneJson(previous.status);
  }
  return next;
}
