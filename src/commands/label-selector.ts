/**
 * @module commands/label-selector
 * `logs -l SELECTOR`: the Kubernetes label selector grammar (`app=web`, `tier!=db`, `env in (a,b)`,
 * `version notin (v1)`, `canary`, `!canary`, comma-separated), parsed into a {@link LabelSelector} whose
 * every key and value is checked, so nothing typed reaches the `labelSelector` query unvalidated. The
 * adapter renders it back with {@link formatLabelSelector}.
 */
import { MeshbotError } from '../core/errors.js';
import { isLabelKey, isLabelValue, printable } from '../core/kubernetes-names.js';
import type { WorkloadSelector } from '../istio-logging/logging-resources.js';
import type { LabelSelector, LabelSelectorRequirement } from './cluster-port.js';

const MAX_SELECTOR = 1000;

type Token =
  | { kind: 'word'; text: string; at: number }
  | { kind: '!' | ',' | '(' | ')' | '=' | '==' | '!=' | '<' | '>'; at: number }
  | { kind: 'end'; at: number };

function invalid(selector: string, why: string): MeshbotError {
  return new MeshbotError(
    'invalid_argument',
    `-l "${printable(selector)}" is not a label selector: ${why}. Use KEY=VALUE, KEY!=VALUE, KEY in (V1,V2), KEY notin (V1,V2), KEY or !KEY, comma-separated`,
    { flag: '--selector', selector: printable(selector) },
  );
}

function tokenize(selector: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < selector.length) {
    const c = selector[i] ?? '';
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    const two = selector.slice(i, i + 2);
    if (two === '==' || two === '!=') {
      tokens.push({ kind: two, at: i });
      i += 2;
      continue;
    }
    if (c === '!' || c === ',' || c === '(' || c === ')' || c === '=' || c === '<' || c === '>') {
      tokens.push({ kind: c, at: i });
      i++;
      continue;
    }
    const start = i;
    while (i < selector.length && !/[\s!,()=<>]/.test(selector[i] ?? '')) i++;
    tokens.push({ kind: 'word', text: selector.slice(start, i), at: start });
  }
  tokens.push({ kind: 'end', at: selector.length });
  return tokens;
}

/** Parses `-l` text. Throws `invalid_argument` naming what is wrong and the grammar. */
export function parseLabelSelector(selector: string): LabelSelector {
  if (selector.length > MAX_SELECTOR) throw invalid(selector, `longer than ${MAX_SELECTOR} characters`);
  if (/[^\x20-\x7e]/.test(selector)) throw invalid(selector, 'only printable ASCII is allowed');
  const tokens = tokenize(selector);
  let p = 0;
  const peek = (): Token => tokens[p] ?? { kind: 'end', at: selector.length };
  const next = (): Token => {
    const t = peek();
    p++;
    return t;
  };
  const key = (t: Token): string => {
    if (t.kind !== 'word') throw invalid(selector, `expected a label key at position ${t.at + 1}`);
    if (!isLabelKey(t.text)) throw invalid(selector, `"${printable(t.text)}" is not a valid label key`);
    return t.text;
  };
  const value = (t: Token): string => {
    if (t.kind !== 'word') return ''; // `key=` selects the empty value, as in Kubernetes
    if (!isLabelValue(t.text)) throw invalid(selector, `"${printable(t.text)}" is not a valid label value`);
    p++;
    return t.text;
  };
  const matchLabels: Record<string, string> = {};
  const matchExpressions: LabelSelectorRequirement[] = [];
  if (peek().kind === 'end') throw invalid(selector, 'it is empty');
  for (;;) {
    const first = next();
    if (first.kind === '!') {
      matchExpressions.push({ key: key(next()), operator: 'DoesNotExist', values: [] });
    } else {
      const k = key(first);
      const op = peek();
      if (op.kind === '=' || op.kind === '==') {
        p++;
        const v = value(peek());
        if (k in matchLabels) matchExpressions.push({ key: k, operator: 'In', values: [v] });
        else matchLabels[k] = v;
      } else if (op.kind === '!=') {
        p++;
        matchExpressions.push({ key: k, operator: 'NotIn', values: [value(peek())] });
      } else if (op.kind === '<' || op.kind === '>') {
        throw invalid(selector, `"${op.kind}" compares numbers and selects no pods by name`);
      } else if (op.kind === 'word' && (op.text === 'in' || op.text === 'notin')) {
        p++;
        if (next().kind !== '(') throw invalid(selector, `"${op.text}" needs a list in parentheses`);
        const values: string[] = [];
        for (;;) {
          const t = peek();
          if (t.kind !== 'word') throw invalid(selector, `expected a value at position ${t.at + 1}`);
          values.push(value(t));
          const sep = next();
          if (sep.kind === ')') break;
          if (sep.kind !== ',') throw invalid(selector, `expected "," or ")" at position ${sep.at + 1}`);
        }
        matchExpressions.push({ key: k, operator: op.text === 'in' ? 'In' : 'NotIn', values });
      } else if (op.kind === ',' || op.kind === 'end') {
        matchExpressions.push({ key: k, operator: 'Exists', values: [] });
      } else {
        throw invalid(selector, `unexpected text at position ${op.at + 1}`);
      }
    }
    const sep = next();
    if (sep.kind === 'end') break;
    if (sep.kind !== ',') throw invalid(selector, `expected "," at position ${sep.at + 1}`);
  }
  return { matchLabels, matchExpressions };
}

/** `app=reviews,version in (v1,v2),!canary,tier`: the selector as the `labelSelector` query writes it. */
export function formatLabelSelector(selector: LabelSelector): string {
  const parts = Object.entries(selector.matchLabels).map(([k, v]) => `${k}=${v}`);
  for (const r of selector.matchExpressions) {
    switch (r.operator) {
      case 'In':
        parts.push(`${r.key} in (${r.values.join(',')})`);
        break;
      case 'NotIn':
        parts.push(`${r.key} notin (${r.values.join(',')})`);
        break;
      case 'Exists':
        parts.push(r.key);
        break;
      case 'DoesNotExist':
        parts.push(`!${r.key}`);
        break;
      default: {
        const never: never = r.operator;
        throw new Error(`unknown operator ${String(never)}`);
      }
    }
  }
  return parts.join(',');
}

/** What `--workload` names: one label and its value. */
const LABEL_KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

/** `app=reviews` → `{label: 'app', value: 'reviews'}`; throws `invalid_argument` otherwise. */
export function parseWorkloadSelector(text: string): WorkloadSelector {
  const eq = text.indexOf('=');
  const label = eq < 0 ? '' : text.slice(0, eq);
  const value = eq < 0 ? '' : text.slice(eq + 1);
  if (eq < 0 || !LABEL_KEY.test(label) || !LABEL_VALUE.test(value) || value === '') {
    throw new MeshbotError(
      'invalid_argument',
      `--workload ${JSON.stringify(text.slice(0, 80))} must be LABEL=VALUE with a valid label, e.g. --workload app=reviews`,
    );
  }
  return { label, value };
}
