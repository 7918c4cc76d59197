/**
 * @module core/redact
 * Secret scrubbing for text that leaves the cluster (Slack messages, audit posts): query and form values
 * of sensitive keys, `Bearer`/`Basic` credentials, JWTs, passwords in URLs, plus operator patterns from
 * `MESHBOT_REDACT`. The secret part becomes `[REDACTED]`; the rest of the text is left as written.
 *
 * Every built-in pattern is linear: matches start only where a run of the relevant characters starts
 * (look-behind), quantifiers are bounded or unambiguous, so a hostile 8 KB line costs one pass per rule.
 * Slack formatting (`<!channel>`, `<url|label>`) is not touched here; escaping it is the renderer's job.
 */

export const REDACTED = '[REDACTED]';

/** Sensitive when any of these occurs anywhere in the lower-cased key (`access_token`, `JSESSIONID`). */
const KEY_SUBSTRINGS = [
  'token',
  'password',
  'passwd',
  'passphrase',
  'secret',
  'credential',
  'signature',
  'session',
  'sessid',
  'jwt',
  'apikey',
  'authorization',
] as const;

/**
 * Sensitive when one of these is a whole word of the key, words split at `_`, `-`, `.`, brackets and
 * camelCase (`x-api-key`, `apiKey`, `auth`, `user[pwd]`), so that `monkey`, `author`, `keyword` and
 * `signed_headers` stay visible.
 */
const KEY_WORDS: ReadonlySet<string> = new Set(['key', 'pwd', 'pass', 'sid', 'sig', 'auth', 'private']);

/** Sensitive only as the whole key: `code` is OAuth's, but `status_code`, `country_code` are not secrets. */
const KEY_EXACT: ReadonlySet<string> = new Set(['code']);

function decodeKey(key: string): string {
  if (!key.includes('%')) return key;
  try {
    return decodeURIComponent(key);
  } catch {
    return key;
  }
}

/** Whether a query/form/JSON key names a secret (see the three lists above). */
export function isSensitiveKey(rawKey: string): boolean {
  const key = decodeKey(rawKey);
  const lower = key.toLowerCase();
  if (KEY_EXACT.has(lower)) return true;
  for (const s of KEY_SUBSTRINGS) if (lower.includes(s)) return true;
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/);
  for (const w of words) if (KEY_WORDS.has(w)) return true;
  return false;
}

// `scheme://user:password@host`: the scheme starts a run (look-behind) and every part is bounded.
const USERINFO =
  /(?<![A-Za-z0-9+.-])([A-Za-z][A-Za-z0-9+.-]{0,31}:\/\/[^\s:/?#@<>|"'\\]{0,256}:)([^\s/?#@<>|"'\\]{1,256})@/g;

// `key=value` after a query/form/cookie separator or at a word start. The value stops at the next
// separator, `?` (so `;jsessionid=X?a=1` keeps `?a=1`), quotes, `|`, `<>` and a backslash (escaped JSON).
const KEY_VALUE = /(?<=^|[?&;#\s"'(,])([A-Za-z0-9_.~%[\]-]{1,128})=([^&;#?\s"'<>|\\]+)/g;

// `"key": "value"` in a pasted JSON line (custom Envoy formats such as `"x-api-key":"%REQ(X-API-KEY)%"`).
const JSON_KEY_VALUE = /"([A-Za-z0-9_.~%[\] -]{1,128})"(\s*:\s*)"((?:[^"\\]|\\.)+)"/g;

const BEARER_OR_BASIC = /\b(bearer|basic)(\s+)([A-Za-z0-9\-._~+/]+=*)/gi;

// Header `eyJ` (`{"` in base64url) starting a run, a payload, then one to three more dot parts (the
// signature may be empty: `alg: none`).
const JWT = /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}(?:\.[A-Za-z0-9_-]*){1,3}/g;

/** `Basic` is also an English word: redact only what looks like credentials (`user:pass` or long). */
function looksLikeBasicCredentials(token: string): boolean {
  if (token.length >= 16) return true;
  try {
    return atob(token.replace(/-/g, '+').replace(/_/g, '/')).includes(':');
  } catch {
    return false;
  }
}

function redactBuiltIn(input: string): string {
  let text = input;
  if (text.includes('@')) text = text.replace(USERINFO, `$1${REDACTED}@`);
  if (text.includes('"')) {
    text = text.replace(JSON_KEY_VALUE, (whole: string, key: string, colon: string) =>
      isSensitiveKey(key) ? `"${key}"${colon}"${REDACTED}"` : whole,
    );
  }
  if (text.includes('=')) {
    text = text.replace(KEY_VALUE, (whole: string, key: string) =>
      isSensitiveKey(key) ? `${key}=${REDACTED}` : whole,
    );
  }
  if (/b(?:earer|asic)/i.test(text)) {
    text = text.replace(BEARER_OR_BASIC, (whole: string, scheme: string, space: string, token: string) =>
      scheme.toLowerCase() === 'basic' && !looksLikeBasicCredentials(token)
        ? whole
        : `${scheme}${space}${REDACTED}`,
    );
  }
  if (text.includes('eyJ')) text = text.replace(JWT, REDACTED);
  return text;
}

/** A global, index-reporting copy of an operator pattern (its own flags kept). */
function globalCopy(pattern: RegExp): RegExp {
  let flags = pattern.flags.replace(/[gy]/g, '');
  if (!flags.includes('d')) flags += 'd';
  return new RegExp(pattern.source, `${flags}g`);
}

/** Replaces each non-empty match, or only its capture group 1 when the pattern has one that took part. */
function redactPattern(text: string, pattern: RegExp): string {
  pattern.lastIndex = 0;
  let out = '';
  let last = 0;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    if (m[0] === '') {
      pattern.lastIndex += 1;
      continue;
    }
    const hasGroup = m.length > 1;
    const group = m.indices?.[1];
    if (hasGroup && group === undefined) continue; // group 1 did not take part: nothing secret
    const [start, end] = hasGroup && group !== undefined ? group : [m.index, m.index + m[0].length];
    if (start === end) continue;
    out += text.slice(last, start) + REDACTED;
    last = end;
  }
  return last === 0 ? text : out + text.slice(last);
}

/**
 * Builds the redactor used for every string meshbot shows: built-in rules, then `extraPatterns` (from
 * `MESHBOT_REDACT`) in order. Patterns are copied with the `g` flag, so callers' regexes are not mutated.
 */
export function createRedactor(extraPatterns: readonly RegExp[]): (text: string) => string {
  const extra = extraPatterns.map(globalCopy);
  return (text: string): string => {
    let out = redactBuiltIn(text);
    for (const pattern of extra) out = redactPattern(out, pattern);
    return out;
  };
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * A copy of `value` with every string inside (plain objects and arrays, any depth) redacted. Keys,
 * numbers, booleans, `null` and non-plain objects (dates, class instances) are kept as they are.
 */
export function redactDeep<T>(value: T, redact: (text: string) => string): T {
  const seen = new Map<object, unknown>();
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redact(v);
    if (typeof v !== 'object' || v === null) return v;
    const done = seen.get(v);
    if (done !== undefined) return done;
    if (Array.isArray(v)) {
      const copy: unknown[] = [];
      seen.set(v, copy);
      for (const item of v) copy.push(walk(item));
      return copy;
    }
    if (!isPlainObject(v)) return v;
    const copy: Record<string, unknown> = Object.create(Object.getPrototypeOf(v));
    seen.set(v, copy);
    for (const [k, item] of Object.entries(v)) copy[k] = walk(item);
    return copy;
  };
  return walk(value) as T;
}
