/** `runCli` in-process: stdin from a terminal is announced, and is named `stdin` in reports. */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { captureIo } from '../../test/support/capture-io.js';
import { runCli } from './run-cli.js';

function stdinWith(text: string, isTTY: boolean): PassThrough {
  const stdin = new PassThrough();
  Object.assign(stdin, { isTTY });
  stdin.end(text);
  return stdin;
}

describe('runCli with stdin', () => {
  it.each([
    [true, 'meshbot: reading access-log lines from stdin (Ctrl-D to end)\n'],
    [false, ''],
  ])('isTTY %s: says it is waiting for input only on a terminal', async (isTTY, notice) => {
    const io = { ...captureIo(), stdin: stdinWith('', isTTY) };
    const code = await runCli(['logs', '-f', '-', '-o', 'json'], io);
    expect(code).toBe(0);
    expect(io.err()).toBe(notice);
    expect(JSON.parse(io.out()).sources).toEqual([{ name: 'stdin', entries: 0, skipped_lines: 0 }]);
  });

  it('reads a file given twice once, and says so', async () => {
    const io = captureIo();
    const code = await runCli(
      ['logs', '-f', 'examples/bookinfo.log', '-f', 'examples/bookinfo.log', '-o', 'json'],
      io,
    );
    expect(code).toBe(0);
    expect(io.err()).toBe('meshbot: examples/bookinfo.log was given more than once; it is read once\n');
    expect(JSON.parse(io.out()).sources).toHaveLength(1);
  });

  it('parse prints nothing on stderr when nothing was skipped', async () => {
    const line =
      '[2024-05-01T12:00:00.000Z] "GET / HTTP/1.1" 200 - via_upstream - "-" 0 12 3 2 "-" "curl/8" "id-1" "svc:80" "10.0.0.1:80" outbound|80||svc.ns.svc.cluster.local 10.0.0.2:5000 10.96.0.1:80 10.0.0.2:5001 - default\n';
    const io = { ...captureIo(), stdin: stdinWith(line, false) };
    expect(await runCli(['parse', '-'], io)).toBe(0);
    expect(io.err()).toBe('');
    expect(JSON.parse(io.out())).toMatchObject({ source: 'stdin', response_code: 200 });
  });

  it('honours COLUMNS for the text width', async () => {
    const widest = async (env: Record<string, string>) => {
      const io = captureIo({ env });
      expect(await runCli(['logs', '-f', 'examples/bookinfo.log', '--no-color'], io)).toBe(0);
      return Math.max(
        ...io
          .out()
          .split('\n')
          .map((l) => [...l].length),
      );
    };
    expect(await widest({})).toBeLessThanOrEqual(100);
    expect(await widest({ COLUMNS: '80' })).toBeLessThanOrEqual(80);
    expect(await widest({ COLUMNS: '160' })).toBeGreaterThan(100);
  });
});
