/** `logs -l`: the Kubernetes label selector grammar, checked key by key and value by value. */
import { describe, expect, it } from 'vitest';
import { errorOf } from '../../test/support/error-of.js';
import { formatLabelSelector, parseLabelSelector } from './label-selector.js';

describe('parseLabelSelector', () => {
  it.each([
    ['app=web', { matchLabels: { app: 'web' }, matchExpressions: [] }, 'app=web'],
    ['app==web', { matchLabels: { app: 'web' }, matchExpressions: [] }, 'app=web'],
    [
      ' app = web , tier != db ',
      { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }] },
      'app=web,tier notin (db)',
    ],
    [
      'version in (v1, v2),env notin (dev)',
      {
        matchLabels: {},
        matchExpressions: [
          { key: 'version', operator: 'In', values: ['v1', 'v2'] },
          { key: 'env', operator: 'NotIn', values: ['dev'] },
        ],
      },
      'version in (v1,v2),env notin (dev)',
    ],
    [
      'canary,!app.kubernetes.io/managed-by',
      {
        matchLabels: {},
        matchExpressions: [
          { key: 'canary', operator: 'Exists', values: [] },
          { key: 'app.kubernetes.io/managed-by', operator: 'DoesNotExist', values: [] },
        ],
      },
      'canary,!app.kubernetes.io/managed-by',
    ],
    ['app=', { matchLabels: { app: '' }, matchExpressions: [] }, 'app='],
    [
      'app=a,app=b',
      { matchLabels: { app: 'a' }, matchExpressions: [{ key: 'app', operator: 'In', values: ['b'] }] },
      'app=a,app in (b)',
    ],
  ])('%s', (text, selector, formatted) => {
    expect(parseLabelSelector(text)).toEqual(selector);
    expect(formatLabelSelector(parseLabelSelector(text))).toBe(formatted);
    // What it formats to parses to a selector that formats the same (round trip).
    expect(formatLabelSelector(parseLabelSelector(formatted))).toBe(formatted);
  });

  it.each([
    ['', 'it is empty'],
    ['app=web&x=1', '"web&x" is not a valid label value'],
    ['app=we b', 'expected "," at position 8'],
    ['-bad=1', '"-bad" is not a valid label key'],
    ['app in web', '"in" needs a list in parentheses'],
    ['app in (a b)', 'expected "," or ")" at position 11'],
    ['app in ()', 'expected a value at position 9'],
    ['replicas>1', '">" compares numbers'],
    ['app=web,', 'expected a label key at position 9'],
    ['a=b)', 'expected "," at position 4'],
    ['app=\u00e9', 'only printable ASCII is allowed'],
    ['app=web\nx', 'only printable ASCII is allowed'],
    [`app=${'x'.repeat(1000)}`, 'longer than 1000 characters'],
  ])('refuses %j: %s', (text, why) => {
    const error = errorOf(() => parseLabelSelector(text));
    expect(error.code).toBe('invalid_argument');
    expect(error.message).toContain(why);
    expect(error.message).toContain('Use KEY=VALUE, KEY!=VALUE, KEY in (V1,V2)');
  });
});
