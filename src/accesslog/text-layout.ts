/**
 * @module accesslog/text-layout
 * Where the fields of one Istio TEXT record are, as offsets into the line: the tokenizer and shape checks
 * shared by the full parser (`parse-text`) and the summary's lean reader (`lean-record`).
 *
 * After `[START_TIME] "REQUEST LINE"` come CODE and FLAGS, a version-dependent middle, four numbers
 * (bytes in/out, duration, upstream service time), a run of five quoted tokens (XFF, user agent,
 * request id, authority, upstream host), then CLUSTER, the three addresses and the optional SNI and ROUTE.
 * Hot path: one pass over the line, boundaries kept in reused arrays (parsing is synchronous and not
 * re-entrant), no regular expressions. An ASCII line is laid out by the same function compiled to
 * WebAssembly (`kernel.wat`: SIMD search instead of an `indexOf` call per token, ~4x faster); other
 * lines, and runtimes without WebAssembly, take the JavaScript below. A test checks the two agree.
 */
import { kernel, kernelMemory, writeLine } from './kernel.js';

const MAX_TOKENS = 64;
/** LAYOUT in the module's memory (kernel.wat). */
const layoutFields = new Int32Array(kernelMemory, 576, 5);

/** Token boundaries (start inclusive, end exclusive) and whether each token was quoted. */
export const starts = new Int32Array(kernelMemory, 0, MAX_TOKENS);
export const ends = new Int32Array(kernelMemory, 256, MAX_TOKENS);
export const quoted = new Uint8Array(kernelMemory, 512, MAX_TOKENS);
/** Whether lines are laid out by the WebAssembly module (for tests). */
export const usesWebAssembly = kernel !== null;

/** The shape of the record last laid out by `layoutText`. Token 0 is CODE, token 1 FLAGS. */
export const layout = {
  /** Index of the `]` closing START_TIME (the time is `text[1, close)`). */
  close: 0,
  /** The request line is `text[reqStart, reqEnd)`. */
  reqStart: 0,
  reqEnd: 0,
  /** Number of tokens after the request line. */
  count: 0,
  /** Index of the first of the five quoted tokens (XFF); BYTES_RECEIVED is `run - 4`. */
  run: 0,
};

export const LAID_OUT = 0;
export const NOT_ACCESS_LOG = 1;
export const MALFORMED = 2;
export type LayoutStatus = typeof LAID_OUT | typeof NOT_ACCESS_LOG | typeof MALFORMED;

/**
 * Lays out one TEXT record (prefixes already removed) into `layout` and the token arrays. Lines that are
 * not `[<ISO time>] "…` are NOT_ACCESS_LOG (Envoy's own `[2020-08-11 18:34:17.805][22][warning]…`
 * included); lines that start like an access log but do not have its shape are MALFORMED.
 */
export function layoutText(text: string): LayoutStatus {
  if (text.charCodeAt(0) !== 91 /* [ */) return NOT_ACCESS_LOG;
  const length = kernel === null ? -1 : writeLine(text);
  if (kernel === null || length < 0) return layoutTextInJs(text);
  const status = kernel.layoutText(length) as LayoutStatus;
  if (status === LAID_OUT) {
    layout.close = layoutFields[0] ?? 0;
    layout.reqStart = layoutFields[1] ?? 0;
    layout.reqEnd = layoutFields[2] ?? 0;
    layout.count = layoutFields[3] ?? 0;
    layout.run = layoutFields[4] ?? 0;
  }
  return status;
}

/** `layoutText` in JavaScript: lines that are not ASCII, runtimes without WebAssembly, and tests. */
export function layoutTextInJs(text: string): LayoutStatus {
  if (text.charCodeAt(0) !== 91 /* [ */) return NOT_ACCESS_LOG;
  const close = text.indexOf(']', 1);
  if (close < 11 || close > 64) return NOT_ACCESS_LOG;
  // `] "` must follow the time; Envoy's own log has `][` and a space instead of `T` in the time.
  if (text.charCodeAt(close + 1) !== 32 || text.charCodeAt(close + 2) !== 34 /* " */) return NOT_ACCESS_LOG;
  if (text.charCodeAt(11) !== 84 /* T */) return NOT_ACCESS_LOG;

  const reqStart = close + 3;
  const reqEnd = closingQuote(text, reqStart);
  if (reqEnd < 0) return MALFORMED;

  const count = tokenize(text, reqEnd + 1);
  if (count < 0) return MALFORMED;

  // The run of five quoted tokens preceded by four unquoted numbers.
  let run = -1;
  for (let k = 6; k + 5 <= count; k++) {
    if (quoted[k] && quoted[k + 1] && quoted[k + 2] && quoted[k + 3] && quoted[k + 4]) {
      if (!quoted[k - 1] && !quoted[k - 2] && !quoted[k - 3] && !quoted[k - 4]) {
        run = k;
        break;
      }
    }
  }
  if (run < 0 || quoted[0] || quoted[1]) return MALFORMED;
  if (intAt(text, 0) === null) return MALFORMED;
  if (!numericOrDash(text, run - 4) || !numericOrDash(text, run - 3) || !numericOrDash(text, run - 2)) {
    return MALFORMED;
  }
  layout.close = close;
  layout.reqStart = reqStart;
  layout.reqEnd = reqEnd;
  layout.count = count;
  layout.run = run;
  return LAID_OUT;
}

/** `text[start, end)` as a string, or null for `-` and empty. */
export function valueIn(text: string, start: number, end: number): string | null {
  if (end - start === 0 || (end - start === 1 && text.charCodeAt(start) === 45)) return null;
  return text.slice(start, end);
}

/** Token `i` as a string, or null for `-` and empty. */
export function valueAt(text: string, i: number): string | null {
  return valueIn(text, starts[i] ?? 0, ends[i] ?? 0);
}

/** Token `i` as a non-negative integer; null for `-`, empty or anything else. */
export function intAt(text: string, i: number): number | null {
  const start = starts[i] ?? 0;
  const end = ends[i] ?? 0;
  if (end === start || end - start > 15) return null;
  let result = 0;
  for (let j = start; j < end; j++) {
    const c = text.charCodeAt(j) - 48;
    if (c < 0 || c > 9) return null;
    result = result * 10 + c;
  }
  return result;
}

/** Whether token `i` is exactly `-`. */
export function isDashAt(text: string, i: number): boolean {
  const start = starts[i] ?? 0;
  return (ends[i] ?? 0) - start === 1 && text.charCodeAt(start) === 45;
}

function numericOrDash(text: string, i: number): boolean {
  return isDashAt(text, i) || intAt(text, i) !== null;
}

/** `"- - -"`: the request line of a TCP entry. */
export function isTcpRequest(text: string): boolean {
  const start = layout.reqStart;
  return (
    layout.reqEnd - start === 5 &&
    text.charCodeAt(start) === 45 &&
    text.charCodeAt(start + 1) === 32 &&
    text.charCodeAt(start + 2) === 45 &&
    text.charCodeAt(start + 3) === 32 &&
    text.charCodeAt(start + 4) === 45
  );
}

/** The first space of the request line (end of the method), or -1. */
export function methodEndOf(text: string): number {
  const sp = text.indexOf(' ', layout.reqStart);
  return sp < 0 || sp > layout.reqEnd ? -1 : sp;
}

/** The last space of the request line after `methodEnd` (start of the protocol), or -1. */
export function protocolSpaceOf(text: string, methodEnd: number): number {
  let sp = layout.reqEnd - 1;
  while (sp > methodEnd && text.charCodeAt(sp) !== 32) sp--;
  return sp > methodEnd ? sp : -1;
}

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'CONNECT', 'TRACE'];

/**
 * The method at `text[start, end)`, as a shared constant string when it is a standard one (GET and POST
 * are told by their characters, without making a string).
 */
export function methodIn(text: string, start: number, end: number): string | null {
  const length = end - start;
  const c0 = text.charCodeAt(start);
  if (length === 3 && c0 === 71 && text.charCodeAt(start + 1) === 69 && text.charCodeAt(start + 2) === 84) {
    return 'GET';
  }
  if (
    length === 4 &&
    c0 === 80 &&
    text.charCodeAt(start + 1) === 79 &&
    text.charCodeAt(start + 2) === 83 &&
    text.charCodeAt(start + 3) === 84
  ) {
    return 'POST';
  }
  const method = valueIn(text, start, end);
  for (const m of METHODS) if (m === method) return m;
  return method;
}

/**
 * The `"` that closes a quoted token: the first one followed by a space or the end of the line, so a
 * quote inside a user agent does not end the token early.
 */
function closingQuote(text: string, from: number): number {
  let j = text.indexOf('"', from);
  while (j >= 0 && j + 1 < text.length && text.charCodeAt(j + 1) !== 32) j = text.indexOf('"', j + 1);
  return j;
}

/** Splits on spaces outside quotes into the shared offset arrays; returns the count, or -1 when malformed. */
function tokenize(text: string, from: number): number {
  const n = text.length;
  let i = from;
  let count = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 32) {
      i++;
      continue;
    }
    if (count === MAX_TOKENS) return -1;
    if (c === 34) {
      // `"-"` (an unset quoted field) is common enough to skip the quote search.
      const j =
        text.charCodeAt(i + 1) === 45 &&
        text.charCodeAt(i + 2) === 34 &&
        (i + 3 === n || text.charCodeAt(i + 3) === 32)
          ? i + 2
          : closingQuote(text, i + 1);
      if (j < 0) return -1;
      starts[count] = i + 1;
      ends[count] = j;
      quoted[count] = 1;
      i = j + 1;
    } else {
      let j = text.indexOf(' ', i);
      if (j < 0) j = n;
      starts[count] = i;
      ends[count] = j;
      quoted[count] = 0;
      i = j;
    }
    count++;
  }
  return count;
}
