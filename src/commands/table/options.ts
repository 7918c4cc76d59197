/**
 * @module commands/table/options
 * Options shared by several commands, written once.
 */
import type { OptionSpec } from '../command-spec.js';

export const FORMAT: OptionSpec = {
  name: 'format',
  short: 'o',
  kind: 'enum',
  choices: ['text', 'json', 'slack'],
  description: 'Output: text (default), json, or the Slack message as JSON',
  frontEnds: ['cli'],
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
};
export const CONTEXT: OptionSpec = {
  name: 'context',
  kind: 'string',
  value: 'NAME',
  description: 'Kubeconfig context to use',
  frontEnds: ['cli'],
};
export const MAX_LOG_REQUESTS: OptionSpec = {
  name: 'max-log-requests',
  kind: 'count',
  min: 1,
  max: 100,
  description: 'Pod logs read at once (default 5 for logs, 10 for trace)',
  frontEnds: ['cli'],
};
export const DRY_RUN: OptionSpec = {
  name: 'dry-run',
  kind: 'boolean',
  description: 'Print the exact YAML that would be applied; change nothing',
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

/** The cluster connection flags (CLI only). */
export const CONNECTION: readonly OptionSpec[] = [KUBECONFIG, CONTEXT];
