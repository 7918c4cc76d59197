// `npm run build && node scripts/bench-trace.mjs`: `meshbot trace ID -A`, the built CLI as its own process
// (start-up included), against kube-sim (src/kube-sim, over HTTPS) with 1,000 and 3,000 istio-proxy pods,
// each log ~2,000 access-log lines (~700 KB) answered after 20 ms; one request's hops (gateway →
// productpage → reviews → ratings, details) are spread over their pods, every other pod is noise.
// Targets (issue 12 §5): ≤ 4 s at 1,000 pods (aim 2 s), peak RSS ≤ 200 MB, every istio-proxy log read
// exactly once, at most --max-log-requests in flight; 3,000 pods in about 3× the time (≤ 3.5×) with no more
// memory (≤ 1.1× and ≤ 200 MB). Exit 1 when one is missed.
// BENCH_TRACE_PODS=200,1000 sets the sizes; BENCH_TRACE_HTTP=1 uses plain HTTP.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { DEFAULT_TRACE_MAX_LOG_REQUESTS } from '../dist/commands/live-trace.js';

const DELAY_MS = 20;
const LINES_PER_POD = Number(process.env.BENCH_LINES ?? 2000);
const SIZES = (process.env.BENCH_TRACE_PODS ?? '1000,3000').split(',').map(Number);
const TLS = process.env.BENCH_TRACE_HTTP !== '1';
const TRACE_ID = 'f00dcafe-0000-4000-8000-00000000beef';
const MAIN = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));

/** Starts and seeds kube-sim with `pods` istio-proxy pods; returns it and what the report needs. */
async function startSeededServer(pods) {
  const { startFakeApiServer } = await import('../dist/kube-sim/index.js');
  const { generateMeshLogs } = await import('../dist/demo/synthetic-mesh.js');
  const server = await startFakeApiServer({ namespaces: ['default', 'bookinfo', 'istio-system'], tls: TLS });
  // Noise: realistic Bookinfo lines (the same LogLine objects in every pod: kube-sim encodes each once);
  // the traced request's lines go to their own pods, after the noise.
  // Written in the last few minutes, so every entry is within trace's default window (1 h).
  const requests = Math.ceil(LINES_PER_POD / 5) + 10;
  const startMs = Date.now() - 5 * 60_000;
  const synthetic = [...generateMeshLogs({ requests, seed: 5, startMs, gapMs: 200_000 / requests })];
  const firstId = /"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"/.exec(
    synthetic[0].text,
  )?.[1];
  const chain = synthetic.filter((l) => l.text.includes(firstId));
  const time = new Date(Date.now() - 60_000);
  const noise = synthetic
    .filter((l) => !l.text.includes(firstId))
    .slice(0, LINES_PER_POD)
    .map((l) => ({ time, text: l.text }));
  const chainPods = [...new Set(chain.map((l) => l.pod))];
  for (const name of chainPods) {
    const gateway = name.startsWith('istio-ingressgateway');
    const namespace = gateway ? 'istio-system' : 'bookinfo';
    server.addPod(
      gateway
        ? {
            namespace,
            name,
            labels: { app: 'istio-ingressgateway', istio: 'ingressgateway' },
            containers: ['istio-proxy'],
          }
        : { namespace, name, labels: { app: name.split('-')[0] }, istio: 'sidecar' },
    );
    const own = chain
      .filter((l) => l.pod === name)
      .map((l) => ({ time, text: l.text.replaceAll(firstId, TRACE_ID) }));
    server.setPodLog(namespace, name, 'istio-proxy', [...noise, ...own]);
  }
  for (let i = chainPods.length; i < pods; i++) {
    const name = `filler-${String(i).padStart(4, '0')}`;
    server.addPod({ namespace: 'bookinfo', name, labels: { app: 'filler' }, istio: 'sidecar' });
    server.setPodLog('bookinfo', name, 'istio-proxy', noise);
  }
  server.delayLogs(DELAY_MS);
  const bytesPerPod = noise.reduce((n, l) => n + Buffer.byteLength(l.text) + 1, 0);
  return { server, hops: chain.length, bytesPerPod };
}

/** What the server saw: log reads (and of how many distinct pods), reads in flight, TCP connections. */
function stats(server) {
  const reads = server.requests.filter((r) => r.path.endsWith('/log'));
  return {
    reads: reads.length,
    podsRead: new Set(reads.map((r) => r.path)).size,
    maxInFlight: server.maxInFlight,
    connections: server.connections ?? null,
    requests: server.requests.length,
  };
}

// The API server is another process in real life: it runs on a worker thread, so its CPU (TLS, 20 ms timers)
// does not share the client's event loop (the CLI is a separate process anyway).
if (!isMainThread) {
  const { server, hops, bytesPerPod } = await startSeededServer(workerData.pods);
  parentPort.on('message', async (m) => {
    if (m === 'close') await server.close();
    parentPort.postMessage(stats(server));
  });
  parentPort.postMessage({
    kubeconfig: server.kubeconfigYaml('bookinfo'),
    url: server.url,
    hops,
    bytesPerPod,
  });
} else {
  await main();
}

function startWorker(pods) {
  const worker = new Worker(new URL(import.meta.url), { workerData: { pods } });
  const replies = [];
  const waiting = [];
  worker.on('message', (m) => (waiting.length ? waiting.shift()(m) : replies.push(m)));
  worker.on('error', (e) => {
    console.error(e);
    process.exit(1);
  });
  const next = () =>
    new Promise((resolve) => (replies.length ? resolve(replies.shift()) : waiting.push(resolve)));
  return {
    next,
    async ask(m) {
      worker.postMessage(m);
      const reply = await next();
      if (m === 'close') await worker.terminate();
      return reply;
    },
  };
}

/** Runs the built CLI under /usr/bin/time: wall time from spawn to exit, peak RSS, exit code, stdout. */
function runCli(args) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(
      '/usr/bin/time',
      ['-f', 'maxrss_kb=%M cpu_s=%U+%S', process.execPath, MAIN, ...args],
      {
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir() },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      const rss = /maxrss_kb=(\d+)/.exec(stderr);
      const cpu = /cpu_s=([\d.]+)\+([\d.]+)/.exec(stderr);
      resolve({
        code,
        ms,
        rssMB: rss ? Number(rss[1]) / 1024 : Number.NaN,
        cpuS: cpu ? Number(cpu[1]) + Number(cpu[2]) : Number.NaN,
        stdout,
        stderr,
      });
    });
  });
}

async function measure(pods, dir) {
  const worker = startWorker(pods);
  const setup = await worker.next();
  const kubeconfig = join(dir, `kubeconfig-${pods}`);
  writeFileSync(kubeconfig, setup.kubeconfig);
  const run = await runCli(['trace', TRACE_ID, '-A', '--kubeconfig', kubeconfig, '-o', 'json']);
  const seen = await worker.ask('close');
  let report = null;
  try {
    report = JSON.parse(run.stdout);
  } catch {
    console.error(`meshbot exited ${run.code}:\n${run.stderr}`);
  }
  const hopsLinked = report?.hops.filter((h) => h.parent !== null).length ?? 0;
  return {
    pods,
    ...run,
    ...seen,
    setup,
    hops: report?.hops.length ?? 0,
    hopsLinked,
    sources: report?.sources.length ?? 0,
    searched: report?.logs_searched ?? null,
    maxLogRequests: DEFAULT_TRACE_MAX_LOG_REQUESTS,
  };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'meshbot-bench-trace-'));
  const results = [];
  try {
    for (const pods of SIZES) results.push(await measure(pods, dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const [first] = results;
  console.log(
    `node ${process.version}; kube-sim over ${first?.setup.url.startsWith('https:') ? 'HTTPS' : 'plain HTTP'} on a worker thread; ` +
      `${LINES_PER_POD} lines (${((first?.setup.bytesPerPod ?? 0) / 1024).toFixed(0)} KiB) per istio-proxy log, ${DELAY_MS} ms per log read; ` +
      `the built CLI: meshbot trace ID -A -o json\n`,
  );
  console.log(
    '| pods | wall time | CPU (user+sys) | peak RSS | log reads (pods) | max in flight (limit) | TCP connections | hops (linked) | sources (logs searched) | exit |',
  );
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of results) {
    console.log(
      `| ${r.pods.toLocaleString('en')} | ${(r.ms / 1000).toFixed(2)} s | ${r.cpuS.toFixed(2)} s | ${r.rssMB.toFixed(0)} MB | ${r.reads} (${r.podsRead}) | ${r.maxInFlight} (${r.maxLogRequests ?? '?'}) | ${r.connections ?? '?'} | ${r.hops} (${r.hopsLinked}) | ${r.sources} (${r.searched ?? '?'}) | ${r.code} |`,
    );
  }
  const misses = [];
  for (const r of results) {
    const name = `${r.pods} pods`;
    if (r.code !== 0) misses.push(`${name}: exit ${r.code}`);
    if (r.hops !== r.setup.hops) misses.push(`${name}: ${r.hops} hops found, ${r.setup.hops} expected`);
    if (r.hopsLinked !== r.setup.hops - 1) misses.push(`${name}: ${r.hopsLinked} hops linked to a parent`);
    if (r.reads !== r.pods || r.podsRead !== r.pods)
      misses.push(`${name}: ${r.reads} log reads of ${r.podsRead} pods (each of ${r.pods} exactly once)`);
    if (r.maxInFlight > r.maxLogRequests)
      misses.push(`${name}: ${r.maxInFlight} reads in flight (limit ${r.maxLogRequests})`);
    if (r.rssMB > 200) misses.push(`${name}: peak RSS ${r.rssMB.toFixed(0)} MB (target ≤ 200 MB)`);
    if (r.pods === 1000 && r.ms > 4000) misses.push(`${name}: ${(r.ms / 1000).toFixed(2)} s (target ≤ 4 s)`);
  }
  const small = results.find((r) => r.pods === 1000);
  const large = results.find((r) => r.pods === 3000);
  if (small && large) {
    const time = large.ms / small.ms;
    const memory = large.rssMB / small.rssMB;
    console.log(`\n3,000 vs 1,000 pods: ${time.toFixed(2)}× the time, ${memory.toFixed(2)}× the peak RSS`);
    if (time > 3.5) misses.push(`3,000 pods took ${time.toFixed(2)}× the time of 1,000 (target about 3×)`);
    if (memory > 1.1)
      misses.push(`3,000 pods took ${memory.toFixed(2)}× the memory of 1,000 (target: no more)`);
  }
  console.log(misses.length === 0 ? '\nPASS: every target met' : `\nFAIL:\n- ${misses.join('\n- ')}`);
  if (misses.length > 0) process.exitCode = 1;
}
