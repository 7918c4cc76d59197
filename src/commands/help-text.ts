/**
 * @module commands/help-text
 * Help generated from the command table, for the CLI (`meshbot --help`, `meshbot logs --help`) and for
 * Slack (`/mesh help`, `/mesh help logs`): the same words, each listing only what that front end accepts.
 */
import {
  type CommandSpec,
  type FrontEnd,
  type OptionSpec,
  optionsFor,
  placeholderOf,
  positionalsFor,
} from './command-spec.js';
import { COMMAND_SPECS, commandsFor } from './command-table.js';

export function commandPrefix(frontEnd: FrontEnd): string {
  return frontEnd === 'cli' ? 'meshbot' : '/mesh';
}

function optionFlag(o: OptionSpec): string {
  const value = placeholderOf(o);
  return `${o.short ? `-${o.short}, ` : '    '}--${o.name}${value ? ` ${value}` : ''}`;
}

function optionLine(o: OptionSpec): string {
  return `  ${optionFlag(o).padEnd(32)} ${o.description}`;
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

/** The list of commands. */
export function generalHelp(frontEnd: FrontEnd): string {
  const commands = commandsFor(frontEnd);
  const width = Math.max(...commands.map((c) => c.name.length));
  const prefix = commandPrefix(frontEnd);
  return [
    'meshbot — read Istio access logs: what a workload called, from where, and what came back.',
    '',
    `Usage: ${prefix} COMMAND [options]`,
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    frontEnd === 'cli'
      ? 'Run `meshbot COMMAND --help` for the options of a command.'
      : 'Run `/mesh help COMMAND` for the options of a command. Answers are only for you unless you add --share.',
    '',
  ].join('\n');
}

/** One command's usage, options and examples. */
export function commandHelp(spec: CommandSpec, frontEnd: FrontEnd): string {
  const prefix = commandPrefix(frontEnd);
  const examples = spec.examples.filter((e) => frontEnd === 'cli' || !/(--file|-f |\| )/.test(e));
  return [
    `Usage: ${usageLine(spec, frontEnd)}`,
    '',
    spec.summary,
    ...(positionalsFor(spec, frontEnd).length > 0
      ? [
          '',
          'Arguments:',
          ...positionalsFor(spec, frontEnd).map((p) => `  ${p.name.padEnd(32)} ${p.description}`),
        ]
      : []),
    '',
    'Options:',
    ...optionsFor(spec, frontEnd).map(optionLine),
    ...(examples.length > 0 ? ['', 'Examples:', ...examples.map((e) => `  ${prefix} ${e}`)] : []),
    '',
  ].join('\n');
}

/** Help for `help TOPIC` or a usage mistake: that command's help, else the list of commands. */
export function helpFor(topic: string | undefined, frontEnd: FrontEnd): string {
  const spec = COMMAND_SPECS.find((s) => s.name === topic);
  return spec?.frontEnds.includes(frontEnd) ? commandHelp(spec, frontEnd) : generalHelp(frontEnd);
}
