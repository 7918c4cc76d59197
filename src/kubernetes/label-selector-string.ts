/**
 * @module kubernetes/label-selector-string
 * Renders a label selector for the `labelSelector` query parameter, refusing any key or value that is not
 * a valid label key/value, so neither TARGET text nor log content can reach a selector unchecked.
 */
import type { LabelSelector } from '../commands/cluster-port.js';
import { formatLabelSelector } from '../commands/label-selector.js';
import { MeshbotError } from '../core/errors.js';
import { isLabelKey, isLabelValue } from '../core/kubernetes-names.js';

function checked(kind: 'key' | 'value', text: string): string {
  const ok = kind === 'key' ? isLabelKey(text) : isLabelValue(text);
  if (!ok) {
    throw new MeshbotError(
      'invalid_argument',
      `"${text.slice(0, 80).replace(/[^\x20-\x7e]/g, '?')}" is not a valid label ${kind}`,
      { [kind]: text.slice(0, 80) },
    );
  }
  return text;
}

/** `app=reviews,version in (v1,v2),!canary,tier`. An empty selector gives `''` (everything). */
export function labelSelectorString(selector: LabelSelector): string {
  for (const [k, v] of Object.entries(selector.matchLabels)) {
    checked('key', k);
    checked('value', v);
  }
  for (const r of selector.matchExpressions) {
    checked('key', r.key);
    for (const v of r.values) checked('value', v);
  }
  return formatLabelSelector(selector);
}
