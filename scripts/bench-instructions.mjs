// `npm run bench:instructions`: instructions per line of parse + summarize, counted by valgrind's callgrind.
// Wall-clock numbers on a shared VM drift by ±40%; instruction counts of `node --single-threaded` repeat
// within ±0.2%, so this is the yardstick for comparing two versions of the hot path. The marginal cost
// (100k lines minus 50k lines, divided by 50k) excludes start-up and JIT compilation.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { benchFile, benchDir as dir } from './bench-files.mjs';

mkdirSync(dir, { recursive: true });
const worker = `${dir}instructions-worker.mjs`;
writeFileSync(
  worker,
  // The path `meshbot logs --file` takes (the one JavaScript reader), the file
  // read up front so that only parsing and summarizing are counted.
  `import { readFileSync } from 'node:fs';
const root = ${JSON.stringify(new URL('../dist/', import.meta.url).pathname)};
const { summarizeLogs } = await import(root + 'commands/summarize-logs.js');
const text = readFileSync(process.argv[2], 'utf8');
const pieces = [];
for (let i = 0; i < text.length; i += 65536) pieces.push(text.slice(i, i + 65536));
await summarizeLogs([{ name: 'bench', async *read() { yield* pieces; } }]);
`,
);

function count(file) {
  try {
    execFileSync('valgrind', ['--version'], { stdio: 'ignore' });
  } catch {
    console.error('valgrind is not installed (apt-get install valgrind)');
    process.exit(1);
  }
  const result = execFileSync(
    'sh',
    [
      '-c',
      `valgrind --tool=callgrind --callgrind-out-file=/dev/null "${process.execPath}" --single-threaded "${worker}" "${file}" 2>&1`,
    ],
    { encoding: 'utf8' },
  );
  const match = /Collected : (\d+)/.exec(result);
  if (match === null) throw new Error(`no instruction count from callgrind:\n${result.slice(-500)}`);
  return Number(match[1]);
}

console.log('| format | instructions per line (marginal, 50k → 100k lines) |');
console.log('|---|---|');
for (const format of ['text', 'json']) {
  const small = count(await benchFile(`instructions-${format}-50000.log`, format, 50_000));
  const large = count(await benchFile(`instructions-${format}-100000.log`, format, 100_000));
  console.log(`| ${format} | ${Math.round((large - small) / 50_000).toLocaleString('en')} |`);
}
