/** GET of one object and of collections (label/field selectors, limit/continue). */
import {
  type ApiResponse,
  getExisting,
  present,
  type ResourceContext,
  type ResourceRequest,
} from './api-request.js';
import { parseFieldSelector } from './field-selector.js';
import { type JsonObject, stringMap } from './json.js';
import { parseLabelSelector } from './label-selector.js';
import { apiVersionOf } from './resource-types.js';
import { ApiError, badRequest } from './status.js';

export function handleGet(ctx: ResourceContext, req: ResourceRequest): ApiResponse {
  const entry = getExisting(ctx, req);
  return { code: 200, json: present(req.type, req.version, entry.object) };
}

function keyOf(object: JsonObject): string {
  const metadata = object.metadata as JsonObject | undefined;
  return `${String(metadata?.namespace ?? '')}/${String(metadata?.name ?? '')}`;
}

function decodeContinue(token: string): string {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      'start' in parsed &&
      typeof parsed.start === 'string'
    )
      return parsed.start;
  } catch {
    // fall through
  }
  throw badRequest('continue key is not valid: illegal base64 data at input byte 0');
}

export function handleList(ctx: ResourceContext, req: ResourceRequest): ApiResponse {
  if (req.query.get('watch') === 'true' || req.query.get('watch') === '1') {
    throw new ApiError(405, 'MethodNotAllowed', 'watch is not supported by the fake API server');
  }
  const matchLabels = parseLabelSelector(req.query.get('labelSelector'));
  const matchFields = parseFieldSelector(req.type.resource, req.query.get('fieldSelector'));
  const namespace = req.type.namespaced ? req.namespace : undefined;
  let objects = ctx.store
    .list(req.type.group, req.type.resource, namespace)
    .map((e) => e.object)
    .filter((o) => matchLabels(stringMap((o.metadata as JsonObject | undefined)?.labels)) && matchFields(o));
  const token = req.query.get('continue');
  if (token) {
    const start = decodeContinue(token);
    objects = objects.filter((o) => keyOf(o) > start);
  }
  const limit = Number(req.query.get('limit') ?? '0');
  const metadata: JsonObject = { resourceVersion: ctx.store.resourceVersion };
  if (limit > 0 && objects.length > limit) {
    const remaining = objects.length - limit;
    objects = objects.slice(0, limit);
    const last = objects[objects.length - 1];
    if (last) metadata.continue = Buffer.from(JSON.stringify({ start: keyOf(last) })).toString('base64url');
    metadata.remainingItemCount = remaining;
  }
  const items = objects.map((o) => {
    const item = present(req.type, req.version, o);
    if (req.type.listItemsHaveKind) return item;
    const { apiVersion: _a, kind: _k, ...rest } = item;
    return rest;
  });
  return {
    code: 200,
    json: { apiVersion: apiVersionOf(req.type.group, req.version), kind: req.type.listKind, metadata, items },
  };
}
