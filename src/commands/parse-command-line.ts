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
  GLOBAL_OPTIONS,
  type OptionSpec,
  type OptionValue,
  optionsFor,
  type ParsedCommand,
  positionalsFor,
  type ValueKind,
} from './command-spec.js';
import { parseWorkloadSelector } from './enable-logging.js';
import { editDistance } from './resolve-target.js';
import { validateRequestId } from './trace-request.js';

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

function convert(kind: ValueKind, raw: string, label: string, o?: OptionSpec): string | number {
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

function parseArgsOf(spec: CommandSpec, args: readonly string[], frontEnd: FrontEnd): ParsedCommand {
  const accepted = optionsFor(spec, frontEnd);
  const options: Record<string, OptionValue> = {};
  const loose: string[] = [];
  const lookup = (token: string): OptionSpec => {
    const long = token.startsWith('--');
    const key = long ? token.slice(2) : token.slice(1);
    const option = accepted.find((o) => (long ? o.name === key : o.short === key));
    if (option !== undefined) return option;
    const anywhere = [...spec.options, ...GLOBAL_OPTIONS].find((o) =>
      long ? o.name === key : o.short === key,
    );
    if (anywhere !== undefined && !availableOn(frontEnd, anywhere)) {
      throw usage(
        spec,
        `${token} is not available ${frontEnd === 'slack' ? 'in Slack' : 'on the command line'}`,
        { option: anywhere.name },
      );
    }
    throw usage(spec, `unknown option ${printable(token).slice(0, 40)} for ${spec.name}`);
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
    const eq = token.startsWith('--') ? token.indexOf('=') : token.length > 2 ? 2 : -1;
    const name = eq > 0 ? token.slice(0, eq) : token;
    const option = lookup(name);
    const flag = `--${option.name}`;
    let raw: string;
    if (option.kind === 'boolean') {
      if (eq > 0) throw usage(spec, `${flag} takes no value`);
      options[option.name] = true;
      continue;
    }
    if (eq > 0) raw = token.slice(token[eq] === '=' ? eq + 1 : eq);
    else {
      const next = args[i + 1];
      if (next === undefined || (next.startsWith('-') && next !== '-' && next.length > 1)) {
        throw usage(spec, `${flag} needs a value${placeholderHint(option)}`);
      }
      raw = next;
      i++;
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
  let index = 0;
  const accepts = positionalsFor(spec, frontEnd);
  for (const p of accepts) {
    if (p.variadic) {
      const rest = loose.slice(index).map((raw) => String(convert(p.kind, raw, p.name)));
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
    positionals[p.name] = String(convert(p.kind, raw, p.name));
    index++;
  }
  if (index < loose.length) {
    const what = accepts.map((p) => p.name).join(' ');
    throw usage(
      spec,
      accepts.length === 0
        ? `${spec.name} takes no arguments (got "${printable(loose[index] ?? '').slice(0, 40)}")`
        : `${spec.name} takes ${what} (got ${loose.length} arguments)`,
    );
  }
  return { spec, frontEnd, options, positionals };
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

/** The whole command line: first token is the command. */
export function parseCommandLine(
  tokens: readonly string[],
  specs: readonly CommandSpec[],
  frontEnd: FrontEnd,
): ParsedCommand {
  const [name, ...rest] = tokens;
  if (name === undefined) throw new MeshbotError('usage', 'no command given', { noCommand: true });
  return parseCommandArgs(findCommandSpec(name, specs, frontEnd), rest, frontEnd);
}
