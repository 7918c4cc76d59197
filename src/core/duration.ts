/**
 * @module core/duration
 * `--since 15m`, `--for 1h`: durations as kubectl writes them (`30s`, `15m`, `2h`, `1d`, `1h30m`).
 */
import { MeshbotError } from './errors.js';

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PART = /(\d+)(ms|s|m|h|d)/g;
const WHOLE = /^(?:\d+(?:ms|s|m|h|d))+$/;
const MAX_MS = 366 * 86_400_000;

/** Parses a duration into milliseconds; throws `invalid_duration` naming the flag on bad input. */
export function parseDuration(text: string, flag: string): number {
  const value = text.trim();
  if (!WHOLE.test(value)) {
    throw new MeshbotError(
      'invalid_duration',
      `${flag} ${JSON.stringify(value.slice(0, 40))} is not a duration: use a number and a unit, e.g. 30s, 15m, 2h, 1d or 1h30m`,
      { flag, value: value.slice(0, 40) },
    );
  }
  let total = 0;
  for (const m of value.matchAll(PART)) total += Number(m[1]) * (UNIT_MS[m[2] ?? 's'] ?? 0);
  if (total <= 0 || total > MAX_MS) {
    throw new MeshbotError('invalid_duration', `${flag} must be more than 0 and at most 366d`, {
      flag,
      value,
    });
  }
  return total;
}

/** 5400000 → `1h30m`. */
export function formatDuration(ms: number): string {
  const parts: string[] = [];
  let rest = Math.round(ms / 1000);
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.join('') || '0s';
}
