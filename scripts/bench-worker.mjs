// One benchmark run in its own process, so peak RSS belongs to this run alone.
// node scripts/bench-worker.mjs summarize|parse|naive FILE
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileSource } from '../dist/cli/file-source.js';
import { readSources } from '../dist/commands/read-sources.js';
import { summarizeLogs } from '../dist/commands/summarize-logs.js';

const [mode, file] = process.argv.slice(2);
const started = performance.now();
const cpuStart = process.cpuUsage();
let lines = 0;
let entries = 0;
if (mode === 'summarize') {
  const report = await summarizeLogs([fileSource(file, process.stdin)]);
  entries = report.totals.entries;
  lines = report.totals.entries + report.totals.skipped_lines;
} else if (mode === 'parse') {
  const [result] = await readSources([fileSource(file, process.stdin)], () => {});
  entries = result.stats.entries;
  lines = result.stats.lines;
} else if (mode === 'naive') {
  // The reference point from the issue: readline + JSON.parse, nothing else.
  const rl = createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of rl) {
    lines++;
    try {
      JSON.parse(line);
      entries++;
    } catch {}
  }
}
const ms = performance.now() - started;
const cpu = process.cpuUsage(cpuStart);
const cpuMs = (cpu.user + cpu.system) / 1000;
console.log(
  JSON.stringify({ mode, file, lines, entries, ms, cpuMs, maxRssMB: process.resourceUsage().maxRSS / 1024 }),
);
