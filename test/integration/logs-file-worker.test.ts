/**
 * The built CLI summarises `logs --file` in a worker thread (cli/summarize-files, for peak RSS); run
 * in-process (from the sources) it summarises on the main thread. The two must say exactly the same:
 * reports, workload filtering, `--since`, `--log-format`, and errors met while reading.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { captureIo } from '../support/capture-io.js';
import { REPO, runMeshbot, startMeshbot } from '../support/run-meshbot.js';

const dir = mkdtempSync(join(tmpdir(), 'meshbot-worker-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const BOOKINFO = join(REPO, 'examples/bookinfo.log');

async function inProcess(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = captureIo();
  const code = await runCli(args, io);
  return { code, stdout: io.out(), stderr: io.err() };
}

describe('logs --file: worker thread (built CLI) and main thread (in-process) agree', () => {
  it.each([
    [['logs', '--file', BOOKINFO, '-o', 'json']],
    [['logs', '--file', BOOKINFO, 'productpage', '--since', '2m', '-o', 'json']],
    [['logs', '--file', BOOKINFO, '--file', BOOKINFO, '-o', 'json']],
  ])('%j', async (args) => {
    const worker = await runMeshbot(args);
    const main = await inProcess(args);
    expect(worker.code).toBe(0);
    expect(worker.code).toBe(main.code);
    expect(JSON.parse(worker.stdout)).toEqual(JSON.parse(main.stdout));
    expect(worker.stderr).toBe(main.stderr);
  });

  it('with a custom --log-format', async () => {
    const file = join(dir, 'custom.log');
    writeFileSync(file, 'GET /a 200 12\nGET /b 503 40\nnot a line\n');
    const args = [
      'logs',
      '--file',
      file,
      '--log-format',
      '%REQ(:METHOD)% %REQ(:PATH)% %RESPONSE_CODE% %DURATION%',
      '-o',
      'json',
    ];
    const worker = await runMeshbot(args);
    const main = await inProcess(args);
    expect(JSON.parse(worker.stdout).totals.entries).toBe(2);
    expect(JSON.parse(worker.stdout)).toEqual(JSON.parse(main.stdout));
  });

  it('an error met while reading (a gzip cut short) is the same one line and exit code', async () => {
    const whole = gzipSync(readFileSync(BOOKINFO));
    const cut = join(dir, 'cut.log.gz');
    writeFileSync(cut, whole.subarray(0, Math.floor(whole.length / 2)));
    const args = ['logs', '--file', cut];
    const worker = await runMeshbot(args);
    const main = await inProcess(args);
    expect(worker.code).toBe(main.code);
    expect(worker.stderr).toBe(main.stderr);
    expect(worker.stdout).toBe(main.stdout);
    expect(worker.stderr).not.toMatch(/\n\s+at /);
  });

  it('Ctrl-C while the worker reads: the summary of what it read, marked partial, exit 130', async () => {
    // ~300 MB: seconds to read, so the signal lands in the middle.
    const one = readFileSync(BOOKINFO);
    const big = join(dir, 'big.log');
    writeFileSync(big, Buffer.concat(Array.from({ length: Math.ceil((300 << 20) / one.length) }, () => one)));
    const { child, result } = startMeshbot(['logs', '--file', big, '-o', 'json']);
    child.stdin.end();
    await new Promise((resolve) => setTimeout(resolve, 900));
    child.kill('SIGINT');
    const { code, stdout, stderr } = await result;
    rmSync(big);
    expect(stderr).toBe('');
    expect(code).toBe(130);
    const report = JSON.parse(stdout) as {
      interrupted?: boolean;
      partial_input?: boolean;
      totals: { entries: number };
    };
    expect(report).toMatchObject({ interrupted: true, partial_input: true });
    expect(report.totals.entries).toBeGreaterThan(1000);
  }, 30_000);
});
