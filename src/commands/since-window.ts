/**
 * @module commands/since-window
 * `--since DUR` and `--since-time RFC3339`: which entries a command keeps. From a cluster, `--since`
 * counts back from now and `--since-time` is sent as `sinceSeconds` (the time it names, rounded up to a
 * second; the summary then keeps exactly the entries from that instant). On saved files "now" means
 * nothing (a file from last week would hold no entry within `--since 1h`), so `--since` counts back from
 * the newest entry in the files, found by a first, cheap pass over them. stdin cannot be read twice and
 * is not buffered (it may be endless): with stdin among the inputs, `--since` counts back from now. The
 * report says which it did.
 */
import type { RecordParser } from '../accesslog/custom-format.js';
import { isoOfTimeKey } from '../analysis/time-key.js';
import { formatDuration } from '../core/duration.js';
import { MeshbotError } from '../core/errors.js';
import { printable } from '../core/kubernetes-names.js';
import type { ParsedCommand } from './command-spec.js';
import type { Clock, LogSource } from './ports.js';

export type SinceWindow =
  /** `--since DUR`: DUR back from now (cluster, stdin) or from the newest entry (files). */
  | { kind: 'duration'; ms: number }
  /** `--since-time T`: entries that started at or after T (epoch ms). */
  | { kind: 'time'; atMs: number; text: string };

const RFC3339 = /^(\d{4})-(\d\d)-(\d\d)[Tt](\d\d):(\d\d):(\d\d)(\.\d{1,9})?([Zz]|([+-])(\d\d):(\d\d))$/;

/** Epoch milliseconds of an RFC 3339 time (`2026-12-04T10:00:00Z`, `…+02:00`); `invalid_argument` if not one. */
export function parseRfc3339(text: string, flag = '--since-time'): number {
  const m = RFC3339.exec(text.trim());
  const fail = () =>
    new MeshbotError(
      'invalid_argument',
      `${flag} ${JSON.stringify(printable(text))} is not an RFC 3339 time: use e.g. 2026-12-04T10:00:00Z or 2026-12-04T11:00:00+01:00`,
      { flag },
    );
  if (m === null) throw fail();
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const offsetHours = m[10] === undefined ? 0 : Number(m[10]);
  const offsetMinutes = m[11] === undefined ? 0 : Number(m[11]);
  if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth ||
    hour > 23 ||
    minute > 59 ||
    second > 59 ||
    offsetHours > 23 ||
    offsetMinutes > 59
  ) {
    throw fail();
  }
  const fraction = m[7] === undefined ? 0 : Math.floor(Number(`0${m[7]}`) * 1000);
  const sign = m[9] === '-' ? -1 : 1;
  const offsetMs = sign * (offsetHours * 60 + offsetMinutes) * 60_000;
  return Date.UTC(year, month - 1, day, hour, minute, second, fraction) - offsetMs;
}

/** `--since` or `--since-time` of a parsed command (at most one of them, as kubectl), or undefined. */
export function sinceWindowOf(parsed: ParsedCommand): SinceWindow | undefined {
  const since = parsed.options.since;
  const sinceTime = parsed.options['since-time'];
  if (since !== undefined && sinceTime !== undefined) {
    throw new MeshbotError('usage', 'pass --since or --since-time, not both', { command: parsed.spec.name });
  }
  if (typeof since === 'number') return { kind: 'duration', ms: since };
  if (typeof sinceTime === 'string') {
    return { kind: 'time', atMs: parseRfc3339(sinceTime), text: sinceTime.trim() };
  }
  return undefined;
}

/**
 * A window as the duration a cluster read asks for (`sinceSeconds`): `--since` as given, `--since-time`
 * as the time from it to now. A time in the future is refused: the pods' logs hold nothing yet.
 */
export function clusterSinceMs(window: SinceWindow | undefined, clock: Clock): number | undefined {
  if (window === undefined) return undefined;
  if (window.kind === 'duration') return window.ms;
  const now = clock();
  if (window.atMs >= now) {
    throw new MeshbotError(
      'invalid_argument',
      `--since-time ${printable(window.text)} is in the future (it is ${new Date(now).toISOString()} here)`,
      { flag: '--since-time' },
    );
  }
  return now - window.atMs;
}

export interface FileWindow {
  /** Entries that started before this instant (epoch ms) are left out; null keeps all. */
  sinceMs: number | null;
  /** Says how the window was measured, for the report. */
  note: string | undefined;
}

/**
 * The window over saved logs. `--since DUR` counts back from the newest entry in `sources` (read once
 * more, first) unless `hasStdin`: then from now. `--since-time` is the instant it names.
 */
export async function fileWindow(
  window: SinceWindow | undefined,
  sources: readonly LogSource[],
  options: {
    hasStdin: boolean;
    clock: Clock;
    customParser?: RecordParser | undefined;
    signal?: AbortSignal | undefined;
  },
): Promise<FileWindow> {
  if (window === undefined) return { sinceMs: null, note: undefined };
  if (window.kind === 'time') {
    const iso = isoOfTimeKey(window.atMs) ?? window.text;
    return { sinceMs: window.atMs, note: `--since-time: entries that started at or after ${iso}.` };
  }
  const span = formatDuration(window.ms);
  if (options.hasStdin) {
    const now = options.clock();
    return {
      sinceMs: now - window.ms,
      note: `--since ${span}: entries that started after ${isoOfTimeKey(now - window.ms)}, ${span} before now (stdin is read once, so not measured from its newest entry; --since-time sets the start).`,
    };
  }
  // Loaded here: the command table imports this module at every start-up.
  const { newestEntryMs } = await import('./summarize-logs.js');
  const newest = await newestEntryMs(sources, {
    customParser: options.customParser,
    signal: options.signal,
  });
  if (newest === null) return { sinceMs: null, note: undefined };
  return {
    sinceMs: newest - window.ms,
    note: `--since ${span}: entries that started after ${isoOfTimeKey(newest - window.ms)}, ${span} before the newest entry (${isoOfTimeKey(newest)}).`,
  };
}
