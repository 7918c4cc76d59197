/**
 * @module render/is-command
 * Next steps are either shell commands (`kubectl get …`) or actions in words ("Add a ServiceEntry …").
 * Renderers show commands as commands (a `$` prompt, code spans) and actions as prose.
 */

const COMMANDS = /^(kubectl|istioctl|curl|meshbot|helm|dig|nslookup)\s/;

export function isCommand(step: string): boolean {
  return COMMANDS.test(step);
}
