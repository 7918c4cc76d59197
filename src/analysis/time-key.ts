/**
 * @module analysis/time-key
 * Entry start times as numbers (epoch ms), for ordering and windows. Comparing the ISO strings directly is
 * a runtime call per comparison in V8; this reads the canonical `YYYY-MM-DDTHH:MM:SS.mmmZ` form (what the
 * parsers produce) with a few multiplications, and falls back to `Date.parse` for anything else.
 */

/** The number written by `count` digits at `from`; NaN when one of them is not a digit. */
function digits(s: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return Number.NaN;
    n = n * 10 + d;
  }
  return n;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Epoch milliseconds of an ISO 8601 time, or NaN. */
export function timeKey(iso: string): number {
  if (
    iso.length === 24 &&
    iso.charCodeAt(4) === 45 &&
    iso.charCodeAt(10) === 84 &&
    iso.charCodeAt(19) === 46 &&
    iso.charCodeAt(23) === 90
  ) {
    const month = digits(iso, 5, 2);
    const day = digits(iso, 8, 2);
    // Parts out of range go to Date.parse, which decides like for any other text (it takes `02-30`).
    if (!(month >= 1 && month <= 12 && day >= 1 && day <= 31)) return Date.parse(iso);
    const days = daysFromCivil(digits(iso, 0, 4), month, day);
    const hours = digits(iso, 11, 2);
    const minutes = digits(iso, 14, 2);
    const secs = digits(iso, 17, 2);
    if (!(hours <= 24 && minutes <= 59 && secs <= 59)) return Date.parse(iso);
    const seconds = hours * 3600 + minutes * 60 + secs;
    return (days * 86400 + seconds) * 1000 + digits(iso, 20, 3);
  }
  return Date.parse(iso);
}

/**
 * The canonical ISO string of a time key; null for none (±Infinity, NaN). For the canonical strings the
 * parsers produce this is the string the key was read from (a day past the month's end, which Date.parse
 * accepts, comes back as the date it means), so a summary can keep numbers, not strings
 * (which would keep the chunk of input they were sliced from alive).
 */
export function isoOfTimeKey(key: number): string | null {
  if (!Number.isFinite(key)) return null;
  const date = new Date(key);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
