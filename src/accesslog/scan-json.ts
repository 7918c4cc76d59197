/**
 * @module accesslog/scan-json
 * The fast path for JSON records: one pass over a flat JSON object that notes where each known key's
 * value starts and ends, without building the object `JSON.parse` would (that object, with its 24
 * property strings, is most of the cost of a JSON access log). Anything the scanner is not sure of —
 * nested values, an escaped key, a number JSON does not allow, a key two fields share, trailing data —
 * makes it answer false, and the caller parses the record with `JSON.parse` instead, so the two paths
 * agree on every input the scanner accepts (a test holds them to that over fixtures and random input).
 * An ASCII record without backslashes is scanned by the same function compiled to WebAssembly
 * (`scanJson` in kernel.wat), into the same arrays; a test holds the two to the same answers.
 */
import { kernel, kernelMemory, writeLine } from './kernel.js';

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

/** JSCAN in the WebAssembly module's memory (see kernel.wat), null without a module. */
export const kernelJsonScan: JsonScan | null =
  kernel === null
    ? null
    : {
        kinds: new Uint8Array(kernelMemory, 0x341000, RANKS),
        ranks: new Uint8Array(kernelMemory, 0x341020, RANKS),
        starts: new Int32Array(kernelMemory, 0x341040, RANKS),
        ends: new Int32Array(kernelMemory, 0x3410c0, RANKS),
      };
/** PAIRS and JCOUNT: where the keys of the record last scanned by the module are. */
const kernelPairs = new Int32Array(kernelMemory, kernel === null ? 0 : 0x343600, kernel === null ? 0 : 257);
/** The key table whose key order the module remembers. */
let kernelShapeTable: JsonKeyTable | null = null;

/** Whether the module's JSON key order (and the field ids it gives) are `table`'s. */
export function kernelScansWith(table: JsonKeyTable): boolean {
  return kernelShapeTable === table;
}

/**
 * `scanJson` by the WebAssembly module when `scan` is `kernelJsonScan` and the module takes the record;
 * else (and for a record whose key order differs from the last one's, which also teaches the module the
 * new order) by `scanJson`.
 */
export function scanJsonRecord(text: string, table: JsonKeyTable, scan: JsonScan): boolean {
  if (kernel === null || scan !== kernelJsonScan || !table.usable) return scanJson(text, table, scan);
  const length = writeLine(text);
  if (length < 0) return scanJson(text, table, scan);
  if (kernelShapeTable !== table) {
    kernel.clearJsonShape();
    kernelShapeTable = table;
  }
  const status = kernel.scanJson(length);
  if (status === 1) return true;
  const scanned = scanJson(text, table, scan);
  if (status === 2) {
    const count = kernelPairs[256] ?? 0;
    for (let p = 0; p < count; p++) {
      const start = kernelPairs[2 * p] ?? 0;
      const end = kernelPairs[2 * p + 1] ?? 0;
      kernel.setJsonShapeKey(p, start, end, table.idOf(text.slice(start, end)));
    }
  }
  return scanned;
}

/**
 * Scans `text` (one JSON object, whitespace allowed around tokens) into `scan`. Returns false when the
 * record must go through `JSON.parse` instead: it is not a flat object of strings, numbers, booleans and
 * nulls, a key has escapes, or anything is out of place.
 */
export function scanJson(text: string, table: JsonKeyTable, scan: JsonScan): boolean {
  if (!table.usable) return false;
  scan.kinds.fill(ABSENT);
  const n = text.length;
  let i = skipSpace(text, 0);
  if (text.charCodeAt(i) !== 123 /* { */) return false;
  i = skipSpace(text, i + 1);
  if (text.charCodeAt(i) === 125 /* } */) return skipSpace(text, i + 1) === n;
  let backslash = nextBackslash(text, i);
  for (let position = 0; ; position++) {
    let id: number;
    const needle = table.expected(position);
    if (needle !== undefined && text.indexOf(needle, i) === i) {
      id = table.expectedId(position);
      i += needle.length;
    } else {
      if (text.charCodeAt(i) !== 34 /* " */) return false;
      const keyStart = i + 1;
      const keyEnd = text.indexOf('"', keyStart);
      if (keyEnd < 0 || backslash < keyEnd) return false;
      id = table.lookup(text, keyStart, keyEnd, position);
      i = skipSpace(text, keyEnd + 1);
      if (text.charCodeAt(i) !== 58 /* : */) return false;
      i++;
    }
    let c = text.charCodeAt(i);
    if (isSpace(c)) {
      i = skipSpace(text, i);
      c = text.charCodeAt(i);
    }
    let kind: number;
    let start: number;
    let end: number;
    if (c === 34 /* " */) {
      start = i + 1;
      end = text.indexOf('"', start);
      if (end < 0) return false;
      if (backslash < end) {
        end = closingQuoteAfterEscapes(text, backslash);
        if (end < 0 || !validString(text, start - 1, end + 1)) return false;
        kind = ESCAPED;
        backslash = nextBackslash(text, end + 1);
      } else {
        kind = STRING;
      }
      i = end + 1;
    } else if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
      start = i;
      end = numberEnd(text, i);
      if (end < 0) return false;
      kind = NUMBER;
      i = end;
    } else if (c === 110 /* n */ && text.startsWith('null', i)) {
      start = i;
      end = i + 4;
      kind = NULL;
      i = end;
    } else if (c === 116 /* t */ && text.startsWith('true', i)) {
      start = i;
      end = i + 4;
      kind = BOOLEAN;
      i = end;
    } else if (c === 102 /* f */ && text.startsWith('false', i)) {
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
    c = text.charCodeAt(i);
    if (c !== 44 /* , */ && c !== 125 /* } */) {
      i = skipSpace(text, i);
      c = text.charCodeAt(i);
    }
    if (c === 44) {
      i = skipSpace(text, i + 1);
      continue;
    }
    if (c === 125) return skipSpace(text, i + 1) === n;
    return false;
  }
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

function skipSpace(text: string, from: number): number {
  let i = from;
  while (isSpace(text.charCodeAt(i))) i++;
  return i;
}

function nextBackslash(text: string, from: number): number {
  const at = text.indexOf('\\', from);
  return at < 0 ? text.length : at;
}

/** The quote closing a string that has a backslash at `from`; -1 when the string never closes. */
function closingQuoteAfterEscapes(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
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
function numberEnd(text: string, from: number): number {
  let i = from;
  if (text.charCodeAt(i) === 45) i++;
  const intStart = i;
  while (isDigit(text.charCodeAt(i))) i++;
  if (i === intStart || (text.charCodeAt(intStart) === 48 && i - intStart > 1)) return -1;
  if (text.charCodeAt(i) === 46 /* . */) {
    const fracStart = ++i;
    while (isDigit(text.charCodeAt(i))) i++;
    if (i === fracStart) return -1;
  }
  const e = text.charCodeAt(i);
  if (e === 101 || e === 69 /* e E */) {
    i++;
    const sign = text.charCodeAt(i);
    if (sign === 43 || sign === 45) i++;
    const expStart = i;
    while (isDigit(text.charCodeAt(i))) i++;
    if (i === expStart) return -1;
  }
  return i;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
