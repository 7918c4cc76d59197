import { describe, expect, it } from 'vitest';
import { type FieldOwners, recordUpdate, serverSideApply } from './field-ownership.js';
import type { JsonObject } from './json.js';
import { ApiError } from './status.js';

const base = (spec: JsonObject, labels: Record<string, string> = {}): JsonObject => ({
  apiVersion: 'example.io/v1',
  kind: 'Thing',
  metadata: { name: 't', labels },
  spec,
});

describe('serverSideApply', () => {
  it('creates, then merges maps and replaces lists atomically', () => {
    const owners: FieldOwners = new Map();
    const created = serverSideApply({
      current: undefined,
      applied: base({ a: 1, list: [1, 2] }),
      owners,
      manager: 'm',
      apiVersion: 'example.io/v1',
      force: false,
    });
    expect(created.spec).toEqual({ a: 1, list: [1, 2] });
    const merged = serverSideApply({
      current: created,
      applied: base({ b: 2, list: [3] }),
      owners,
      manager: 'm',
      apiVersion: 'example.io/v1',
      force: false,
    });
    // The same manager stopped applying `a`, so it is removed; the list is replaced whole.
    expect(merged.spec).toEqual({ b: 2, list: [3] });
    expect(() =>
      serverSideApply({
        current: merged,
        applied: base({ list: [4] }),
        owners,
        manager: 'other',
        apiVersion: 'v1',
        force: false,
      }),
    ).toThrow('Apply failed with 1 conflict: conflict with "m": .spec.list');
  });

  it('treats equal values from two managers as shared ownership, not a conflict', () => {
    const owners: FieldOwners = new Map();
    const first = serverSideApply({
      current: undefined,
      applied: base({ a: 1 }),
      owners,
      manager: 'm1',
      apiVersion: 'v1',
      force: false,
    });
    expect(() =>
      serverSideApply({
        current: first,
        applied: base({ a: 1 }),
        owners,
        manager: 'm2',
        apiVersion: 'v1',
        force: false,
      }),
    ).not.toThrow();
  });

  it('lists conflicts per manager, and force takes ownership', () => {
    const owners: FieldOwners = new Map();
    const current = base({ a: 1, b: 2 });
    recordUpdate(owners, 'kubectl', 'example.io/v1', undefined, current);
    const attempt = () =>
      serverSideApply({
        current,
        applied: base({ a: 9, b: 8 }),
        owners,
        manager: 'meshbot',
        apiVersion: 'example.io/v1',
        force: false,
      });
    expect(attempt).toThrow(ApiError);
    try {
      attempt();
    } catch (error) {
      expect((error as ApiError).message).toBe(
        'Apply failed with 2 conflicts: conflicts with "kubectl" using example.io/v1:\n- .spec.a\n- .spec.b',
      );
    }
    const forced = serverSideApply({
      current,
      applied: base({ a: 9 }),
      owners,
      manager: 'meshbot',
      apiVersion: 'example.io/v1',
      force: true,
    });
    expect(forced.spec).toEqual({ a: 9, b: 2 });
    const again = serverSideApply({
      current: forced,
      applied: base({ a: 10 }),
      owners,
      manager: 'meshbot',
      apiVersion: 'example.io/v1',
      force: false,
    });
    expect(again.spec).toEqual({ a: 10, b: 2 });
  });

  it('removes fields the manager no longer applies unless someone else owns them', () => {
    const owners: FieldOwners = new Map();
    const first = serverSideApply({
      current: undefined,
      applied: base({ a: 1, nested: { x: 1 } }, { l: 'v' }),
      owners,
      manager: 'm',
      apiVersion: 'v1',
      force: false,
    });
    const second = serverSideApply({
      current: first,
      applied: base({ a: 1 }),
      owners,
      manager: 'm',
      apiVersion: 'v1',
      force: false,
    });
    expect(second.spec).toEqual({ a: 1 });
    expect(second.metadata).toEqual({ name: 't' });
  });
});
