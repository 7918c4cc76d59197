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
  kind: ValueKind;
  /** For `enum`. */
  choices?: readonly string[];
  /** For `count`. */
  min?: number;
  max?: number;
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
  required: boolean;
  /** Takes every remaining positional (`FILE...`). */
  variadic?: boolean;
  description: string;
  /** Who may give it; both when omitted. */
  frontEnds?: readonly FrontEnd[];
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

/** Options every command accepts (help, and the front-end specific ones). */
export const GLOBAL_OPTIONS: readonly OptionSpec[] = [
  { name: 'help', short: 'h', kind: 'boolean', description: 'Show help' },
  {
    name: 'no-color',
    kind: 'boolean',
    description: 'Never colour the output (also NO_COLOR=1)',
    frontEnds: ['cli'],
  },
  {
    name: 'share',
    kind: 'boolean',
    description: 'Post the answer in the channel for everyone (default: only you see it)',
    frontEnds: ['slack'],
  },
];

export function availableOn(frontEnd: FrontEnd, item: { frontEnds?: readonly FrontEnd[] }): boolean {
  return item.frontEnds === undefined || item.frontEnds.includes(frontEnd);
}

/** The positionals a command accepts on a front end. */
export function positionalsFor(spec: CommandSpec, frontEnd: FrontEnd): PositionalSpec[] {
  return spec.positionals.filter((p) => availableOn(frontEnd, p));
}

/** The options a command accepts on a front end, its own first, then the global ones. */
export function optionsFor(spec: CommandSpec, frontEnd: FrontEnd): OptionSpec[] {
  return [...spec.options, ...GLOBAL_OPTIONS].filter((o) => availableOn(frontEnd, o));
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
