/**
 * @module analysis/classify
 * What counts as an error, decided here and nowhere else: the summary's totals and flows, the findings,
 * both trace renderers (through `TraceHop.outcome`) and `logs`' error lines all call {@link outcomeOf}; the
 * WebAssembly lean readers only take records whose outcome cannot be a warning or an error (tested
 * against this function). A flag's weight comes from the catalogue (`accesslog/response-flags`).
 *
 * - `error`: a 5xx; any flag of severity `critical` or `error` (unknown flags too); an HTTP request with
 *   code 0 (no response sent) and no flag that explains it;
 * - `warning`: a flag of severity `warning` and nothing worse: the client went away (DC, DR), sent
 *   something invalid (DPE, IH), or a policy did what it was told (RL, UAEX, FI);
 * - `client_error`: a 4xx without such a flag (the application answered it);
 * - `ok`: everything else, TCP connections with code 0 among them (TCP has no response code).
 */
import type { AccessLogEntry } from '../accesslog/entry.js';
import { flagSeverity, RESPONSE_FLAGS } from '../accesslog/response-flags.js';

export type Outcome = 'ok' | 'client_error' | 'warning' | 'error';

/** Flags that describe how a request was served, not a failure (severity `info` in the catalogue). */
export const INFORMATIONAL_FLAGS: ReadonlySet<string> = new Set(
  RESPONSE_FLAGS.filter((f) => f.severity === 'info').map((f) => f.short),
);

export function isHttp(entry: { method: string | null; protocol: string | null }): boolean {
  return entry.method !== null || entry.protocol?.startsWith('HTTP') === true;
}

/** The outcome from the three things it depends on: the code, the flags and whether it was HTTP. */
export function outcomeOfFields(code: number | null, flags: readonly string[], http: boolean): Outcome {
  if (code !== null && code >= 500) return 'error';
  let warning = false;
  for (const flag of flags) {
    const severity = flagSeverity(flag);
    if (severity === 'critical' || severity === 'error') return 'error';
    if (severity === 'warning') warning = true;
  }
  if (warning) return 'warning';
  if (code === 0 && http) return 'error';
  return code !== null && code >= 400 ? 'client_error' : 'ok';
}

/** The outcome of one entry (see the module doc). */
export function outcomeOf(entry: AccessLogEntry): Outcome {
  const flags = entry.response_flags;
  const code = entry.response_code;
  // The common case without a call per flag: no flags, a plain code.
  if (flags.length === 0 && code !== null && code > 0 && code < 400) return 'ok';
  return outcomeOfFields(code, flags, isHttp(entry));
}

/** True when the entry is an error (not a warning, not a client error). */
export function isError(entry: AccessLogEntry): boolean {
  return outcomeOf(entry) === 'error';
}

/** True for the outcomes a finding is made of: errors and warnings. */
export function isProblem(outcome: Outcome): boolean {
  return outcome === 'error' || outcome === 'warning';
}

/** The trace renderers' mark: a hop fails when its outcome is an error. */
export function hopFails(hop: { outcome: Outcome }): boolean {
  return hop.outcome === 'error';
}
