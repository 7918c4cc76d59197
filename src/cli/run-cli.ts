/**
 * @module cli/run-cli
 * argv → tokens → parsed command → request → run → render → stdout, and an exit code. Everything it
 * touches is injected (`CliIo`), so tests run it in-process; `main.ts` wires the real process.
 */

import { exitCodeOfReport } from '../commands/command-report.js';
import { parseTokens, prepareCommand, wantsHelp } from '../commands/command-table.js';
import { commandHelp, generalHelp } from '../commands/help-text.js';
import { readCliConfig } from '../core/config.js';
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
  const report = await prepared.run(cliDeps(io, { ...config, format, color, width }));
  const output = renderCommandReport(report, format, { nowMs: io.now(), frontEnd: 'cli', color, width });
  if ('kind' in report && report.kind === 'parse') io.stderr.write(output);
  else io.stdout.write(output);
  return exitCodeOfReport(report);
}
