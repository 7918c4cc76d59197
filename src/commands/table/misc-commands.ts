/**
 * @module commands/table/misc-commands
 * `help [COMMAND]`, `completion SHELL`, `version`, `serve` (the Slack bot) and `demo` (a simulated mesh).
 */
import { MeshbotError } from '../../core/errors.js';
import type { DemoRequest, ServeRequest } from '../command-deps.js';
import type { CompletionReport, HelpReport } from '../command-report.js';
import { defineCommand, flag, positional, text } from './define-command.js';
import { FORMAT } from './options.js';

const SHELLS = ['bash', 'zsh'] as const;

export const helpCommand = defineCommand<HelpReport>({
  spec: {
    name: 'help',
    summary: 'Show the commands, or the options of one',
    positionals: [{ name: 'COMMAND', kind: 'command', required: false, description: 'a command name' }],
    options: [],
    examples: ['help', 'help logs'],
    frontEnds: ['cli', 'slack'],
    mutating: false,
    heavy: false,
  },
  toRequest: (parsed) => ({ kind: 'help', topic: positional(parsed, 'COMMAND') }),
  scope: () => ({ kind: 'none' }),
  run: async (_deps, request) => request,
});

export const completionCommand = defineCommand<CompletionReport>({
  spec: {
    name: 'completion',
    summary: 'Print a shell completion script for meshbot: commands, options and their values',
    positionals: [
      {
        name: 'SHELL',
        kind: 'enum',
        choices: SHELLS,
        required: true,
        description: 'bash or zsh; load it with: source <(meshbot completion bash)',
      },
    ],
    options: [],
    examples: ['completion bash', 'completion zsh'],
    frontEnds: ['cli'],
    mutating: false,
    heavy: false,
  },
  toRequest: (parsed) => ({
    kind: 'completion',
    shell: positional(parsed, 'SHELL') === 'zsh' ? 'zsh' : 'bash',
  }),
  scope: () => ({ kind: 'none' }),
  run: async (_deps, request) => request,
});

export const versionCommand = defineCommand<Record<string, never>>({
  spec: {
    name: 'version',
    summary: "Print meshbot's version",
    positionals: [],
    options: [FORMAT],
    examples: ['version', 'version -o json'],
    frontEnds: ['cli'],
    mutating: false,
    heavy: false,
  },
  toRequest: () => ({}),
  scope: () => ({ kind: 'none' }),
  run: async (deps) => ({ kind: 'version', version: deps.version ?? 'unknown' }),
});

export const serveCommand = defineCommand<ServeRequest>({
  spec: {
    name: 'serve',
    summary:
      'Run the Slack bot (/mesh): Socket Mode or HTTP, health and metrics on $PORT, the expiry reconciler',
    positionals: [],
    options: [
      {
        name: 'check',
        kind: 'boolean',
        description: 'Check the configuration (environment and MESHBOT_CONFIG_FILE) and exit',
      },
    ],
    examples: ['serve', 'serve --check'],
    frontEnds: ['cli'],
    mutating: false,
    heavy: false,
  },
  toRequest: (parsed) => ({ check: flag(parsed, 'check') }),
  scope: () => ({ kind: 'none' }),
  async run(deps, request) {
    if (deps.serve === undefined) throw new MeshbotError('usage', 'serve runs only from the meshbot CLI');
    const exitCode = await deps.serve(request);
    return { kind: 'stopped', what: 'serve', exitCode };
  },
});

/** A Slack channel id (`C0123ABC`, `G…` private, `D…` a DM). */
const CHANNEL_ID = /^[CGD][A-Z0-9]{6,20}$/;

export const demoCommand = defineCommand<DemoRequest>({
  spec: {
    name: 'demo',
    summary:
      'Run meshbot on a simulated Istio mesh (a Kubernetes API on 127.0.0.1, HTTPS): logs, trace, a failure explained, enable-logging, status',
    positionals: [],
    options: [
      {
        name: 'serve',
        kind: 'boolean',
        description:
          'Keep the simulated cluster running and print the export KUBECONFIG=… line for meshbot and kubectl, until Ctrl-C',
      },
      {
        name: 'slack',
        kind: 'boolean',
        description:
          'Show the answers as the Slack bot posts them: Block Kit JSON with a Block Kit Builder link, or posted with --channel and $SLACK_BOT_TOKEN',
      },
      {
        name: 'channel',
        kind: 'string',
        value: 'CHANNEL_ID',
        description: 'With --slack: post the messages to this channel id (C0123ABC) with $SLACK_BOT_TOKEN',
      },
    ],
    examples: ['demo', 'demo --serve', 'demo --slack', 'demo --slack --channel C0123ABC'],
    frontEnds: ['cli'],
    mutating: false,
    heavy: false,
  },
  toRequest: (parsed) => {
    const serve = flag(parsed, 'serve');
    const slack = flag(parsed, 'slack');
    const channel = text(parsed, 'channel');
    if (serve && slack) {
      throw new MeshbotError(
        'usage',
        '--serve and --slack do not go together: --serve keeps the cluster for your own commands, --slack shows the answers as Slack messages',
      );
    }
    if (channel !== undefined && !slack) {
      throw new MeshbotError('usage', '--channel goes with --slack: meshbot demo --slack --channel C0123ABC');
    }
    if (channel !== undefined && !CHANNEL_ID.test(channel)) {
      throw new MeshbotError(
        'usage',
        `--channel takes a channel id such as C0123ABC (in Slack: the channel's details, at the bottom), not ${JSON.stringify(channel.slice(0, 40))}`,
      );
    }
    if (slack) return { mode: 'slack', channel };
    return serve ? { mode: 'serve' } : { mode: 'tour' };
  },
  scope: () => ({ kind: 'none' }),
  async run(deps, request) {
    if (deps.demo === undefined) throw new MeshbotError('usage', 'demo runs only from the meshbot CLI');
    const exitCode = await deps.demo(request);
    return { kind: 'stopped', what: 'demo', exitCode };
  },
});
