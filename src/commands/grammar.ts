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

const NAMESPACE: OptionSpec = {
  name: 'namespace',
  short: 'n',
  type: 'string',
  value: 'NS',
  description: "Namespace of TARGET (default: the context's namespace, then all namespaces)",
};
const NAMESPACES: OptionSpec = {
  name: 'namespace',
  short: 'n',
  type: 'string',
  multiple: true,
  value: 'NS',
  description:
    "Namespace to search (repeatable; default: the context's namespace); gateways are always searched",
};
const ALL_NAMESPACES: OptionSpec = {
  name: 'all-namespaces',
  short: 'A',
  type: 'boolean',
  description: 'Search every namespace',
};
const KUBECONFIG: OptionSpec = {
  name: 'kubeconfig',
  type: 'string',
  value: 'FILE',
  description: 'Kubeconfig file (default: $KUBECONFIG, ~/.kube/config, then the in-cluster service account)',
};
const CONTEXT: OptionSpec = {
  name: 'context',
  type: 'string',
  value: 'NAME',
  description: 'Kubeconfig context to use',
};
const TAIL: OptionSpec = {
  name: 'tail',
  type: 'string',
  value: 'N',
  description: 'Read at most the last N lines of each pod',
};
const PREVIOUS: OptionSpec = {
  name: 'previous',
  short: 'p',
  type: 'boolean',
  description: "Read the previous (crashed or restarted) proxy container's log",
};
const MAX_LOG_REQUESTS: OptionSpec = {
  name: 'max-log-requests',
  type: 'string',
  value: 'N',
  description: 'Pod logs read at once (default 5 for logs, 10 for trace)',
};
const LOGS_SINCE: OptionSpec = {
  ...SINCE,
  description: 'Only entries within this long before now, e.g. 15m, 2h (default 15m from a cluster)',
};
const TRACE_SINCE: OptionSpec = {
  ...SINCE,
  description: 'How far back to read pod logs (default 1h)',
};

const LOGGING_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'workload',
    type: 'string',
    value: 'LABEL=VALUE',
    description: 'Only the workloads with this label (a Telemetry selector)',
  },
  {
    name: 'mesh',
    type: 'boolean',
    description: "The mesh's root namespace (from the mesh config) instead of NS",
  },
  {
    name: 'dry-run',
    type: 'boolean',
    description: 'Print the exact YAML that would be applied; change nothing',
  },
];
const ENABLE_LOGGING_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'for',
    type: 'string',
    value: 'DUR',
    description: 'How long, e.g. 30m, 1h (default and maximum: MESHBOT_MAX_LOGGING_DURATION, 4h)',
  },
  {
    name: 'mode',
    type: 'string',
    value: 'client|server|both',
    description: 'Which side of each connection logs (default both)',
  },
  {
    name: 'filter',
    type: 'string',
    value: 'CEL',
    description: "Only log what matches, e.g. 'response.code >= 400'",
  },
  {
    name: 'provider',
    type: 'string',
    value: 'NAME',
    description: 'Access-log provider from the mesh config (default envoy: /dev/stdout)',
  },
  {
    name: 'requested-by',
    type: 'string',
    value: 'WHO',
    description: 'Recorded on the resource (default $USER)',
  },
];

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'logs',
    usage:
      'meshbot logs TARGET [-n NS] [--since 15m] [--tail N] [--previous] [--kubeconfig FILE] [--context NAME] | --file FILE...',
    summary: 'Summarise access-log entries: findings first, then inbound and outbound flows',
    options: [
      FILE,
      NAMESPACE,
      LOGS_SINCE,
      TAIL,
      PREVIOUS,
      MAX_LOG_REQUESTS,
      KUBECONFIG,
      CONTEXT,
      FORMAT,
      LOG_FORMAT,
    ],
    examples: [
      'meshbot logs deploy/reviews -n bookinfo --since 1h',
      'meshbot logs istio-ingressgateway',
      'meshbot logs --file examples/bookinfo.log',
      'kubectl logs deploy/reviews -c istio-proxy | meshbot logs -f -',
    ],
  },
  {
    name: 'trace',
    usage: 'meshbot trace REQUEST_ID [-n NS]... [-A] [--since 1h] [--kubeconfig FILE] | --file FILE...',
    summary: 'Follow one x-request-id across proxies and show the hop chain with timings',
    options: [
      FILE,
      NAMESPACES,
      ALL_NAMESPACES,
      TRACE_SINCE,
      MAX_LOG_REQUESTS,
      KUBECONFIG,
      CONTEXT,
      FORMAT,
      LOG_FORMAT,
    ],
    examples: [
      'meshbot trace be5acb4a-9e3e-4540-814d-07c2c7dcf7f1 -n bookinfo',
      'meshbot trace be5acb4a-9e3e-4540-814d-07c2c7dcf7f1 -A --since 3h',
      'meshbot trace be5acb4a-9e3e-4540-814d-07c2c7dcf7f1 --file sleep.log --file helloworld.log',
    ],
  },
  {
    name: 'parse',
    usage: 'meshbot parse [FILE...|-]',
    summary: 'Print one JSON object per access-log entry (NDJSON); skipped lines are counted on stderr',
    options: [LOG_FORMAT],
    examples: ['meshbot parse istio-proxy.log | jq .response_code'],
  },
  {
    name: 'enable-logging',
    usage:
      'meshbot enable-logging NS|--mesh [--for 1h] [--mode client|server|both] [--filter CEL] [--provider NAME] [--workload LABEL=VALUE] [--dry-run]',
    summary:
      'Switch Istio access logging on for a while (Telemetry API; an existing Telemetry is patched, never clobbered)',
    options: [...ENABLE_LOGGING_OPTIONS, ...LOGGING_OPTIONS, FORMAT, KUBECONFIG, CONTEXT],
    examples: [
      'meshbot enable-logging shop --for 1h',
      "meshbot enable-logging shop --workload app=cart --mode server --filter 'response.code >= 500' --dry-run",
    ],
  },
  {
    name: 'disable-logging',
    usage: 'meshbot disable-logging NS|--mesh [--workload LABEL=VALUE] [--dry-run]',
    summary: 'Undo enable-logging now: delete what meshbot created, restore what it patched',
    options: [...LOGGING_OPTIONS, FORMAT, KUBECONFIG, CONTEXT],
    examples: ['meshbot disable-logging shop'],
  },
  {
    name: 'status',
    usage: 'meshbot status [NS|-A]',
    summary: 'Show where access logging is on, through which resource, until when and for whom',
    options: [ALL_NAMESPACES, FORMAT, KUBECONFIG, CONTEXT],
    examples: ['meshbot status shop', 'meshbot status -A'],
  },
  {
    name: 'reconcile',
    usage:
      'meshbot reconcile [--dry-run] [--watch [--interval DUR] [--lease-namespace NS] [--identity NAME]]',
    summary:
      'Revert expired enable-logging changes: once, or continuously with --watch (one replica at a time)',
    options: [
      { name: 'dry-run', type: 'boolean', description: 'Only report what would be reverted' },
      {
        name: 'watch',
        type: 'boolean',
        description:
          'Keep reconciling until stopped; replicas coordinate through a Lease so only one reverts',
      },
      {
        name: 'interval',
        type: 'string',
        value: 'DUR',
        description: 'With --watch: time between passes (default 1m)',
      },
      {
        name: 'lease-namespace',
        type: 'string',
        value: 'NS',
        description:
          "With --watch: the Lease's namespace (default $MESHBOT_NAMESPACE, the pod's namespace, or meshbot)",
      },
      {
        name: 'identity',
        type: 'string',
        value: 'NAME',
        description: 'With --watch: this replica in the Lease (default $POD_NAME or the host name)',
      },
      FORMAT,
      KUBECONFIG,
      CONTEXT,
    ],
    examples: ['meshbot reconcile', 'meshbot reconcile --watch --interval 30s'],
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
