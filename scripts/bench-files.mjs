// The benchmarks' input: generated files of simulated Bookinfo traffic in bench-data/ (git-ignored),
// made once and reused. Shared by bench.mjs and bench-instructions.mjs.
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { generateMeshLogs } from '../dist/demo/synthetic-mesh.js';

export const benchDir = new URL('../bench-data/', import.meta.url).pathname;

/** bench-data/NAME with `lines` entries of FORMAT (`text` or `json`), written in blocks. */
export async function benchFile(name, format, lines) {
  mkdirSync(benchDir, { recursive: true });
  const path = `${benchDir}${name}`;
  if (existsSync(path)) return path;
  const out = createWriteStream(path);
  let n = 0;
  let buffer = [];
  for (const { text } of generateMeshLogs({ requests: Math.ceil(lines / 7), seed: 11, format, gapMs: 20 })) {
    buffer.push(text);
    if (++n >= lines) break;
    if (buffer.length === 10_000) {
      if (!out.write(`${buffer.join('\n')}\n`)) await new Promise((r) => out.once('drain', r));
      buffer = [];
    }
  }
  out.end(buffer.length ? `${buffer.join('\n')}\n` : '');
  await new Promise((r) => out.on('finish', r));
  return path;
}
