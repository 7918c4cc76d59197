import { describe, expect, it } from 'vitest';
import { LineDecoder, PIECE } from './line-decoder.js';

/** Decodes `bytes` fed in chunks of the given sizes (cycled); returns the pieces. */
function decode(bytes: Buffer, sizes: readonly number[]): string[] {
  const decoder = new LineDecoder();
  const pieces: string[] = [];
  let k = 0;
  for (let i = 0; i < bytes.length; ) {
    const size = Math.max(1, sizes[k++ % sizes.length] ?? 1);
    // A reused buffer, as fileSource hands over: the decoder must copy what it keeps.
    const chunk = Buffer.from(bytes.subarray(i, i + size));
    pieces.push(...decoder.push(chunk));
    chunk.fill(0x41);
    i += size;
  }
  const rest = decoder.end();
  if (rest !== '') pieces.push(rest);
  return pieces;
}

/** What TextDecoder makes of the whole input (its mark dropped, bad bytes as U+FFFD). */
function reference(bytes: Buffer): string {
  return new TextDecoder('utf-8').decode(bytes);
}

let seed = 11;
function random(): number {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
}

/** Lines of ASCII, other scripts, bad bytes and marks, some long, some without a final newline. */
function randomInput(): Buffer {
  const parts: Buffer[] = [];
  const lines = 1 + Math.floor(random() * 40);
  for (let i = 0; i < lines; i++) {
    const kind = random();
    const length = random() < 0.05 ? PIECE + Math.floor(random() * 3 * PIECE) : Math.floor(random() * 300);
    let text = '';
    while (text.length < length) text += kind < 0.6 ? 'GET /a?b=1 ' : kind < 0.8 ? 'é€🙂 ' : 'x';
    const line = Buffer.from(text);
    if (kind >= 0.9) line[Math.floor(random() * line.length)] = random() < 0.5 ? 0xff : 0xe2;
    parts.push(random() < 0.1 ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), line);
    if (i < lines - 1 || random() < 0.7) parts.push(Buffer.from(random() < 0.2 ? '\r\n' : '\n'));
  }
  return Buffer.concat(parts);
}

describe('LineDecoder', () => {
  it('gives the text TextDecoder gives, however the bytes are cut', () => {
    for (let round = 0; round < 150; round++) {
      const bytes = randomInput();
      const sizes = [1, 2, 3, 7, 100, 4096, 1 << 18].map((n) => Math.ceil(n * (0.5 + random())));
      expect(decode(bytes, [sizes[round % sizes.length] ?? 1, 1 << 18]).join('')).toBe(reference(bytes));
    }
  });

  it('reads ASCII lines into one-byte pieces of whole lines, at most 64 KiB each', () => {
    const line = `[2026-12-05T10:00:00.000Z] "GET /api/v1/items/42 HTTP/1.1" 200 - via_upstream\n`;
    const text = line.repeat(5000);
    const pieces = decode(Buffer.from(text), [1 << 18]);
    expect(pieces.join('')).toBe(text);
    for (const piece of pieces) {
      expect(piece.endsWith('\n')).toBe(true);
      expect(piece.length).toBeLessThanOrEqual(PIECE);
    }
  });

  it('keeps the lines of other scripts apart from the ASCII ones, in input order', () => {
    const text = 'a\nb\n"Mozilla/5.0 (日本語)"\nc\nnaïve\nd\n';
    const pieces = decode(Buffer.from(text), [1 << 18]);
    expect(pieces).toEqual(['a\nb\n', '"Mozilla/5.0 (日本語)"\n', 'c\n', 'naïve\n', 'd\n']);
  });

  it('drops a byte-order mark at the start of the input only, even when it comes a byte at a time', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a\n\uFEFFb\n')]);
    expect(decode(bytes, [1]).join('')).toBe('a\n\uFEFFb\n');
    expect(decode(Buffer.from([0xef, 0xbb]), [1]).join('')).toBe('\uFFFD');
  });

  it('streams a line longer than a piece without keeping it back, characters cut across chunks intact', () => {
    const long = `${'é'.repeat(3 * PIECE)}\nnext\n`;
    const pieces = decode(Buffer.from(long), [PIECE + 1]);
    expect(pieces.join('')).toBe(long);
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThanOrEqual(PIECE);
  });

  it('turns bad bytes into U+FFFD, as TextDecoder does', () => {
    const bytes = Buffer.from([0x61, 0xff, 0x0a, 0xe2, 0x82, 0x0a, 0x62]);
    expect(decode(bytes, [2]).join('')).toBe('a\uFFFD\n\uFFFD\nb');
  });
});
