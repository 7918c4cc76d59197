/**
 * @module cli/kubectl-complete
 * `kubectl mesh …<TAB>`: kubectl (1.26+) completes a plugin's words by running `kubectl_complete-mesh WORD...
 * CURRENT` from PATH and reading cobra's answer, one candidate a line (`word\tdescription`) and `:DIRECTIVE`.
 * The package's `kubectl_complete-mesh` bin is meshbot's own executable, which answers this way when it is
 * run under that name; the answers come from the command table, as `meshbot completion bash|zsh` does.
 */
import { basename } from 'node:path';
import { completeCommandLine } from '../commands/completion.js';

/** The name kubectl looks for on PATH to complete `kubectl mesh …`. */
export const KUBECTL_COMPLETE_BIN = 'kubectl_complete-mesh';

/** Whether the executable was started as `kubectl_complete-mesh` (`argv[1]` is the path it was run by). */
export function startedAsKubectlComplete(scriptPath: string | undefined): boolean {
  return scriptPath !== undefined && basename(scriptPath) === KUBECTL_COMPLETE_BIN;
}

/** Cobra's `__complete` answer for the words kubectl passes (the last one is the word being completed). */
export function kubectlComplete(args: readonly string[]): string {
  const current = args.at(-1) ?? '';
  const { candidates, directive } = completeCommandLine(args.slice(0, -1), current);
  return `${candidates.map((c) => `${c}\n`).join('')}:${directive}\n`;
}
