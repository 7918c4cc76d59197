/**
 * @module commands/help-text
 * Help generated from the command table, for the CLI (`meshbot --help`, `meshbot logs --help`) and for
 * Slack (`/mesh help`, `/mesh help logs`): the same words, each listing only what that front end accepts,
 * wrapped to the width the front end gives (the terminal's; 80 when it has none), descriptions under their
 * column.
 */
import {
  type CommandSpec,
  type FrontEnd,
  flagNames,
  leadingOptions,
  type OptionSpec,
  optionsFor,
  placeholderOf,
  positionalsFor,
} from './command-spec.js';
import { COMMAND_SPECS, commandsFor } from './command-table.js';
import { parseCommandLine, tokenizeCommandText } from './parse-command-line.js';

/** Help's width when the front end gives none (output to a pipe or a file). */
export const DEFAULT_HELP_WIDTH = 80;
/** The widest the flag column gets; a longer flag puts its description on the next line. */
const FLAG_COLUMN = 32;
/** Below this many columns for descriptions, they go under the flag instead of beside it. */
const MIN_DESCRIPTION = 24;

export function commandPrefix(frontEnd: FrontEnd): string {
  return frontEnd === 'cli' ? 'meshbot' : '/mesh';
}

/** `-o, --format, --output text|json|…`. */
export function optionFlag(o: OptionSpec): string {
  const value = placeholderOf(o);
  return `${o.short ? '' : '    '}${flagNames(o).join(', ')}${value ? ` ${value}` : ''}`;
}

/** Breaks prose into lines of at most `width` characters at spaces; a longer word stays whole. */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/ +/)) {
    if (word === '') continue;
    if (current === '') current = word;
    else if (current.length + 1 + word.length <= width) current += ` ${word}`;
    else {
      lines.push(current);
      current = word;
    }
  }
  if (current !== '' || lines.length === 0) lines.push(current);
  return lines;
}

/**
 * Two columns, indented by two: the left (flags, names) padded to a shared width, the right wrapped under
 * its own column. A left cell wider than the column, or a very narrow width, puts the right one below.
 */
function twoColumns(rows: readonly (readonly [string, string])[], width: number, maxLeft: number): string[] {
  const left = Math.min(maxLeft, Math.floor(width * 0.4), Math.max(0, ...rows.map(([l]) => l.length)));
  const beside = width - 2 - left - 2 >= MIN_DESCRIPTION;
  const indent = beside ? 2 + left + 2 : 8;
  const out: string[] = [];
  for (const [l, r] of rows) {
    const wrapped = wrapText(r, Math.max(MIN_DESCRIPTION, width - indent));
    const first = beside && l.length <= left ? wrapped.shift() : undefined;
    out.push(first === undefined ? `  ${l}` : `  ${l.padEnd(left)}  ${first}`);
    for (const line of wrapped) out.push(`${' '.repeat(indent)}${line}`);
  }
  return out;
}

/** Whether an example (without a shell pipe after it) parses on the front end, so help never shows one it refuses. */
function runsOn(example: string, frontEnd: FrontEnd): boolean {
  if (frontEnd !== 'cli' && example.includes(' | ')) return false;
  try {
    parseCommandLine(tokenizeCommandText(example.split(' | ')[0] ?? example), COMMAND_SPECS, frontEnd);
    return true;
  } catch {
    return false;
  }
}

/** `meshbot logs [TARGET...] [options]`. */
export function usageLine(spec: CommandSpec, frontEnd: FrontEnd): string {
  const args = positionalsFor(spec, frontEnd).map((p) => {
    const name = p.variadic ? `${p.name}...` : p.name;
    return p.required ? name : `[${name}]`;
  });
  const hasOptions = optionsFor(spec, frontEnd).some((o) => o.name !== 'help');
  return [commandPrefix(frontEnd), spec.name, ...args, ...(hasOptions ? ['[options]'] : [])].join(' ');
}

/** The list of commands, and the options that may come before any of them. */
export function generalHelp(frontEnd: FrontEnd, width: number = DEFAULT_HELP_WIDTH): string {
  const commands = commandsFor(frontEnd);
  const prefix = commandPrefix(frontEnd);
  const globals = leadingOptions(COMMAND_SPECS, frontEnd);
  return [
    ...wrapText(
      'meshbot — read Istio access logs: what a workload called, from where, and what came back.',
      width,
    ),
    '',
    `Usage: ${prefix} COMMAND [options]`,
    '',
    'Commands:',
    ...twoColumns(
      commands.map((c) => [c.name, c.summary] as const),
      width,
      FLAG_COLUMN,
    ),
    '',
    ...wrapText(
      frontEnd === 'cli'
        ? 'Global options (also before the command, e.g. meshbot -o json status; each command takes those it can use):'
        : 'Global options (also before the command, e.g. /mesh --share status):',
      width,
    ),
    ...twoColumns(
      globals.map((o) => [optionFlag(o), o.description] as const),
      width,
      FLAG_COLUMN,
    ),
    '',
    ...wrapText(
      frontEnd === 'cli'
        ? 'Run `meshbot COMMAND --help` for the options of a command.'
        : 'Run `/mesh help COMMAND` for the options of a command. Answers are only for you unless you add --share.',
      width,
    ),
    '',
  ].join('\n');
}

/** One command's usage, options and examples. */
export function commandHelp(
  spec: CommandSpec,
  frontEnd: FrontEnd,
  width: number = DEFAULT_HELP_WIDTH,
): string {
  const prefix = commandPrefix(frontEnd);
  const examples = spec.examples.filter((e) => runsOn(e, frontEnd));
  const positionals = positionalsFor(spec, frontEnd);
  return [
    `Usage: ${usageLine(spec, frontEnd)}`,
    '',
    ...wrapText(spec.summary, width),
    ...(positionals.length > 0
      ? [
          '',
          'Arguments:',
          ...twoColumns(
            positionals.map((p) => [p.name, p.description] as const),
            width,
            FLAG_COLUMN,
          ),
        ]
      : []),
    '',
    'Options:',
    ...twoColumns(
      optionsFor(spec, frontEnd).map((o) => [optionFlag(o), o.description] as const),
      width,
      FLAG_COLUMN,
    ),
    ...(examples.length > 0 ? ['', 'Examples:', ...examples.map((e) => `  ${prefix} ${e}`)] : []),
    '',
  ].join('\n');
}

/** Help for `help TOPIC` or a usage mistake: that command's help, else the list of commands. */
export function helpFor(
  topic: string | undefined,
  frontEnd: FrontEnd,
  width: number | undefined = DEFAULT_HELP_WIDTH,
): string {
  const spec = COMMAND_SPECS.find((s) => s.name === topic);
  const w = width ?? DEFAULT_HELP_WIDTH;
  return spec?.frontEnds.includes(frontEnd) ? commandHelp(spec, frontEnd, w) : generalHelp(frontEnd, w);
}
