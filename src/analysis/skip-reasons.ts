/**
 * @module analysis/skip-reasons
 * Skipped lines, counted and worded once for every command and renderer: `logs`, `trace` and `parse`
 * count the same lines, and the text, Slack and JSON-adjacent messages say the same words.
 *
 * Blank lines are not counted as skipped: they hold nothing that was lost, and a report that says
 * "1 skipped line" for an empty line sends the reader looking for a problem that is not there.
 */
import { SKIP_REASONS, type SkipReason } from '../accesslog/entry.js';

/** How each reason reads after a count of one, and of more: "1 not an access-log line", "1 malformed". */
export const SKIP_REASON_WORDS: Readonly<Record<SkipReason, readonly [string, string]>> = {
  blank: ['blank', 'blank'],
  not_access_log: ['not an access-log line', 'not access-log lines'],
  malformed: ['malformed', 'malformed'],
  too_long: ['too long', 'too long'],
  binary: ['binary', 'binary'],
  truncated: ['truncated', 'truncated'],
};

/** `n` lines skipped for `reason`, in words: `3 not access-log lines`. */
export function skippedText(
  reason: SkipReason,
  n: number,
  formatCount: (n: number) => string = String,
): string {
  return `${formatCount(n)} ${SKIP_REASON_WORDS[reason][n === 1 ? 0 : 1]}`;
}

/** Whether lines skipped for this reason count as skipped lines (all but blank ones). */
export function countsAsSkipped(reason: SkipReason): boolean {
  return reason !== 'blank';
}

/** The skipped lines that count, by reason (zeros and blank lines left out), and their total. */
export function countSkipped(skipped: Partial<Record<SkipReason, number>>): {
  total: number;
  reasons: Partial<Record<SkipReason, number>>;
} {
  const reasons: Partial<Record<SkipReason, number>> = {};
  let total = 0;
  for (const reason of SKIP_REASONS) {
    const n = skipped[reason] ?? 0;
    if (n <= 0 || !countsAsSkipped(reason)) continue;
    reasons[reason] = n;
    total += n;
  }
  return { total, reasons };
}

/** `3 not access-log lines, 1 malformed`, in the order of SKIP_REASONS; '' when nothing counts. */
export function describeSkipped(
  skipped: Partial<Record<SkipReason, number>>,
  formatCount: (n: number) => string = String,
): string {
  const { reasons } = countSkipped(skipped);
  return Object.entries(reasons)
    .map(([reason, n]) => skippedText(reason as SkipReason, n, formatCount))
    .join(', ');
}
