/**
 * @module commands/table/options
 * Options shared by several commands, written once.
 */
import type { OptionSpec } from '../command-spec.js';

/** `-o, --format, --output`: kubectl's spelling and values, and the Slack message meshbot would post. */
export const FORMAT: OptionSpec = {
  name: 'format',
  short: 'o',
  aliases: ['output'],
  kind: 'enum',
  choices: ['text', 'json', 'yaml', 'wide', 'slack'],
  description:
    "Output: text (default), json, yaml (the JSON document as YAML), wide (text never cut to the terminal's width), or slack (the Slack message as JSON)",
  frontEnds: ['cli'],
  global: true,
};
export const LOG_FORMAT: OptionSpec = {
  name: 'log-format',
  kind: 'string',
  value: 'FORMAT',
  description: "The mesh's custom Envoy format string (meshConfig.accessLogFormat), if it has one",
};
export const FILE: OptionSpec = {
  name: 'file',
  short: 'f',
  kind: 'file',
  multiple: true,
  description: 'Read saved istio-proxy logs instead of a cluster (repeatable; - for stdin)',
  frontEnds: ['cli'],
};
export const NAMESPACE: OptionSpec = {
  name: 'namespace',
  short: 'n',
  kind: 'namespace',
  description: "Namespace of TARGET (default: the context's namespace, then all namespaces)",
};
export const NAMESPACES: OptionSpec = {
  name: 'namespace',
  short: 'n',
  kind: 'namespace',
  multiple: true,
  description:
    "Namespace to search (repeatable; default: the context's namespace); gateways are always searched",
};
/** `-n NS` standing for a command's `NS` argument (kubectl's spelling); the parser folds it in. */
export const NAMESPACE_ARGUMENT: OptionSpec = {
  name: 'namespace',
  short: 'n',
  kind: 'namespace',
  description: 'The same as NS',
};
export const ALL_NAMESPACES: OptionSpec = {
  name: 'all-namespaces',
  short: 'A',
  kind: 'boolean',
  description: 'Search every namespace',
};
export const KUBECONFIG: OptionSpec = {
  name: 'kubeconfig',
  kind: 'file',
  description: 'Kubeconfig file (default: $KUBECONFIG, ~/.kube/config, then the in-cluster service account)',
  frontEnds: ['cli'],
  global: true,
};
export const CONTEXT: OptionSpec = {
  name: 'context',
  kind: 'string',
  value: 'NAME',
  description: 'Kubeconfig context to use',
  frontEnds: ['cli'],
  global: true,
};
export const MAX_LOG_REQUESTS: OptionSpec = {
  name: 'max-log-requests',
  kind: 'count',
  min: 1,
  max: 100,
  description: 'Pod logs read at once (default 5 for logs, 50 for trace)',
  frontEnds: ['cli'],
};
/**
 * kubectl's `--dry-run[=client]`. meshbot's dry runs are client-side: it builds the change from what it
 * read and sends nothing. `server` (a dryRun=All request, admission webhooks included) is refused, not
 * quietly done client-side: the Istio client does not send dryRun requests.
 */
export const DRY_RUN_VALUES: Readonly<Record<string, boolean | string>> = {
  client: true,
  none: false,
  server:
    'meshbot does client-side dry runs only (it computes the change and sends nothing); use --dry-run or --dry-run=client',
};
export const DRY_RUN: OptionSpec = {
  name: 'dry-run',
  kind: 'boolean',
  values: DRY_RUN_VALUES,
  description: 'Print the exact YAML that would be applied; change nothing (--dry-run=client is the same)',
};
export const WORKLOAD: OptionSpec = {
  name: 'workload',
  kind: 'label',
  description: 'Only the workloads with this label (a Telemetry selector)',
};
export const MESH: OptionSpec = {
  name: 'mesh',
  kind: 'boolean',
  description: "The mesh's root namespace (from the mesh config) instead of NS",
};
export const YES: OptionSpec = {
  name: 'yes',
  kind: 'boolean',
  description: 'Skip the confirmation a mesh-wide change asks for',
  frontEnds: ['slack'],
};

/** kubectl's `--since-time`: entries from an RFC 3339 instant (commands/since-window). */
export const SINCE_TIME: OptionSpec = {
  name: 'since-time',
  kind: 'string',
  value: 'TIME',
  description: 'Only entries that started at or after this RFC 3339 time, e.g. 2026-12-04T10:00:00Z',
};

/** The cluster connection flags (CLI only). */
export const CONNECTION: readonly OptionSpec[] = [KUBECONFIG, CONTEXT];
