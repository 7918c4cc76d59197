import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { BROKEN_PIPE_EXIT, exitOnOutputFailure, outputFailure } from './output-failure.js';

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: write failed`), { code });
}

describe('outputFailure', () => {
  it.each([
    ['ENOSPC', 'meshbot: cannot write output: no space left on device\n'],
    ['EIO', 'meshbot: cannot write output: input/output error\n'],
    ['EDQUOT', 'meshbot: cannot write output: disk quota exceeded\n'],
    ['EWHATEVER', 'meshbot: cannot write output: EWHATEVER\n'],
  ])('%s is one line on stderr and exit 1', (code, message) => {
    expect(outputFailure(errno(code))).toEqual({ message, exitCode: 1 });
  });

  it('a closed pipe ends quietly with the status of a process killed by SIGPIPE', () => {
    expect(outputFailure(errno('EPIPE'))).toEqual({ message: undefined, exitCode: 141 });
    expect(BROKEN_PIPE_EXIT).toBe(128 + 13);
  });

  it('an error without a code is still worded', () => {
    expect(outputFailure(new Error('boom')).message).toBe('meshbot: cannot write output: write error\n');
  });
});

describe('exitOnOutputFailure', () => {
  it('reports the first failure once, even when stderr then fails too', () => {
    const stdout = new EventEmitter();
    const stderr = new EventEmitter();
    const written: string[] = [];
    const exits: number[] = [];
    exitOnOutputFailure(
      [stdout, stderr],
      {
        write: (chunk: string) => {
          written.push(chunk);
          stderr.emit('error', errno('EIO'));
        },
      },
      (code) => exits.push(code),
    );
    stdout.emit('error', errno('ENOSPC'));
    stdout.emit('error', errno('ENOSPC'));
    expect(written).toEqual(['meshbot: cannot write output: no space left on device\n']);
    expect(exits).toEqual([1]);
  });

  it('exits with 1 when writing the message throws', () => {
    const stdout = new EventEmitter();
    const exits: number[] = [];
    exitOnOutputFailure(
      [stdout],
      {
        write: () => {
          throw errno('EIO');
        },
      },
      (code) => exits.push(code),
    );
    stdout.emit('error', errno('EIO'));
    expect(exits).toEqual([1]);
  });
});
