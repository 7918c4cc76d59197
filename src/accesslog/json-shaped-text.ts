/**
 * @module accesslog/json-shaped-text
 * Records that look like JSON but were written by a text format: Envoy Gateway v0.6–v1.3's default access log
 * was the text format `{"start_time":"%START_TIME%","method":"%REQ(:METHOD)%",…}`. Envoy substitutes a text
 * format's values as they are, so a header holding `"` or `\` makes the line invalid JSON (`"user-agent":"a
 * "quoted" agent"`). `JSON.parse` refuses such a line; this reader takes it by its shape instead. Only called
 * after `JSON.parse` failed, so valid JSON never comes here.
 */

/** Most keys read from one record: Envoy Gateway's default has 24. */
const MAX_KEYS = 256;
/** Longest key: keys are a format's own names. */
const MAX_KEY_LENGTH = 128;

/**
 * Reads a flat `{"key":"value",…}` record whose string values are not escaped: a string value ends at the
 * first `","` that is followed by a key and `":` (or at the closing `"}`); bare values (`123`, `null`, `-`)
 * end at the next `,"` or `}`. Values are kept as written, backslashes included (the text format wrote
 * them raw). Returns null when the text does not have this shape. Work is linear in the record's length:
 * every search moves forward.
 */
export function readJsonShapedText(text: string): Record<string, unknown> | null {
  const start = skipSpace(text, 0);
  let end = text.length;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  if (text.charCodeAt(start) !== 123 /* { */ || text.charCodeAt(end - 1) !== 125 /* } */) return null;
  const close = end - 1;
  const record: Record<string, unknown> = {};
  let i = skipSpace(text, start + 1);
  if (i === close) return record;
  for (let keys = 0; keys < MAX_KEYS; keys++) {
    // Key: `"name"` then `:`.
    if (text.charCodeAt(i) !== 34 /* " */) return null;
    const keyEnd = text.indexOf('"', i + 1);
    if (keyEnd < 0 || keyEnd >= close || keyEnd - i - 1 > MAX_KEY_LENGTH) return null;
    const key = text.slice(i + 1, keyEnd);
    i = skipSpace(text, keyEnd + 1);
    if (text.charCodeAt(i) !== 58 /* : */) return null;
    i = skipSpace(text, i + 1);
    let valueEnd: number;
    let next: number;
    if (text.charCodeAt(i) === 34) {
      valueEnd = stringValueEnd(text, i + 1, close);
      if (valueEnd < 0) return null;
      record[key] = text.slice(i + 1, valueEnd);
      next = skipSpace(text, valueEnd + 1);
    } else {
      valueEnd = bareValueEnd(text, i, close);
      const raw = text.slice(i, valueEnd).trim();
      if (raw === '') return null;
      record[key] = bareValue(raw);
      next = valueEnd;
    }
    if (next >= close) return record;
    if (text.charCodeAt(next) !== 44 /* , */) return null;
    i = skipSpace(text, next + 1);
  }
  return null;
}

/**
 * The quote closing a string value that starts at `from`: the first `"` followed (after spaces) by `,` and
 * a `"key":`, or the last quote before the closing brace; -1 when there is none.
 */
function stringValueEnd(text: string, from: number, close: number): number {
  let q = text.indexOf('"', from);
  while (q >= 0 && q < close) {
    const after = skipSpace(text, q + 1);
    if (after === close) return q;
    if (text.charCodeAt(after) === 44 /* , */) {
      const keyStart = skipSpace(text, after + 1);
      if (text.charCodeAt(keyStart) === 34) {
        const keyEnd = text.indexOf('"', keyStart + 1);
        if (keyEnd < 0 || keyEnd >= close) return -1;
        if (text.charCodeAt(skipSpace(text, keyEnd + 1)) === 58 /* : */) return q;
        // Not a key: the quote at keyEnd is inside the value too; carry on from there.
        q = keyEnd;
        continue;
      }
    }
    q = text.indexOf('"', q + 1);
  }
  return -1;
}

/** The end of a bare value (a number, `null`, `true`, `-`): the next `,` before a quote, or the closing brace. */
function bareValueEnd(text: string, from: number, close: number): number {
  let i = from;
  while (i < close) {
    if (text.charCodeAt(i) === 44 && text.charCodeAt(skipSpace(text, i + 1)) === 34) return i;
    i++;
  }
  return close;
}

/** A bare value as `JSON.parse` would give it when it is valid JSON, else the text (Envoy's `-`). */
function bareValue(raw: string): unknown {
  if (raw === 'null') return null;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  const n = Number(raw);
  return /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(raw) && Number.isFinite(n) ? n : raw;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

function skipSpace(text: string, from: number): number {
  let i = from;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}
