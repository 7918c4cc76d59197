/**
 * @module commands/command-reference
 * The README's "Command reference", generated from the command table like both help texts: every command,
 * every argument and option with its value, default, description, and the front ends that accept it.
 * `npm run docs` writes it between the markers in README.md; test/docs.test.ts fails when the two differ.
 *
 * Defaults are read from the descriptions, where the table states them in one way: `(default X)`,
 * `(default: X)`, `(…; default: X)`, `(the default)` for a flag that is on, `X (default)` for an enum choice.
 */
import {
  type CommandSpec,
  FRONT_ENDS,
  type FrontEnd,
  flagNames,
  GLOBAL_OPTIONS,
  type OptionSpec,
  type PositionalSpec,
  placeholderOf,
} from './command-spec.js';
import { COMMAND_SPECS } from './command-table.js';
import { usageLine } from './help-text.js';

export const REFERENCE_BEGIN =
  '<!-- BEGIN GENERATED: command reference (npm run docs; from src/commands/command-table.ts) -->';
export const REFERENCE_END = '<!-- END GENERATED: command reference -->';

export interface DescribedDefault {
  /** The description without the default's wording. */
  description: string;
  /** The default as the description states it; undefined when it states none. */
  default: string | undefined;
}

/** Splits the default out of a description (see the module comment for the forms it reads). */
export function describedDefault(description: string): DescribedDefault {
  const stated = /^(.*?)\s*\((?:([^()]*?);\s*)?default(?: and maximum)?:?\s+([^()]+)\)(.*)$/.exec(
    description,
  );
  if (stated !== null) {
    const [, before = '', kept, value = '', after = ''] = stated;
    const rest = kept === undefined ? '' : ` (${kept})`;
    return { description: `${before}${rest}${after}`.trim(), default: value.trim() };
  }
  const flagOn = /^(.*?)\s*\(the default\)(.*)$/.exec(description);
  if (flagOn !== null) return { description: `${flagOn[1] ?? ''}${flagOn[2] ?? ''}`.trim(), default: 'on' };
  const choice = /\b([a-z][a-z-]*) \(default\)/.exec(description);
  if (choice !== null) {
    return { description: description.replace(' (default)', ''), default: choice[1] };
  }
  return { description, default: undefined };
}

/** `|` would end a table cell; newlines would end the row. */
function cell(text: string): string {
  return text.replaceAll('|', '\\|').replace(/\s*\n\s*/g, ' ');
}

function code(text: string): string {
  return `\`${cell(text)}\``;
}

type HasFrontEnds = { frontEnds?: readonly FrontEnd[] | undefined };

/** `CLI`, `Slack`, or `CLI, Slack`: where the item may be given, within where its command runs. */
function frontEndsOf(item: HasFrontEnds, command: HasFrontEnds = {}): string {
  return FRONT_ENDS.filter(
    (f) => (item.frontEnds ?? FRONT_ENDS).includes(f) && (command.frontEnds ?? FRONT_ENDS).includes(f),
  )
    .map((f) => (f === 'cli' ? 'CLI' : 'Slack'))
    .join(', ');
}

/** What the value is: `duration (DUR)`, `one of text, json`, `count 1–100`, `flag`. */
export function valueKindText(item: OptionSpec | PositionalSpec): string {
  switch (item.kind) {
    case 'boolean': {
      // `--dry-run=client`: the values it takes (a string is the reason a value is refused).
      const given = 'values' in item && item.values !== undefined ? Object.entries(item.values) : [];
      const values = given.filter(([, v]) => typeof v === 'boolean').map(([k]) => k);
      return values.length > 0 ? `flag, or =${values.join(', =')}` : 'flag';
    }
    case 'enum':
      return `one of ${(item.choices ?? []).join(', ')}`;
    case 'count': {
      const o = item as OptionSpec;
      const range =
        o.min !== undefined && o.max !== undefined
          ? ` ${o.min}–${o.max}`
          : o.min !== undefined
            ? ` ≥ ${o.min}`
            : '';
      return `count${range}${o.unlimited === undefined ? '' : ` (${o.unlimited}: no limit)`}`;
    }
    case 'duration':
      return 'duration (30s, 15m, 2h, 1d, 1h30m)';
    case 'namespace':
      return 'namespace';
    case 'request-id':
      return 'x-request-id';
    case 'label':
      return 'LABEL=VALUE';
    case 'file':
      return 'file path';
    case 'command':
      return 'command name';
    case 'string':
      return 'text';
    default: {
      const never: never = item.kind;
      return String(never);
    }
  }
}

function optionName(o: OptionSpec): string {
  const placeholder = placeholderOf(o);
  const names = flagNames(o).join(', ');
  return code(placeholder === undefined ? names : `${names} ${placeholder}`);
}

function optionRow(o: OptionSpec, command: HasFrontEnds = {}): string {
  const { description, default: value } = describedDefault(o.description);
  const shown = value ?? (o.kind === 'boolean' ? 'off' : '—');
  const repeat = o.multiple === true ? ', repeatable' : '';
  return `| ${optionName(o)} | ${cell(valueKindText(o))}${repeat} | ${cell(shown)} | ${cell(description)} | ${frontEndsOf(o, command)} |`;
}

function positionalRow(p: PositionalSpec, command: HasFrontEnds): string {
  const { description, default: value } = describedDefault(p.description);
  const name = p.variadic === true ? `${p.name}...` : p.name;
  const needed = p.required ? 'required' : 'optional';
  return `| ${code(name)} | ${cell(valueKindText(p))}, ${needed} | ${cell(value ?? '—')} | ${cell(description)} | ${frontEndsOf(p, command)} |`;
}

const HEADER = ['| name | value | default | description | front ends |', '| --- | --- | --- | --- | --- |'];

function commandSection(spec: CommandSpec): string[] {
  // Refused flags are not options; one its front ends cannot give is not either.
  const options = spec.options.filter((o) => o.refused === undefined && frontEndsOf(o, spec) !== '');
  const where = spec.frontEnds.length === FRONT_ENDS.length ? 'CLI and Slack' : `${frontEndsOf(spec)} only`;
  const traits = [
    where,
    ...(spec.mutating
      ? [
          spec.frontEnds.includes('slack')
            ? 'changes the cluster (admins only in Slack)'
            : 'changes the cluster',
        ]
      : []),
    ...(spec.heavy ? ['reads many pod logs'] : []),
  ];
  const usage = spec.frontEnds.map((f) => `\`${usageLine(spec, f)}\``).join(' · ');
  return [
    `### ${spec.name}`,
    '',
    `${spec.summary}. ${traits.join('; ')}.`,
    '',
    `Usage: ${usage}`,
    '',
    ...(spec.positionals.length + options.length === 0
      ? ['No arguments or options of its own.']
      : [
          ...HEADER,
          ...spec.positionals.map((p) => positionalRow(p, spec)),
          ...options.map((o) => optionRow(o, spec)),
        ]),
    ...(spec.examples.length > 0
      ? ['', `Examples: ${spec.examples.map((e) => `\`meshbot ${e}\``).join(', ')}`]
      : []),
    '',
  ];
}

/** The section between the markers, markers excluded, ending with a newline. */
export function commandReference(specs: readonly CommandSpec[] = COMMAND_SPECS): string {
  return [
    '',
    'Generated from the command table (`src/commands/command-table.ts`) by `npm run docs`; a test fails when',
    'this section and the table differ. Options of all commands, accepted before or after the command name:',
    '',
    ...HEADER,
    ...GLOBAL_OPTIONS.filter((o) => o.refused === undefined).map((o) => optionRow(o)),
    '',
    ...specs.flatMap(commandSection),
  ].join('\n');
}

/**
 * The text with its Markdown table rows written one way: cells trimmed, `| --- |` rules. Biome lays the
 * README's tables out in aligned columns; comparing through this ignores that padding and nothing else.
 */
export function normalizeMarkdownTables(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      if (!line.startsWith('|')) return line;
      const cells = line
        .slice(1, line.endsWith('|') ? -1 : undefined)
        .split(/(?<!\\)\|/)
        .map((c) => c.trim());
      return `| ${cells.map((c) => (/^:?-+:?$/.test(c) ? '---' : c)).join(' | ')} |`;
    })
    .join('\n');
}

/** README text with its reference section replaced; throws when the markers are missing or out of order. */
export function withCommandReference(readme: string, reference: string = commandReference()): string {
  const begin = readme.indexOf(REFERENCE_BEGIN);
  const end = readme.indexOf(REFERENCE_END);
  if (begin < 0 || end < begin) {
    throw new Error(`README.md needs the lines ${REFERENCE_BEGIN} and ${REFERENCE_END}, in that order`);
  }
  return `${readme.slice(0, begin + REFERENCE_BEGIN.length)}\n${reference}${readme.slice(end)}`;
}
