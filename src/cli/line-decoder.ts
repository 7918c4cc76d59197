/**
 * @module cli/line-decoder
 * UTF-8 bytes → text, in pieces of whole lines of at most 64 KiB (a line longer than that is streamed in
 * pieces as it comes). Lines of ASCII only (nearly all of an access log) are read as Latin-1, which V8
 * keeps in one-byte strings; lines with other bytes (a browser's user agent, a path in another script) go
 * through TextDecoder. Decoding a whole piece through TextDecoder made the piece a two-byte string as soon
 * as one line of it needed one: twice the memory, and twice the garbage behind every field sliced from it
 * (measured on the high-cardinality profile, where one line in ten is not ASCII: ~780 of the ~2,800
 * bytes allocated per line were decoding). The text is the same either way: bad bytes become
 * U+FFFD, and a byte-order mark is dropped at the start of the input only.
 */
import { isAscii } from 'node:buffer';
import { TextDecoder } from 'node:util';

/**
 * Bytes per decoded string: V8 allocates strings of 128 KiB or more in its large-object space, which
 * made decoding 5x slower than in 64 KiB pieces (measured: ~1 s/GB against ~0.2 s/GB).
 */
export const PIECE = 1 << 16;
const NEWLINE = 10;
/** Bytes checked at once for one beyond ASCII (`isAscii` is vectorised; a loop finds which). */
const BLOCK = 1024;

export class LineDecoder {
  // TextDecoder (simdutf in Node) decodes ~1.3x faster than StringDecoder. The mark is handled here: a
  // decoder that dropped it would drop it at the start of every line it is given.
  private readonly decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  /** The bytes of an unfinished line (a copy: callers reuse their buffers). */
  private carry: Buffer | null = null;
  /** A line longer than a piece is being streamed through the decoder, which may hold part of a character. */
  private midLine = false;
  private started = false;

  /** The text of `chunk` that is known: whole lines, and pieces of a line too long to keep back. */
  *push(chunk: Buffer): Generator<string> {
    let bytes = chunk;
    let start = 0;
    const carry = this.carry;
    if (carry !== null) {
      this.carry = null;
      const nl = this.started ? chunk.indexOf(NEWLINE) : -1;
      if (nl >= 0 && carry.length + nl < PIECE) {
        // The unfinished line ends in this chunk: joined on its own, not copied with the whole chunk.
        const line = Buffer.concat([carry, chunk.subarray(0, nl + 1)]);
        yield* this.lines(line, 0, line.length);
        start = nl + 1;
      } else bytes = Buffer.concat([carry, chunk]);
    }
    if (!this.started) {
      if (bytes.length < 3 && isBomStart(bytes)) {
        this.carry = Buffer.from(bytes);
        return;
      }
      this.started = true;
      if (isBomStart(bytes)) start = 3;
    }
    if (this.midLine) {
      // The long line ends in the decoder, which then holds nothing.
      const nl = bytes.indexOf(NEWLINE, start);
      const end = nl < 0 ? bytes.length : nl + 1;
      yield* this.streamed(bytes, start, end);
      if (nl < 0) return;
      this.midLine = false;
      start = end;
    }
    const last = bytes.lastIndexOf(NEWLINE);
    if (last >= start) {
      yield* this.lines(bytes, start, last + 1);
      start = last + 1;
    }
    if (start === bytes.length) return;
    if (bytes.length - start <= PIECE) this.carry = Buffer.from(bytes.subarray(start));
    else {
      this.midLine = true;
      yield* this.streamed(bytes, start, bytes.length);
    }
  }

  /** What is left at the end of the input (a last line without a newline), or ''. */
  end(): string {
    const carry = this.carry;
    this.carry = null;
    if (carry === null) return this.decoder.decode();
    const from = !this.started && carry.length >= 3 && isBomStart(carry) ? 3 : 0;
    this.started = true;
    return this.decoder.decode(carry.subarray(from));
  }

  /**
   * Whole lines `bytes[from, to)` (`to` just after a newline), in pieces of at most PIECE bytes unless one
   * line is longer. A piece of ASCII is read as Latin-1; in another, the runs of lines that hold a byte
   * beyond ASCII are decoded as UTF-8 and the ASCII lines between them read as Latin-1.
   */
  private *lines(bytes: Buffer, from: number, to: number): Generator<string> {
    for (let at = from; at < to; ) {
      const pieceEnd = Math.min(to, at + PIECE);
      const lineEnd = bytes.lastIndexOf(NEWLINE, pieceEnd - 1) + 1;
      const end = lineEnd > at ? lineEnd : bytes.indexOf(NEWLINE, pieceEnd - 1) + 1;
      if (isAscii(bytes.subarray(at, end))) yield bytes.toString('latin1', at, end);
      else {
        let done = at;
        for (let found = notAsciiAt(bytes, at, end); found >= 0; ) {
          const start = Math.max(done, bytes.lastIndexOf(NEWLINE, found) + 1);
          let stop = bytes.indexOf(NEWLINE, found) + 1;
          // Lines next to one another go to the decoder together.
          found = notAsciiAt(bytes, stop, end);
          while (found >= 0 && bytes.lastIndexOf(NEWLINE, found) + 1 === stop) {
            stop = bytes.indexOf(NEWLINE, found) + 1;
            found = notAsciiAt(bytes, stop, end);
          }
          if (start > done) yield bytes.toString('latin1', done, start);
          yield this.decoder.decode(bytes.subarray(start, stop));
          done = stop;
        }
        if (done < end) yield bytes.toString('latin1', done, end);
      }
      at = end;
    }
  }

  /** Part of a long line, through the decoder in streaming mode (a character may continue in the next chunk). */
  private *streamed(bytes: Buffer, from: number, to: number): Generator<string> {
    for (let i = from; i < to; i += PIECE) {
      const text = this.decoder.decode(bytes.subarray(i, Math.min(i + PIECE, to)), { stream: true });
      if (text !== '') yield text;
    }
  }
}

/** The first byte in `bytes[from, to)` beyond ASCII (0x80 or more), or -1. */
function notAsciiAt(bytes: Buffer, from: number, to: number): number {
  for (let block = from; block < to; block += BLOCK) {
    const blockEnd = Math.min(to, block + BLOCK);
    if (isAscii(bytes.subarray(block, blockEnd))) continue;
    for (let i = block; i < blockEnd; i++) if ((bytes[i] as number) >= 0x80) return i;
  }
  return -1;
}

/** Whether `bytes` starts with (as much as it has of) the UTF-8 byte-order mark EF BB BF. */
function isBomStart(bytes: Buffer): boolean {
  const n = Math.min(3, bytes.length);
  const bom = [0xef, 0xbb, 0xbf];
  for (let i = 0; i < n; i++) if (bytes[i] !== bom[i]) return false;
  return n > 0;
}
