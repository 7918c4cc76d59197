import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { MeshbotError } from '../core/errors.js';
import { checkFiles, fileSource } from './file-source.js';

const dir = mkdtempSync(join(tmpdir(), 'meshbot-file-source-'));

async function readAll(source: ReturnType<typeof fileSource>): Promise<string[]> {
  const pieces: string[] = [];
  for await (const piece of source.read()) pieces.push(piece);
  return pieces;
}

describe('fileSource', () => {
  it('decodes multi-byte characters that straddle every piece and read boundary, in pieces under 64 KiB', async () => {
    // 2.5 MiB of lines, with a 2-, 3- and 4-byte character written across each 64 KiB boundary.
    const parts: string[] = [];
    let bytes = 0;
    let n = 0;
    while (bytes < 2.5 * (1 << 20)) {
      const boundary = Math.ceil((bytes + 1) / 65536) * 65536;
      const pad = 'x'.repeat(Math.max(0, boundary - bytes - 2));
      const text = `${pad}${['é', '€', '🙂'][n++ % 3]}\n`;
      parts.push(text);
      bytes += Buffer.byteLength(text);
    }
    const expected = parts.join('');
    const path = join(dir, 'utf8.log');
    writeFileSync(path, expected);

    const pieces = await readAll(fileSource(path, new PassThrough()));
    expect(pieces.join('')).toBe(expected);
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThanOrEqual(65536);
    expect(pieces.join('')).not.toContain('\uFFFD');
  });

  it('reads stdin for -, also when it ends inside a character', async () => {
    const stdin = new PassThrough();
    const euro = Buffer.from('€');
    stdin.end(Buffer.concat([Buffer.from('a\n'), euro.subarray(0, 2)]));
    const pieces = await readAll(fileSource('-', stdin));
    expect(pieces.join('')).toBe('a\n\uFFFD');
  });

  it('reads a named pipe (as with <(kubectl logs …)) to its end', async () => {
    const fifo = join(dir, 'pipe.log');
    execFileSync('mkfifo', [fifo]);
    const lines = Array.from({ length: 20_000 }, (_, i) => `line ${i} é`).join('\n');
    const plain = join(dir, 'plain.log');
    writeFileSync(plain, lines);
    // A separate process writes into the pipe while this one reads it.
    const copy =
      "const fs = require('fs'); fs.writeFileSync(process.argv[2], fs.readFileSync(process.argv[1]))";
    const writer = spawn(process.execPath, ['-e', copy, plain, fifo]);
    // Listened for before reading: the writer may well be gone by the time the reading is done.
    const closed = new Promise((resolve) => writer.on('close', resolve));
    const pieces = await readAll(fileSource(fifo, new PassThrough()));
    expect(await closed).toBe(0);
    expect(pieces.join('')).toBe(lines);
  });

  it('turns a missing file into a coded error naming it', async () => {
    await expect(readAll(fileSource(join(dir, 'nope.log'), new PassThrough()))).rejects.toMatchObject({
      code: 'file_not_found',
    });
    await expect(checkFiles([dir])).rejects.toBeInstanceOf(MeshbotError);
  });
});
