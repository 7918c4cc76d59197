// `npm run bench:instructions`: instructions per line of parse + summarize, counted by valgrind's callgrind.
// Wall-clock numbers on a shared VM drift by ±40%; instruction counts of `node --single-threaded` repeat
// within ±0.2%, so this is the yardstick for comparing two versions of the hot path. The marginal cost
// (100k lines minus 50k lines, divided by 50k) excludes start-up and JIT compilation.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { generateMeshLogs } from '../dist/demo/synthetic-mesh.js';

const dir = new URL('../bench-data/', import.meta.url).pathname;
mkdirSync(dir, { recursive: true });
const worker = `${dir}instructions-worker.mjs`;
writeFileSync(
  worker,
  `import { readFileSync } from 'node:fs';
const root = ${JSON.stringify(new URL('../dist/', import.meta.url).pathname)};
const { LogParser } = await import(root + 'accesslog/log-parser.js');
const { SummaryBuilder } = await import(root + 'analysis/summarize.js');
const text = readFileSync(process.argv[2], 'utf8');
const summary = new SummaryBuilder();
const parser = new LogParser('bench', (r) => { if (r.ok) summary.add(r.entry); });
parser.push(text);
parser.end();
summary.result();
`,
);

function sample(format, lines) {
  const path = `${dir}instructions-${format}-${lines}.log`;
  if (!existsSync(path)) {
    const out = [];
    for (const { text } of generateMeshLogs({
      requests: Math.ceil(lines / 7),
      seed: 11,
      format,
      gapMs: 20,
    })) {
      out.push(text);
      if (out.length === lines) break;
    }
    writeFileSync(path, `${out.join('\n')}\n`);
  }
  return path;
}

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
  const small = count(sample(format, 50_000));
  const large = count(sample(format, 100_000));
  console.log(`| ${format} | ${Math.round((large - small) / 50_000).toLocaleString('en')} |`);
}
