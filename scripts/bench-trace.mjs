// `npm run build && node scripts/bench-trace.mjs`: the fan-out of `meshbot trace ID -A` against the fake
// Kubernetes API server (src/kube-sim, the demo's simulated cluster) with 300 istio-proxy pods,
// each answering its log read after 20 ms with a few thousand access-log lines; one request's hops
// (gateway → productpage → reviews → ratings, details) are spread over their pods.
// Target (issue 3): under 2 s with at most --max-log-requests (trace default 10) reads in flight; compared with
// reading the pods one after another, as `kubectl logs` in a loop would.
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import * as k8s from '@kubernetes/client-node';
import { DEFAULT_MAX_LOG_REQUESTS as LOGS_DEFAULT } from '../dist/commands/live-logs.js';
import {
  DEFAULT_TRACE_MAX_LOG_REQUESTS as DEFAULT_MAX_LOG_REQUESTS,
  liveTrace,
} from '../dist/commands/live-trace.js';
import { generateMeshLogs } from '../dist/demo/synthetic-mesh.js';
import { startFakeApiServer } from '../dist/kube-sim/index.js';
import { createClusterReader } from '../dist/kubernetes/cluster-reader.js';

const PODS = 300;
const DELAY_MS = 20;
const LINES_PER_POD = Number(process.env.BENCH_LINES ?? 2000);
const TRACE_ID = 'f00dcafe-0000-4000-8000-00000000beef';

/** Starts and seeds the fake API server; returns it and what the report needs. */
async function startSeededServer() {
  const server = await startFakeApiServer({ namespaces: ['default', 'bookinfo', 'istio-system'] });
  // Noise: realistic Bookinfo lines, shared by every pod; the traced request's lines go to their own pods.
  const synthetic = [...generateMeshLogs({ requests: Math.ceil(LINES_PER_POD / 5) + 10, seed: 5 })];
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
  for (let i = chainPods.length; i < PODS; i++) {
    const name = `filler-${String(i).padStart(3, '0')}`;
    server.addPod({ namespace: 'bookinfo', name, labels: { app: 'filler' }, istio: 'sidecar' });
    server.setPodLog('bookinfo', name, 'istio-proxy', noise);
  }
  server.delayLogs(DELAY_MS);
  const bytesPerPod = noise.reduce((n, l) => n + Buffer.byteLength(l.text) + 1, 0);
  return { server, hops: chain.length, bytesPerPod };
}

// The API server is another process in real life: by default it runs on a worker thread, so its CPU
// (rendering 300 responses) does not share the client's event loop. BENCH_SAME_THREAD=1 runs it on the main thread.
if (!isMainThread) {
  const { server, hops, bytesPerPod } = await startSeededServer();
  parentPort.on('message', async (m) => {
    if (m === 'reset') server.resetCounters();
    if (m === 'close') await server.close();
    parentPort.postMessage({ maxInFlight: server.maxInFlight });
  });
  parentPort.postMessage({ kubeconfig: server.kubeconfigYaml('bookinfo'), hops, bytesPerPod });
} else {
  await main();
}

async function main() {
  const sameThread = process.env.BENCH_SAME_THREAD === '1';
  let control;
  let setup;
  if (sameThread) {
    const { server, hops, bytesPerPod } = await startSeededServer();
    setup = { kubeconfig: server.kubeconfigYaml('bookinfo'), hops, bytesPerPod };
    control = async (m) => {
      if (m === 'reset') server.resetCounters();
      if (m === 'close') await server.close();
      return { maxInFlight: server.maxInFlight };
    };
  } else {
    const worker = new Worker(new URL(import.meta.url));
    const replies = [];
    const waiting = [];
    worker.on('message', (m) => (waiting.length ? waiting.shift()(m) : replies.push(m)));
    const next = () =>
      new Promise((resolve) => (replies.length ? resolve(replies.shift()) : waiting.push(resolve)));
    setup = await next();
    control = async (m) => {
      worker.postMessage(m);
      const reply = await next();
      if (m === 'close') await worker.terminate();
      return reply;
    };
  }
  const chainLength = setup.hops;
  const bytesPerPod = setup.bytesPerPod;
  const kc = new k8s.KubeConfig();
  kc.loadFromString(setup.kubeconfig);
  const reader = createClusterReader(kc);
  async function run(maxLogRequests) {
    await control('reset');
    const start = performance.now();
    const report = await liveTrace(reader, TRACE_ID, { allNamespaces: true, maxLogRequests });
    const ms = performance.now() - start;
    const { maxInFlight } = await control('stats');
    return { ms, hops: report.hops.length, sources: report.sources.length, maxInFlight, notes: report.notes };
  }

  await run(DEFAULT_MAX_LOG_REQUESTS); // warm-up (connections, JIT)
  const fanOut = await run(DEFAULT_MAX_LOG_REQUESTS);
  const stern = await run(LOGS_DEFAULT);
  const sequential = await run(1);
  await control('close');

  const failures = fanOut.notes.filter((n) => n.message.includes('not read'));
  const ok =
    fanOut.ms < 2000 &&
    fanOut.maxInFlight <= DEFAULT_MAX_LOG_REQUESTS &&
    fanOut.hops === chainLength &&
    failures.length === 0;
  const row = (name, r, limit) =>
    `| ${name} | ${limit} | ${(r.ms / 1000).toFixed(2)} s | ${r.maxInFlight} | ${r.sources} | ${r.hops} |`;
  console.log(
    `node ${process.version}; ${PODS} pods × ${LINES_PER_POD} lines (${(bytesPerPod / 1024).toFixed(0)} KiB each), ${DELAY_MS} ms per log read; traced request: ${chainLength} hops; API server on ${sameThread ? 'the main thread' : 'a worker thread'}\n`,
  );
  console.log('| run | max in flight allowed | wall time | server max in flight | pods read | hops |');
  console.log('|---|---:|---:|---:|---:|---:|');
  console.log(row('meshbot trace -A (default)', fanOut, DEFAULT_MAX_LOG_REQUESTS));
  console.log(
    row(`meshbot trace -A --max-log-requests ${LOGS_DEFAULT} (stern/kubectl default)`, stern, LOGS_DEFAULT),
  );
  console.log(row('one after another (kubectl logs loop)', sequential, 1));
  console.log(
    `\n${ok ? 'PASS' : 'FAIL'}: default fan-out ${fanOut.ms.toFixed(0)} ms (target < 2000 ms), ${fanOut.maxInFlight} in flight (limit ${DEFAULT_MAX_LOG_REQUESTS}); ${(sequential.ms / fanOut.ms).toFixed(1)}× faster than sequential`,
  );
  if (!ok) process.exitCode = 1;
}
