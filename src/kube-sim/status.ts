/** Kubernetes `Status` bodies in the real API server's wording, and the error that carries them. */
import type { JsonObject } from './json.js';

export type StatusReason =
  | 'NotFound'
  | 'Forbidden'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Invalid'
  | 'BadRequest'
  | 'Unauthorized'
  | 'UnsupportedMediaType'
  | 'MethodNotAllowed'
  | 'TooManyRequests'
  | 'InternalError'
  | 'ServiceUnavailable'
  | 'Timeout';

export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

/** What a message needs to know about the resource: `pods`, `telemetries.telemetry.istio.io`. */
export interface ResourceIdentity {
  group: string;
  resource: string;
  kind: string;
}

export class ApiError extends Error {
  readonly code: number;
  readonly body: JsonObject;

  constructor(code: number, reason: StatusReason, message: string, details?: JsonObject) {
    super(message);
    this.code = code;
    this.body = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason,
      ...(details === undefined ? {} : { details }),
      code,
    };
  }
}

/** `pods` for the core group, `telemetries.telemetry.istio.io` otherwise. */
export function qualifiedResource(id: Pick<ResourceIdentity, 'group' | 'resource'>): string {
  return id.group === '' ? id.resource : `${id.resource}.${id.group}`;
}

/** `Pod` for the core group, `Telemetry.telemetry.istio.io` otherwise. */
export function qualifiedKind(id: Pick<ResourceIdentity, 'group' | 'kind'>): string {
  return id.group === '' ? id.kind : `${id.kind}.${id.group}`;
}

function resourceDetails(id: ResourceIdentity, name: string | undefined): JsonObject {
  return {
    ...(name ? { name } : {}),
    ...(id.group ? { group: id.group } : {}),
    kind: id.resource,
  };
}

export function notFound(id: ResourceIdentity, name: string): ApiError {
  return new ApiError(
    404,
    'NotFound',
    `${qualifiedResource(id)} "${name}" not found`,
    resourceDetails(id, name),
  );
}

export function namespaceNotFound(namespace: string): ApiError {
  return notFound({ group: '', resource: 'namespaces', kind: 'Namespace' }, namespace);
}

export function alreadyExists(id: ResourceIdentity, name: string): ApiError {
  return new ApiError(
    409,
    'AlreadyExists',
    `${qualifiedResource(id)} "${name}" already exists`,
    resourceDetails(id, name),
  );
}

export function conflict(id: ResourceIdentity, name: string, why?: string): ApiError {
  const reason =
    why ?? 'the object has been modified; please apply your changes to the latest version and try again';
  return new ApiError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(id)} "${name}": ${reason}`,
    resourceDetails(id, name),
  );
}

export interface ForbiddenRequest {
  user: string;
  verb: string;
  id: ResourceIdentity;
  subresource?: string | undefined;
  namespace?: string | undefined;
  name?: string | undefined;
}

/** `pods "x" is forbidden: User "u" cannot get resource "pods/log" in API group "" in the namespace "ns"` */
export function forbidden(req: ForbiddenRequest): ApiError {
  const subject = req.name ? `${qualifiedResource(req.id)} "${req.name}"` : qualifiedResource(req.id);
  const resource = req.subresource ? `${req.id.resource}/${req.subresource}` : req.id.resource;
  const scope = req.namespace ? `in the namespace "${req.namespace}"` : 'at the cluster scope';
  const message =
    `${subject} is forbidden: User "${req.user}" cannot ${req.verb} resource "${resource}" ` +
    `in API group "${req.id.group}" ${scope}`;
  return new ApiError(403, 'Forbidden', message, resourceDetails(req.id, req.name));
}

/** `Telemetry.telemetry.istio.io "x" is invalid: [spec.a: Required value, ...]` */
export function invalid(id: ResourceIdentity, name: string, causes: readonly StatusCause[]): ApiError {
  const rendered = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message));
  const list = rendered.length === 1 ? (rendered[0] ?? '') : `[${rendered.join(', ')}]`;
  return new ApiError(422, 'Invalid', `${qualifiedKind(id)} "${name}" is invalid: ${list}`, {
    name,
    ...(id.group ? { group: id.group } : {}),
    kind: id.kind,
    causes: causes.map((c) => ({ ...c })),
  });
}

export function badRequest(message: string): ApiError {
  return new ApiError(400, 'BadRequest', message);
}

export function unauthorized(): ApiError {
  return new ApiError(401, 'Unauthorized', 'Unauthorized');
}

export function unsupportedMediaType(contentType: string, accepted: readonly string[]): ApiError {
  return new ApiError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
    { causes: [{ reason: 'UnexpectedServerResponse', message: contentType }] },
  );
}

export function methodNotAllowed(): ApiError {
  return new ApiError(
    405,
    'MethodNotAllowed',
    'the server does not allow this method on the requested resource',
  );
}

export function pathNotFound(): ApiError {
  return new ApiError(404, 'NotFound', 'the server could not find the requested resource');
}

export function internalError(message: string): ApiError {
  return new ApiError(500, 'InternalError', `Internal error occurred: ${message}`, {
    causes: [{ message }],
  });
}

/** The generic error the API server returns when a JSON patch cannot be applied (e.g. a failed `test`). */
export function patchRejected(cause: string): ApiError {
  return new ApiError(422, 'Invalid', 'the server rejected our request due to an error in our request', {
    causes: [{ reason: 'UnexpectedServerResponse', message: cause }],
  });
}

/** Status with code/reason for an injected fault, worded like the real server where it can be. */
export function statusForCode(
  code: number,
  id: ResourceIdentity | undefined,
  name: string | undefined,
): ApiError {
  const label = id ? qualifiedResource(id) : 'resource';
  const objectName = name ?? '';
  switch (code) {
    case 400:
      return badRequest('injected fault: bad request');
    case 401:
      return unauthorized();
    case 403:
      return new ApiError(403, 'Forbidden', `forbidden: injected fault (${label})`);
    case 404:
      return id && name ? notFound(id, name) : pathNotFound();
    case 409:
      return id && name ? conflict(id, name) : new ApiError(409, 'Conflict', 'injected fault: conflict');
    case 422:
      return id
        ? invalid(id, objectName, [{ reason: 'FieldValueInvalid', message: 'injected fault' }])
        : patchRejected('injected fault');
    case 429:
      return new ApiError(
        429,
        'TooManyRequests',
        'the server has received too many requests and has asked us to try again later',
        {
          retryAfterSeconds: 1,
        },
      );
    case 503:
      return new ApiError(503, 'ServiceUnavailable', 'the server is currently unable to handle the request');
    case 504:
      return new ApiError(
        504,
        'Timeout',
        `the server was unable to return a response in the time allotted, but may still be processing the request (get ${label} ${objectName})`,
      );
    default:
      if (code >= 500) return new ApiError(code, 'InternalError', 'Internal error occurred: injected fault');
      return new ApiError(code, 'BadRequest', `injected fault: HTTP ${code}`);
  }
}
