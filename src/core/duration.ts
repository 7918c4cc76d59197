/**
 * @module core/duration
 * Durations as users write and read them. `--since 15m`, `--for 1h`: kubectl's spelling (`30s`, `15m`, `2h`,
 * `1d`, `1h30m`), parsed here; and the one place durations and relative times are worded for people
 * (`1h30m`, `in 42m`, `3s ago`), through date-fns on a UTC calendar so the time zone never changes a word.
 */
import { createRequire } from 'node:module';
import type { Duration } from 'date-fns';
import type { FormatDistanceToken, Locale } from 'date-fns/locale';
import { MeshbotError } from './errors.js';

/** The date-fns functions this module words durations with. */
interface DateFns {
  utc: typeof import('@date-fns/utc').utc;
  addDays: typeof import('date-fns/addDays').addDays;
  differenceInDays: typeof import('date-fns/differenceInDays').differenceInDays;
  formatDuration: typeof import('date-fns/formatDuration').formatDuration;
  intervalToDuration: typeof import('date-fns/intervalToDuration').intervalToDuration;
}

let loaded: DateFns | undefined;

/**
 * date-fns, loaded the first time a duration is worded: its modules and @date-fns/utc took ~70 ms and
 * 16 MB of RSS at every start-up (measured), and most runs (`logs --file`, `parse`, `trace`) word none.
 * One module per function: `date-fns` itself loads all ~300 of them.
 */
function dateFns(): DateFns {
  if (loaded === undefined) {
    const require = createRequire(import.meta.url);
    loaded = {
      utc: (require('@date-fns/utc') as typeof import('@date-fns/utc')).utc,
      addDays: (require('date-fns/addDays') as typeof import('date-fns/addDays')).addDays,
      differenceInDays: (require('date-fns/differenceInDays') as typeof import('date-fns/differenceInDays'))
        .differenceInDays,
      formatDuration: (require('date-fns/formatDuration') as typeof import('date-fns/formatDuration'))
        .formatDuration,
      intervalToDuration: (
        require('date-fns/intervalToDuration') as typeof import('date-fns/intervalToDuration')
      ).intervalToDuration,
    };
  }
  return loaded;
}

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

/** The units meshbot words durations in, largest first, with their kubectl letters. */
const UNITS = ['days', 'hours', 'minutes', 'seconds'] as const;
type Unit = (typeof UNITS)[number];
const LETTER: Readonly<Record<Unit, string>> = { days: 'd', hours: 'h', minutes: 'm', seconds: 's' };
const TOKEN_LETTER: Partial<Record<FormatDistanceToken, string>> = {
  xDays: 'd',
  xHours: 'h',
  xMinutes: 'm',
  xSeconds: 's',
};

/** A date-fns locale that words `{ hours: 1, minutes: 30 }` as `1h30m` (kubectl's letters, no spaces). */
const COMPACT: Pick<Locale, 'formatDistance'> = {
  formatDistance: (token, count) => `${count}${TOKEN_LETTER[token] ?? ''}`,
};

/**
 * Whole days, hours, minutes and seconds in `ms` (rounded to the second). Days are counted on a UTC calendar
 * from the epoch, never as months or years, so `400d` stays `400d` and no daylight-saving change shifts an hour.
 */
function durationOf(ms: number): Duration {
  const { utc, differenceInDays, intervalToDuration, addDays } = dateFns();
  const end = Math.round(Math.abs(ms) / 1000) * 1000;
  const days = differenceInDays(end, 0, { in: utc });
  const rest = intervalToDuration({ start: addDays(0, days, { in: utc }), end }, { in: utc });
  return { days, hours: rest.hours ?? 0, minutes: rest.minutes ?? 0, seconds: rest.seconds ?? 0 };
}

/**
 * A duration the way `--for` takes it: 5400000 → `1h30m`, 0 → `0s`. `units` keeps only the largest
 * non-zero units (`2` words 3h59m59s as `3h59m`).
 */
export function formatDuration(ms: number, units: number = UNITS.length): string {
  const duration = durationOf(ms);
  const first = UNITS.findIndex((u) => (duration[u] ?? 0) > 0);
  if (first < 0) return `0${LETTER.seconds}`;
  return dateFns().formatDuration(duration, {
    format: UNITS.slice(first, first + Math.max(1, units)),
    delimiter: '',
    locale: COMPACT,
  });
}

/**
 * How far `thenMs` is from `nowMs`, in its two largest units: `in 42m`, `in 1h30m`, `3s ago`, `now` (under
 * a second either way). Both times are epoch milliseconds; the clock is the caller's (injected).
 */
export function formatRelativeTime(thenMs: number, nowMs: number): string {
  const delta = thenMs - nowMs;
  if (Math.abs(delta) < 1000) return 'now';
  const amount = formatDuration(delta, 2);
  return delta > 0 ? `in ${amount}` : `${amount} ago`;
}
