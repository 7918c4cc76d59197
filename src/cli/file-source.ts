/**
 * @module cli/file-source
 * Log sources for the CLI: files and stdin, checked before any output is written. gzip input (told by its
 * magic bytes, not its name) is decompressed as it streams; other binary input (an archive, an image, zstd)
 * is refused with its name and, for compressed data, the command that decompresses it. Reading stops
 * between chunks when the process is asked to stop (Ctrl-C), so what was read can still be reported.
 */

import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { createGunzip } from 'node:zlib';
import type { LogSource } from '../commands/ports.js';
import { MeshbotError } from '../core/errors.js';
import { LineDecoder } from './line-decoder.js';
import { type ContentKind, sniffContent } from './sniff-content.js';

/**
 * Bytes per read: 256 KiB keeps reads few; 1 MiB buffers raised peak RSS by ~50 MB (measured). A regular
 * file is read synchronously into one reused buffer: on one core, reading and decoding 350 MB took
 * ~300 ms through a read stream (a fresh buffer per read, and the main thread waiting for the thread
 * pool), ~130 ms this way (measured). A read blocks for well under a millisecond; the CLI has nothing
 * else to do meanwhile.
 */
const READ_SIZE = 1 << 18;
/** Bytes looked at to tell text from gzip and other binary data. */
const SNIFF_SIZE = 1 << 13;
/**
 * Synchronous reads between two turns of the event loop, when a stop signal is given: a signal handler
 * runs only on a turn. 8 reads (2 MiB, ~5 ms of parsing) cost one `setImmediate` (~10 µs).
 */
const READS_PER_TURN = 8;

/**
 * A source reading `path` (or stdin for `-`, named `stdin`) as UTF-8, in pieces of at most 64 KiB of text.
 * When `signal` aborts, reading ends early without an error (the caller sees `signal.aborted`).
 */
export function fileSource(path: string, stdin: NodeJS.ReadableStream, signal?: AbortSignal): LogSource {
  const name = path === '-' ? 'stdin' : path;
  return {
    name,
    async *read() {
      const decoder = new LineDecoder();
      const bytes = path === '-' ? streamBytes(stdin, signal) : fileBytes(path, signal);
      for await (const chunk of textBytes(name, bytes, signal)) yield* decoder.push(chunk);
      const rest = decoder.end();
      if (rest !== '') yield rest;
    },
  };
}

/**
 * The bytes of a text log: gzip decompressed, anything else binary refused. Decides on the first chunk
 * (and, for gzip, on the first decompressed one: a `.tar.gz` is not a log either).
 */
async function* textBytes(
  name: string,
  bytes: AsyncIterable<Buffer>,
  signal: AbortSignal | undefined,
  inside?: 'gzip',
): AsyncGenerator<Buffer> {
  const iterator = bytes[Symbol.asyncIterator]();
  let first: IteratorResult<Buffer>;
  try {
    first = await iterator.next();
  } catch (e) {
    if (signal?.aborted === true) return;
    throw readError(name, e, inside);
  }
  if (first.done === true) return;
  const kind = sniffContent(first.value.subarray(0, SNIFF_SIZE));
  if (kind.kind === 'gzip' && inside === undefined) {
    const gunzip = createGunzip({ chunkSize: READ_SIZE });
    const compressed = Readable.from(rest(first.value, iterator), { objectMode: false });
    compressed.on('error', (e) => gunzip.destroy(e));
    compressed.pipe(gunzip);
    const stop = () => gunzip.destroy();
    signal?.addEventListener('abort', stop, { once: true });
    try {
      yield* textBytes(name, gunzip, signal, 'gzip');
    } finally {
      signal?.removeEventListener('abort', stop);
      compressed.destroy();
    }
    return;
  }
  if (kind.kind !== 'text') throw notText(name, kind, inside);
  yield first.value;
  try {
    for (;;) {
      const next = await iterator.next();
      if (next.done === true) return;
      yield next.value;
    }
  } catch (e) {
    if (signal?.aborted === true) return;
    throw readError(name, e, inside);
  }
}

/** The first chunk again, then the rest of the iterator's. */
async function* rest(first: Buffer, iterator: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  yield first;
  for (;;) {
    const next = await iterator.next();
    if (next.done === true) return;
    yield next.value;
  }
}

/** A stream's chunks as Buffers; the stream is destroyed when `signal` aborts (the reading then ends). */
async function* streamBytes(
  stream: NodeJS.ReadableStream,
  signal: AbortSignal | undefined,
): AsyncGenerator<Buffer> {
  if (signal?.aborted === true) return;
  const stop = () => (stream as Partial<Readable>).destroy?.();
  signal?.addEventListener('abort', stop, { once: true });
  try {
    for await (const chunk of stream)
      yield typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
  } catch (e) {
    // Narrowed to false above, but it may have changed meanwhile.
    if ((signal as AbortSignal | undefined)?.aborted === true) return;
    throw e;
  } finally {
    signal?.removeEventListener('abort', stop);
  }
}

/**
 * A regular file read synchronously into one reused buffer (see READ_SIZE), each chunk valid until the
 * next is asked for; gzip (told from the first bytes) and anything that is not a regular file (a FIFO, a
 * device) as a stream.
 */
async function* fileBytes(path: string, signal: AbortSignal | undefined): AsyncGenerator<Buffer> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw fileError(path, e);
  }
  try {
    const regular = fstatSync(fd).isFile();
    const head = Buffer.alloc(regular ? SNIFF_SIZE : 0);
    const headBytes = regular ? readSync(fd, head, 0, SNIFF_SIZE, 0) : 0;
    if (!regular || sniffContent(head.subarray(0, headBytes)).kind === 'gzip') {
      // From the start (`start: 0`): a stream reads at its own position, not the descriptor's.
      const stream = createReadStream(path, {
        fd,
        autoClose: false,
        highWaterMark: READ_SIZE,
        ...(regular ? { start: 0 } : {}),
      });
      yield* streamBytes(stream, signal);
      return;
    }
    const buffer = Buffer.allocUnsafeSlow(READ_SIZE);
    for (let reads = 1; ; reads++) {
      const bytesRead = readSync(fd, buffer, 0, READ_SIZE, null);
      if (bytesRead === 0) return;
      // Decoding copies the bytes into strings: the buffer is free for the next read.
      yield buffer.subarray(0, bytesRead);
      if (signal !== undefined && reads % READS_PER_TURN === 0) {
        await nextTurn();
        if (signal.aborted) return;
      }
    }
  } catch (e) {
    throw fileError(path, e);
  } finally {
    closeSync(fd);
  }
}

/**
 * Fails with one clear sentence if a path is missing, a directory, unreadable, or binary data that is not
 * gzip (checked on its first bytes, before anything is read or written).
 */
export async function checkFiles(paths: readonly string[]): Promise<void> {
  for (const path of paths) {
    if (path === '-') continue;
    try {
      const info = await stat(path);
      if (info.isDirectory()) {
        throw new MeshbotError(
          'file_unreadable',
          `cannot read ${path}: it is a directory; pass the log files inside it`,
          { path },
        );
      }
      if (info.isFile()) {
        const kind = sniffFile(path);
        if (kind.kind !== 'text' && kind.kind !== 'gzip') throw notText(path, kind);
      }
    } catch (e) {
      throw fileError(path, e);
    }
  }
}

function sniffFile(path: string): ContentKind {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(SNIFF_SIZE);
    return sniffContent(head.subarray(0, readSync(fd, head, 0, SNIFF_SIZE, 0)));
  } finally {
    closeSync(fd);
  }
}

function notText(name: string, kind: ContentKind, inside?: 'gzip'): MeshbotError {
  const what = kind.kind === 'binary' ? kind.what : 'binary data';
  const packed = inside === 'gzip' ? ', gzip-compressed' : '';
  const hint =
    kind.kind === 'binary' && kind.unpack !== undefined && inside === undefined
      ? `; decompress it first (${kind.unpack} ${name}) and pipe that into meshbot as - (stdin)`
      : '';
  return new MeshbotError('file_not_text', `${name} is not a text log (${what}${packed})${hint}`, {
    path: name,
  });
}

/** A failure while reading: damaged gzip data named as such, the rest as `fileError`. */
function readError(name: string, e: unknown, inside?: 'gzip'): MeshbotError {
  if (e instanceof MeshbotError) return e;
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (inside === 'gzip' && typeof code === 'string' && code.startsWith('Z_')) {
    const why = code === 'Z_BUF_ERROR' ? 'it ends early (a truncated file?)' : 'the data is damaged';
    return new MeshbotError('file_unreadable', `cannot read ${name}: it is gzip-compressed but ${why}`, {
      path: name,
    });
  }
  return fileError(name, e);
}

function fileError(path: string, e: unknown): MeshbotError {
  if (e instanceof MeshbotError) return e;
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT')
    return new MeshbotError('file_not_found', `cannot read ${path}: no such file`, { path });
  if (code === 'EACCES' || code === 'EPERM') {
    return new MeshbotError('file_unreadable', `cannot read ${path}: permission denied`, { path });
  }
  if (code === 'EISDIR') {
    return new MeshbotError(
      'file_unreadable',
      `cannot read ${path}: it is a directory; pass the log files inside it`,
      { path },
    );
  }
  return new MeshbotError(
    'file_unreadable',
    `cannot read ${path}: ${code ?? 'read error'}`,
    { path },
    { cause: e },
  );
}
