/**
 * @module render/escape-mrkdwn
 * Slack mrkdwn escaping. `&`, `<` and `>` are Slack's control characters and are the only ones replaced
 * (`&amp;`, `&lt;`, `&gt;`); nothing is HTML-encoded. Log-derived values are attacker-controlled, so they
 * are shown either as code spans ({@link codeSpan}: no formatting, no links, no mentions) or as prose with
 * the formatting characters swapped for look-alikes ({@link mrkdwnText}).
 */
import { cleanField, truncateChars } from './sanitize-text.js';

/** Replaces `&`, `<`, `>` with `&amp;`, `&lt;`, `&gt;`; nothing else. */
export function escapeMrkdwn(s: string): string {
  return s.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

/** Look-alike for a backtick, which would end a code span or fence. */
export const BACKTICK_LOOKALIKE = 'ˋ';

/** Default maximum length (before escaping) of a value shown in a code span. */
export const CODE_SPAN_MAX = 120;

/**
 * Log text safe inside a code span or code block: control characters removed, backticks swapped for
 * {@link BACKTICK_LOOKALIKE}, truncated to `max` characters with `…`, then `&<>` escaped. Truncation
 * happens before escaping, so an entity is never cut in half.
 */
export function codeText(s: string, max = CODE_SPAN_MAX): string {
  return escapeMrkdwn(cleanField(s, max).replaceAll('`', BACKTICK_LOOKALIKE));
}

/** An inline code span for a log-derived value; an empty value shows as `""`. */
export function codeSpan(s: string, max = CODE_SPAN_MAX): string {
  const inner = codeText(s, max).trim();
  return `\`${inner === '' ? '""' : inner}\``;
}

/**
 * Log-derived or mixed prose for mrkdwn: cleaned, truncated to `max`, escaped, and with the formatting
 * characters that could start bold/strike/code (`*`, `~`, `` ` ``, and `_` at a word boundary) swapped
 * for look-alikes, so `*bold*` or `~x~` in a log line shows as typed.
 */
export function mrkdwnText(s: string, max = 500): string {
  return escapeMrkdwn(cleanField(s, max).trim())
    .replaceAll('*', '∗')
    .replaceAll('~', '∼')
    .replaceAll('`', BACKTICK_LOOKALIKE)
    .replace(/(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu, 'ˍ');
}

/** Text for a plain_text object (header): cleaned, truncated, `&<>` escaped. */
export function plainText(s: string, max: number): string {
  // Reserve room for the longest entity so escaping cannot push the result over `max`.
  let text = cleanField(s, max);
  let escaped = escapeMrkdwn(text);
  while (escaped.length > max) {
    text = truncateChars(text, text.length - Math.max(1, escaped.length - max));
    escaped = escapeMrkdwn(text);
  }
  return escaped;
}

function countOf(s: string, needle: string): number {
  let n = 0;
  let at = s.indexOf(needle);
  while (at >= 0) {
    n++;
    at = s.indexOf(needle, at + needle.length);
  }
  return n;
}

/**
 * Cuts already-escaped mrkdwn to at most `max` characters, ending with `…`. Never splits a surrogate
 * pair or an `&amp;`/`&lt;`/`&gt;` entity, and closes a code span or code block left open by the cut.
 */
export function truncateMrkdwn(s: string, max: number): string {
  if (s.length <= max) return s;
  if (max < 8) return truncateChars(s.replace(/[&`*_~]/g, ' '), max).replace(/[<>]/g, ' ');
  let cut = max - 5; // room for "…" and a closing "\n```"
  const high = s.charCodeAt(cut - 1);
  if (high >= 0xd800 && high <= 0xdbff) cut--;
  const amp = s.lastIndexOf('&', cut - 1);
  if (amp >= 0 && cut - amp < 5 && s.indexOf(';', amp) >= cut) cut = amp;
  while (cut > 0 && s[cut - 1] === '`') cut--;
  const kept = s.slice(0, cut);
  const fences = countOf(kept, '```');
  if (fences % 2 === 1) return `${kept}…\n\`\`\``;
  const singles = countOf(kept.replaceAll('```', ''), '`');
  return singles % 2 === 1 ? `${kept}…\`` : `${kept}…`;
}
