/**
 * @module analysis/is-command
 * Next steps are either shell commands (`kubectl get …`) or actions in words ("Add a ServiceEntry …").
 * Renderers show commands as commands (a `$` prompt, code spans) and actions as prose.
 */

const COMMANDS = /^(kubectl|istioctl|curl|meshbot|helm|dig|nslookup)\s/;

export function isCommand(step: string): boolean {
  return COMMANDS.test(step);
}

/**
 * `kubectl get pods -o wide (are they Ready?)` → `kubectl get pods -o wide  # are they Ready?`: a trailing
 * remark in parentheses is a bash syntax error when pasted; as a `#` comment the line runs as it is.
 */
export function asShellLine(step: string): string {
  if (!isCommand(step)) return step;
  const m = /^(.*\S)\s+\(([^()]*)\)$/.exec(step);
  return m === null ? step : `${m[1]}  # ${m[2]}`;
}
