// The benchmarks' input: generated files in bench-data/ (git-ignored), made once and reused.
// `profileFile` writes a traffic profile (src/demo/traffic-profiles.ts); `benchFile` the Bookinfo sample as
// bench-instructions.mjs has always counted it. Shared by bench.mjs and bench-instructions.mjs.
import { createWriteStream, existsSync, mkdirSync, renameSync } from 'node:fs';
import { generateMeshLogs } from '../dist/demo/synthetic-mesh.js';
import { profileLines } from '../dist/demo/traffic-profiles.js';

export const benchDir = new URL('../bench-data/', import.meta.url).pathname;

/** Writes `lines` (an iterable of strings) to `path` in blocks; written to a temporary name first. */
async function writeFile(path, lines) {
  const partial = `${path}.partial`;
  const out = createWriteStream(partial);
  let buffer = [];
  for (const line of lines) {
    buffer.push(line);
    if (buffer.length === 10_000) {
      if (!out.write(`${buffer.join('\n')}\n`)) await new Promise((r) => out.once('drain', r));
      buffer = [];
    }
  }
  out.end(buffer.length ? `${buffer.join('\n')}\n` : '');
  await new Promise((r) => out.on('finish', r));
  renameSync(partial, path);
}

/** bench-data/profile-PROFILE-FORMAT-LINES[-sSEED].log: `lines` lines of a traffic profile. */
export async function profileFile(profile, format, lines, seed = 1) {
  mkdirSync(benchDir, { recursive: true });
  const path = `${benchDir}profile-${profile}-${format}-${lines}${seed === 1 ? '' : `-s${seed}`}.log`;
  if (existsSync(path)) return path;
  await writeFile(path, profileLines(profile, { lines, seed, format }));
  return path;
}

/** bench-data/NAME with `lines` entries of FORMAT (`text` or `json`) of the Bookinfo sample. */
export async function benchFile(name, format, lines) {
  mkdirSync(benchDir, { recursive: true });
  const path = `${benchDir}${name}`;
  if (existsSync(path)) return path;
  function* sample() {
    let n = 0;
    for (const { text } of generateMeshLogs({
      requests: Math.ceil(lines / 7),
      seed: 11,
      format,
      gapMs: 20,
    })) {
      yield text;
      if (++n >= lines) return;
    }
  }
  await writeFile(path, sample());
  return path;
}
