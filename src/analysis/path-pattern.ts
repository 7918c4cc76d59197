/**
 * @module analysis/path-pattern
 * Collapses ids in request paths so flows group by route: `/items/123` → `/items/{id}`,
 * `/orders/5ee694cf-f93b-4064-a677-4e6abf8a82be/lines` → `/orders/{id}/lines`,
 * `/users/ana@example.com/cart` → `/users/{email}/cart`. The query string, the fragment and matrix
 * parameters (`;jsessionid=…`) are never part of a pattern.
 *
 * A segment is an id when it is a number (`123`, `2024-05-01`, `-1.5`), holds a UUID, is hex of 8+
 * characters with a digit (or 16+ without), is a base64-like token (16+ characters of the base64 or
 * base64url alphabet with digits or mixed case that do not read as words: words have vowels and long
 * lowercase runs, as in a slug or a `camelCase` name), is a word with a long number (`ORD-104233`, `user_98412`), or is e-mail-like
 * (`a@b.c`, also written `a%40b.c`). Words, file names, versions (`v1`, `v2beta1`) and gRPC names stay.
 *
 * Each segment is classified in one pass over its characters (no regular expression); a path without
 * ids comes back as it is (no new string).
 */

const MAX_SEGMENTS = 12;
const MAX_SEGMENT_LENGTH = 64;

/**
 * The route pattern of a path. Not memoised: one pass over the path costs less than a cache of paths would
 * (at high cardinality most paths are new, and a cache that fills and clears makes old-generation garbage).
 */
export function pathPattern(path: string): string {
  return computePattern(path);
}

/** Where the route of a path ends: at `?`, `#` or `;`. */
function routeEnd(path: string): number {
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c === 63 || c === 35 || c === 59) return i;
  }
  return path.length;
}

/** The pattern of a path (not memoised). */
export function computePattern(path: string): string {
  const end = routeEnd(path);
  if (end === 0) return '/';
  if (end === 1 && path.charCodeAt(0) === 47) return '/';
  let out: string | null = null;
  let start = 0;
  let segments = 0;
  let copied = 0;
  for (let i = 0; i <= end; i++) {
    if (i < end && path.charCodeAt(i) !== 47) continue;
    // A segment [start, i); the first one is what precedes the first slash (empty for `/…`).
    if (segments > MAX_SEGMENTS) {
      out = `${out ?? ''}${path.slice(copied, start)}…`;
      copied = end;
      break;
    }
    const replacement = i > start ? collapseSegment(path, start, i) : null;
    if (replacement !== null) {
      out = (out ?? '') + path.slice(copied, start) + replacement;
      copied = i;
    }
    segments++;
    start = i + 1;
  }
  if (out === null) return end === path.length ? path : path.slice(0, end);
  return copied < end ? out + path.slice(copied, end) : out;
}

const ID = '{id}';
const EMAIL = '{email}';

/**
 * What replaces `path[start, end)`, or null to keep it. One pass counts the character classes the rules
 * need; the rules then decide from the counts.
 */
function collapseSegment(path: string, start: number, end: number): string | null {
  const length = end - start;
  let digits = 0;
  let lower = 0;
  let upper = 0;
  let nonHex = 0; // letters outside a-f/A-F
  let other = 0; // characters outside [A-Za-z0-9]
  let base64Other = 0; // `-`, `_`, `+`, `=` (base64 and base64url symbols)
  let numberPunctuation = 0; // `-`, `.`, `:`, `+`, `,`
  let at = -1;
  let dotAfterAt = false;
  let digitRun = 0;
  let longestDigitRun = 0;
  let vowels = 0;
  let lowerRuns = 0; // runs of lowercase letters (words have long ones, random tokens short ones)
  let previousCase = 0; // 1 lower, 2 upper, 0 other
  for (let i = start; i < end; i++) {
    const c = path.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      digits++;
      digitRun++;
      if (digitRun > longestDigitRun) longestDigitRun = digitRun;
      previousCase = 0;
      continue;
    }
    digitRun = 0;
    if (c >= 97 && c <= 122) {
      lower++;
      if (c === 97 || c === 101 || c === 105 || c === 111 || c === 117) vowels++;
      if (c > 102) nonHex++;
      if (previousCase !== 1) lowerRuns++;
      previousCase = 1;
      continue;
    }
    if (c >= 65 && c <= 90) {
      upper++;
      if (c === 65 || c === 69 || c === 73 || c === 79 || c === 85) vowels++;
      if (c > 70) nonHex++;
      previousCase = 2;
      continue;
    }
    previousCase = 0;
    other++;
    if (c === 45 || c === 95 || c === 43 || c === 61) base64Other++;
    if (c === 45 || c === 46 || c === 58 || c === 43 || c === 44) numberPunctuation++;
    if (c === 64) at = i;
    else if (
      c === 37 &&
      at < 0 &&
      i + 2 < end &&
      path.charCodeAt(i + 1) === 52 &&
      path.charCodeAt(i + 2) === 48
    )
      at = i; // `%40`, an encoded `@`
    else if (c === 46 && at >= 0) dotAfterAt = true;
  }
  const letters = lower + upper;
  // A number, or numbers joined by punctuation: `123`, `2024-05-01`, `-1.5`, `12:30`.
  if (digits > 0 && letters === 0 && other === numberPunctuation) return ID;
  // E-mail-like: something before an `@` (or `%40`) and a dot after it.
  if (at > start && dotAfterAt) return EMAIL;
  if (digits + letters + other !== length) return null;
  // Hex: 8+ characters with a digit (`deadbeef01`), or 16+ of hex letters alone.
  if (other === 0 && nonHex === 0 && ((digits > 0 && length >= 8) || length >= 16)) return ID;
  // A UUID anywhere in the segment (`N40-ig1-09e80315-a967-…`).
  if (length >= 36 && containsUuid(path, start, end)) return ID;
  // A word with a long number: `ORD-104233`, `user_98412`, `item98412`.
  if (longestDigitRun >= 5 && letters > 0) return ID;
  // Base64-like tokens: 16+ characters of the alphabet, random-looking.
  if (length >= 16 && other === base64Other && letters > 0) {
    // Words (slugs, `camelCase` names) have vowels and long lowercase runs; random letters have neither.
    const wordlike = vowels * 10 >= letters * 3 && lower >= lowerRuns * 3;
    if (!wordlike && (digits > 0 || (upper > 2 && lower > 2))) return ID;
  }
  if (length > MAX_SEGMENT_LENGTH) return `${path.slice(start, start + MAX_SEGMENT_LENGTH)}…`;
  return null;
}

/** True when `path[start, end)` holds `8-4-4-4-12` hex digits. */
function containsUuid(path: string, start: number, end: number): boolean {
  for (let i = start; i + 36 <= end; i++) {
    if (path.charCodeAt(i + 8) !== 45 || path.charCodeAt(i + 13) !== 45) continue;
    if (path.charCodeAt(i + 18) !== 45 || path.charCodeAt(i + 23) !== 45) continue;
    let ok = true;
    for (let j = 0; j < 36 && ok; j++) {
      if (j === 8 || j === 13 || j === 18 || j === 23) continue;
      ok = isHex(path.charCodeAt(i + j));
    }
    if (ok) return true;
  }
  return false;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}
