/**
 * @module commands/grammar
 * The one description of meshbot's commands and options. The CLI parses argv with it, the Slack bot
 * will parse `/mesh …` text with it, and both help texts are generated from it.
 */

export interface OptionSpec {
  name: string;
  short?: string;
  type: 'string' | 'boolean';
  multiple?: boolean;
  /** Placeholder shown in help (`DUR`, `FILE`). */
  value?: string;
  description: string;
}

export interface CommandSpec {
  name: string;
  usage: string;
  summary: string;
  options: readonly OptionSpec[];
  examples: readonly string[];
}

const FORMAT: OptionSpec = {
  name: 'format',
  short: 'o',
  type: 'string',
  value: 'text|json|slack',
  description: 'Output: text (default), json, or the Slack message as JSON',
};
const LOG_FORMAT: OptionSpec = {
  name: 'log-format',
  type: 'string',
  value: 'FORMAT',
  description: "The mesh's custom Envoy format string (meshConfig.accessLogFormat), if it has one",
};
const FILE: OptionSpec = {
  name: 'file',
  short: 'f',
  type: 'string',
  multiple: true,
  value: 'FILE',
  description: 'Read saved istio-proxy logs instead of a cluster (repeatable; - for stdin)',
};
const SINCE: OptionSpec = {
  name: 'since',
  type: 'string',
  value: 'DUR',
  description: 'Only entries that started within this long before now, e.g. 15m, 2h',
};

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'logs',
    usage: 'meshbot logs --file FILE... [--since DUR] [--format text|json|slack]',
    summary: 'Summarise access-log entries: findings first, then inbound and outbound flows',
    options: [FILE, SINCE, FORMAT, LOG_FORMAT],
    examples: [
      'meshbot logs --file examples/bookinfo.log',
      'kubectl logs deploy/reviews -c istio-proxy | meshbot logs -f -',
    ],
  },
  {
    name: 'trace',
    usage: 'meshbot trace REQUEST_ID --file FILE... [--format text|json|slack]',
    summary: 'Follow one x-request-id across proxies and show the hop chain with timings',
    options: [FILE, FORMAT, LOG_FORMAT],
    examples: ['meshbot trace be5acb4a-9e3e-4540-814d-07c2c7dcf7f1 --file sleep.log --file helloworld.log'],
  },
  {
    name: 'parse',
    usage: 'meshbot parse [FILE...|-]',
    summary: 'Print one JSON object per access-log entry (NDJSON); skipped lines are counted on stderr',
    options: [LOG_FORMAT],
    examples: ['meshbot parse istio-proxy.log | jq .response_code'],
  },
];

const GLOBAL_OPTIONS: readonly OptionSpec[] = [
  { name: 'help', short: 'h', type: 'boolean', description: 'Show help' },
  { name: 'version', type: 'boolean', description: 'Show the version' },
  { name: 'no-color', type: 'boolean', description: 'Never colour the output (also NO_COLOR=1)' },
];

export function findCommand(name: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.name === name);
}

export function optionsOf(command: CommandSpec | undefined): OptionSpec[] {
  return [...(command?.options ?? []), ...GLOBAL_OPTIONS];
}

function optionLine(o: OptionSpec): string {
  const flag = `${o.short ? `-${o.short}, ` : '    '}--${o.name}${o.value ? ` ${o.value}` : ''}`;
  return `  ${flag.padEnd(30)} ${o.description}`;
}

/** `meshbot --help`. */
export function generalHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'meshbot — read Istio access logs: what a workload called, from where, and what came back.',
    '',
    'Usage: meshbot COMMAND [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options:',
    ...GLOBAL_OPTIONS.map(optionLine),
    '',
    'Run `meshbot COMMAND --help` for the options of a command.',
    '',
  ].join('\n');
}

/** `meshbot COMMAND --help`. */
export function commandHelp(command: CommandSpec): string {
  return [
    `Usage: ${command.usage}`,
    '',
    command.summary,
    '',
    'Options:',
    ...optionsOf(command).map(optionLine),
    '',
    'Examples:',
    ...command.examples.map((e) => `  ${e}`),
    '',
  ].join('\n');
}
