/**
 * @module render/sanitize-text
 * Makes log-derived text safe to show on one line: ANSI/terminal escape sequences are removed, tabs and
 * line breaks become spaces, other C0/C1 control characters, bidirectional overrides and lone surrogates
 * are dropped. Every string that came from a log line goes through this before any renderer prints it.
 */

const ESC = 0x1b;
const CSI_8BIT = 0x9b;
const BEL = 0x07;

function isBidiControl(code: number): boolean {
  return (
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069) ||
    code === 0x200e ||
    code === 0x200f
  );
}

/** Index just after a CSI sequence whose parameters start at `i` (ends at a byte in `@`–`~`). */
function skipCsi(s: string, i: number): number {
  let j = i;
  while (j < s.length) {
    const c = s.charCodeAt(j);
    j++;
    if (c >= 0x40 && c <= 0x7e) return j;
  }
  return j;
}

/** Index just after an OSC/DCS/APC/PM/SOS string starting at `i` (ends at BEL or ESC \). */
function skipString(s: string, i: number): number {
  let j = i;
  while (j < s.length) {
    const c = s.charCodeAt(j);
    if (c === BEL) return j + 1;
    if (c === ESC) return s[j + 1] === '\\' ? j + 2 : j + 1;
    j++;
  }
  return j;
}

/** Index just after the escape sequence that starts with ESC at `i`. */
function skipEscape(s: string, i: number): number {
  const next = s[i + 1];
  if (next === undefined) return i + 1;
  if (next === '[') return skipCsi(s, i + 2);
  if (next === ']' || next === 'P' || next === '_' || next === '^' || next === 'X')
    return skipString(s, i + 2);
  // Two-character sequences (ESC c, ESC 7, ESC ( B …): drop ESC and the next printable character.
  const code = next.charCodeAt(0);
  if (code === 0x28 || code === 0x29) return Math.min(s.length, i + 3);
  return code >= 0x20 && code <= 0x7e ? i + 2 : i + 1;
}

/**
 * Returns `input` with escape sequences and control characters removed and line breaks/tabs turned into
 * spaces. Well-formed surrogate pairs (emoji) are kept; lone surrogates are dropped.
 */
export function sanitizeText(input: string): string {
  let out = '';
  let i = 0;
  const n = input.length;
  while (i < n) {
    const c = input.charCodeAt(i);
    if (c === ESC) {
      i = skipEscape(input, i);
      continue;
    }
    if (c === CSI_8BIT) {
      i = skipCsi(input, i + 1);
      continue;
    }
    if (c === 0x09 || c === 0x0a || c === 0x0d) {
      out += ' ';
      i++;
      continue;
    }
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || isBidiControl(c)) {
      i++;
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff) {
      const low = input.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) out += input.slice(i, i + 2);
      i += low >= 0xdc00 && low <= 0xdfff ? 2 : 1;
      continue;
    }
    if (c >= 0xdc00 && c <= 0xdfff) {
      i++;
      continue;
    }
    out += input[i];
    i++;
  }
  return out;
}

/**
 * Sanitizes a possibly huge log-derived string and truncates it to `max` UTF-16 units with `…`.
 * Only a prefix of the input is examined, so a 100k-character user agent costs no more than a short one.
 */
export function cleanField(input: string, max: number): string {
  const prefix = input.length > max * 2 + 64 ? input.slice(0, max * 2 + 64) : input;
  const clean = sanitizeText(prefix);
  if (clean.length > max) return truncateChars(clean, max);
  return prefix.length < input.length ? truncateChars(`${clean}…`, max) : clean;
}

/**
 * Cuts `s` to at most `max` UTF-16 units, ending with `ellipsis` when cut. Never splits a surrogate pair.
 */
export function truncateChars(s: string, max: number, ellipsis = '…'): string {
  if (s.length <= max) return s;
  if (max <= 0) return '';
  if (max <= ellipsis.length) return ellipsis.slice(0, max);
  let cut = max - ellipsis.length;
  const last = s.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut--;
  // A zero-width joiner or variation selector at the end would dangle; drop it with its base.
  while (cut > 0 && /[\u200d\ufe0f]/.test(s.charAt(cut - 1))) cut--;
  return s.slice(0, cut) + ellipsis;
}
