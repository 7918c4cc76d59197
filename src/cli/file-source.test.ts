import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { gzipSync } from 'node:zlib';
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

  it('decompresses gzip files and gzip on stdin, told by the magic bytes and not the name', async () => {
    const lines = Array.from({ length: 30_000 }, (_, i) => `line ${i} é`).join('\n');
    const gz = join(dir, 'rotated.log.1');
    writeFileSync(gz, gzipSync(lines));
    expect((await readAll(fileSource(gz, new PassThrough()))).join('')).toBe(lines);
    const stdin = new PassThrough();
    stdin.end(gzipSync(lines));
    expect((await readAll(fileSource('-', stdin))).join('')).toBe(lines);
    // Two gzip members one after the other (`cat a.gz b.gz`) are one text.
    const twice = join(dir, 'twice.gz');
    writeFileSync(twice, Buffer.concat([gzipSync('a\n'), gzipSync('b\n')]));
    expect((await readAll(fileSource(twice, new PassThrough()))).join('')).toBe('a\nb\n');
  });

  it('names a damaged or truncated gzip file', async () => {
    const whole = gzipSync('x'.repeat(100_000));
    const truncated = join(dir, 'truncated.gz');
    writeFileSync(truncated, whole.subarray(0, whole.length - 100));
    await expect(readAll(fileSource(truncated, new PassThrough()))).rejects.toMatchObject({
      code: 'file_unreadable',
      message: `cannot read ${truncated}: it is gzip-compressed but it ends early (a truncated file?)`,
    });
    const damaged = Buffer.from(whole);
    damaged.fill(0x55, 20, 60);
    const path = join(dir, 'damaged.gz');
    writeFileSync(path, damaged);
    await expect(readAll(fileSource(path, new PassThrough()))).rejects.toMatchObject({
      code: 'file_unreadable',
      message: `cannot read ${path}: it is gzip-compressed but the data is damaged`,
    });
  });

  it('refuses binary input by name, before reading, with the command that decompresses it', async () => {
    const png = join(dir, 'screenshot.log');
    writeFileSync(png, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
    await expect(checkFiles([png])).rejects.toMatchObject({
      code: 'file_not_text',
      message: `${png} is not a text log (a PNG image)`,
    });
    const zst = join(dir, 'access.log.zst');
    writeFileSync(zst, Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0, 0]));
    await expect(checkFiles([zst])).rejects.toMatchObject({
      message: `${zst} is not a text log (zstd-compressed data); decompress it first (zstd -dc ${zst}) and pipe that into meshbot as - (stdin)`,
    });
    const header = Buffer.alloc(1024);
    header.write('access.log', 0);
    header.write('ustar', 257);
    const stdin = new PassThrough();
    stdin.end(gzipSync(header));
    await expect(readAll(fileSource('-', stdin))).rejects.toMatchObject({
      code: 'file_not_text',
      message: 'stdin is not a text log (a tar archive, gzip-compressed)',
    });
  });

  it('stops reading a stdin that never ends when the signal aborts, keeping what was read', async () => {
    const stdin = new PassThrough();
    const stop = new AbortController();
    stdin.write('first\n');
    const pieces: string[] = [];
    for await (const piece of fileSource('-', stdin, stop.signal).read()) {
      pieces.push(piece);
      stop.abort();
    }
    expect(pieces).toEqual(['first\n']);
  });

  it('stops a gzip stdin and a large file between reads when the signal aborts', async () => {
    const stop = new AbortController();
    const stdin = new PassThrough();
    stdin.write(gzipSync('zipped\n'));
    const pieces: string[] = [];
    for await (const piece of fileSource('-', stdin, stop.signal).read()) {
      pieces.push(piece);
      stop.abort();
    }
    expect(pieces).toEqual(['zipped\n']);

    const big = join(dir, 'big.log');
    writeFileSync(big, 'y'.repeat(10 << 20));
    const later = new AbortController();
    setImmediate(() => later.abort());
    let read = 0;
    for await (const piece of fileSource(big, new PassThrough(), later.signal).read()) read += piece.length;
    expect(read).toBeGreaterThan(0);
    expect(read).toBeLessThan(10 << 20);
  });
});
