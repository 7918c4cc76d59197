/**
 * @module analysis/time-key
 * Entry start times as numbers (epoch ms), for ordering and windows. Comparing the ISO strings directly is
 * a runtime call per comparison in V8; this reads the canonical `YYYY-MM-DDTHH:MM:SS.mmmZ` form (what the
 * parsers produce) with a few multiplications, and falls back to `Date.parse` for anything else.
 */

function digits(s: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) n = n * 10 + (s.charCodeAt(i) - 48);
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
    const days = daysFromCivil(digits(iso, 0, 4), digits(iso, 5, 2), digits(iso, 8, 2));
    const seconds = digits(iso, 11, 2) * 3600 + digits(iso, 14, 2) * 60 + digits(iso, 17, 2);
    return (days * 86400 + seconds) * 1000 + digits(iso, 20, 3);
  }
  return Date.parse(iso);
}
