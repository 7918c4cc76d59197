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
    const d = new Date(ms);
    return Number.isNaN(d.getTime()) ? null : d.toISOString();
  }
  if (typeof value !== 'string' || value.length < 10) return null;
  // Fast path: Envoy's default `2020-11-25T21:26:18.409Z` is already canonical.
  if (value.length === 24 && value.charCodeAt(23) === 90 /* Z */ && value.charCodeAt(10) === 84 /* T */) {
    return value.charCodeAt(19) === 46 /* . */ ? value : canonical(value);
  }
  return canonical(value);
}

function canonical(value: string): string | null {
  if (value.length > 64) return null;
  let text = value;
  if (/^\d+(\.\d+)?$/.test(text)) return toIsoTime(Number(text));
  // `2020-08-11 18:34:17.805` → treat as UTC like Envoy does.
  if (/^\d{4}-\d\d-\d\d \d/.test(text)) text = `${text.replace(' ', 'T')}`;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) return null;
  return new Date(ms).toISOString();
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
