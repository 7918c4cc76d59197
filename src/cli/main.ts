#!/usr/bin/env node
/**
 * @module cli/main
 * The `meshbot` executable: wires the real process into `runCli`.
 */
import { readFileSync } from 'node:fs';
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

// A closed pipe (`meshbot parse big.log | head`) ends quietly; a full disk is one line and exit 1.
exitOnOutputFailure([process.stdout, process.stderr], process.stderr, (code) => process.exit(code));

const stop = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop.abort());

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  now: Date.now,
  version: version(),
  signal: stop.signal,
});
process.exitCode = code;
