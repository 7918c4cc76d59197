/**
 * @module accesslog/scan-json
 * The fast path for JSON records: one pass over a flat JSON object that notes where each known key's
 * value starts and ends, without building the object `JSON.parse` would (that object, with its 24
 * property strings, is most of the cost of a JSON access log). Anything the scanner is not sure of —
 * nested values, an escaped key, a number JSON does not allow, a key two fields share, trailing data —
 * makes it answer false, and the caller parses the record with `JSON.parse` instead, so the two paths
 * agree on every input the scanner accepts (a test holds them to that over fixtures and random input).
 */
/** What a value is; `ABSENT` when its key did not occur. */
export const ABSENT = 0;
export const STRING = 1;
/** A string with backslash escapes: decode with `JSON.parse` before use. */
export const ESCAPED = 2;
export const NUMBER = 3;
export const NULL = 4;
export const BOOLEAN = 5;

/** Most fields a key table maps (ids are `field * RANKS + rank`). */
const RANKS = 32;
/** Key positions remembered for the next record: records of one proxy repeat the same key order. */
const SHAPE_LIMIT = 128;

/**
 * Where each field's value is in the record. `starts`/`ends` are the value's bounds (inside the quotes
 * for strings); `ranks` says which of the field's alternative keys filled it (lower wins).
 */
export interface JsonScan {
  readonly kinds: Uint8Array;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  readonly ranks: Uint8Array;
}

export function newJsonScan(fields: number): JsonScan {
  return {
    kinds: new Uint8Array(fields),
    starts: new Int32Array(fields),
    ends: new Int32Array(fields),
    ranks: new Uint8Array(fields),
  };
}

/**
 * Key → field lookup for one key map, with the key order of the last record remembered: records of one
 * proxy repeat their keys in the same order, so the usual key costs one `indexOf` of `"key":` at the
 * position where it should be (V8's comparisons at an offset — `startsWith`, a char loop — cost twice
 * that and more on log-sized strings; measured).
 */
export class JsonKeyTable {
  private readonly ids = new Map<string, number>();
  /** `"key":` for each id: the table's own strings (a key sliced from a record would keep it alive). */
  private readonly needles = new Map<number, string>();
  private readonly shapeNeedles: (string | undefined)[] = [];
  private readonly shapeIds: number[] = [];
  /** False when a key belongs to two fields: the scanner then leaves every record to `JSON.parse`. */
  readonly usable: boolean;

  /** `keysByField[f]` lists the keys that may hold field `f`, first match wins. */
  constructor(keysByField: readonly (readonly string[])[]) {
    let usable = keysByField.length <= 255;
    keysByField.forEach((keys, field) => {
      keys.forEach((key, rank) => {
        const id = field * RANKS + rank;
        if (this.ids.has(key) || rank >= RANKS) usable = false;
        else {
          this.ids.set(key, id);
          this.needles.set(id, `${JSON.stringify(key)}:`);
        }
      });
    });
    this.usable = usable;
  }

  /** `"key":` of the key seen at `position` in the last record, when it was one of the table's. */
  expected(position: number): string | undefined {
    return position < SHAPE_LIMIT ? this.shapeNeedles[position] : undefined;
  }

  expectedId(position: number): number {
    return this.shapeIds[position] ?? -1;
  }

  /** The id of a key (`field * 32 + rank`), or -1 when no field wants it. */
  idOf(key: string): number {
    return this.ids.get(key) ?? -1;
  }

  /** The id of the key at `text[start, end)`, or -1 when no field wants it; remembered for `position`. */
  lookup(text: string, start: number, end: number, position: number): number {
    const id = this.ids.get(text.slice(start, end)) ?? -1;
    if (position < SHAPE_LIMIT && position <= this.shapeNeedles.length) {
      // Unknown keys are not remembered: they take this path each time, which keeps the table small.
      this.shapeNeedles[position] = this.needles.get(id);
      this.shapeIds[position] = id;
    }
    return id;
  }
}

/**
 * Scans `text[from, to)` (one JSON object, whitespace allowed around tokens; the whole text by default)
 * into `scan`, with offsets into `text`. Returns false when the record must go through `JSON.parse`
 * instead: it is not a flat object of strings, numbers, booleans and nulls, a key has escapes, or anything
 * is out of place. Read in place like a TEXT line (see text-layout): nothing is read past `to`.
 */
export function scanJson(
  text: string,
  table: JsonKeyTable,
  scan: JsonScan,
  from = 0,
  to = text.length,
): boolean {
  if (!table.usable) return false;
  scan.kinds.fill(ABSENT);
  let i = skipSpace(text, from, to);
  if (charAt(text, i, to) !== 123 /* { */) return false;
  i = skipSpace(text, i + 1, to);
  if (charAt(text, i, to) === 125 /* } */) return skipSpace(text, i + 1, to) === to;
  let backslash = nextBackslash(text, i, to);
  for (let position = 0; ; position++) {
    let id: number;
    const needle = table.expected(position);
    // `indexOf`, not `startsWith` (measured 1.5x slower on this path): on a miss it runs on to the needle's
    // next place, at most the next record of the chunk, and misses come only when the key order changes.
    if (needle !== undefined && i + needle.length <= to && text.indexOf(needle, i) === i) {
      id = table.expectedId(position);
      i += needle.length;
    } else {
      if (charAt(text, i, to) !== 34 /* " */) return false;
      const keyStart = i + 1;
      const keyEnd = text.indexOf('"', keyStart);
      if (keyEnd < 0 || keyEnd >= to || backslash < keyEnd) return false;
      id = table.lookup(text, keyStart, keyEnd, position);
      i = skipSpace(text, keyEnd + 1, to);
      if (charAt(text, i, to) !== 58 /* : */) return false;
      i++;
    }
    let c = charAt(text, i, to);
    if (isSpace(c)) {
      i = skipSpace(text, i, to);
      c = charAt(text, i, to);
    }
    let kind: number;
    let start: number;
    let end: number;
    if (c === 34 /* " */) {
      start = i + 1;
      end = text.indexOf('"', start);
      if (end < 0 || end >= to) return false;
      if (backslash < end) {
        end = closingQuoteAfterEscapes(text, backslash, to);
        if (end < 0 || !validString(text, start - 1, end + 1)) return false;
        kind = ESCAPED;
        backslash = nextBackslash(text, end + 1, to);
      } else {
        kind = STRING;
      }
      i = end + 1;
    } else if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
      start = i;
      end = numberEnd(text, i, to);
      if (end < 0) return false;
      kind = NUMBER;
      i = end;
    } else if (c === 110 /* n */ && i + 4 <= to && text.startsWith('null', i)) {
      start = i;
      end = i + 4;
      kind = NULL;
      i = end;
    } else if (c === 116 /* t */ && i + 4 <= to && text.startsWith('true', i)) {
      start = i;
      end = i + 4;
      kind = BOOLEAN;
      i = end;
    } else if (c === 102 /* f */ && i + 5 <= to && text.startsWith('false', i)) {
      start = i;
      end = i + 5;
      kind = BOOLEAN;
      i = end;
    } else {
      return false;
    }
    if (id >= 0) {
      const field = (id / RANKS) | 0;
      const rank = id % RANKS;
      // The first key of the field's list wins; a repeated key keeps its last value, as in JSON.parse.
      if (scan.kinds[field] === ABSENT || rank <= (scan.ranks[field] ?? 0)) {
        scan.kinds[field] = kind;
        scan.starts[field] = start;
        scan.ends[field] = end;
        scan.ranks[field] = rank;
      }
    }
    c = charAt(text, i, to);
    if (c !== 44 /* , */ && c !== 125 /* } */) {
      i = skipSpace(text, i, to);
      c = charAt(text, i, to);
    }
    if (c === 44) {
      i = skipSpace(text, i + 1, to);
      continue;
    }
    if (c === 125) return skipSpace(text, i + 1, to) === to;
    return false;
  }
}

/** The character code at `i`, or NaN (equal to nothing) at or past `to`, as `charCodeAt` past a string's end. */
function charAt(text: string, i: number, to: number): number {
  return i < to ? text.charCodeAt(i) : Number.NaN;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

function skipSpace(text: string, from: number, to: number): number {
  let i = from;
  while (i < to && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/**
 * Where the next backslash at or after `from` is, or `to` when the record has none left. The search is
 * remembered for the text: records read in place share their chunk, and a search that ran past one
 * record into the next (backslashes are rare) is not run again for each of them.
 */
let backslashText = '';
let backslashFrom = 0;
let backslashAt = -1;
function nextBackslash(text: string, from: number, to: number): number {
  if (text !== backslashText || from < backslashFrom || (backslashAt >= 0 && from > backslashAt)) {
    backslashText = text;
    backslashAt = text.indexOf('\\', from);
  }
  backslashFrom = from;
  return backslashAt < 0 || backslashAt >= to ? to : backslashAt;
}

/** The quote closing a string that has a backslash at `from`; -1 when the string never closes before `to`. */
function closingQuoteAfterEscapes(text: string, from: number, to: number): number {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 92 /* \ */) i++;
    else if (c === 34) return i;
  }
  return -1;
}

/** Whether `text[from, to)` is a JSON string literal (escapes are rare: checking them the slow way is fine). */
function validString(text: string, from: number, to: number): boolean {
  try {
    JSON.parse(text.slice(from, to));
    return true;
  } catch {
    return false;
  }
}

/**
 * End of a JSON number starting at `from`, or -1 when it is not one JSON allows (leading zeros, a bare
 * `-`, `1.`, `.5`, `1e`): those go to `JSON.parse`, which rejects them.
 */
function numberEnd(text: string, from: number, to: number): number {
  let i = from;
  if (charAt(text, i, to) === 45) i++;
  const intStart = i;
  while (isDigit(charAt(text, i, to))) i++;
  if (i === intStart || (text.charCodeAt(intStart) === 48 && i - intStart > 1)) return -1;
  if (charAt(text, i, to) === 46 /* . */) {
    const fracStart = ++i;
    while (isDigit(charAt(text, i, to))) i++;
    if (i === fracStart) return -1;
  }
  const e = charAt(text, i, to);
  if (e === 101 || e === 69 /* e E */) {
    i++;
    const sign = charAt(text, i, to);
    if (sign === 43 || sign === 45) i++;
    const expStart = i;
    while (isDigit(charAt(text, i, to))) i++;
    if (i === expStart) return -1;
  }
  return i;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
