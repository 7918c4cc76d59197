/**
 * @module analysis/classify
 * What counts as an error. An **error** is a 5xx, an HTTP entry with code 0 (no response was sent), or
 * any response flag other than the informational ones (DI, RFCF). A 4xx without flags is a client error.
 */
import type { AccessLogEntry } from '../accesslog/entry.js';

/** Flags that describe how a request was served, not a failure. */
export const INFORMATIONAL_FLAGS: ReadonlySet<string> = new Set(['DI', 'RFCF']);

export function isHttp(entry: AccessLogEntry): boolean {
  return entry.method !== null || entry.protocol?.startsWith('HTTP') === true;
}

export function hasFailureFlag(entry: AccessLogEntry): boolean {
  for (const flag of entry.response_flags) if (!INFORMATIONAL_FLAGS.has(flag)) return true;
  return false;
}

export function isError(entry: AccessLogEntry): boolean {
  const code = entry.response_code;
  if (code !== null && code >= 500) return true;
  if (code === 0 && isHttp(entry)) return true;
  return hasFailureFlag(entry);
}

export function isClientError(entry: AccessLogEntry): boolean {
  const code = entry.response_code;
  return code !== null && code >= 400 && code < 500 && !hasFailureFlag(entry);
}
