/**
 * @module commands/command-spec
 * The shape of meshbot's grammar: per command its positionals and typed options, and which front end
 * (the `meshbot` CLI or Slack's `/mesh`) may set each. The command table (`command-table.ts`) is written
 * in these terms; the parser, both help texts and the README's command list are generated from it.
 */

export const FRONT_ENDS = ['cli', 'slack'] as const;
export type FrontEnd = (typeof FRONT_ENDS)[number];

/**
 * What a value must be; the parser converts and checks it before any command sees it:
 * `duration` → milliseconds (`15m`, `1h30m`), `count` → a whole number within `min`/`max`, `enum` → one of
 * `choices`, `namespace` → a DNS-1123 label, `request-id` → an `x-request-id`, `label` → `LABEL=VALUE`.
 */
export type ValueKind =
  | 'boolean'
  | 'string'
  | 'duration'
  | 'count'
  | 'enum'
  | 'namespace'
  | 'request-id'
  | 'label'
  | 'file'
  | 'command';

export interface OptionSpec {
  name: string;
  short?: string;
  /** Other long names for the same option (`--output` for `--format`, as kubectl spells it). */
  aliases?: readonly string[];
  kind: ValueKind;
  /** For `enum`. */
  choices?: readonly string[];
  /** For `count`. */
  min?: number;
  max?: number;
  /** For `count`: the value that means "no limit" (kubectl's `--tail -1`); the option then counts as not given. */
  unlimited?: number;
  /**
   * For `boolean`: the values `--name=VALUE` may take (kubectl's `--dry-run=client`), each meaning on or off,
   * or, as a string, the reason that value is refused.
   */
  values?: Readonly<Record<string, boolean | string>>;
  /** May also be written before the command name (`meshbot -o json status`), as kubectl's global flags. */
  global?: boolean;
  /**
   * Recognised only to be refused with this reason: a flag kubectl users type that this command cannot
   * honour (`enable-logging -A`). Never listed in help or completion.
   */
  refused?: string;
  /** Said after "needs a value" when the option is given without one (`logs -f`, where kubectl means follow). */
  missing?: string;
  multiple?: boolean;
  /** Placeholder shown in help (`DUR`, `FILE`); defaults from the kind. */
  value?: string;
  description: string;
  /** Who may set it; both when omitted. */
  frontEnds?: readonly FrontEnd[];
}

export interface PositionalSpec {
  /** Placeholder in help: `TARGET`, `NS`, `REQUEST_ID`. */
  name: string;
  kind: ValueKind;
  /** For `enum`. */
  choices?: readonly string[];
  required: boolean;
  /** Takes every remaining positional (`FILE...`). */
  variadic?: boolean;
  description: string;
  /** Who may give it; both when omitted. */
  frontEnds?: readonly FrontEnd[];
  /** Also given as this option of the command (kubectl's `-n NS` for `NS`); the parser folds it in. */
  option?: string;
}

export interface CommandSpec {
  name: string;
  summary: string;
  positionals: readonly PositionalSpec[];
  options: readonly OptionSpec[];
  /** Written without the `meshbot`/`/mesh` prefix; each shown only on the front ends that can run it. */
  examples: readonly string[];
  /** Where the command exists. */
  frontEnds: readonly FrontEnd[];
  /** Changes the cluster: admins only in Slack, confirmation where it is mesh-wide. */
  mutating: boolean;
  /** Reads many pod logs: a Slack user waits for the first before repeating it. */
  heavy: boolean;
}

/** A typed option value after parsing. */
export type OptionValue = string | number | boolean | string[];

/** What the parser produces: the command and its checked, typed values. Positionals keyed by name. */
export interface ParsedCommand {
  spec: CommandSpec;
  frontEnd: FrontEnd;
  options: Readonly<Record<string, OptionValue>>;
  positionals: Readonly<Record<string, string | string[]>>;
}

/**
 * Options every command accepts (help, and the front-end specific ones); they may also come before the
 * command name, like the options marked `global` (`meshbot --no-color -o json status`).
 */
export const GLOBAL_OPTIONS: readonly OptionSpec[] = [
  { name: 'help', short: 'h', kind: 'boolean', description: 'Show help', global: true },
  {
    name: 'no-color',
    kind: 'boolean',
    description: 'Never colour the output (also NO_COLOR=1)',
    frontEnds: ['cli'],
    global: true,
  },
  {
    name: 'wide',
    kind: 'boolean',
    description: "Never cut lines to the terminal's width (the same as -o wide)",
    frontEnds: ['cli'],
    global: true,
  },
  {
    name: 'share',
    kind: 'boolean',
    description: 'Post the answer in the channel for everyone (default: only you see it)',
    frontEnds: ['slack'],
    global: true,
  },
];

export function availableOn(frontEnd: FrontEnd, item: { frontEnds?: readonly FrontEnd[] }): boolean {
  return item.frontEnds === undefined || item.frontEnds.includes(frontEnd);
}

/** The positionals a command accepts on a front end. */
export function positionalsFor(spec: CommandSpec, frontEnd: FrontEnd): PositionalSpec[] {
  return spec.positionals.filter((p) => availableOn(frontEnd, p));
}

/** The options a command accepts on a front end, its own first, then the global ones (refused ones left out). */
export function optionsFor(spec: CommandSpec, frontEnd: FrontEnd): OptionSpec[] {
  return [...spec.options, ...GLOBAL_OPTIONS].filter(
    (o) => availableOn(frontEnd, o) && o.refused === undefined,
  );
}

/**
 * The options that may come before the command name on a front end: the global ones and those any
 * command marks `global` (each command still decides whether it takes them), one per name.
 */
export function leadingOptions(specs: readonly CommandSpec[], frontEnd: FrontEnd): OptionSpec[] {
  const byName = new Map<string, OptionSpec>();
  for (const o of [...GLOBAL_OPTIONS, ...specs.flatMap((s) => s.options)]) {
    if (o.global === true && o.refused === undefined && availableOn(frontEnd, o) && !byName.has(o.name)) {
      byName.set(o.name, o);
    }
  }
  return [...byName.values()];
}

/** `-o, --format, --output`: how a user can write an option. */
export function flagNames(o: OptionSpec): string[] {
  return [
    ...(o.short === undefined ? [] : [`-${o.short}`]),
    `--${o.name}`,
    ...(o.aliases ?? []).map((a) => `--${a}`),
  ];
}

/** Whether `--key` (long) or `-key` (short) names the option. */
export function namesOption(o: OptionSpec, key: string, long: boolean): boolean {
  return long ? o.name === key || (o.aliases ?? []).includes(key) : o.short === key;
}

export function placeholderOf(o: OptionSpec): string | undefined {
  if (o.kind === 'boolean') return undefined;
  if (o.value !== undefined) return o.value;
  switch (o.kind) {
    case 'duration':
      return 'DUR';
    case 'count':
      return 'N';
    case 'enum':
      return (o.choices ?? []).join('|');
    case 'namespace':
      return 'NS';
    case 'request-id':
      return 'REQUEST_ID';
    case 'label':
      return 'LABEL=VALUE';
    case 'file':
      return 'FILE';
    case 'command':
      return 'COMMAND';
    case 'string':
      return 'VALUE';
    default: {
      const never: never = o.kind;
      return String(never);
    }
  }
}
