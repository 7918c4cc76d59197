/**
 * @module cli/run-cli
 * argv → tokens → parsed command → request → run → render → stdout, and an exit code. Everything it
 * touches is injected (`CliIo`), so tests run it in-process; `main.ts` wires the real process.
 */

import { exitCodeOfReport } from '../commands/command-report.js';
import type { ParsedCommand } from '../commands/command-spec.js';
import { parseTokens, prepareCommand, wantsHelp } from '../commands/command-table.js';
import { commandHelp, generalHelp } from '../commands/help-text.js';
import { readCliConfig } from '../core/cli-config.js';
import { MeshbotError } from '../core/errors.js';
import { exitCodeOf, toUserMessage } from '../core/user-message.js';
import { OUTPUT_FORMATS, type OutputFormat, renderCommandReport } from '../render/render-command-report.js';
import { cliDeps } from './cli-deps.js';
import type { CliIo } from './cli-io.js';

export type { CliIo, ClusterConnectOptions, ClusterConnector, OutputStream } from './cli-io.js';

/** Runs one CLI invocation; never throws. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    // Ctrl-C aborted what was waiting (a request to the API server): that is the answer, not its error.
    if (io.signal?.aborted === true) {
      io.stderr.write('meshbot: interrupted\n');
      return 130;
    }
    io.stderr.write(`meshbot: ${toUserMessage(error, 'cli')}\n`);
    return exitCodeOf(error);
  }
}

function useColor(io: CliIo, noColor: boolean): boolean {
  if (noColor || (io.env.NO_COLOR ?? '') !== '') return false;
  if ((io.env.FORCE_COLOR ?? '') !== '' && io.env.FORCE_COLOR !== '0') return true;
  return io.stdout.isTTY === true;
}

/**
 * The width text is laid out for: `COLUMNS` when set (as shells and kubectl honour it), else the terminal's
 * width on a terminal (100 if it says none); at least 60. Undefined — nothing is cut — when the output is
 * not a terminal and `COLUMNS` is not set (a pipe or a file keeps whole lines), and for `--wide`/`-o wide`.
 */
export function outputWidth(io: Pick<CliIo, 'env' | 'stdout'>, wide: boolean): number | undefined {
  if (wide) return undefined;
  const fromEnv = Number(io.env.COLUMNS);
  if (Number.isInteger(fromEnv) && fromEnv > 0) return Math.max(60, fromEnv);
  if (io.stdout.isTTY !== true) return undefined;
  return io.stdout.columns ? Math.max(60, io.stdout.columns) : 100;
}

/** `-o`: what the renderer makes of it; `wide` is text that is never cut. */
function renderFormat(chosen: string): OutputFormat {
  if (chosen === 'wide') return 'text';
  return (OUTPUT_FORMATS as readonly string[]).includes(chosen) ? (chosen as OutputFormat) : 'text';
}

async function dispatch(argv: readonly string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || (rest.length === 0 && (first === '-h' || first === '--help'))) {
    io.stdout.write(generalHelp('cli', outputWidth(io, false)));
    return first === undefined ? 2 : 0;
  }
  // `meshbot --version` and `-v` are `meshbot version`; anything after them is refused, not ignored.
  const parsed = parseTokens(first === '--version' || first === '-v' ? ['version', ...rest] : argv, 'cli');
  const chosen = typeof parsed.options.format === 'string' ? parsed.options.format : 'text';
  const width = outputWidth(io, chosen === 'wide' || parsed.options.wide === true);
  if (wantsHelp(parsed)) {
    io.stdout.write(commandHelp(parsed.spec, 'cli', width));
    return 0;
  }
  const config = readCliConfig(io.env);
  const prepared = prepareCommand(parsed, config);
  const format = renderFormat(chosen);
  const color = useColor(io, parsed.options['no-color'] === true);
  const report = await prepared
    .run(cliDeps(io, { ...config, format, color, width }))
    .catch((error: unknown) => {
      throw secondIdHint(error, parsed);
    });
  const output = renderCommandReport(report, format, { nowMs: io.now(), frontEnd: 'cli', color, width });
  if ('kind' in report && report.kind === 'parse') io.stderr.write(output);
  else io.stdout.write(output);
  return exitCodeOfReport(report);
}

/**
 * `trace a b`: saved logs may follow the id, so `b` was read as a file; when there is no such file, the user
 * most likely meant a second id (long ids are refused as such before this; short ones cannot be told apart).
 */
function secondIdHint(error: unknown, parsed: ParsedCommand): unknown {
  if (!(error instanceof MeshbotError) || error.code !== 'file_not_found') return error;
  const [head, files] = parsed.spec.positionals;
  if (head === undefined || head.kind !== 'request-id' || files?.kind !== 'file') return error;
  const given = parsed.positionals[files.name];
  const extra = Array.isArray(given) ? given : typeof given === 'string' ? [given] : [];
  const id = parsed.positionals[head.name];
  const missing = error.details.path;
  if (typeof id !== 'string' || typeof missing !== 'string' || !extra.includes(missing)) return error;
  const words = [id, ...extra].map((w) => `"${w}"`).join(', ');
  return new MeshbotError(
    'usage',
    `${parsed.spec.name} takes one request id (got ${extra.length + 1}: ${words}), and ${missing} is not a saved log either (no such file): trace them one at a time; saved logs go after the id or with -f FILE`,
    { command: parsed.spec.name, path: missing },
  );
}
