#!/usr/bin/env node
/**
 * @module cli/main
 * The `meshbot` executable: wires the real process into `runCli`.
 */
import { readFileSync } from 'node:fs';
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

async function main(): Promise<number> {
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
