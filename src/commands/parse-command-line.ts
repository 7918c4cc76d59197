/**
 * @module commands/parse-command-line
 * One parser for both front ends: the CLI hands it argv, Slack the tokens of the `/mesh` text. It finds
 * the command, checks every option against the command's spec (including which front end may set it)
 * and converts values to their kinds, so a command never sees an unchecked duration, count, namespace or
 * request id. Errors are coded `usage` (or the value's own code) with `details.command`, so each front
 * end can add its own pointer to help.
 */
import { parseDuration } from '../core/duration.js';
import { MeshbotError } from '../core/errors.js';
import { printable, validateNamespace } from '../core/kubernetes-names.js';
import {
  availableOn,
  type CommandSpec,
  type FrontEnd,
  flagNames,
  GLOBAL_OPTIONS,
  leadingOptions,
  namesOption,
  type OptionSpec,
  type OptionValue,
  optionsFor,
  type ParsedCommand,
  type PositionalSpec,
  positionalsFor,
  type ValueKind,
} from './command-spec.js';
import { parseWorkloadSelector } from './label-selector.js';
import { validateRequestId } from './request-id.js';
import { editDistance } from './resolve-target.js';

const MAX_TOKENS = 200;
const MAX_TEXT = 4000;

/**
 * Splits command text as a POSIX shell would for plain words: whitespace separates, `'…'` is literal,
 * `"…"` allows `\"` and `\\`, a backslash outside quotes escapes the next character. Never evaluates anything.
 */
export function tokenizeCommandText(text: string): string[] {
  if (text.length > MAX_TEXT) {
    throw new MeshbotError(
      'usage',
      `the command is too long (${text.length} characters; at most ${MAX_TEXT})`,
    );
  }
  const tokens: string[] = [];
  let current = '';
  let inToken = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (quote === "'") {
      if (c === "'") quote = null;
      else current += c;
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) current += text[++i] ?? '';
      else current += c;
      continue;
    }
    if (/\s/.test(c)) {
      if (inToken) tokens.push(current);
      current = '';
      inToken = false;
      continue;
    }
    inToken = true;
    if (c === "'" || c === '"') quote = c;
    else if (c === '\\' && i + 1 < text.length) current += text[++i] ?? '';
    else current += c;
  }
  if (quote !== null) {
    throw new MeshbotError('usage', `a ${quote === '"' ? 'double' : 'single'} quote is not closed`);
  }
  if (inToken) tokens.push(current);
  if (tokens.length > MAX_TOKENS) throw new MeshbotError('usage', `too many words (at most ${MAX_TOKENS})`);
  return tokens;
}

/** Quotes a value for a command line when it needs it (the inverse of {@link tokenizeCommandText}). */
export function quoteToken(token: string): string {
  if (token !== '' && /^[A-Za-z0-9_./:=@%+,-]+$/.test(token)) return token;
  return `'${token.replaceAll("'", `'"'"'`)}'`;
}

/** Renders a command back to text (`enable-logging shop --for 1h`), for buttons and suggestions. */
export function formatCommandLine(name: string, args: readonly string[]): string {
  return [name, ...args].map(quoteToken).join(' ');
}

function usage(command: CommandSpec | undefined, message: string, extra: Record<string, unknown> = {}) {
  return new MeshbotError('usage', message, { ...(command ? { command: command.name } : {}), ...extra });
}

/** The command named by the first token; unknown names list the commands and the closest one. */
export function findCommandSpec(
  name: string,
  specs: readonly CommandSpec[],
  frontEnd: FrontEnd,
): CommandSpec {
  const visible = specs.filter((s) => s.frontEnds.includes(frontEnd));
  const found = visible.find((s) => s.name === name);
  if (found !== undefined) return found;
  const elsewhere = specs.find((s) => s.name === name);
  if (elsewhere !== undefined) {
    throw new MeshbotError(
      'usage',
      `${name} is not available here: ${elsewhere.frontEnds.includes('cli') ? 'run it with the meshbot CLI' : 'use it from Slack'}`,
      { unknownCommand: name },
    );
  }
  const closest = visible
    .map((s) => ({ name: s.name, d: editDistance(name.toLowerCase(), s.name, 3) }))
    .filter((c) => c.d <= 3)
    .sort((a, b) => a.d - b.d)[0];
  throw new MeshbotError(
    'usage',
    `unknown command "${printable(name).slice(0, 40)}"${closest ? ` (did you mean ${closest.name}?)` : ''}: use one of ${visible.map((s) => s.name).join(', ')}`,
    { unknownCommand: printable(name).slice(0, 40) },
  );
}

function convert(
  kind: ValueKind,
  raw: string,
  label: string,
  o?: Pick<OptionSpec, 'choices' | 'min' | 'max'>,
): string | number {
  switch (kind) {
    case 'duration':
      return parseDuration(raw, label);
    case 'count': {
      const n = Number(raw);
      const min = o?.min ?? 0;
      const max = o?.max ?? Number.MAX_SAFE_INTEGER;
      if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < min || n > max) {
        throw new MeshbotError(
          'invalid_argument',
          `${label} must be a whole number ${o?.max === undefined ? `of at least ${min}` : `from ${min} to ${max}`} (got "${printable(raw).slice(0, 20)}")`,
          { flag: label },
        );
      }
      return n;
    }
    case 'enum': {
      const choices = o?.choices ?? [];
      if (!choices.includes(raw)) {
        throw new MeshbotError(
          'invalid_argument',
          `${label} must be one of ${choices.join(', ')} (got "${printable(raw).slice(0, 20)}")`,
          { flag: label },
        );
      }
      return raw;
    }
    case 'namespace':
      return validateNamespace(raw);
    case 'request-id':
      return validateRequestId(raw);
    case 'label':
      parseWorkloadSelector(raw);
      return raw;
    case 'boolean':
    case 'string':
    case 'file':
    case 'command':
      return raw;
    default: {
      const never: never = kind;
      return String(never);
    }
  }
}

/** Parses the tokens after the command name against its spec for one front end. */
export function parseCommandArgs(
  spec: CommandSpec,
  args: readonly string[],
  frontEnd: FrontEnd,
): ParsedCommand {
  try {
    return parseArgsOf(spec, args, frontEnd);
  } catch (e) {
    // Every mistake names its command, so each front end can point to that command's help.
    if (e instanceof MeshbotError && e.details.command === undefined) {
      throw new MeshbotError(e.code, e.message, { ...e.details, command: spec.name }, { cause: e });
    }
    throw e;
  }
}

/** `--name=value` → `--name` and `value`; `-nvalue` / `-n=value` → `-n` and `value`. */
function splitOption(token: string): {
  name: string;
  key: string;
  long: boolean;
  inline: string | undefined;
} {
  const long = token.startsWith('--');
  const eq = long ? token.indexOf('=') : token.length > 2 ? 2 : -1;
  const name = eq > 0 ? token.slice(0, eq) : token;
  const inline = eq > 0 ? token.slice(token[eq] === '=' ? eq + 1 : eq) : undefined;
  return { name, key: long ? name.slice(2) : name.slice(1), long, inline };
}

/** The closest long option name within a few edits, for "did you mean". */
function closestOption(key: string, options: readonly OptionSpec[]): string | undefined {
  const limit = Math.min(3, Math.max(1, Math.floor(key.length / 3)));
  return options
    .flatMap((o) => [o.name, ...(o.aliases ?? [])])
    .map((name) => ({ name, d: editDistance(key.toLowerCase(), name, limit) }))
    .filter((c) => c.d <= limit)
    .sort((a, b) => a.d - b.d)[0]?.name;
}

/** A negative number as an option's value (`--tail -1`), not an option. */
const NEGATIVE_NUMBER = /^-\d+$/;

/** What one positional is called in messages: `request id` rather than `REQUEST_ID`. */
function nounOf(p: PositionalSpec): string {
  switch (p.kind) {
    case 'request-id':
      return 'request id';
    case 'namespace':
      return 'namespace';
    case 'command':
      return 'command name';
    default:
      return p.name;
  }
}

function parseArgsOf(spec: CommandSpec, args: readonly string[], frontEnd: FrontEnd): ParsedCommand {
  const accepted = optionsFor(spec, frontEnd);
  const options: Record<string, OptionValue> = {};
  const loose: string[] = [];
  /** A loose word right after a boolean flag that takes it as `--flag=word` (`--dry-run client`). */
  const hints: string[] = [];
  const lookup = (name: string, key: string, long: boolean): OptionSpec => {
    const option = accepted.find((o) => namesOption(o, key, long));
    if (option !== undefined) return option;
    const anywhere = [...spec.options, ...GLOBAL_OPTIONS].find((o) => namesOption(o, key, long));
    if (anywhere?.refused !== undefined && availableOn(frontEnd, anywhere)) {
      throw usage(spec, `${spec.name} does not take ${name}: ${anywhere.refused}`, { option: anywhere.name });
    }
    if (anywhere !== undefined && !availableOn(frontEnd, anywhere)) {
      throw usage(
        spec,
        frontEnd === 'slack'
          ? `${name} is not available in Slack: it is for the meshbot CLI`
          : `${name} is not available on the command line: it is for Slack's /mesh`,
        { option: anywhere.name },
      );
    }
    const closest = long ? closestOption(key, accepted) : undefined;
    throw usage(
      spec,
      `unknown option ${printable(name).slice(0, 40)} for ${spec.name}${closest === undefined ? '' : ` (did you mean --${closest}?)`}`,
    );
  };
  let onlyPositionals = false;
  for (let i = 0; i < args.length; i++) {
    const token = args[i] ?? '';
    if (onlyPositionals || token === '-' || !token.startsWith('-')) {
      loose.push(token);
      continue;
    }
    if (token === '--') {
      onlyPositionals = true;
      continue;
    }
    const { name, key, long, inline } = splitOption(token);
    const option = lookup(name, key, long);
    const flag = `--${option.name}`;
    if (option.kind === 'boolean') {
      const next = args[i + 1];
      if (next !== undefined && option.values?.[next] !== undefined) hints.push(`${flag}=${next}`);
      if (inline === undefined) options[option.name] = true;
      else booleanValue(spec, option, inline, options);
      continue;
    }
    let raw: string;
    if (inline !== undefined) raw = inline;
    else {
      const next = args[i + 1];
      const isValue =
        next !== undefined &&
        (!next.startsWith('-') ||
          next === '-' ||
          next.length === 1 ||
          (option.kind === 'count' && NEGATIVE_NUMBER.test(next)));
      if (next === undefined || !isValue)
        throw usage(
          spec,
          `${flag} needs a value${placeholderHint(option)}${option.missing ? `; ${option.missing}` : ''}`,
        );
      raw = next;
      i++;
    }
    if (option.unlimited !== undefined && raw === String(option.unlimited)) {
      delete options[option.name];
      continue;
    }
    const value = convert(option.kind, raw, flag, option);
    if (option.multiple) {
      const list = Array.isArray(options[option.name]) ? (options[option.name] as string[]) : [];
      options[option.name] = [...list, String(value)];
    } else if (options[option.name] !== undefined && options[option.name] !== value) {
      throw usage(spec, `${flag} is given twice`);
    } else options[option.name] = value;
  }
  const positionals: Record<string, string | string[]> = {};
  if (options.help === true) return { spec, frontEnd, options, positionals };
  const accepts = positionalsFor(spec, frontEnd);
  foldOptions(spec, accepts, options, loose);
  let index = 0;
  for (const p of accepts) {
    if (p.variadic) {
      const rest = loose.slice(index).map((raw) => String(convert(p.kind, raw, p.name, p)));
      index = loose.length;
      if (rest.length > 0) positionals[p.name] = rest;
      else if (p.required) throw usage(spec, `${spec.name} needs ${p.name}: ${p.description}`);
      continue;
    }
    const raw = loose[index];
    if (raw === undefined) {
      if (p.required) throw usage(spec, `${spec.name} needs ${p.name}: ${p.description}`);
      continue;
    }
    positionals[p.name] = String(convert(p.kind, raw, p.name, p));
    index++;
  }
  if (index < loose.length) throw usage(spec, extraArguments(spec, accepts, loose, index, hints[0]));
  return { spec, frontEnd, options, positionals };
}

/** `--dry-run=client`: a boolean's inline value, by the words its spec allows. */
function booleanValue(
  spec: CommandSpec,
  option: OptionSpec,
  inline: string,
  options: Record<string, OptionValue>,
): void {
  const flag = `--${option.name}`;
  const meaning = option.values?.[inline];
  if (meaning === undefined) {
    const words = Object.keys(option.values ?? {});
    throw usage(
      spec,
      words.length === 0
        ? `${flag} takes no value`
        : `${flag}=VALUE must be one of ${words.join(', ')} (got "${printable(inline).slice(0, 20)}"); ${flag} alone is ${flag}=${words.find((w) => option.values?.[w] === true) ?? words[0]}`,
    );
  }
  if (typeof meaning === 'string') throw usage(spec, `${flag}=${inline} is not supported: ${meaning}`);
  if (meaning) options[option.name] = true;
  else delete options[option.name];
}

/** `status -n shop` is `status shop`: options that stand for a positional are folded into it. */
function foldOptions(
  spec: CommandSpec,
  accepts: readonly PositionalSpec[],
  options: Record<string, OptionValue>,
  loose: string[],
): void {
  accepts.forEach((p, index) => {
    if (p.option === undefined || options[p.option] === undefined) return;
    const value = String(options[p.option]);
    delete options[p.option];
    const given = loose[index];
    if (given !== undefined && given !== value) {
      throw usage(
        spec,
        `${spec.name} was given two ${nounOf(p)}s ("${printable(given).slice(0, 40)}" and --${p.option} ${value}): give one`,
      );
    }
    if (given === undefined) loose.splice(index, 0, value);
  });
}

/** Says exactly what was too much: `trace takes one request id (got 2: "a", "b")`. */
function extraArguments(
  spec: CommandSpec,
  accepts: readonly PositionalSpec[],
  loose: readonly string[],
  index: number,
  hint: string | undefined,
): string {
  const quoted = (from: number) =>
    loose
      .slice(from, from + 3)
      .map((w) => `"${printable(w).slice(0, 40)}"`)
      .join(', ') + (loose.length - from > 3 ? ', …' : '');
  const tail = hint === undefined ? '' : ` (did you mean ${hint}?)`;
  if (accepts.length === 0) return `${spec.name} takes no arguments (got ${quoted(0)})${tail}`;
  const [only] = accepts;
  if (accepts.length === 1 && only !== undefined) {
    return `${spec.name} takes one ${nounOf(only)} (got ${loose.length}: ${quoted(0)})${tail}`;
  }
  return `${spec.name} takes ${accepts.map((p) => p.name).join(' ')} (got ${loose.length} arguments; ${quoted(index)} ${loose.length - index === 1 ? 'is' : 'are'} too many)${tail}`;
}

function placeholderHint(o: OptionSpec): string {
  switch (o.kind) {
    case 'duration':
      return ', e.g. 15m or 2h';
    case 'enum':
      return `: ${(o.choices ?? []).join(', ')}`;
    case 'label':
      return ', e.g. app=reviews';
    default:
      return '';
  }
}

/**
 * The whole command line: first the options that may come before the command (`meshbot -o json status`,
 * `meshbot --kubeconfig k.yaml logs cart`), then the command, then its arguments. Leading options are
 * parsed as if written after the command name, so the command still decides whether it takes them.
 */
export function parseCommandLine(
  tokens: readonly string[],
  specs: readonly CommandSpec[],
  frontEnd: FrontEnd,
): ParsedCommand {
  const leading: string[] = [];
  const globals = leadingOptions(specs, frontEnd);
  let i = 0;
  let help = false;
  for (; i < tokens.length; i++) {
    const token = tokens[i] ?? '';
    if (!token.startsWith('-') || token === '-' || token === '--') break;
    const { name, key, long, inline } = splitOption(token);
    const option = globals.find((o) => namesOption(o, key, long));
    if (option === undefined) throw unknownLeadingOption(name, key, long, specs, globals);
    if (option.name === 'help') help = true;
    leading.push(token);
    if (option.kind !== 'boolean' && inline === undefined) {
      const value = tokens[i + 1];
      if (value === undefined)
        throw usage(undefined, `--${option.name} needs a value${placeholderHint(option)}`);
      leading.push(value);
      i++;
    }
  }
  const name = tokens[i];
  if (name === undefined) {
    // `meshbot --no-color --help`: the list of commands.
    const helpSpec = specs.find((s) => s.name === 'help' && s.frontEnds.includes(frontEnd));
    if (help && helpSpec !== undefined) return parseCommandArgs(helpSpec, [], frontEnd);
    throw new MeshbotError('usage', 'no command given', { noCommand: true });
  }
  return parseCommandArgs(
    findCommandSpec(name, specs, frontEnd),
    [...leading, ...tokens.slice(i + 1)],
    frontEnd,
  );
}

function unknownLeadingOption(
  name: string,
  key: string,
  long: boolean,
  specs: readonly CommandSpec[],
  globals: readonly OptionSpec[],
): MeshbotError {
  const allowed = globals.map((o) => flagNames(o).slice(0, 2).join('/')).join(', ');
  const known = specs.flatMap((s) => s.options).some((o) => namesOption(o, key, long));
  if (known) {
    return usage(
      undefined,
      `${printable(name).slice(0, 40)} goes after the command name (meshbot COMMAND ${printable(name).slice(0, 40)} …); only ${allowed} may come before it`,
      { leadingOption: name },
    );
  }
  const closest = long ? closestOption(key, globals) : undefined;
  return usage(
    undefined,
    `unknown option ${printable(name).slice(0, 40)}${closest === undefined ? '' : ` (did you mean --${closest}?)`}: before the command name only ${allowed} may come`,
    { leadingOption: name },
  );
}
