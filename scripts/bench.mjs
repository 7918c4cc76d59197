// `npm run bench`: throughput and peak memory of parse + summarize on generated files of realistic
// Bookinfo traffic (1M entries, TEXT and JSON), each run in its own process pinned to one core.
// Targets (issue 2): >= 500k lines/s TEXT, >= 200k lines/s JSON, peak RSS <= 150 MB, flat as input grows.
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { benchFile } from './bench-files.mjs';

const pin = (() => {
  try {
    execFileSync('taskset', ['-c', '0', 'true']);
    return ['taskset', '-c', '0'];
  } catch {
    return [];
  }
})();

function run(mode, file, repeat = 3) {
  const runs = [];
  for (let i = 0; i < repeat; i++) {
    const [cmd, ...args] = [
      ...pin,
      process.execPath,
      new URL('./bench-worker.mjs', import.meta.url).pathname,
      mode,
      file,
    ];
    runs.push(JSON.parse(execFileSync(cmd, args, { encoding: 'utf8' })));
  }
  runs.sort((a, b) => a.ms - b.ms);
  const rate = (r) => Math.round(r.lines / (r.ms / 1000));
  const best = runs[0];
  const median = runs[Math.floor(runs.length / 2)];
  return {
    ...best,
    linesPerSec: rate(best),
    medianLinesPerSec: rate(median),
    maxRssMB: Math.max(...runs.map((r) => r.maxRssMB)),
  };
}

const text250k = await benchFile('text-250k.log', 'text', 250_000);
const text1m = await benchFile('text-1m.log', 'text', 1_000_000);
const json1m = await benchFile('json-1m.log', 'json', 1_000_000);
const rows = [
  ['TEXT 1M  parse+summarize', run('summarize', text1m), 500_000],
  // A quarter of the input: peak RSS must not grow with it (the rate includes ~0.1 s of warm-up).
  ['TEXT 250k parse+summarize', run('summarize', text250k), null],
  ['JSON 1M  parse+summarize', run('summarize', json1m), 200_000],
  ['TEXT 1M  parse only', run('parse', text1m), null],
  ['JSON 1M  parse only', run('parse', json1m), null],
  ['JSON 1M  naive readline+JSON.parse', run('naive', json1m), null],
];
console.log(
  `node ${process.version}${pin.length ? ', pinned to one core (taskset -c 0)' : ''}; best of 3 runs (median in brackets; a shared VM only ever slows runs down)`,
);
console.log(
  `files: ${[text1m, json1m].map((f) => `${f.split('/').pop()} ${(statSync(f).size / 1e6).toFixed(0)} MB`).join(', ')}`,
);
console.log('| run | lines | lines/s best (median) | peak RSS | target |');
console.log('|---|---|---|---|---|');
let failed = false;
for (const [name, r, target] of rows) {
  const ok = target === null ? '' : r.linesPerSec >= target && r.maxRssMB <= 150 ? 'met' : 'MISSED';
  if (ok === 'MISSED') failed = true;
  console.log(
    `| ${name} | ${r.lines.toLocaleString('en')} | ${r.linesPerSec.toLocaleString('en')} (${r.medianLinesPerSec.toLocaleString('en')}) | ${r.maxRssMB.toFixed(0)} MB | ${target === null ? '—' : `${target.toLocaleString('en')}/s, ≤150 MB: ${ok}`} |`,
  );
}
const [quarter, full] = [rows[1][1], rows[0][1]];
console.log(
  `memory: peak RSS ${quarter.maxRssMB.toFixed(0)} MB for 250k TEXT lines, ${full.maxRssMB.toFixed(0)} MB for 1M (streaming: it must not grow with the input)`,
);
process.exitCode = failed ? 1 : 0;
