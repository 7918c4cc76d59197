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
});
