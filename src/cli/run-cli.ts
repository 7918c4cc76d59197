/**
 * @module cli/run-cli
 * argv → command → renderer → stdout, and an exit code. Everything it touches is injected (`CliIo`),
 * so tests run it in-process; `main.ts` wires the real process.
 */
import { parseArgs } from 'node:util';
import { compileLogFormat, type RecordParser } from '../accesslog/custom-format.js';
import { type AccessLogEntry, ENTRY_OUTPUT_KEYS, type SkipReason } from '../accesslog/entry.js';
import type { Report } from '../analysis/report.js';
import type { ClusterReader } from '../commands/cluster-port.js';
import {
  COMMANDS,
  type CommandSpec,
  commandHelp,
  findCommand,
  generalHelp,
  optionsOf,
} from '../commands/grammar.js';
import { liveLogs } from '../commands/live-logs.js';
import { liveTrace } from '../commands/live-trace.js';
import type { Clock, LogSource } from '../commands/ports.js';
import { readSources } from '../commands/read-sources.js';
import { summarizeLogs } from '../commands/summarize-logs.js';
import { traceRequest } from '../commands/trace-request.js';
import { parseDuration } from '../core/duration.js';
import { MeshbotError } from '../core/errors.js';
import { exitCodeOf, toUserMessage } from '../core/user-message.js';
import { isOutputFormat, type OutputFormat, renderReport } from '../render/render-report.js';
import { checkFiles, fileSource } from './file-source.js';

export interface OutputStream {
  write(chunk: string): boolean;
  once?(event: 'drain', listener: () => void): unknown;
  isTTY?: boolean | undefined;
  columns?: number | undefined;
}

export interface ClusterConnectOptions {
  kubeconfig?: string | undefined;
  context?: string | undefined;
  env: Readonly<Record<string, string | undefined>>;
}

/** Makes the cluster reader for `logs TARGET` / `trace ID` without `--file`. */
export type ClusterConnector = (options: ClusterConnectOptions) => ClusterReader;

export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  stdin: NodeJS.ReadableStream;
  env: Readonly<Record<string, string | undefined>>;
  now: Clock;
  version: string;
  /** How to reach a cluster (default `connectCluster` of cli/connect-cluster); tests inject a fake. */
  connect?: ClusterConnector | undefined;
  /** Aborted when the process is asked to stop (SIGINT/SIGTERM): long-running commands end cleanly. */
  signal?: AbortSignal | undefined;
}

export type Values = Record<string, string | boolean | string[] | undefined>;

export interface Invocation {
  command: CommandSpec;
  values: Values;
  positionals: string[];
  io: CliIo;
}

/** Runs one CLI invocation; never throws. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    io.stderr.write(`meshbot: ${toUserMessage(error)}\n`);
    return exitCodeOf(error);
  }
}

async function dispatch(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    io.stdout.write(generalHelp());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`meshbot ${io.version}\n`);
    return 0;
  }
  const command = findCommand(name);
  if (command === undefined) {
    throw new MeshbotError(
      'usage',
      `unknown command "${name.slice(0, 40)}": use one of ${COMMANDS.map((c) => c.name).join(', ')} (meshbot --help)`,
    );
  }
  const { values, positionals } = parseCommandArgs(command, rest);
  if (values.help === true) {
    io.stdout.write(commandHelp(command));
    return 0;
  }
  const invocation: Invocation = { command, values, positionals, io };
  switch (command.name) {
    case 'parse':
      return runParse(invocation);
    case 'logs':
      return runLogs(invocation);
    case 'trace':
      return runTrace(invocation);
    case 'enable-logging':
    case 'disable-logging':
    case 'status':
    case 'reconcile': {
      // The Kubernetes client takes ~0.7 s to load: only commands that reach a cluster load it.
      const { runLoggingCommand } = await import('./run-logging-commands.js');
      return runLoggingCommand(invocation);
    }
    default:
      throw new MeshbotError('internal', `command ${command.name} has no handler`);
  }
}

function parseCommandArgs(
  command: CommandSpec,
  args: readonly string[],
): { values: Values; positionals: string[] } {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const o of optionsOf(command)) {
    options[o.name] = {
      type: o.type,
      ...(o.short ? { short: o.short } : {}),
      ...(o.multiple ? { multiple: true } : {}),
    };
  }
  try {
    const parsed = parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
    return { values: parsed.values as Values, positionals: parsed.positionals };
  } catch (e) {
    const message = e instanceof Error ? (e.message.split('. ')[0] ?? e.message) : String(e);
    throw new MeshbotError('usage', `${message.replace(/\.$/, '')} (meshbot ${command.name} --help)`);
  }
}

function stringOption(values: Values, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

function listOption(values: Values, name: string): string[] {
  const v = values[name];
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
}

function outputFormat(values: Values): OutputFormat {
  const format = stringOption(values, 'format') ?? 'text';
  if (!isOutputFormat(format)) {
    throw new MeshbotError(
      'usage',
      `--format must be one of text, json, slack (got "${format.slice(0, 20)}")`,
    );
  }
  return format;
}

function customParser(values: Values): RecordParser | undefined {
  const format = stringOption(values, 'log-format');
  if (format === undefined) return undefined;
  const compiled = compileLogFormat(format);
  if (!compiled.ok) throw new MeshbotError('invalid_format_string', `--log-format: ${compiled.message}`);
  return compiled.parser;
}

function useColor(io: CliIo, values: Values): boolean {
  if (values['no-color'] === true || (io.env.NO_COLOR ?? '') !== '') return false;
  if ((io.env.FORCE_COLOR ?? '') !== '' && io.env.FORCE_COLOR !== '0') return true;
  return io.stdout.isTTY === true;
}

async function sourcesFrom(paths: readonly string[], io: CliIo): Promise<LogSource[]> {
  if (paths.filter((p) => p === '-').length > 1)
    throw new MeshbotError('usage', 'stdin (-) can be read only once');
  await checkFiles(paths);
  return paths.map((p) => fileSource(p, io.stdin));
}

function write(io: CliIo, report: Report, values: Values): number {
  const width = io.stdout.isTTY === true && io.stdout.columns ? Math.max(60, io.stdout.columns) : 100;
  io.stdout.write(renderReport(report, outputFormat(values), { color: useColor(io, values), width }));
  return 0;
}

async function runLogs({ values, positionals, io }: Invocation): Promise<number> {
  const files = [
    ...listOption(values, 'file'),
    ...(listOption(values, 'file').length > 0 ? positionals : []),
  ];
  if (files.length === 0) {
    const [target, ...extra] = positionals;
    if (target === undefined) {
      throw new MeshbotError(
        'usage',
        'what should meshbot read? meshbot logs TARGET [-n NS] (a pod, deploy/NAME, svc/NAME or app name), or --file FILE',
      );
    }
    if (extra.length > 0) throw new MeshbotError('usage', 'logs takes one TARGET (meshbot logs --help)');
    outputFormat(values);
    const sinceText = stringOption(values, 'since');
    const report = await liveLogs(
      await clusterReader(values, io),
      target,
      {
        namespace: stringOption(values, 'namespace'),
        sinceMs: sinceText === undefined ? undefined : parseDuration(sinceText, '--since'),
        tailLines: intOption(values, 'tail', 0),
        previous: values.previous === true,
        maxLogRequests: intOption(values, 'max-log-requests', 1),
        customParser: customParser(values),
      },
      io.now,
    );
    return write(io, report, values);
  }
  outputFormat(values);
  const sinceText = stringOption(values, 'since');
  const sinceMs = sinceText === undefined ? null : io.now() - parseDuration(sinceText, '--since');
  const report = await summarizeLogs(await sourcesFrom(files, io), {
    sinceMs,
    customParser: customParser(values),
  });
  return write(io, report, values);
}

async function clusterReader(values: Values, io: CliIo): Promise<ClusterReader> {
  const options = {
    kubeconfig: stringOption(values, 'kubeconfig'),
    context: stringOption(values, 'context'),
    env: io.env,
  };
  if (io.connect !== undefined) return io.connect(options);
  // Loaded here, not at startup: `--file` commands never pay for the Kubernetes client (~0.7 s).
  const { connectCluster } = await import('./connect-cluster.js');
  return connectCluster(options);
}

function intOption(values: Values, name: string, min: number): number | undefined {
  const text = stringOption(values, name);
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < min) {
    throw new MeshbotError(
      'usage',
      `--${name} must be a whole number of at least ${min} (got "${text.slice(0, 20)}")`,
    );
  }
  return n;
}

async function runTrace({ values, positionals, io }: Invocation): Promise<number> {
  const [id, ...extra] = positionals;
  if (id === undefined)
    throw new MeshbotError(
      'usage',
      'which request? meshbot trace REQUEST_ID [-n NS]... [-A], or --file FILE...',
    );
  const files = [...listOption(values, 'file'), ...extra];
  if (files.length === 0) {
    outputFormat(values);
    const sinceText = stringOption(values, 'since');
    const report = await liveTrace(await clusterReader(values, io), id, {
      namespaces: listOption(values, 'namespace'),
      allNamespaces: values['all-namespaces'] === true,
      sinceMs: sinceText === undefined ? undefined : parseDuration(sinceText, '--since'),
      maxLogRequests: intOption(values, 'max-log-requests', 1),
      customParser: customParser(values),
    });
    return write(io, report, values);
  }
  outputFormat(values);
  const report = await traceRequest(id, await sourcesFrom(files, io), { customParser: customParser(values) });
  return write(io, report, values);
}

const SKIP_WORDS: Record<SkipReason, string> = {
  blank: 'blank',
  not_access_log: 'not access logs',
  malformed: 'malformed',
  too_long: 'too long',
  binary: 'binary',
  truncated: 'truncated',
};

async function runParse({ values, positionals, io }: Invocation): Promise<number> {
  const paths = positionals.length === 0 ? ['-'] : positionals;
  const parser = customParser(values);
  const sources = await sourcesFrom(paths, io);
  const batch: string[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const ok = io.stdout.write(batch.join(''));
    batch.length = 0;
    if (!ok && io.stdout.once) await new Promise<void>((resolve) => io.stdout.once?.('drain', resolve));
  };
  const throttled = sources.map((source) => ({
    name: source.name,
    async *read() {
      for await (const chunk of source.read()) {
        yield chunk;
        await flush();
      }
    },
  }));
  const results = await readSources(
    throttled,
    (entry) => {
      batch.push(`${JSON.stringify(toOutput(entry))}\n`);
    },
    { customParser: parser },
  );
  await flush();
  const skipped: Partial<Record<SkipReason, number>> = {};
  let total = 0;
  let lines = 0;
  for (const { stats } of results) {
    lines += stats.lines;
    for (const [reason, n] of Object.entries(stats.skipped) as [SkipReason, number][]) {
      if (reason === 'blank' || n === 0) continue;
      skipped[reason] = (skipped[reason] ?? 0) + n;
      total += n;
    }
  }
  const detail = Object.entries(skipped)
    .map(([reason, n]) => `${n} ${SKIP_WORDS[reason as SkipReason]}`)
    .join(', ');
  io.stderr.write(`meshbot: skipped ${total} of ${lines} lines${detail ? ` (${detail})` : ''}\n`);
  return 0;
}

function toOutput(entry: AccessLogEntry): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of ENTRY_OUTPUT_KEYS) out[key] = entry[key];
  return out;
}
