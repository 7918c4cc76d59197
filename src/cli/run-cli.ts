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
import { type OutputFormat, renderCommandReport } from '../render/render-command-report.js';
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

/** `COLUMNS` when set (as shells and kubectl honour it), else the terminal's width, else 100; at least 60. */
function outputWidth(io: CliIo): number {
  const fromEnv = Number(io.env.COLUMNS);
  if (Number.isInteger(fromEnv) && fromEnv > 0) return Math.max(60, fromEnv);
  return io.stdout.isTTY === true && io.stdout.columns ? Math.max(60, io.stdout.columns) : 100;
}

async function dispatch(argv: readonly string[], io: CliIo): Promise<number> {
  const [first] = argv;
  if (first === undefined || first === '-h' || first === '--help') {
    io.stdout.write(generalHelp('cli'));
    return first === undefined ? 2 : 0;
  }
  const parsed = parseTokens(first === '--version' || first === '-v' ? ['version'] : argv, 'cli');
  if (wantsHelp(parsed)) {
    io.stdout.write(commandHelp(parsed.spec, 'cli'));
    return 0;
  }
  const config = readCliConfig(io.env);
  const prepared = prepareCommand(parsed, config);
  const format = (typeof parsed.options.format === 'string' ? parsed.options.format : 'text') as OutputFormat;
  const color = useColor(io, parsed.options['no-color'] === true);
  const report = await prepared.run(cliDeps(io, { ...config, format, color }));
  const width = outputWidth(io);
  const output = renderCommandReport(report, format, { nowMs: io.now(), frontEnd: 'cli', color, width });
  if ('kind' in report && report.kind === 'parse') io.stderr.write(output);
  else io.stdout.write(output);
  return exitCodeOfReport(report);
}
