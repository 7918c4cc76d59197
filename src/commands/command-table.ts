/**
 * @module commands/command-table
 * Every command meshbot has, in the order help lists them. Both front ends iterate this table: the CLI
 * from argv, the Slack bot from `/mesh` text, through the same parser, request builders and `run`.
 */
import type { CommandSpec, FrontEnd, ParsedCommand } from './command-spec.js';
import { parseCommandLine } from './parse-command-line.js';
import type { Command, PreparedCommand, RequestLimits } from './table/define-command.js';
import {
  disableLoggingCommand,
  enableLoggingCommand,
  reconcileCommand,
  statusCommand,
} from './table/logging-commands.js';
import { logsCommand } from './table/logs-command.js';
import {
  completionCommand,
  demoCommand,
  helpCommand,
  serveCommand,
  versionCommand,
} from './table/misc-commands.js';
import { parseCommand } from './table/parse-command.js';
import { traceCommand } from './table/trace-command.js';

export const COMMAND_TABLE: readonly Command[] = [
  logsCommand,
  traceCommand,
  parseCommand,
  enableLoggingCommand,
  disableLoggingCommand,
  statusCommand,
  reconcileCommand,
  serveCommand,
  demoCommand,
  helpCommand,
  completionCommand,
  versionCommand,
];

export const COMMAND_SPECS: readonly CommandSpec[] = COMMAND_TABLE.map((c) => c.spec);

export function commandsFor(frontEnd: FrontEnd): CommandSpec[] {
  return COMMAND_SPECS.filter((s) => s.frontEnds.includes(frontEnd));
}

/** Parses tokens for a front end. `--help` on a command is returned as parsed (see `wantsHelp`). */
export function parseTokens(tokens: readonly string[], frontEnd: FrontEnd): ParsedCommand {
  return parseCommandLine(tokens, COMMAND_SPECS, frontEnd);
}

export function wantsHelp(parsed: ParsedCommand): boolean {
  return parsed.options.help === true;
}

/** The request for a parsed command: every check that needs no cluster happens here. */
export function prepareCommand(parsed: ParsedCommand, limits: RequestLimits): PreparedCommand {
  const command = COMMAND_TABLE.find((c) => c.spec === parsed.spec);
  if (command === undefined) throw new Error(`no command ${parsed.spec.name} in the table`);
  return command.prepare(parsed, limits);
}
