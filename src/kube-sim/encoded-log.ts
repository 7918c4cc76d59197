/**
 * Log bodies from lines encoded once: each stored line's bytes are kept (weakly, by the line object), so a
 * log shared by 1,000 pods (the trace bench, a demo) is encoded once and every read of it is a copy of
 * ready bytes. The server then keeps up with clients reading hundreds of megabytes.
 */
import type { LogLine } from './pod-logs.js';

const plain = new WeakMap<LogLine, Buffer>();
const stamped = new WeakMap<LogLine, Buffer>();

/** The lines as one body, `format` giving each line's text (newline included); encoded at most once per line and form. */
export function encodeLogLines(
  lines: readonly LogLine[],
  timestamps: boolean,
  format: (line: LogLine, timestamps: boolean) => string,
): Buffer {
  const cache = timestamps ? stamped : plain;
  const parts: Buffer[] = [];
  let length = 0;
  for (const line of lines) {
    let bytes = cache.get(line);
    if (bytes === undefined) {
      bytes = Buffer.from(format(line, timestamps), 'utf8');
      cache.set(line, bytes);
    }
    parts.push(bytes);
    length += bytes.length;
  }
  return Buffer.concat(parts, length);
}
