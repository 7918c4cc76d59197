import { describe, expect, it } from 'vitest';
import {
  isDns1123Label,
  isDns1123Subdomain,
  isLabelKey,
  isLabelValue,
  validateNamespace,
} from './kubernetes-names.js';

describe('Kubernetes names', () => {
  it.each([
    ['shop', true, true],
    ['istio-system', true, true],
    ['a', true, true],
    ['reviews.bookinfo.svc.cluster.local', false, true],
    ['Shop', false, false],
    ['-shop', false, false],
    ['shop-', false, false],
    ['a_b', false, false],
    ['', false, false],
    ['x'.repeat(64), false, false],
    ['$(rm -rf /)', false, false],
    ['a..b', false, false],
  ])('%j: label %s, subdomain %s', (name, label, subdomain) => {
    expect(isDns1123Label(name)).toBe(label);
    expect(isDns1123Subdomain(name)).toBe(subdomain);
  });

  it.each([
    ['app', true],
    ['app.kubernetes.io/name', true],
    ['service.istio.io/canonical-name', true],
    ['/name', false],
    ['a,b', false],
    ['a=b', false],
  ])('label key %j: %s', (key, ok) => expect(isLabelKey(key)).toBe(ok));

  it.each([
    ['reviews', true],
    ['', true],
    ['v1.2_3', true],
    ['a b', false],
    ['x'.repeat(64), false],
    ['a,b=c', false],
  ])('label value %j: %s', (value, ok) => expect(isLabelValue(value)).toBe(ok));

  it('rejects a bad namespace with a printable message', () => {
    expect(() => validateNamespace('Bad_NS\x1b[2J')).toThrow(/"Bad_NS\?\[2J" is not a namespace name/);
    expect(validateNamespace('shop')).toBe('shop');
  });
});
