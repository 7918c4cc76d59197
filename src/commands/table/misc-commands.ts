/**
 * @module commands/table/misc-commands
 * `help [COMMAND]`, `completion SHELL`, `version` and `serve` (the Slack bot).
 */
import { MeshbotError } from '../../core/errors.js';
import type { ServeRequest } from '../command-deps.js';
import type { CompletionReport, HelpReport } from '../command-report.js';
import { defineCommand, flag, positional } from './define-command.js';
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
