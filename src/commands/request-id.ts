/**
 * @module commands/request-id
 * What a request id may be, checked where a command line or a Slack button names one (a module of its own:
 * the command table, loaded at every start-up, checks ids; the trace that follows one is loaded by trace).
 */
import { MeshbotError } from '../core/errors.js';

/** Request ids are opaque (Envoy rewrites a UUID digit), but they never hold spaces, quotes or control characters. */
const REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:+/=-]{0,199}$/;

export function validateRequestId(id: string): string {
  const trimmed = id.trim();
  if (!REQUEST_ID.test(trimmed)) {
    throw new MeshbotError(
      'invalid_request_id',
      `"${trimmed.slice(0, 60).replace(/[^\x20-\x7e]/g, '?')}" is not a request id: expected the x-request-id value from an access log, e.g. be5acb4a-9e3e-4540-814d-07c2c7dcf7f1`,
      { id: trimmed.slice(0, 200) },
    );
  }
  return trimmed;
}
