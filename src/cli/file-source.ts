/**
 * @module cli/file-source
 * Log sources for the CLI: files and stdin, checked before any output is written.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { LogSource } from '../commands/ports.js';
import { MeshbotError } from '../core/errors.js';

const CHUNK = 1 << 18;

/** A source reading `path` (or stdin for `-`) as UTF-8 in 1 MiB chunks. */
export function fileSource(path: string, stdin: NodeJS.ReadableStream): LogSource {
  return {
    name: path,
    async *read() {
      if (path === '-') {
        stdin.setEncoding('utf8');
        for await (const chunk of stdin) yield String(chunk);
        return;
      }
      const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: CHUNK });
      try {
        for await (const chunk of stream) yield String(chunk);
      } catch (e) {
        throw fileError(path, e);
      }
    },
  };
}

/** Fails with one clear sentence if a path is missing, a directory or unreadable. */
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
    } catch (e) {
      throw fileError(path, e);
    }
  }
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
