/**
 * @module commands/table/misc-commands
 * `help [COMMAND]`, `version` and `serve` (the Slack bot).
 */
import { MeshbotError } from '../../core/errors.js';
import type { ServeRequest } from '../command-deps.js';
import type { HelpReport } from '../command-report.js';
import { defineCommand, flag, positional } from './define-command.js';

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

export const versionCommand = defineCommand<Record<string, never>>({
  spec: {
    name: 'version',
    summary: "Print meshbot's version",
    positionals: [],
    options: [],
    examples: ['version'],
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
