/**
 * @module kubernetes/log-grep
 * Finds the lines of a streamed log that contain a text (ASCII case-insensitive), searching the BYTES of
 * each chunk as it arrives (`Buffer.indexOf`) before anything is decoded: only matching lines become
 * strings, each with its 1-based line number in the whole stream. A log of 2,000 lines without the text
 * costs one native search per chunk plus a newline count; memory is one partial line carried between
 * chunks (a line cut by a chunk boundary is searched once it is whole).
 *
 * Case-insensitively, without lowering every byte: the search looks for the needle's longest run of
 * characters that have no case (digits and punctuation: `-4540-814` in a UUID) and checks each hit in
 * full; a needle without such a run (mostly letters) is searched by a case-insensitive regex over the
 * chunk read as latin1 (one character per byte, so offsets stay byte offsets).
 */
import type { MatchedLine } from '../commands/cluster-port.js';
import { escapeRegExp } from '../core/escape-reg-exp.js';

/** Shortest case-free run worth searching for directly; shorter ones hit too often in noise. */
const MIN_ANCHOR = 4;
/** A line longer than this is counted but never kept (the access-log parser skips it as `too_long`). */
export const MAX_GREP_LINE = 1 << 20;
const NL = 0x0a;

function isLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

function lower(code: number): number {
  return code >= 0x41 && code <= 0x5a ? code + 0x20 : code;
}

/** The longest run of `needle` without letters: where it starts and how long it is. */
function caseFreeRun(needle: string): { at: number; length: number } {
  let best = { at: 0, length: 0 };
  let start = -1;
  for (let i = 0; i <= needle.length; i++) {
    const free = i < needle.length && !isLetter(needle.charCodeAt(i));
    if (free && start < 0) start = i;
    if (!free && start >= 0) {
      if (i - start > best.length) best = { at: start, length: i - start };
      start = -1;
    }
  }
  return best;
}

export interface LogGrepResult {
  lines: MatchedLine[];
  /** Lines in the stream (a last line without a newline counts). */
  lineCount: number;
  bytes: number;
}

/**
 * Feed chunks with `push`, then call `end`. `needle` must be ASCII (request ids are); matching is
 * ASCII case-insensitive, like the trace's comparison of ids.
 */
export class LogGrep {
  readonly #needle: Buffer;
  readonly #anchor: Buffer;
  /** Offset of the anchor inside the needle. */
  readonly #anchorAt: number;
  /** No case-free anchor: a case-insensitive regex over the bytes read as latin1. */
  readonly #pattern: RegExp | null;
  #carry: Buffer | null = null;
  /** The carried partial line is too long to keep: drop it, count it. */
  #dropping = false;
  #lines = 0;
  #bytes = 0;
  readonly #found: MatchedLine[] = [];

  constructor(needle: string) {
    if (needle === '' || !/^[\x20-\x7e]+$/.test(needle)) throw new Error('LogGrep needs printable ASCII');
    this.#needle = Buffer.from(needle.toLowerCase(), 'latin1');
    const run = caseFreeRun(needle);
    const anchored = run.length >= Math.min(MIN_ANCHOR, needle.length);
    this.#pattern = anchored ? null : new RegExp(escapeRegExp(needle), 'gi');
    this.#anchorAt = anchored ? run.at : 0;
    this.#anchor = Buffer.from(needle.slice(this.#anchorAt, this.#anchorAt + run.length), 'latin1');
  }

  /** Bytes pushed so far. */
  get bytes(): number {
    return this.#bytes;
  }

  push(chunk: Buffer): void {
    this.#bytes += chunk.length;
    let from = 0;
    if (this.#carry !== null || this.#dropping) {
      // The line cut by the previous chunk's end: finished by this chunk's first newline.
      const nl = chunk.indexOf(NL);
      if (nl < 0) {
        this.#hold(this.#carry === null ? chunk : Buffer.concat([this.#carry, chunk]));
        return;
      }
      if (this.#dropping) {
        this.#lines++;
        this.#dropping = false;
      } else {
        const line = Buffer.concat([this.#carry as Buffer, chunk.subarray(0, nl + 1)]);
        this.#carry = null;
        if (line.length > MAX_GREP_LINE) this.#lines++;
        else this.#search(line, 0, line.length);
      }
      from = nl + 1;
    }
    // The chunk's whole lines are searched where they are, without a copy.
    const lastNl = chunk.lastIndexOf(NL);
    if (lastNl >= from) this.#search(chunk, from, lastNl + 1);
    const rest = Math.max(from, lastNl + 1);
    if (rest < chunk.length) this.#hold(chunk.subarray(rest));
  }

  /** `dropPartial`: a last line without a newline was cut (`limitBytes`): neither counted nor searched. */
  end(dropPartial = false): LogGrepResult {
    if (dropPartial) this.#carry = null;
    else if (this.#dropping) this.#lines++;
    else if (this.#carry !== null && this.#carry.length > 0) {
      const last = this.#carry;
      this.#carry = null;
      this.#search(Buffer.concat([last, Buffer.from([NL])]), 0, last.length + 1);
    }
    this.#dropping = false;
    return { lines: this.#found, lineCount: this.#lines, bytes: this.#bytes };
  }

  /** Keeps a partial line for the next chunk (copied: the chunk's memory is not kept alive). */
  #hold(part: Buffer): void {
    if (this.#dropping) return;
    if (part.length > MAX_GREP_LINE) {
      this.#dropping = true;
      this.#carry = null;
      return;
    }
    this.#carry = Buffer.from(part);
  }

  /** Searches whole lines `buf[from, to)` (`to` just after a newline), counting every newline in it. */
  #search(buf: Buffer, from: number, to: number): void {
    // Without an anchor: the region as a one-byte string (offsets stay byte offsets), searched by a regex.
    const text = this.#pattern === null ? null : buf.toString('latin1', from, to);
    const counted = { at: from };
    let at = from;
    for (;;) {
      const start = text === null ? this.#anchored(buf, at, to) : this.#matched(text, at - from, from);
      if (start < 0) break;
      const lineStart = buf.lastIndexOf(NL, start) + 1;
      const lineEnd = buf.indexOf(NL, start + this.#needle.length - 1);
      this.#count(buf, counted, lineStart);
      this.#lines++;
      counted.at = lineEnd + 1;
      if (lineEnd - lineStart <= MAX_GREP_LINE) {
        this.#found.push({ line: this.#lines, text: buf.toString('utf8', lineStart, lineEnd) });
      }
      at = lineEnd + 1;
    }
    this.#count(buf, counted, to);
  }

  /** Where the needle starts at or after `at` (and ends before `to`), found by its anchor; -1 if nowhere. */
  #anchored(buf: Buffer, at: number, to: number): number {
    const anchor = this.#anchor;
    const offset = this.#anchorAt;
    let from = at + offset;
    for (;;) {
      const hit = buf.indexOf(anchor, from);
      if (hit < 0 || hit + anchor.length > to) return -1;
      const start = hit - offset;
      if (start >= at && this.#matchesAt(buf, start, to)) return start;
      from = hit + 1;
    }
  }

  /** Where the needle starts in `text` at or after `at` (as a byte offset: + `base`); -1 if nowhere. */
  #matched(text: string, at: number, base: number): number {
    const pattern = this.#pattern as RegExp;
    pattern.lastIndex = at;
    const m = pattern.exec(text);
    return m === null ? -1 : m.index + base;
  }

  /** Counts the newlines in `buf[counted.at, until)` and moves `counted.at` there. */
  #count(buf: Buffer, counted: { at: number }, until: number): void {
    let p = counted.at;
    for (;;) {
      const nl = buf.indexOf(NL, p);
      if (nl < 0 || nl >= until) break;
      this.#lines++;
      p = nl + 1;
    }
    counted.at = until;
  }

  /** Whether the (lower-case) needle is at `start` in `buf`, ignoring ASCII case, before `limit`. */
  #matchesAt(buf: Buffer, start: number, limit: number): boolean {
    const needle = this.#needle;
    if (start + needle.length > limit) return false;
    for (let i = 0; i < needle.length; i++) {
      if (lower(buf[start + i] as number) !== needle[i]) return false;
    }
    return true;
  }
}
