/**
 * @module analysis/time-key
 * Entry start times as numbers (epoch ms), for ordering and windows. Comparing the ISO strings directly is
 * a runtime call per comparison in V8; this reads the canonical `YYYY-MM-DDTHH:MM:SS.mmmZ` form (what the
 * parsers produce) with a few multiplications, and falls back to `Date.parse` for anything else.
 */

/** The digit at `at` as a number; NaN when it is not a digit. */
function digit(s: string, at: number): number {
  const d = s.charCodeAt(at) - 48;
  return d >= 0 && d <= 9 ? d : Number.NaN;
}

/** The two digits at `at` as a number; NaN when one of them is not a digit. */
function twoDigits(s: string, at: number): number {
  const a = s.charCodeAt(at) - 48;
  const b = s.charCodeAt(at + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : Number.NaN;
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
  return iso.length === 24 ? timeKeyAt(iso, 0) : Date.parse(iso);
}

/**
 * `timeKey(text.slice(at, at + 24))`, read in place: the start time of a line without cutting it out.
 * `text` must hold at least 24 characters from `at`.
 */
export function timeKeyAt(text: string, at: number): number {
  if (
    text.charCodeAt(at + 4) === 45 &&
    text.charCodeAt(at + 10) === 84 &&
    text.charCodeAt(at + 19) === 46 &&
    text.charCodeAt(at + 23) === 90
  ) {
    // Two digits at a time, written out: this runs once per entry.
    const month = twoDigits(text, at + 5);
    const day = twoDigits(text, at + 8);
    // Parts out of range go to Date.parse, which decides like for any other text (it takes `02-30`).
    if (month >= 1 && month <= 12 && day >= 1 && day <= 31) {
      const hours = twoDigits(text, at + 11);
      const minutes = twoDigits(text, at + 14);
      const secs = twoDigits(text, at + 17);
      if (hours <= 24 && minutes <= 59 && secs <= 59) {
        const year = twoDigits(text, at) * 100 + twoDigits(text, at + 2);
        const millis = twoDigits(text, at + 20) * 10 + digit(text, at + 22);
        const days = daysFromCivil(year, month, day);
        return (days * 86400 + hours * 3600 + minutes * 60 + secs) * 1000 + millis;
      }
    }
  }
  return Date.parse(text.slice(at, at + 24));
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
  if (Number.isNaN(date.getTime())) return null;
  // Outside years 0000–9999 `toISOString` writes `+033658-…`, which is not RFC 3339: no time then.
  const text = date.toISOString();
  return text.length === 24 ? text : null;
}
