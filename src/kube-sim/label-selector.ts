/** Kubernetes label selector strings: `a=b,c!=d,e in (x,y),f notin (z),g,!h`. */
import { badRequest } from './status.js';

type Requirement =
  | { op: 'eq' | 'neq'; key: string; value: string }
  | { op: 'in' | 'notin'; key: string; values: string[] }
  | { op: 'exists' | 'notexists'; key: string };

export type LabelMatcher = (labels: Readonly<Record<string, string>>) => boolean;

/** Splits on commas that are not inside parentheses. */
function splitTopLevel(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

function parseRequirement(text: string): Requirement {
  const setMatch = /^([^\s!=()]+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(text);
  if (setMatch) {
    const [, key = '', op, values = ''] = setMatch;
    return { op: op === 'in' ? 'in' : 'notin', key, values: values.split(',').map((v) => v.trim()) };
  }
  const eqMatch = /^([^\s!=()]+)\s*(==|=|!=)\s*([^\s!=()]*)$/.exec(text);
  if (eqMatch) {
    const [, key = '', op, value = ''] = eqMatch;
    return { op: op === '!=' ? 'neq' : 'eq', key, value };
  }
  const notExists = /^!\s*([^\s!=()]+)$/.exec(text);
  if (notExists) return { op: 'notexists', key: notExists[1] ?? '' };
  if (/^[^\s!=(),]+$/.test(text)) return { op: 'exists', key: text };
  throw badRequest(`unable to parse requirement: found '${text}', expected: in, notin, =, ==, !=, gt, lt`);
}

/** Parses a selector; throws a 400 ApiError when it is malformed. Empty selects everything. */
export function parseLabelSelector(selector: string | null | undefined): LabelMatcher {
  if (!selector) return () => true;
  const requirements = splitTopLevel(selector).map(parseRequirement);
  return (labels) => requirements.every((r) => matches(r, labels));
}

function matches(r: Requirement, labels: Readonly<Record<string, string>>): boolean {
  const value = labels[r.key];
  switch (r.op) {
    case 'eq':
      return value === r.value;
    case 'neq':
      return value !== r.value;
    case 'in':
      return value !== undefined && r.values.includes(value);
    case 'notin':
      return value === undefined || !r.values.includes(value);
    case 'exists':
      return Object.hasOwn(labels, r.key);
    case 'notexists':
      return !Object.hasOwn(labels, r.key);
  }
}
