/**
 * @module render/render-json
 * Every command's report as pretty JSON, one contract for all of them: snake_case keys, instants as
 * RFC 3339 in UTC with milliseconds (`2024-05-01T13:00:00.000Z`), two-space indent, trailing newline.
 * `JSON.stringify` escapes control characters and lone surrogates, so log-derived text is inert.
 *
 * Summaries and traces are snake_case by construction (their start times are canonical when parsed). The
 * logging results and the small reports are camelCase TypeScript objects with instants as epoch
 * milliseconds; {@link toJsonDocument} maps them: `requestedBy` → `requested_by`, `untilMs` → `until`
 * (RFC 3339). A Kubernetes object meshbot wrote or would write (a change's `object`) is Kubernetes' own
 * document and keeps its keys (`apiVersion`, `accessLogging`), as `kubectl -o json` shows it.
 */
import type { CommandReport } from '../commands/command-report.js';

/** Keys holding an instant in epoch milliseconds: in JSON, an RFC 3339 string under the key without `Ms`. */
const INSTANT_KEYS: ReadonlySet<string> = new Set([
  'nowMs',
  'sinceMs',
  'untilMs',
  'previousUntilMs',
  'renewTimeMs',
]);

/** Keys whose value is another system's document, written out as it is. */
export const FOREIGN_DOCUMENT_KEYS: ReadonlySet<string> = new Set(['object']);

/** `requestedBy` → `requested_by`, `apiVersion` → `api_version`, `dryRun` → `dry_run`; snake_case stays. */
export function snakeCase(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .replaceAll('-', '_')
    .toLowerCase();
}

/** An instant as RFC 3339 (UTC, milliseconds); null when it is not a time a Date can hold. */
export function rfc3339(ms: number): string | null {
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) return null;
  const text = date.toISOString();
  // Years before 0000 or after 9999 come out as `+275760-…`, which RFC 3339 cannot say.
  return text.length === 24 ? text : null;
}

function snakeDocument(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeDocument);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    if (FOREIGN_DOCUMENT_KEYS.has(key)) out[key] = v;
    else if (INSTANT_KEYS.has(key) && typeof v === 'number') out[snakeCase(key.slice(0, -2))] = rfc3339(v);
    else out[snakeCase(key)] = snakeDocument(v);
  }
  return out;
}

/** The JSON document of a report (what `-o json` prints and `-o yaml` shows as YAML). */
export function toJsonDocument(report: CommandReport): unknown {
  if ('kind' in report && (report.kind === 'summary' || report.kind === 'trace')) return report;
  return snakeDocument(report);
}

/** Any command's report as JSON; always ends with a newline. */
export function renderJson(report: CommandReport): string {
  return `${JSON.stringify(toJsonDocument(report), null, 2)}\n`;
}
