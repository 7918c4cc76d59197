/**
 * @module render/format-values
 * Number, duration, time and count formatting shared by the Slack and terminal renderers. Output is
 * plain text; callers escape or sanitize log-derived parts themselves.
 */
import type { DurationStats, Severity } from '../analysis/report.js';

const COUNT_FORMAT = new Intl.NumberFormat('en-US');

/** `1234` → `1,234`. */
export function formatCount(n: number): string {
  return COUNT_FORMAT.format(n);
}

/** `n` with the singular or plural noun: `1 flow`, `3 flows`. */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatCount(n)} ${n === 1 ? singular : pluralForm}`;
}

/** Bytes for people: `512 B`, `4.3 KiB`, `12.0 MiB`, `1.2 GiB`. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(1)} GiB`;
}

/** Milliseconds for people: `-`, `0ms`, `87ms`, `1.24s`, `12.4s`, `2m05s`. */
export function formatMs(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '-';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(2)}s`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes}m${String(seconds).padStart(2, '0')}s`;
}

/** `p50 3ms · p95 12ms · p99 40ms · max 1.24s`, or null when no entry had a duration. */
export function formatPercentiles(d: DurationStats, separator = ' · '): string | null {
  if (d.p50 === null && d.p95 === null && d.p99 === null && d.max === null) return null;
  return [
    `p50 ${formatMs(d.p50)}`,
    `p95 ${formatMs(d.p95)}`,
    `p99 ${formatMs(d.p99)}`,
    `max ${formatMs(d.max)}`,
  ].join(separator);
}

/** Entries of a count map, largest first (ties by key), at most `limit`, plus how many were left out. */
export function topCounts(
  counts: Readonly<Record<string, number>>,
  limit: number,
): { top: [string, number][]; rest: number } {
  const all = Object.entries(counts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return { top: all.slice(0, limit), rest: Math.max(0, all.length - limit) };
}

/** ISO timestamp → `2025-01-02 10:00:01.234Z`; anything unparseable is returned as given. */
export function formatTime(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2}(?:\.\d+)?)Z$/.exec(iso);
  return m === null ? iso : `${m[1]} ${m[2]}Z`;
}

/** A window as `from → to`, dropping the date of `to` when it equals the date of `from`. */
export function formatWindow(window: { from: string | null; to: string | null }): string | null {
  if (window.from === null && window.to === null) return null;
  const from = window.from === null ? '?' : formatTime(window.from);
  let to = window.to === null ? '?' : formatTime(window.to);
  if (window.from !== null && window.to !== null && window.from.slice(0, 10) === window.to.slice(0, 10)) {
    to = to.slice(11) || to;
  }
  return `${from} → ${to}`;
}

/** Order for sorting findings: critical first. */
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = {
  critical: 0,
  error: 1,
  warning: 2,
  info: 3,
};
