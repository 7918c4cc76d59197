import { describe, expect, it } from 'vitest';
import { computePattern, pathPattern } from './path-pattern.js';

describe('pathPattern', () => {
  it.each([
    ['/items/123', '/items/{id}'],
    ['/', '/'],
    ['', '/'],
    ['/reviews/0', '/reviews/{id}'],
    ['/reviews/0/', '/reviews/{id}/'],
    ['items/7', 'items/{id}'],
    ['//a//12', '//a//{id}'],
    // numbers of every shape
    ['/orders/2024-05-01/totals', '/orders/{id}/totals'],
    ['/prices/-1.5', '/prices/{id}'],
    ['/versions/1.2.3', '/versions/{id}'],
    // UUIDs, alone and inside a segment
    ['/orders/5ee694cf-f93b-4064-a677-4e6abf8a82be/lines', '/orders/{id}/lines'],
    ['/orders/5EE694CF-F93B-4064-A677-4E6ABF8A82BE', '/orders/{id}'],
    [
      '/nchf/v2/chargingdata/N40-ig1-09e80315-a967-476a-912e-8ff3e4a36c9e/release',
      '/nchf/v2/chargingdata/{id}/release',
    ],
    // hex
    ['/blobs/deadbeef01', '/blobs/{id}'],
    ['/commits/3f2a9c81d0b7e6a5f4c3b2a1908f7e6d5c4b3a29', '/commits/{id}'],
    ['/objects/65f1c2a9e4b0a1b2c3d4e5f6', '/objects/{id}'],
    ['/keys/deadbeefcafebabe', '/keys/{id}'],
    ['/words/facade', '/words/facade'],
    // base64 and base64url tokens
    ['/sessions/aGVsbG8gd29ybGQxMjM0NTY3ODk', '/sessions/{id}'],
    ['/t/Zm9vYmFyYmF6cXV4-_Q2', '/t/{id}'],
    ['/t/kTzXqPbWmRvLsNyHgJdF', '/t/{id}'],
    ['/share/AbC9xYz0QwE1rTy2', '/share/{id}'],
    ['/devices/KFIOExiv-HiCfcPpPT_Gi5', '/devices/{id}'],
    ['/prices/YOHzbcnvxaHJVAj4/attachments', '/prices/{id}/attachments'],
    ['/devices/ZCSxmyxjdkq2cpk334MSv3', '/devices/{id}'],
    ['/sessions/ckcxi9ohspgkibqnkmpw9', '/sessions/{id}'],
    ['/prices/rnxPJMJKSDKFmlIiYoCrBp9TEUFGZXi3', '/prices/{id}'],
    ['/products/Deluxe-Edition-2-Hardcover', '/products/Deluxe-Edition-2-Hardcover'],
    ['/v1/token/dXNlcjpwYXNzd29yZA==', '/v1/token/{id}'],
    // words with a long number
    ['/orders/ORD-104233', '/orders/{id}'],
    ['/users/user_98412/cart', '/users/{id}/cart'],
    // e-mail-like segments
    ['/users/ana@example.com/cart', '/users/{email}/cart'],
    ['/users/ana.lopez%40example.co.uk', '/users/{email}'],
    ['/mail/@home', '/mail/@home'],
    // the query string, fragment and matrix parameters are never part of a pattern
    ['/items/123?x=1', '/items/{id}'],
    ['/search?q=shoes&page=2', '/search'],
    ['/search?q=/a/b/123', '/search'],
    ['/page#section-2', '/page'],
    ['/cart;jsessionid=A1B2C3D4E5F6?x=1', '/cart'],
    ['?only=query', '/'],
    // what stays
    [
      '/static/bootstrap/fonts/glyphicons-halflings-regular.woff2',
      '/static/bootstrap/fonts/glyphicons-halflings-regular.woff2',
    ],
    ['/mock.MockService/Delay', '/mock.MockService/Delay'],
    ['/grpc.health.v1.Health/Check', '/grpc.health.v1.Health/Check'],
    ['/api.Users/GetUserProfileSettings', '/api.Users/GetUserProfileSettings'],
    ['/v1/users', '/v1/users'],
    ['/apis/v2beta1/log4j', '/apis/v2beta1/log4j'],
    ['/products/my-product-2-deluxe-edition', '/products/my-product-2-deluxe-edition'],
    ['/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o', '/a/b/c/d/e/f/g/h/i/j/k/l/…'],
    ['/a/1/c/d/e/f/g/h/i/j/k/l/m/n/o', '/a/{id}/c/d/e/f/g/h/i/j/k/l/…'],
  ])('%s → %s', (path, pattern) => {
    expect(pathPattern(path)).toBe(pattern);
    expect(computePattern(path)).toBe(pattern);
  });

  it('shortens very long segments', () => {
    expect(pathPattern(`/${'x'.repeat(500)}`)).toBe(`/${'x'.repeat(64)}…`);
    expect(pathPattern(`/${'x'.repeat(500)}/7`)).toBe(`/${'x'.repeat(64)}…/{id}`);
  });

  it('gives distinct ids of every kind one pattern', () => {
    const patterns = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const hex = (i * 2654435761).toString(16).padStart(8, '0');
      patterns.add(
        pathPattern(
          `/users/${i}/orders/${hex}${hex}-${hex.slice(0, 4)}-4${hex.slice(1, 4)}-a${hex.slice(1, 4)}-${hex}${hex.slice(0, 4)}?page=${i}`,
        ),
      );
      patterns.add(pathPattern(`/users/u${i}@example.com`));
    }
    expect([...patterns].sort()).toEqual(['/users/{email}', '/users/{id}/orders/{id}']);
  });
});
