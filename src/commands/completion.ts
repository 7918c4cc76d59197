/**
 * @module commands/completion
 * `meshbot completion bash|zsh`: a shell completion script generated from the command table, like the
 * help: the CLI's commands, each command's options (short, long and alias spellings), enum values, files
 * for file-valued options and positionals, command names for `help`. Nothing is written by hand, so a new
 * option completes as soon as it is in the table.
 */
import {
  type CommandSpec,
  flagNames,
  leadingOptions,
  type OptionSpec,
  optionsFor,
  type PositionalSpec,
  positionalsFor,
} from './command-spec.js';
import { COMMAND_SPECS, commandsFor } from './command-table.js';

export const SHELLS = ['bash', 'zsh'] as const;
export type Shell = (typeof SHELLS)[number];

/** What completes a value: words, file names, or nothing (a free value such as a namespace). */
type ValueCompletion = { kind: 'words'; words: readonly string[] } | { kind: 'files' } | { kind: 'none' };

function valueCompletion(item: Pick<OptionSpec, 'kind' | 'choices'>): ValueCompletion {
  switch (item.kind) {
    case 'enum':
      return { kind: 'words', words: item.choices ?? [] };
    case 'file':
      return { kind: 'files' };
    case 'command':
      return { kind: 'words', words: commandsFor('cli').map((c) => c.name) };
    default:
      return { kind: 'none' };
  }
}

/** Only words a shell can take unquoted reach a script (the table's own names; checked, never assumed). */
function safeWord(word: string): string {
  if (!/^[A-Za-z0-9_.=|/-]+$/.test(word)) throw new Error(`completion: "${word}" is not a plain word`);
  return word;
}

function words(list: readonly string[]): string {
  return list.map(safeWord).join(' ');
}

/** A bash `case` arm completing the value after an option (`-o|--format|--output) …`). */
function bashValueArm(o: OptionSpec, indent: string): string {
  const pattern = flagNames(o).map(safeWord).join('|');
  const value = valueCompletion(o);
  switch (value.kind) {
    case 'words':
      return `${indent}${pattern}) COMPREPLY=($(compgen -W "${words(value.words)}" -- "$cur")); return 0 ;;`;
    case 'files':
      return `${indent}${pattern}) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur")); return 0 ;;`;
    case 'none':
      return `${indent}${pattern}) return 0 ;;`;
    default: {
      const never: never = value;
      return String(never);
    }
  }
}

/** How a command's words that are not options complete: its first positional's kind decides. */
function bashPositional(positionals: readonly PositionalSpec[]): string {
  const first = positionals[0];
  const value = first === undefined ? { kind: 'none' as const } : valueCompletion(first);
  switch (value.kind) {
    case 'words':
      return `COMPREPLY=($(compgen -W "${words(value.words)}" -- "$cur"))`;
    case 'files':
      return 'compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur"))';
    case 'none':
      return 'COMPREPLY=()';
    default: {
      const never: never = value;
      return String(never);
    }
  }
}

function valued(options: readonly OptionSpec[]): OptionSpec[] {
  return options.filter((o) => o.kind !== 'boolean');
}

function bashScript(specs: readonly CommandSpec[]): string {
  const commands = specs.filter((s) => s.frontEnds.includes('cli'));
  const globals = leadingOptions(specs, 'cli');
  const globalValued = valued(globals);
  const arms = commands.map((spec) => {
    const options = optionsFor(spec, 'cli');
    return [
      `    ${safeWord(spec.name)})`,
      '      case "$prev" in',
      ...valued(options).map((o) => bashValueArm(o, '        ')),
      '      esac',
      '      if [[ "$cur" == -* ]]; then',
      `        COMPREPLY=($(compgen -W "${words(options.flatMap(flagNames))}" -- "$cur"))`,
      '      else',
      `        ${bashPositional(positionalsFor(spec, 'cli'))}`,
      '      fi',
      '      ;;',
    ].join('\n');
  });
  return [
    '# bash completion for meshbot, generated from its command table by `meshbot completion bash`.',
    '# Load it in this shell:       source <(meshbot completion bash)',
    '# or for every shell:          meshbot completion bash > ~/.local/share/bash-completion/completions/meshbot',
    '_meshbot() {',
    `  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="" cmd="" i`,
    `  (( COMP_CWORD > 0 )) && prev="\${COMP_WORDS[COMP_CWORD-1]}"`,
    '  # The command is the first word that is neither an option nor the value of one before it.',
    '  for (( i = 1; i < COMP_CWORD; i++ )); do',
    `    case "\${COMP_WORDS[i]}" in`,
    ...(globalValued.length === 0
      ? []
      : [`      ${globalValued.flatMap(flagNames).map(safeWord).join('|')}) (( i++ )) ;;`]),
    '      -*) ;;',
    `      *) cmd="\${COMP_WORDS[i]}"; break ;;`,
    '    esac',
    '  done',
    '  case "$cmd" in',
    '    "")',
    '      case "$prev" in',
    ...globalValued.map((o) => bashValueArm(o, '        ')),
    '      esac',
    '      if [[ "$cur" == -* ]]; then',
    `        COMPREPLY=($(compgen -W "${words(globals.flatMap(flagNames))}" -- "$cur"))`,
    '      else',
    `        COMPREPLY=($(compgen -W "${words(commands.map((c) => c.name))}" -- "$cur"))`,
    '      fi',
    '      ;;',
    ...arms,
    '    *) COMPREPLY=() ;;',
    '  esac',
    '  return 0',
    '}',
    'complete -F _meshbot meshbot',
    '',
  ].join('\n');
}

/** A description for zsh: one short clause, with nothing that would end the `[…]` or the quotes. */
function zshDescription(text: string): string {
  const clause = text.split(/[:;(]| — /)[0]?.trim() ?? '';
  return clause.replace(/[[\]`]/g, '').replaceAll("'", "'\\''");
}

function zshAction(item: Pick<OptionSpec, 'kind' | 'choices'>): string {
  const value = valueCompletion(item);
  switch (value.kind) {
    case 'words':
      return `(${words(value.words)})`;
    case 'files':
      return '_files';
    case 'none':
      return ' ';
    default: {
      const never: never = value;
      return String(never);
    }
  }
}

/** One `_arguments` spec: `'(-o --format --output)'{-o,--format,--output}'[Output]:FORMAT:(text json)'`. */
function zshOption(o: OptionSpec): string {
  const names = flagNames(o).map(safeWord);
  const exclusive = o.multiple === true ? "'*'" : `'(${names.join(' ')})'`;
  const spelled = names.length === 1 ? names[0] : `{${names.join(',')}}`;
  const value = o.kind === 'boolean' ? '' : `:${o.name}:${zshAction(o)}`;
  return `${exclusive}${spelled}'[${zshDescription(o.description)}]${value}'`;
}

function zshPositional(p: PositionalSpec): string {
  const label = safeWord(p.name);
  const action = zshAction(p);
  if (p.variadic === true) return `'*:${label}:${action}'`;
  return `'${p.required ? ':' : '::'}${label}:${action}'`;
}

function zshScript(specs: readonly CommandSpec[]): string {
  const commands = specs.filter((s) => s.frontEnds.includes('cli'));
  const globals = leadingOptions(specs, 'cli');
  const continued = (lines: readonly string[], indent: string) =>
    lines.map((l, i) => `${indent}${i === 0 ? '' : '  '}${l}${i < lines.length - 1 ? ' \\' : ''}`);
  return [
    '#compdef meshbot',
    '# zsh completion for meshbot, generated from its command table by `meshbot completion zsh`.',
    '# Load it in this shell:   source <(meshbot completion zsh)',
    `# or for every shell:      meshbot completion zsh > "\${fpath[1]}/_meshbot"`,
    '_meshbot() {',
    '  local curcontext="$curcontext" state line',
    '  typeset -A opt_args',
    '  local -a commands',
    '  commands=(',
    ...commands.map((c) => `    '${safeWord(c.name)}:${zshDescription(c.summary)}'`),
    '  )',
    ...continued(['_arguments -C', ...globals.map(zshOption), "'1: :->command'", "'*:: :->args'"], '  '),
    '  case $state in',
    "    command) _describe -t commands 'meshbot command' commands ;;",
    '    args)',
    '      case $words[1] in',
    ...commands.flatMap((spec) => [
      `        ${safeWord(spec.name)})`,
      ...continued(
        [
          '_arguments',
          ...optionsFor(spec, 'cli').map(zshOption),
          ...positionalsFor(spec, 'cli').map(zshPositional),
        ],
        '          ',
      ),
      '          ;;',
    ]),
    '      esac',
    '      ;;',
    '  esac',
    '}',
    // Autoloaded from $fpath it completes at once; sourced, it registers itself.
    'if [ "$funcstack[1]" = "_meshbot" ]; then _meshbot "$@"; else compdef _meshbot meshbot; fi',
    '',
  ].join('\n');
}

/**
 * Cobra's completion directives (what kubectl expects after the candidates, as `:N`): 0 lets the shell
 * complete file names, 4 offers nothing else (`ShellCompDirectiveNoFileComp`).
 */
export const COMPLETE_FILES = 0;
export const COMPLETE_NO_FILES = 4;

export interface Completion {
  /** `word` or `word\tdescription`, as cobra prints them. */
  candidates: string[];
  directive: typeof COMPLETE_FILES | typeof COMPLETE_NO_FILES;
}

/** A cobra description: one clause, on one line, without tabs. */
function cobraDescription(text: string): string {
  return (text.split(/[:;(]| — /)[0]?.trim() ?? '').replace(/\s+/g, ' ');
}

function offer(
  current: string,
  items: readonly { word: string; description?: string | undefined }[],
  prefix = '',
): Completion {
  const candidates = items
    .filter((i) => `${prefix}${i.word}`.startsWith(current))
    .map((i) =>
      i.description === undefined || i.description === ''
        ? `${prefix}${i.word}`
        : `${prefix}${i.word}\t${cobraDescription(i.description)}`,
    );
  return { candidates, directive: COMPLETE_NO_FILES };
}

function completeValue(item: Pick<OptionSpec, 'kind' | 'choices'>, current: string, prefix = ''): Completion {
  const value = valueCompletion(item);
  switch (value.kind) {
    case 'words':
      return offer(
        current,
        value.words.map((word) => ({ word })),
        prefix,
      );
    case 'files':
      return { candidates: [], directive: COMPLETE_FILES };
    case 'none':
      return { candidates: [], directive: COMPLETE_NO_FILES };
    default: {
      const never: never = value;
      return never;
    }
  }
}

function flagItems(options: readonly OptionSpec[]) {
  return options.flatMap((o) => flagNames(o).map((word) => ({ word, description: o.description })));
}

/**
 * What completes `current` after the words `before` (the command line without `meshbot`), the same answers
 * the bash script gives, for a program that asks rather than sources a script: kubectl, which runs
 * `kubectl_complete-mesh WORD... CURRENT` for `kubectl mesh WORD... CURRENT<TAB>` (kubectl 1.26+).
 */
export function completeCommandLine(
  before: readonly string[],
  current: string,
  specs: readonly CommandSpec[] = COMMAND_SPECS,
): Completion {
  const commands = specs.filter((s) => s.frontEnds.includes('cli'));
  const globals = leadingOptions(specs, 'cli');
  const takesValue = (options: readonly OptionSpec[], word: string) =>
    options.find((o) => o.kind !== 'boolean' && flagNames(o).includes(word));
  let command: CommandSpec | undefined;
  let commandAt = -1;
  for (let i = 0; i < before.length; i++) {
    const word = before[i] ?? '';
    if (takesValue(globals, word) !== undefined) {
      i++;
      continue;
    }
    if (word.startsWith('-')) continue;
    command = commands.find((c) => c.name === word);
    commandAt = i;
    break;
  }
  if (commandAt >= 0 && command === undefined) return { candidates: [], directive: COMPLETE_NO_FILES };
  const options = command === undefined ? globals : optionsFor(command, 'cli');
  const prev = before.length > commandAt + 1 ? before.at(-1) : undefined;
  const valued = prev === undefined ? undefined : takesValue(options, prev);
  if (valued !== undefined) return completeValue(valued, current);
  const equals = current.indexOf('=');
  if (current.startsWith('--') && equals > 0) {
    const option = takesValue(options, current.slice(0, equals));
    return option === undefined
      ? { candidates: [], directive: COMPLETE_NO_FILES }
      : completeValue(option, current, current.slice(0, equals + 1));
  }
  if (current.startsWith('-')) return offer(current, flagItems(options));
  if (command === undefined) {
    return offer(
      current,
      commands.map((c) => ({ word: c.name, description: c.summary })),
    );
  }
  const first = positionalsFor(command, 'cli')[0];
  return first === undefined
    ? { candidates: [], directive: COMPLETE_NO_FILES }
    : completeValue(first, current);
}

/** The completion script for a shell, from the command table. */
export function completionScript(shell: Shell, specs: readonly CommandSpec[] = COMMAND_SPECS): string {
  switch (shell) {
    case 'bash':
      return bashScript(specs);
    case 'zsh':
      return zshScript(specs);
    default: {
      const never: never = shell;
      return String(never);
    }
  }
}
