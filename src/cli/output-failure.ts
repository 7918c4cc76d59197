/**
 * @module cli/output-failure
 * What the CLI does when it cannot write its output: a full disk (`> /dev/full`), an I/O error, or a
 * reader that went away (`meshbot parse big.log | head -1`). Never a stack trace, never a silent exit 0.
 *
 * A closed pipe ends the process quietly with 141 (128 + SIGPIPE), what a shell reports for `grep` or
 * `kubectl` killed by SIGPIPE in the same place: `| head` is a normal way to stop reading, and scripts
 * with `set -o pipefail` see the same status they see for those tools. Node ignores SIGPIPE, so the status
 * is an exit code, not a death by signal. Any other write failure is one line on stderr and exit 1.
 */

/** 128 + SIGPIPE (13): a shell's status for a process killed by writing into a closed pipe. */
export const BROKEN_PIPE_EXIT = 141;

/** The failure's wording (strerror's, lower case) for the codes a write can meet. */
const WORDS: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large',
  EIO: 'input/output error',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EBADF: 'the output is closed',
  EAGAIN: 'the output would block',
  ECONNRESET: 'the connection was reset',
  ERR_STREAM_DESTROYED: 'the output is closed',
};

export interface OutputFailure {
  /** The line for stderr (newline included); undefined for a closed pipe, which ends quietly. */
  message: string | undefined;
  exitCode: number;
}

/** How to end the process after a failed write to stdout or stderr. */
export function outputFailure(error: unknown): OutputFailure {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EPIPE') return { message: undefined, exitCode: BROKEN_PIPE_EXIT };
  const known = code === undefined ? undefined : WORDS[code];
  const words = known ?? (code !== undefined ? code : 'write error');
  return { message: `meshbot: cannot write output: ${words}\n`, exitCode: 1 };
}

interface ErrorEmitter {
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/**
 * Ends the process on the first failed write to any of `streams`: the message (if any) to `stderr`,
 * then `exit`. Later failures (stderr itself may be the broken one) are ignored.
 */
export function exitOnOutputFailure(
  streams: readonly ErrorEmitter[],
  stderr: { write(chunk: string): unknown },
  exit: (code: number) => void,
): void {
  let failed = false;
  const onError = (error: Error) => {
    if (failed) return;
    failed = true;
    const failure = outputFailure(error);
    if (failure.message !== undefined) {
      try {
        stderr.write(failure.message);
      } catch {
        // stderr is broken too: the exit code is all that is left.
      }
    }
    exit(failure.exitCode);
  };
  for (const stream of streams) stream.on('error', onError);
}
