/**
 * The built `meshbot` and its inputs and outputs, as a process: gzip and binary input, a full disk, a closed
 * pipe, Ctrl-C while reading an endless stdin, `--since`/`--since-time` on saved files, and one workload
 * out of a mesh-wide file.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { SummaryReport } from '../../src/analysis/report.js';
import { runCli } from '../../src/cli/run-cli.js';
import { startFakeApiServer } from '../../src/kube-sim/index.js';
import { REPO, runMeshbot, startMeshbot } from '../support/run-meshbot.js';
import { accessLine, captureIo, kubeconfigFile, NOW, podIp } from './live-fixtures.js';

const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'meshbot-cli-io-'));
const BOOKINFO = join(REPO, 'examples/bookinfo.log');
const bookinfo = readFileSync(BOOKINFO);
const WIDE = { COLUMNS: '400' };
const ADVICE = 'Is access logging on for this workload?';

function noStackTrace(text: string) {
  expect(text).not.toMatch(/\n\s+at /);
  expect(text).not.toContain('Error:');
}

function summary(stdout: string): SummaryReport {
  return JSON.parse(stdout) as SummaryReport;
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI with its stdout going where `stdout` says (a file descriptor, or a pipe). */
function runWithStdout(
  args: readonly string[],
  stdout: number | 'pipe',
  onData?: (child: ReturnType<typeof spawn>) => void,
): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], {
      cwd: REPO,
      env: { PATH: process.env.PATH ?? '' },
      stdio: ['ignore', stdout, 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      onData?.(child);
    });
    child.stderr?.setEncoding('utf8').on('data', (d: string) => {
      err += d;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout: out, stderr: err }));
  });
}

describe('meshbot output that cannot be written', () => {
  it('says "no space left on device" once and exits 1 when stdout is a full disk', async () => {
    for (const args of [
      ['logs', '--file', BOOKINFO],
      ['parse', BOOKINFO],
    ]) {
      const full = openSync('/dev/full', 'w');
      const result = await runWithStdout(args, full);
      closeSync(full);
      expect(result.stderr).toBe('meshbot: cannot write output: no space left on device\n');
      expect(result.code).toBe(1);
    }
  });

  it('ends quietly with 141, as grep and kubectl under a shell, when the reader closes the pipe (| head -1)', async () => {
    const result = await runWithStdout(['parse', BOOKINFO], 'pipe', (child) => child.stdout?.destroy());
    expect(result.stderr).toBe('');
    expect(result.code).toBe(141);
    expect(result.stdout.length).toBeGreaterThan(0);
  });
});

describe('meshbot gzip and binary input', () => {
  it('reads gzip from a file and from stdin, by its bytes, as the text it holds', async () => {
    const plain = await runMeshbot(['logs', '--file', BOOKINFO, '-o', 'json']);
    const gz = join(tmp, 'bookinfo.log.1');
    writeFileSync(gz, gzipSync(bookinfo));
    const fromFile = await runMeshbot(['logs', '--file', gz, '-o', 'json']);
    const fromStdin = await runMeshbot(['logs', '-f', '-', '-o', 'json'], { stdin: gzipSync(bookinfo) });
    for (const result of [fromFile, fromStdin]) {
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const report = summary(result.stdout);
      expect(report.totals).toEqual(summary(plain.stdout).totals);
      expect(report.skipped.binary).toBeUndefined();
      expect(report.notes.join(' ')).not.toContain(ADVICE);
    }
    const parsed = await runMeshbot(['parse', gz]);
    expect(parsed.stdout.trim().split('\n')).toHaveLength(summary(plain.stdout).totals.entries);
  });

  it('names a damaged gzip file, in one line', async () => {
    const whole = gzipSync(bookinfo);
    const cut = join(tmp, 'cut.log.gz');
    writeFileSync(cut, whole.subarray(0, whole.length >> 1));
    const { code, stdout, stderr } = await runMeshbot(['logs', '--file', cut]);
    expect(stderr).toBe(
      `meshbot: cannot read ${cut}: it is gzip-compressed but it ends early (a truncated file?)\n`,
    );
    expect(code).toBe(1);
    expect(stdout).toBe('');
  });

  it('refuses other binary data as not a text log, without advice about logging', async () => {
    const png = join(tmp, 'proxy.log');
    writeFileSync(
      png,
      Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(300, 7)]),
    );
    const file = await runMeshbot(['logs', '--file', png]);
    expect(file.stderr).toBe(`meshbot: ${png} is not a text log (a PNG image)\n`);
    expect(file.code).toBe(1);
    expect(file.stdout).toBe('');
    const random = Buffer.alloc(4096);
    for (let i = 0; i < random.length; i++) random[i] = (i * 7919) % 251;
    const stdin = await runMeshbot(['logs', '-f', '-'], { stdin: random });
    expect(stdin.stderr).toBe('meshbot: stdin is not a text log (binary data)\n');
    expect(stdin.code).toBe(1);
    noStackTrace(stdin.stderr);
  });

  it('does not advise switching logging on for a text file that is no log', async () => {
    const readme = await runMeshbot(['logs', '--file', 'README.md', '-o', 'json']);
    const notes = summary(readme.stdout).notes.join(' ');
    expect(notes).not.toContain(ADVICE);
    expect(notes).toContain("not an Istio proxy's log");
    const quiet = join(tmp, 'quiet-proxy.log');
    writeFileSync(quiet, '2026-11-21T08:59:58.120311Z\tinfo\tEnvoy proxy is ready\n');
    const proxy = await runMeshbot(['logs', '--file', quiet, '-o', 'json']);
    expect(summary(proxy.stdout).notes.join(' ')).toContain(ADVICE);
  });
});

/** A child reading an endless stdin; resolves once it has taken at least `bytes` of it. */
function feedEndlessly(args: readonly string[], bytes: number) {
  const { child, result, out, err } = startMeshbot(args);
  const exited = result.then((r) => ({ code: r.code }));
  child.stdin.on('error', () => {
    // The reader stopped: expected once it was interrupted.
  });
  const lines = bookinfo
    .toString('utf8')
    .split('\n')
    .filter((l) => l.includes('] [2026'));
  const taken = new Promise<void>((resolve, reject) => {
    // A child that ended before taking enough (it failed to start) fails the test here, not by a timeout.
    child.on('close', (code) => reject(new Error(`meshbot exited (${code}) early: ${err().slice(-500)}`)));
    let written = 0;
    let i = 0;
    const pump = () => {
      while (!child.stdin.destroyed) {
        const line = `${lines[i++ % lines.length]}\n`;
        written += line.length;
        // Written past what a pipe buffers: the child has read the rest.
        if (written > bytes + (1 << 20)) resolve();
        if (!child.stdin.write(line)) {
          child.stdin.once('drain', pump);
          return;
        }
      }
    };
    pump();
  });
  return { child, taken, exited, out, err };
}

describe('meshbot interrupted while reading', () => {
  it('prints the summary of what it read, marked partial, and exits 130 (JSON)', async () => {
    const run = feedEndlessly(['logs', '-f', '-', '-o', 'json'], 2 << 20);
    await run.taken;
    run.child.kill('SIGINT');
    const { code } = await run.exited;
    expect(run.err()).toBe('');
    expect(code).toBe(130);
    const report = summary(run.out());
    expect(report).toMatchObject({ interrupted: true, partial_input: true });
    expect(report.totals.entries).toBeGreaterThan(1000);
    expect(report.notes[0]).toMatch(/^interrupted: partial input/);
  }, 30_000);

  it('says so in text, and parse stops too (SIGTERM)', async () => {
    const text = feedEndlessly(['logs', '-f', '-'], 1 << 20);
    await text.taken;
    text.child.kill('SIGINT');
    expect((await text.exited).code).toBe(130);
    expect(text.out()).toContain('interrupted: partial input');
    expect(text.out()).toContain('FINDINGS');

    const parse = feedEndlessly(['parse', '-'], 1 << 20);
    await parse.taken;
    parse.child.kill('SIGTERM');
    expect((await parse.exited).code).toBe(130);
    expect(parse.err()).toMatch(/^meshbot: interrupted: partial input \(\d+ lines read\)\n/);
    const entries = parse.out().trim().split('\n');
    expect(entries.length).toBeGreaterThan(1000);
    for (const line of entries.slice(0, -1)) expect(() => JSON.parse(line)).not.toThrow();
  }, 30_000);
});

describe('meshbot --since and --since-time on saved files', () => {
  const starts = bookinfo
    .toString('utf8')
    .split('\n')
    .flatMap((l) => /\] \[(2026-[^\]]+)\] "/.exec(l)?.[1] ?? [])
    .map((t) => Date.parse(t));
  const newest = Math.max(...starts);

  it('counts --since back from the newest entry in the files, and says so', async () => {
    const { code, stdout } = await runMeshbot(['logs', '--file', BOOKINFO, '--since', '1m', '-o', 'json']);
    expect(code).toBe(0);
    const report = summary(stdout);
    expect(report.totals.entries).toBe(starts.filter((t) => t >= newest - 60_000).length);
    expect(report.totals.filtered_out).toBe(starts.filter((t) => t < newest - 60_000).length);
    expect(report.notes).toContain(
      `--since 1m: entries that started after ${new Date(newest - 60_000).toISOString()}, 1m before the newest entry (${new Date(newest).toISOString()}).`,
    );
    const text = await runMeshbot(['logs', '--file', BOOKINFO, '--since', '1m'], { env: WIDE });
    expect(text.stdout).toContain(`1m before the newest entry (${new Date(newest).toISOString()})`);
  });

  it('keeps the entries from an RFC 3339 --since-time, and refuses a bad one', async () => {
    const at = '2026-11-21T10:01:00+01:00';
    const { code, stdout } = await runMeshbot(['logs', '--file', BOOKINFO, '--since-time', at, '-o', 'json']);
    expect(code).toBe(0);
    const report = summary(stdout);
    expect(report.totals.entries).toBe(starts.filter((t) => t >= Date.parse(at)).length);
    expect(report.totals.entries).toBeGreaterThan(0);
    expect(report.notes).toContain(
      '--since-time: entries that started at or after 2026-11-21T09:01:00.000Z.',
    );

    const bad = await runMeshbot(['logs', '--file', BOOKINFO, '--since-time', '2026-11-21 09:01']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('is not an RFC 3339 time: use e.g. 2026-12-04T10:00:00Z');
    noStackTrace(bad.stderr);
    const both = await runMeshbot(['logs', '--file', BOOKINFO, '--since', '1m', '--since-time', at]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('pass --since or --since-time, not both');
    const help = await runMeshbot(['trace', '--help']);
    expect(help.stdout).toContain('--since-time');
  });
});

describe('meshbot logs --file MESH-WIDE-FILE WORKLOAD', () => {
  // The sample as a mesh-wide file: every line prefixed `[pod/…/istio-proxy]` (kubectl logs --prefix), but
  // for productpage's inbound lines, cut of their prefix (as from a tool that does not add one).
  const lines = bookinfo
    .toString('utf8')
    .split('\n')
    .filter((l) => l !== '');
  const unprefixed = (l: string) => l.startsWith('[pod/productpage-v1-') && l.includes(' inbound|');
  const mixed = lines.map((l) => (unprefixed(l) ? l.replace(/^\[pod\/[^\]]+\] /, '') : l));
  const all = join(tmp, 'all.log');
  writeFileSync(all, `${mixed.join('\n')}\n`);
  const isEntry = (l: string) => /\] \[2026-|^\[2026-/.test(l);
  const productpage = lines.filter((l) => l.startsWith('[pod/productpage-v1-') && isEntry(l));

  it("summarises the workload's entries, matched by pod prefix and, without one, by authority", async () => {
    const { code, stdout, stderr } = await runMeshbot(['logs', '--file', all, 'productpage', '-o', 'json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const report = summary(stdout);
    expect(report.totals.entries).toBe(productpage.length);
    const byAuthority = mixed.filter((l) => l.startsWith('[2026-')).length;
    expect(byAuthority).toBeGreaterThan(0);
    expect(report.notes[0]).toBe(
      `productpage: ${(productpage.length - byAuthority).toLocaleString('en-US')} entries from pod productpage-v1-7d6cfb7dfd-5m8xq (matched by the [pod/…] line prefix; outbound rows are their calls); ${byAuthority} inbound entries without a pod prefix, matched by the service they were called as (mTLS server name or authority productpage). Left out: ${(lines.filter(isEntry).length - productpage.length).toLocaleString('en-US')} of other pods.`,
    );
    // Outbound rows are productpage's calls, and say which pod made them.
    const outbound = report.flows.filter((f) => f.direction === 'outbound');
    expect(new Set(outbound.map((f) => f.peer.split(':')[0]))).toEqual(
      new Set(['details.bookinfo', 'reviews.bookinfo', 'passthrough → 104.20.28.24']),
    );
    for (const flow of outbound) expect(flow.reported_by).toEqual(['productpage-v1-7d6cfb7dfd-5m8xq']);
  });

  it('takes deploy/NAME, still reads a file named like one given with a path, and refuses two workloads', async () => {
    const deploy = await runMeshbot(['logs', '--file', all, 'deploy/reviews-v3', '-o', 'json']);
    const reviews = lines.filter((l) => l.startsWith('[pod/reviews-v3-') && isEntry(l)).length;
    expect(summary(deploy.stdout).totals.entries).toBe(reviews);
    const copy = join(tmp, 'ratings');
    writeFileSync(copy, bookinfo);
    const asFile = await runMeshbot(['logs', '--file', all, `${tmp}/./ratings`, '-o', 'json']);
    expect(summary(asFile.stdout).sources).toHaveLength(2);
    const two = await runMeshbot(['logs', '--file', all, 'productpage', 'reviews']);
    expect(two.code).toBe(2);
    expect(two.stderr).toContain(
      'with --file, logs takes one workload to summarise (got productpage, reviews)',
    );
  });
});

describe('meshbot --since-time against a cluster', () => {
  it('asks the API server for the logs since that instant (sinceTime, as kubectl sends it) and keeps entries from it, logs and trace', async () => {
    const server = await startFakeApiServer({ now: () => NOW, namespaces: ['default', 'shop'] });
    try {
      server.addNamespace('shop', { 'istio-injection': 'enabled' });
      server.addPod({ namespace: 'shop', name: 'web-0', labels: { app: 'web' }, istio: 'sidecar' });
      const ip = podIp(server, 'shop', 'web-0');
      const line = (secondsAgo: number, id: string) =>
        accessLine({
          secondsAgo,
          direction: 'inbound',
          id,
          service: 'web.shop.svc.cluster.local',
          serverIp: ip,
          clientIp: '10.0.0.9',
        });
      server.setPodLog('shop', 'web-0', 'istio-proxy', [
        line(7300, 'old'),
        line(7100, 'new-1'),
        line(60, 'new-2'),
      ]);
      const kubeconfig = kubeconfigFile(server, 'shop');
      const at = new Date(NOW.getTime() - 7200_000).toISOString();

      const io = captureIo();
      const code = await runCli(
        ['logs', 'web-0', '--since-time', at, '--kubeconfig', kubeconfig, '-o', 'json'],
        io,
      );
      expect(io.err()).toBe('');
      expect(code).toBe(0);
      expect(summary(io.out()).totals.entries).toBe(2);
      const reads = server.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/log'));
      expect(reads.map((r) => [r.query.sinceTime, r.query.sinceSeconds])).toEqual([
        [at.replace(/\.\d+Z$/, 'Z'), undefined],
      ]);

      server.clearRequests();
      const trace = captureIo();
      await runCli(
        ['trace', 'new-1abcdef', '-n', 'shop', '--since-time', at, '--kubeconfig', kubeconfig],
        trace,
      );
      const traceReads = server.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/log'));
      expect(traceReads.length).toBeGreaterThan(0);
      for (const r of traceReads) expect(r.query.sinceTime).toBe(at.replace(/\.\d+Z$/, 'Z'));

      const future = captureIo();
      const later = new Date(NOW.getTime() + 60_000).toISOString();
      expect(await runCli(['logs', 'web-0', '--since-time', later, '--kubeconfig', kubeconfig], future)).toBe(
        2,
      );
      expect(future.err()).toBe(
        `meshbot: --since-time ${later} is in the future (it is ${NOW.toISOString()} here)\n`,
      );
    } finally {
      await server.close();
    }
  });
});
