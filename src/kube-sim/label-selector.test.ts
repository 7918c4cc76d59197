import { describe, expect, it } from 'vitest';
import { parseFieldSelector } from './field-selector.js';
import { parseLabelSelector } from './label-selector.js';
import { ApiError } from './status.js';

const labels = { app: 'web', version: 'v1', 'security.istio.io/tlsMode': 'istio' };

describe('parseLabelSelector', () => {
  it.each<[string, boolean]>([
    ['', true],
    ['app=web', true],
    ['app==web', true],
    ['app=db', false],
    ['app!=db', true],
    ['app=web,version=v2', false],
    ['version in (v1, v2)', true],
    ['version notin (v1)', false],
    ['missing notin (v1)', true],
    ['security.istio.io/tlsMode', true],
    ['!security.istio.io/tlsMode', false],
    ['!missing,app in (web)', true],
  ])('%s → %s', (selector, expected) => {
    expect(parseLabelSelector(selector)(labels)).toBe(expected);
  });

  it('rejects malformed selectors with a 400', () => {
    expect(() => parseLabelSelector('app=web,=x')).toThrow(ApiError);
    try {
      parseLabelSelector('a b');
    } catch (error) {
      expect((error as ApiError).code).toBe(400);
    }
  });
});

describe('parseFieldSelector', () => {
  const pod = {
    metadata: { name: 'web-1', namespace: 'shop' },
    status: { phase: 'Running' },
    spec: { nodeName: 'n1' },
  };

  it('matches supported fields with = and !=', () => {
    expect(parseFieldSelector('pods', 'status.phase=Running,spec.nodeName!=n2')(pod)).toBe(true);
    expect(parseFieldSelector('pods', 'metadata.name==web-2')(pod)).toBe(false);
  });

  it('refuses fields the resource does not support', () => {
    expect(() => parseFieldSelector('configmaps', 'status.phase=Running')).toThrow(
      'field label not supported: status.phase',
    );
  });
});
