import { describe, expect, it } from 'vitest';
import type { JsonValue } from './json.js';
import { applyJsonPatch, JsonPatchError } from './json-patch.js';
import { applyMergePatch } from './merge-patch.js';

describe('applyJsonPatch (RFC 6902)', () => {
  const doc: JsonValue = { a: { b: [1, 2, 3] }, c: 'x' };

  it.each<[string, unknown, JsonValue]>([
    ['add to object', [{ op: 'add', path: '/d', value: 1 }], { a: { b: [1, 2, 3] }, c: 'x', d: 1 }],
    ['add inside array', [{ op: 'add', path: '/a/b/1', value: 9 }], { a: { b: [1, 9, 2, 3] }, c: 'x' }],
    ['append with -', [{ op: 'add', path: '/a/b/-', value: 4 }], { a: { b: [1, 2, 3, 4] }, c: 'x' }],
    ['remove', [{ op: 'remove', path: '/a/b/0' }], { a: { b: [2, 3] }, c: 'x' }],
    ['replace', [{ op: 'replace', path: '/c', value: 'y' }], { a: { b: [1, 2, 3] }, c: 'y' }],
    ['move', [{ op: 'move', from: '/c', path: '/a/c' }], { a: { b: [1, 2, 3], c: 'x' } }],
    ['copy', [{ op: 'copy', from: '/a/b/2', path: '/e' }], { a: { b: [1, 2, 3] }, c: 'x', e: 3 }],
    [
      'test then replace',
      [
        { op: 'test', path: '/a/b', value: [1, 2, 3] },
        { op: 'replace', path: '/a/b', value: [] },
      ],
      { a: { b: [] }, c: 'x' },
    ],
    [
      'escaped keys',
      [{ op: 'add', path: '/a~1b~0c', value: true }],
      { a: { b: [1, 2, 3] }, c: 'x', 'a/b~c': true },
    ],
  ])('%s', (_name, patch, expected) => {
    expect(applyJsonPatch(doc, patch)).toEqual(expected);
  });

  it('does not modify its input', () => {
    applyJsonPatch(doc, [{ op: 'remove', path: '/a' }]);
    expect(doc).toEqual({ a: { b: [1, 2, 3] }, c: 'x' });
  });

  it.each<[string, unknown, string, boolean]>([
    ['failed test', [{ op: 'test', path: '/c', value: 'z' }], 'testing value /c failed: test failed', false],
    [
      'missing key on remove',
      [{ op: 'remove', path: '/nope' }],
      'remove operation does not apply: doc is missing key: /nope: missing value',
      false,
    ],
    [
      'replace of a missing key',
      [{ op: 'replace', path: '/nope', value: 1 }],
      'replace operation does not apply: doc is missing key: /nope: missing value',
      false,
    ],
    [
      'index out of bounds',
      [{ op: 'add', path: '/a/b/9', value: 1 }],
      'add operation does not apply: doc is missing path: "/a/b/9": out of bounds',
      false,
    ],
    ['unknown op', [{ op: 'frobnicate', path: '/c' }], 'Unexpected kind: frobnicate', false],
    [
      'not an array',
      { op: 'add' },
      'json: cannot unmarshal object into Go value of type jsonpatch.Patch',
      true,
    ],
  ])('rejects %s', (_name, patch, message, malformed) => {
    try {
      applyJsonPatch(doc, patch);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(JsonPatchError);
      expect((error as JsonPatchError).message).toBe(message);
      expect((error as JsonPatchError).malformed).toBe(malformed);
    }
  });
});

describe('applyMergePatch (RFC 7386)', () => {
  it.each<[JsonValue, JsonValue, JsonValue]>([
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [
      ['a', 'b'],
      ['c', 'd'],
      ['c', 'd'],
    ],
    [{ a: 'foo' }, 'bar', 'bar'],
  ])('%j + %j = %j', (target, patch, expected) => {
    expect(applyMergePatch(target, patch)).toEqual(expected);
  });
});
