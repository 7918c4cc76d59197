import { describe, expect, it } from 'vitest';
import { grepText } from '../commands/live-trace.js';
import { LogGrep, MAX_GREP_LINE } from './log-grep.js';

const ID = 'be5acb4a-9e3e-4540-814d-07c2c7dcf7f1';

/** Feeds `text` to a LogGrep cut into chunks at the given byte offsets. */
function grepChunks(text: string, needle: string, cuts: readonly number[], dropPartial = false) {
  const bytes = Buffer.from(text, 'utf8');
  const grep = new LogGrep(needle);
  let at = 0;
  for (const cut of [...cuts, bytes.length]) {
    grep.push(bytes.subarray(at, cut));
    at = cut;
  }
  return grep.end(dropPartial);
}

function randomLog(seed: number, lines: number, ids: readonly string[]): string {
  let s = seed;
  const rand = (n: number) => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s % n;
  };
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const id = rand(5) === 0 ? (ids[rand(ids.length)] ?? '') : `other-${rand(1000)}-4540-81`;
    const pad = 'é·x-'.repeat(rand(30));
    out.push(
      rand(20) === 0 ? '' : `[2024-05-01T12:00:0${rand(10)}Z] "GET /${pad}" 200 "${id}" tail ${rand(99)}`,
    );
  }
  return out.join(rand(2) === 0 ? '\n' : '\r\n') + (rand(2) === 0 ? '\n' : '');
}

describe('LogGrep', () => {
  it('finds the lines holding the id, with their line numbers in the whole log', () => {
    const log = `a\n${ID} first\nb\n\nc ${ID.toUpperCase()} upper\nd`;
    expect(grepChunks(log, ID, [])).toEqual({
      lines: [
        { line: 2, text: `${ID} first` },
        { line: 5, text: `c ${ID.toUpperCase()} upper` },
      ],
      lineCount: 6,
      bytes: Buffer.byteLength(log),
    });
  });

  it('gives the same answer however the bytes are cut into chunks, as the text search does', () => {
    const needles = [ID, ID.toUpperCase(), 'BE5ACB4A', 'abcdefab', 'be5acb4a-9e3e-4540', 'ab', 'x-4'];
    for (let seed = 1; seed <= 40; seed++) {
      const log = randomLog(seed, 60, [ID, ID.toUpperCase(), 'AbCdEfAb-cdef', 'xx-ABCDEFAB-yy']);
      const bytes = Buffer.byteLength(log);
      for (const needle of needles) {
        const expected = grepText(log, needle);
        const cuts: number[] = [];
        let s = seed;
        for (let at = 0; at < bytes; ) {
          s = (s * 69069 + 1) % 2 ** 32;
          at += 1 + (s % 97);
          if (at < bytes) cuts.push(at);
        }
        const got = grepChunks(log, needle, cuts);
        expect(got.lines, `seed ${seed}, ${needle}`).toEqual(expected.lines);
        expect(got.lineCount).toBe(expected.lineCount);
        // One byte at a time, too.
        if (seed <= 3) {
          const single = Array.from({ length: bytes - 1 }, (_, i) => i + 1);
          expect(grepChunks(log, needle, single).lines).toEqual(expected.lines);
        }
      }
    }
  });

  it('finds an id that is only letters (no case-free run to anchor on) in any case', () => {
    const log = 'x\nfoo ABCDEFAB bar\nAbCdEfAbX\nnone\n';
    expect(grepChunks(log, 'abcdefab', [5, 6, 20]).lines).toEqual([
      { line: 2, text: 'foo ABCDEFAB bar' },
      { line: 3, text: 'AbCdEfAbX' },
    ]);
  });

  it('drops a last line cut by limitBytes: neither counted nor searched', () => {
    const log = `one\n${ID} two\n${ID} cut`;
    expect(grepChunks(log, ID, [7], true)).toMatchObject({ lines: [{ line: 2 }], lineCount: 2 });
    expect(grepChunks(log, ID, [7], false)).toMatchObject({ lineCount: 3 });
  });

  it('counts a line longer than the limit without keeping it, and goes on after it', () => {
    const long = `${ID}${'y'.repeat(MAX_GREP_LINE + 10)}`;
    const log = `first\n${long}\n${ID} after\n`;
    const cuts = [3, 10, 100_000, 700_000, MAX_GREP_LINE + 20];
    const got = grepChunks(log, ID, cuts);
    expect(got.lines).toEqual([{ line: 3, text: `${ID} after` }]);
    expect(got.lineCount).toBe(3);
  });

  it('keeps multi-byte text of a matching line whole across a chunk boundary', () => {
    const log = `héllo ${ID} wörld ✓\n`;
    // Cuts inside the é (byte 2) and inside the ✓ (3 bytes before the end).
    const check = Buffer.byteLength(log) - 3;
    expect(grepChunks(log, ID, [2, 9, check]).lines).toEqual([{ line: 1, text: `héllo ${ID} wörld ✓` }]);
  });

  it('refuses a needle that is not printable ASCII', () => {
    expect(() => new LogGrep('')).toThrow();
    expect(() => new LogGrep('é')).toThrow();
  });
});
