#!/usr/bin/env node
/**
 * @module cli/main
 * The `meshbot` executable: wires the real process into `runCli`.
 */
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { kubectlComplete, startedAsKubectlComplete } from './kubectl-complete.js';
import { exitOnOutputFailure } from './output-failure.js';
import { runCli } from './run-cli.js';

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * How much V8 lets the old generation grow past what the last full collection kept, in percent (V8's own
 * flag, read at each collection, so it can be set now; it applies to worker threads too). By default up
 * to 300%. What meshbot keeps is bounded (a summary ~35 MB, a trace's hops), but what it drops on the way
 * is old by then: flows evicted at high cardinality, the buffers of 3,000 pod logs. The old generation grew
 * with the input instead: peak RSS at 5M high-cardinality lines 211 → 153 MB, a trace of 3,000 pods
 * 208–222 → 192–195 MB, in no more time (measured).
 */
const HEAP_GROWING_PERCENT = 50;

async function main(): Promise<number> {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  // Run as `kubectl_complete-mesh` (the package's bin of that name): answer kubectl's completion request.
  if (startedAsKubectlComplete(process.argv[1])) {
    process.stdout.write(kubectlComplete(process.argv.slice(2)));
    return 0;
  }
  // A closed pipe (`meshbot parse big.log | head`) ends quietly; a full disk is one line and exit 1.
  exitOnOutputFailure([process.stdout, process.stderr], process.stderr, (code) => process.exit(code));
  const stop = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop.abort());
  return runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    now: Date.now,
    version: version(),
    signal: stop.signal,
  });
}

process.exitCode = await main();
