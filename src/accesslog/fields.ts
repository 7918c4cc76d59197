/**
 * @module accesslog/fields
 * Normalisers shared by every format: absent values (`-`, `""`, null) become null, numbers accept
 * JSON numbers or numeric strings, times become ISO 8601 with milliseconds (UTC).
 */
import { toShortFlag } from './response-flags.js';

/** `-`, empty and null/undefined → null; anything else as a string. */
export function nullable(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value === '-' || value === '' ? null : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

/** Non-negative integer from digits (or a JSON number); `-`/empty/other → null. Never throws. */
export function toInt(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : null;
  if (typeof value !== 'string') return null;
  const n = value.length;
  if (n === 0 || n > 15) return null;
  let result = 0;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return null;
    result = result * 10 + c;
  }
  return result;
}

/** A `%START_TIME%` value as ISO 8601 with ms in UTC, or null when it is not a time. */
export function toIsoTime(value: unknown): string | null {
  if (typeof value === 'number') {
    // %START_TIME(%s)% style epoch seconds, or epoch ms.
    const ms = value > 1e11 ? value : value * 1000;
    return utcString(ms);
  }
  if (typeof value !== 'string' || value.length < 10) return null;
  // Fast path: Envoy's default `2020-11-25T21:26:18.409Z` is already canonical.
  if (value.length === 24 && value.charCodeAt(23) === 90 /* Z */ && value.charCodeAt(10) === 84 /* T */) {
    if (value.charCodeAt(19) !== 46 /* . */) return canonical(value);
    if (isCanonicalTime(value, 0)) return value;
    // Digits in place but odd separators or hour 24: the time read digit by digit, written canonically.
    const key = civilTimeKey(value);
    return Number.isNaN(key) ? canonical(value) : utcString(key);
  }
  return canonical(value);
}

function canonical(value: string): string | null {
  if (value.length > 64) return null;
  let text = value;
  if (/^\d+(\.\d+)?$/.test(text)) return toIsoTime(Number(text));
  // `2020-08-11 18:34:17.805` → treat as UTC like Envoy does.
  if (/^\d{4}-\d\d-\d\d \d/.test(text)) text = `${text.replace(' ', 'T')}`;
  return utcString(Date.parse(text));
}

/** `YYYY-MM-DDTHH:MM:SS.mmmZ` of epoch ms; null outside years 0000–9999 (`+033658-…` is not RFC 3339). */
function utcString(ms: number): string | null {
  if (!Number.isFinite(ms)) return null;
  const text = new Date(ms).toISOString();
  return text.length === 24 ? text : null;
}

/**
 * `toIsoTime(text.slice(start, end))`, checking the usual canonical time where it lies in `text` (a line,
 * or the chunk it is read from) before making a string of it.
 */
export function isoTimeIn(text: string, start: number, end: number): string | null {
  if (end - start === 24 && isCanonicalTime(text, start) && text.charCodeAt(start + 10) === 84) {
    const z = text.charCodeAt(start + 23);
    if (z === 90 /* Z */ && text.charCodeAt(start + 19) === 46 /* . */) return text.slice(start, end);
  }
  return toIsoTime(text.slice(start, end));
}

/** The two digits at `at` as a number, or -1 when either is not a digit. */
function twoDigits(s: string, at: number): number {
  const a = s.charCodeAt(at) - 48;
  const b = s.charCodeAt(at + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  if (month !== 2) return MONTH_DAYS[month - 1] ?? 0;
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
}

/**
 * Epoch ms of `YYYY?MM?DDTHH?MM?SS.mmmZ` read digit by digit as the lean reader does (`-` at 4, month 1–12,
 * day 1–31 counted on from the month's first, hour 0–24, minute and second 0–59); NaN for anything else.
 */
function civilTimeKey(s: string): number {
  const century = twoDigits(s, 0);
  const yy = twoDigits(s, 2);
  const month = twoDigits(s, 5);
  const day = twoDigits(s, 8);
  const hour = twoDigits(s, 11);
  const minute = twoDigits(s, 14);
  const second = twoDigits(s, 17);
  const tens = twoDigits(s, 20);
  const last = s.charCodeAt(22) - 48;
  if (
    s.charCodeAt(4) !== 45 ||
    century < 0 ||
    yy < 0 ||
    tens < 0 ||
    last < 0 ||
    last > 9 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > 31 ||
    hour < 0 ||
    hour > 24 ||
    minute < 0 ||
    minute > 59 ||
    second < 0 ||
    second > 59
  ) {
    return Number.NaN;
  }
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0–99 as 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(century * 100 + yy, month - 1, day);
  return date.getTime() + ((hour * 60 + minute) * 60 + second) * 1000 + tens * 10 + last;
}

/**
 * Whether the 24 characters at `at` (`….mmmZ`) are an RFC 3339 time as `toISOString` writes it: digits where
 * digits go, a month, a day of that month, an hour, minute and second in range. Log text is
 * attacker-controlled: anything else is read again (and comes back canonical, or null). Written out: it
 * runs once per entry.
 */
function isCanonicalTime(s: string, at: number): boolean {
  const month = twoDigits(s, at + 5);
  const day = twoDigits(s, at + 8);
  const hour = twoDigits(s, at + 11);
  const minute = twoDigits(s, at + 14);
  const second = twoDigits(s, at + 17);
  return (
    twoDigits(s, at) >= 0 &&
    twoDigits(s, at + 2) >= 0 &&
    twoDigits(s, at + 20) >= 0 &&
    twoDigits(s, at + 21) >= 0 &&
    s.charCodeAt(at + 4) === 45 &&
    s.charCodeAt(at + 7) === 45 &&
    s.charCodeAt(at + 13) === 58 &&
    s.charCodeAt(at + 16) === 58 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    (day <= 28 || day <= daysInMonth(twoDigits(s, at) * 100 + twoDigits(s, at + 2), month)) &&
    hour >= 0 &&
    hour <= 23 &&
    minute >= 0 &&
    minute <= 59 &&
    second >= 0 &&
    second <= 59
  );
}

const NO_FLAGS: string[] = [];

/** `UF,URX` → `['UF','URX']`; `-` → `[]`; long names (`NoHealthyUpstream`) → short codes. */
export function splitFlags(value: unknown): string[] {
  if (typeof value !== 'string' || value === '-' || value === '') return NO_FLAGS.slice();
  const flags: string[] = [];
  let start = 0;
  for (;;) {
    const comma = value.indexOf(',', start);
    const part = (comma < 0 ? value.slice(start) : value.slice(start, comma)).trim();
    if (part !== '' && part !== '-') flags.push(isShortFlag(part) ? part : toShortFlag(part));
    if (comma < 0) break;
    start = comma + 1;
  }
  return flags;
}

function isShortFlag(flag: string): boolean {
  if (flag.length > 5) return false;
  for (let i = 0; i < flag.length; i++) {
    const c = flag.charCodeAt(i);
    if (c < 65 || c > 90) return false;
  }
  return true;
}

/** Strips the trailing `;` some Istio 1.23/1.24 builds left on JSON `upstream_cluster` (istio#54219). */
export function cleanCluster(value: unknown): string | null {
  const cluster = nullable(value);
  if (cluster === null) return null;
  const trimmed = cluster.endsWith(';') ? cluster.slice(0, -1) : cluster;
  return trimmed === '' || trimmed === '-' ? null : trimmed;
}

/**
 * `text.lastIndexOf(char)` for one character code, scanning back from the end: V8 runs `lastIndexOf` in its
 * C++ runtime, which costs far more than this loop on the short strings of a log line.
 */
export function lastIndexOfCode(text: string, code: number): number {
  for (let i = text.length - 1; i >= 0; i--) if (text.charCodeAt(i) === code) return i;
  return -1;
}

/** Whether an address ends in port 0 (`203.0.113.7:0`): a gateway restored the client address from XFF. */
export function hasZeroPort(address: string): boolean {
  return address.charCodeAt(address.length - 1) === 48 && address.charCodeAt(address.length - 2) === 58;
}
