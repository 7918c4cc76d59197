// `npm run bench`: `meshbot logs --file FILE` (the built CLI: parse, summarize, render) on every
// traffic profile (src/demo/traffic-profiles.ts), against awk on TEXT and jq on JSON over the same files,
// each run in its own process (see --pin). Targets (issue 12): TEXT in ≤ 2× the time of
// `awk '$5>=500'`, JSON in ≤ 0.3× the time of `jq -c 'select(.response_code>=500)|.request_id'`, peak
// RSS ≤ 150 MB, the same at 1M and 5M lines. Exit code 1 when a target is missed (or cannot be checked).
//
//   node scripts/bench.mjs [--profile NAME[,NAME…]]… [--quick] [--runs N] [--no-memory] [--pin]
//     --profile  only these profiles (bookinfo, high-cardinality, incident, gateway, noise)
//     --quick    200k TEXT / 60k JSON lines and no 5M memory run: for iterating in minutes
//     --runs N   runs of each command (default 3): best and median are shown
//     --no-memory  skip the 5M-line memory run
//     --pin      run every command on one core (taskset -c 0); by default each has the machine, as a user
//                runs it (awk and jq use one core; meshbot a main thread and the summary's worker thread)
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, openSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { PROFILE_NAMES } from '../dist/demo/traffic-profiles.js';
import { profileFile } from './bench-files.mjs';

const TEXT_TARGET = 2.0;
const JSON_TARGET = 0.3;
const RSS_LIMIT_MB = 150;
const MEMORY_PROFILE = 'high-cardinality';

function parseArgs(argv) {
  const options = { profiles: [], quick: false, runs: 3, memory: true, pin: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) usage(`${arg} needs a value`);
      return v;
    };
    if (arg === '--profile') options.profiles.push(...value().split(','));
    else if (arg.startsWith('--profile=')) options.profiles.push(...arg.slice(10).split(','));
    else if (arg === '--quick') options.quick = true;
    else if (arg === '--no-memory') options.memory = false;
    else if (arg === '--pin') options.pin = true;
    else if (arg === '--runs') options.runs = Number(value());
    else if (arg === '--help' || arg === '-h') usage(null);
    else usage(`unknown option ${arg}`);
  }
  for (const p of options.profiles) {
    if (!PROFILE_NAMES.includes(p)) usage(`unknown profile "${p}" (one of ${PROFILE_NAMES.join(', ')})`);
  }
  if (!Number.isInteger(options.runs) || options.runs < 1) usage('--runs needs a whole number ≥ 1');
  if (options.profiles.length === 0) options.profiles = [...PROFILE_NAMES];
  if (options.quick) options.memory = false;
  return options;
}

function usage(error) {
  const text =
    'usage: node scripts/bench.mjs [--profile NAME[,NAME…]]… [--quick] [--runs N] [--no-memory] [--pin]\n' +
    `profiles: ${PROFILE_NAMES.join(', ')}`;
  if (error === null) {
    console.log(text);
    process.exit(0);
  }
  console.error(`bench: ${error}\n${text}`);
  process.exit(2);
}

const options = parseArgs(process.argv.slice(2));
const TEXT_LINES = options.quick ? 200_000 : 1_000_000;
const JSON_LINES = options.quick ? 60_000 : 300_000;
const BIG_LINES = 5_000_000;

const pin = (() => {
  if (!options.pin) return [];
  try {
    execFileSync('taskset', ['-c', '0', 'true']);
    return ['taskset', '-c', '0'];
  } catch {
    return [];
  }
})();

/** The path of `name` on PATH and its version line, or null when it is not installed. */
function tool(name, versionArgs) {
  try {
    const path = execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
    const resolved = execFileSync('readlink', ['-f', path], { encoding: 'utf8' }).trim();
    const version = spawnSync(resolved, versionArgs, { encoding: 'utf8' });
    const line = `${version.stdout}${version.stderr}`.split('\n')[0]?.trim() ?? '';
    return { path, version: line || resolved.split('/').pop() };
  } catch {
    return null;
  }
}
const awk = tool('awk', ['-W', 'version']);
const jq = tool('jq', ['--version']);

/** Runs `cmd args` (pinned) `runs` times with stdout to /dev/null; best and median wall time. */
function timeCommand(cmd, args, runs) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const devNull = openSync('/dev/null', 'w');
    const [c, ...a] = [...pin, cmd, ...args];
    const start = performance.now();
    const result = spawnSync(c, a, { stdio: ['ignore', devNull, 'pipe'] });
    times.push(performance.now() - start);
    closeSync(devNull);
    if (result.status !== 0) throw new Error(`${cmd} failed: ${result.stderr}`);
  }
  times.sort((x, y) => x - y);
  return { best: times[0], median: times[Math.floor(times.length / 2)] };
}

const MAIN = new URL('../dist/cli/main.js', import.meta.url).pathname;

/**
 * Runs `meshbot logs --file FILE` (the built CLI, default text output to /dev/null) `runs` times, under
 * /usr/bin/time for its peak RSS. The time is the process's wall time, start-up included, as a user waits
 * for it (and as awk and jq are timed).
 */
function timeMeshbot(file, runs) {
  const times = [];
  let rss = 0;
  for (let i = 0; i < runs; i++) {
    const devNull = openSync('/dev/null', 'w');
    const [c, ...a] = [
      ...pin,
      '/usr/bin/time',
      '-f',
      'maxrss_kb=%M',
      process.execPath,
      MAIN,
      'logs',
      '--file',
      file,
    ];
    const start = performance.now();
    const result = spawnSync(c, a, { stdio: ['ignore', devNull, 'pipe'], encoding: 'utf8' });
    times.push(performance.now() - start);
    closeSync(devNull);
    const maxRss = /maxrss_kb=(\d+)/.exec(result.stderr ?? '');
    if (result.status !== 0 || maxRss === null)
      throw new Error(`meshbot logs --file ${file} failed:\n${result.stderr}`);
    rss = Math.max(rss, Number(maxRss[1]) / 1024);
  }
  times.sort((x, y) => x - y);
  return { best: times[0], median: times[Math.floor(times.length / 2)], rss };
}

const s = (ms) => (ms / 1000).toFixed(2);
const rows = [];
let failed = false;
const notes = [];
if (awk === null) notes.push('awk is not installed: TEXT ratios were not measured (apt-get install -y mawk)');
if (jq === null) notes.push('jq is not installed: JSON ratios were not measured (apt-get install -y jq)');

for (const profile of options.profiles) {
  for (const [format, lines] of [
    ['text', TEXT_LINES],
    ['json', JSON_LINES],
  ]) {
    process.stderr.write(`bench: ${profile} ${format} ${lines.toLocaleString('en')} lines…\n`);
    const file = await profileFile(profile, format, lines);
    const m = timeMeshbot(file, options.runs);
    const reference =
      format === 'text'
        ? awk && timeCommand(awk.path, ['$5>=500', file], options.runs)
        : // `noise` has lines that are not JSON (prefixes, proxy logs): jq reads each as text and skips those.
          jq &&
          timeCommand(
            jq.path,
            profile === 'noise'
              ? ['-cR', 'fromjson? | select(.response_code>=500)|.request_id', file]
              : ['-c', 'select(.response_code>=500)|.request_id', file],
            options.runs,
          );
    const target = format === 'text' ? TEXT_TARGET : JSON_TARGET;
    const ratio = reference ? m.best / reference.best : null;
    const ok = ratio !== null && ratio <= target && m.rss <= RSS_LIMIT_MB;
    if (!ok) failed = true;
    rows.push(
      `| ${profile} | ${format.toUpperCase()} | ${lines.toLocaleString('en')} (${(statSync(file).size / 1e6).toFixed(0)} MB) | ${s(m.best)} (${s(m.median)}) | ${Math.round(lines / (m.best / 1000)).toLocaleString('en')} | ${reference ? `${s(reference.best)} (${s(reference.median)})` : `— (${format === 'text' ? 'awk' : 'jq'} missing)`} | ${ratio === null ? '—' : `${ratio.toFixed(2)}×`} | ≤ ${target}× ${format === 'text' ? 'awk' : 'jq'}, ≤ ${RSS_LIMIT_MB} MB | ${m.rss.toFixed(0)} MB | ${ratio === null ? 'UNCHECKED' : ok ? 'met' : 'MISSED'} |`,
    );
  }
}

console.log(
  `node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}${pin.length ? ', every command pinned to one core (taskset -c 0)' : ''}; best of ${options.runs} runs (median in brackets); times are whole-process wall times`,
);
console.log(
  `awk: ${awk ? `${awk.path} (${awk.version})` : 'MISSING'}; jq: ${jq ? `${jq.path} (${jq.version})` : 'MISSING'}`,
);
for (const note of notes) console.log(`NOTE: ${note}`);
console.log('');
console.log(
  '| profile | format | lines | meshbot s | lines/s | awk or jq s | ratio | target | peak RSS | result |',
);
console.log('|---|---|---:|---:|---:|---:|---:|---|---:|---|');
for (const row of rows) console.log(row);

if (options.memory) {
  process.stderr.write(
    `bench: memory run, ${MEMORY_PROFILE} TEXT ${BIG_LINES.toLocaleString('en')} lines…\n`,
  );
  const small = timeMeshbot(await profileFile(MEMORY_PROFILE, 'text', TEXT_LINES), 1);
  const big = timeMeshbot(await profileFile(MEMORY_PROFILE, 'text', BIG_LINES), 1);
  // "The same at 1M and 5M": within 15% (collector timing moves peaks by a few MB).
  const ok = big.rss <= RSS_LIMIT_MB && big.rss <= small.rss * 1.15;
  if (!ok) failed = true;
  console.log(
    `\nmemory: ${MEMORY_PROFILE} TEXT peak RSS ${small.rss.toFixed(0)} MB at ${(TEXT_LINES / 1e6).toFixed(0)}M lines, ${big.rss.toFixed(0)} MB at ${(BIG_LINES / 1e6).toFixed(0)}M lines (${s(big.best)} s): ${ok ? 'met' : 'MISSED'} (≤ ${RSS_LIMIT_MB} MB and not growing with the input)`,
  );
} else {
  console.log('\nmemory: 5M-line run skipped (--quick or --no-memory)');
}
process.exitCode = failed ? 1 : 0;
