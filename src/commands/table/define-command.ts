/**
 * @module commands/table/define-command
 * One command of the table: its spec, one function from parsed input to a typed request (all validation
 * there, before anything reaches a cluster), and `run(deps, request)`. `prepare` ties a parsed command to
 * its request so front ends can authorize, audit and run it without knowing its type.
 */
import { MeshbotError } from '../../core/errors.js';
import type { CommandDeps, Connection } from '../command-deps.js';
import type { CommandReport } from '../command-report.js';
import type { CommandSpec, FrontEnd, OptionValue, ParsedCommand } from '../command-spec.js';

/** What a request touches, for authorization: named namespaces, every namespace, or the mesh root. */
export type NamespaceScope =
  | { kind: 'none' }
  | { kind: 'namespaces'; names: readonly string[] }
  /** The connection's default namespace (the bot checks what was resolved instead). */
  | { kind: 'default' }
  | { kind: 'all' }
  | { kind: 'mesh' };

/** Limits from configuration that validation needs. */
export interface RequestLimits {
  maxLoggingMs: number;
}

export interface CommandDefinition<R> {
  spec: CommandSpec;
  toRequest(parsed: ParsedCommand, limits: RequestLimits): R;
  scope(request: R): NamespaceScope;
  run(deps: CommandDeps, request: R): Promise<CommandReport>;
}

/** A parsed, validated command ready to run. */
export interface PreparedCommand {
  spec: CommandSpec;
  frontEnd: FrontEnd;
  /** The typed request, for audit lines (functions left out). */
  request: unknown;
  scope: NamespaceScope;
  run(deps: CommandDeps): Promise<CommandReport>;
}

export interface Command {
  spec: CommandSpec;
  prepare(parsed: ParsedCommand, limits: RequestLimits): PreparedCommand;
}

export function defineCommand<R>(definition: CommandDefinition<R>): Command {
  return {
    spec: definition.spec,
    prepare(parsed, limits) {
      const request = definition.toRequest(parsed, limits);
      return {
        spec: definition.spec,
        frontEnd: parsed.frontEnd,
        request,
        scope: definition.scope(request),
        run: (deps) => definition.run(deps, request),
      };
    },
  };
}

// Typed readers over a parsed command's values (the parser already checked kinds).

export function text(parsed: ParsedCommand, name: string): string | undefined {
  const v: OptionValue | undefined = parsed.options[name];
  return typeof v === 'string' ? v : undefined;
}

export function number(parsed: ParsedCommand, name: string): number | undefined {
  const v = parsed.options[name];
  return typeof v === 'number' ? v : undefined;
}

export function flag(parsed: ParsedCommand, name: string): boolean {
  return parsed.options[name] === true;
}

export function list(parsed: ParsedCommand, name: string): string[] {
  const v = parsed.options[name];
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
}

export function positional(parsed: ParsedCommand, name: string): string | undefined {
  const v = parsed.positionals[name];
  return typeof v === 'string' ? v : Array.isArray(v) ? v[0] : undefined;
}

export function positionals(parsed: ParsedCommand, name: string): string[] {
  const v = parsed.positionals[name];
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
}

export function connectionOf(parsed: ParsedCommand): Connection {
  return { kubeconfig: text(parsed, 'kubeconfig'), context: text(parsed, 'context') };
}

/** Refuses cluster-only options next to `--file`, where they would be silently ignored. */
export function refuseWithFiles(parsed: ParsedCommand, names: readonly string[]): void {
  const given = names.filter((n) => parsed.options[n] !== undefined);
  if (given.length === 0) return;
  throw new MeshbotError(
    'usage',
    `${given.map((n) => `--${n}`).join(', ')} ${given.length === 1 ? 'applies' : 'apply'} to reading a cluster, not saved files: drop ${given.length === 1 ? 'it' : 'them'} or drop --file`,
    { command: parsed.spec.name },
  );
}
