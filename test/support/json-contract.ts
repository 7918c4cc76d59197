/**
 * The JSON contract of every command's output, as a walker: each key snake_case, each instant RFC 3339
 * in UTC with milliseconds (`2024-05-01T13:00:00.000Z`), no epoch milliseconds left under a `*_ms` key.
 * Returns the problems with their paths (`$.entries[0].requestedBy: key is not snake_case`).
 */
import { FOREIGN_DOCUMENT_KEYS } from '../../src/render/render-json.js';

const SNAKE = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;
/** What `toISOString` writes, RFC 3339's profile meshbot uses. */
export const RFC3339_UTC_MS =
  /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;
/** RFC 3339 as `toISOString` writes it, a real date (no 30 February). */
export function isRfc3339(text: string): boolean {
  return RFC3339_UTC_MS.test(text) && new Date(text).toISOString() === text;
}
/** Maps keyed by data, not field names: response code → count, flag → count, skip reason → count. */
const DATA_KEYED = new Set(['codes', 'flags', 'skipped']);
/** Keys that hold an instant. */
const INSTANT = /^(?:from|to|now|since|until|previous_until|.*_(?:time|at|seen|since|until))$/;
/** A value that reads as a date and time, whatever its key. */
const LOOKS_LIKE_TIME = /^[+-]?\d{4,6}-\d\d-\d\d[T ]\d\d:\d\d/;
/** 1e11 ms is three years: a larger `*_ms` is an instant that escaped conversion, not a duration. */
const MAX_DURATION_MS = 1e11;

export function jsonContractProblems(value: unknown, path = '$'): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => jsonContractProblems(v, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') {
    return typeof value === 'string' && LOOKS_LIKE_TIME.test(value) && !isRfc3339(value)
      ? [`${path}: ${JSON.stringify(value)} is a time but not RFC 3339 (UTC, ms)`]
      : [];
  }
  const problems: string[] = [];
  const dataKeyed = DATA_KEYED.has(path.slice(path.lastIndexOf('.') + 1));
  for (const [key, v] of Object.entries(value)) {
    const at = `${path}.${key}`;
    if (FOREIGN_DOCUMENT_KEYS.has(key)) continue;
    if (!dataKeyed && !SNAKE.test(key)) problems.push(`${at}: key is not snake_case`);
    if (!dataKeyed && INSTANT.test(key) && v !== null && !(typeof v === 'string' && isRfc3339(v))) {
      problems.push(`${at}: ${JSON.stringify(v)} is not an RFC 3339 time (UTC, ms)`);
    }
    if (key.endsWith('_ms') && typeof v === 'number' && Math.abs(v) >= MAX_DURATION_MS) {
      problems.push(`${at}: ${v} looks like epoch milliseconds, not a duration`);
    }
    problems.push(...jsonContractProblems(v, at));
  }
  return problems;
}
