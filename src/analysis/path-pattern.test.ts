import { describe, expect, it } from 'vitest';
import { pathPattern } from './path-pattern.js';

describe('pathPattern', () => {
  it.each([
    ['/items/123', '/items/{id}'],
    ['/items/123?x=1', '/items/{id}'],
    ['/', '/'],
    ['', '/'],
    ['/reviews/0', '/reviews/{id}'],
    ['/orders/5ee694cf-f93b-4064-a677-4e6abf8a82be/lines', '/orders/{id}/lines'],
    [
      '/nchf/v2/chargingdata/N40-ig1-09e80315-a967-476a-912e-8ff3e4a36c9e/release',
      '/nchf/v2/chargingdata/{id}/release',
    ],
    ['/blobs/deadbeef01', '/blobs/{id}'],
    [
      '/static/bootstrap/fonts/glyphicons-halflings-regular.woff2',
      '/static/bootstrap/fonts/glyphicons-halflings-regular.woff2',
    ],
    ['/mock.MockService/Delay', '/mock.MockService/Delay'],
    ['/sessions/aGVsbG8gd29ybGQxMjM0NTY3ODk', '/sessions/{id}'],
    ['/v1/users', '/v1/users'],
    ['/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o', '/a/b/c/d/e/f/g/h/i/j/k/l/…'],
  ])('%s → %s', (path, pattern) => {
    expect(pathPattern(path)).toBe(pattern);
  });

  it('shortens very long segments', () => {
    expect(pathPattern(`/${'x'.repeat(500)}`)).toBe(`/${'x'.repeat(64)}…`);
  });
});
