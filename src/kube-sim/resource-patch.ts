/** PATCH with JSON patch, JSON merge patch, strategic merge (built-ins only) and server-side apply. */
import { parse as parseYaml } from 'yaml';
import {
  type ApiResponse,
  checkTypeMeta,
  getExisting,
  isDryRun,
  present,
  type ResourceContext,
  type ResourceRequest,
  requireNamespace,
  storeNamespace,
} from './api-request.js';
import { type FieldOwners, serverSideApply } from './field-ownership.js';
import { isJsonObject, type JsonObject, type JsonValue, objectAt, parseJson } from './json.js';
import { applyJsonPatch, JsonPatchError } from './json-patch.js';
import { applyMergePatch } from './merge-patch.js';
import { apiVersionOf } from './resource-types.js';
import { commitUpdate, storeNew, storeUpdate } from './resource-writes.js';
import { ApiError, badRequest, invalid, patchRejected, unsupportedMediaType } from './status.js';

const JSON_PATCH = 'application/json-patch+json';
const MERGE_PATCH = 'application/merge-patch+json';
const STRATEGIC = 'application/strategic-merge-patch+json';
const APPLY = 'application/apply-patch+yaml';
const APPLY_CBOR = 'application/apply-patch+cbor';

function cloneOwners(owners: FieldOwners): FieldOwners {
  return new Map([...owners].map(([k, e]) => [k, { ...e, fields: new Set(e.fields) }]));
}

function checkIdentity(req: ResourceRequest, result: JsonObject): void {
  const meta = objectAt(result, 'metadata');
  if (meta.name !== req.name) {
    throw invalid(req.type, req.name ?? '', [
      {
        reason: 'FieldValueInvalid',
        field: 'metadata.name',
        message: `Invalid value: ${JSON.stringify(meta.name ?? null)}: field is immutable`,
      },
    ]);
  }
  if (req.type.namespaced && meta.namespace !== req.namespace) {
    throw invalid(req.type, req.name ?? '', [
      {
        reason: 'FieldValueInvalid',
        field: 'metadata.namespace',
        message: `Invalid value: ${JSON.stringify(meta.namespace ?? null)}: field is immutable`,
      },
    ]);
  }
}

export function handlePatch(ctx: ResourceContext, req: ResourceRequest): ApiResponse {
  const contentType = req.contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  const accepted = req.type.crd
    ? [JSON_PATCH, MERGE_PATCH, APPLY, APPLY_CBOR]
    : [JSON_PATCH, MERGE_PATCH, STRATEGIC, APPLY, APPLY_CBOR];
  if (!accepted.includes(contentType) || contentType === APPLY_CBOR)
    throw unsupportedMediaType(contentType, accepted);
  if (contentType === APPLY) return handleApply(ctx, req);

  const previous = getExisting(ctx, req);
  const current = present(req.type, req.version, previous.object);
  let patched: JsonValue;
  if (contentType === JSON_PATCH) {
    const patch = parseJson(req.body);
    if (patch === undefined) throw badRequest('invalid JSON patch: unexpected end of JSON input');
    try {
      patched = applyJsonPatch(current, patch);
    } catch (error) {
      if (!(error instanceof JsonPatchError)) throw error;
      throw error.malformed ? badRequest(error.message) : patchRejected(error.message);
    }
  } else {
    const patch = parseJson(req.body);
    if (!isJsonObject(patch ?? null))
      throw badRequest('json: cannot unmarshal into Go value of type map[string]interface {}');
    patched = applyMergePatch(current, patch as JsonObject);
  }
  if (!isJsonObject(patched)) throw badRequest('the patch produced a document that is not an object');
  if (patched.apiVersion !== current.apiVersion || patched.kind !== current.kind) {
    throw badRequest(`the API version and kind of the object cannot be changed by a patch`);
  }
  checkIdentity(req, patched);
  return { code: 200, json: commitUpdate(ctx, req, previous, patched) };
}

function handleApply(ctx: ResourceContext, req: ResourceRequest): ApiResponse {
  const manager = req.query.get('fieldManager');
  if (!manager) {
    throw new ApiError(
      422,
      'Invalid',
      'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
      {
        group: 'meta.k8s.io',
        kind: 'PatchOptions',
        causes: [
          {
            reason: 'FieldValueRequired',
            message: 'Required value: is required for apply patch',
            field: 'fieldManager',
          },
        ],
      },
    );
  }
  const forceRaw = req.query.get('force');
  if (forceRaw !== null && forceRaw !== 'true' && forceRaw !== 'false')
    throw badRequest(`strconv.ParseBool: parsing "${forceRaw}": invalid syntax`);
  let parsed: unknown;
  try {
    parsed = parseYaml(req.body);
  } catch (error) {
    throw badRequest(`error decoding YAML: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isJsonObject(parsed as JsonValue))
    throw badRequest('error decoding YAML: the applied configuration is not an object');
  const applied = checkTypeMeta(req, parsed as JsonObject, req.body);
  const apiVersion = apiVersionOf(req.type.group, req.version);
  const previous = ctx.store.get(req.type.group, req.type.resource, storeNamespace(req), req.name ?? '');
  const owners = previous ? cloneOwners(previous.owners) : new Map();
  const current = previous ? present(req.type, req.version, previous.object) : undefined;
  const merged = serverSideApply({
    current,
    applied,
    owners,
    manager,
    apiVersion,
    force: forceRaw === 'true',
  });
  merged.apiVersion = apiVersion;
  merged.kind = req.type.kind;
  checkIdentity(req, merged);
  if (!previous) {
    requireNamespace(ctx, req);
    delete objectAt(merged, 'metadata').resourceVersion;
    return { code: 201, json: storeNew(ctx, req, merged, owners) };
  }
  const result = storeUpdate(ctx, req, previous, merged);
  if (!isDryRun(req)) {
    previous.owners.clear();
    for (const [key, entry] of owners) previous.owners.set(key, entry);
  }
  return { code: 200, json: result };
}
