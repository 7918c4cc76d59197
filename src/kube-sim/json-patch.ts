/** RFC 6902 JSON Patch. Errors carry the wording of evanphx/json-patch, which the API server uses. */
import { cloneJson, isJsonObject, type JsonValue, jsonEqual } from './json.js';

export class JsonPatchError extends Error {
  /** `true` when the patch document itself is malformed (400), `false` when it cannot be applied (422). */
  readonly malformed: boolean;
  constructor(message: string, malformed: boolean) {
    super(message);
    this.malformed = malformed;
  }
}

interface Operation {
  op: string;
  path: string;
  from?: string;
  value?: JsonValue;
  hasValue: boolean;
}

function decodePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new JsonPatchError(`invalid JSON pointer: "${pointer}"`, false);
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parseOperations(patch: unknown): Operation[] {
  if (!Array.isArray(patch)) {
    throw new JsonPatchError('json: cannot unmarshal object into Go value of type jsonpatch.Patch', true);
  }
  return patch.map((raw: unknown) => {
    if (!isJsonObject(raw as JsonValue)) throw new JsonPatchError('invalid JSON patch operation', true);
    const entry = raw as Record<string, JsonValue>;
    const op = entry.op;
    const path = entry.path;
    if (typeof op !== 'string') throw new JsonPatchError('Unexpected kind: unknown', true);
    if (typeof path !== 'string') throw new JsonPatchError(`${op} operation: missing path`, false);
    const operation: Operation = { op, path, hasValue: 'value' in entry };
    if ('value' in entry && entry.value !== undefined) operation.value = entry.value;
    if (typeof entry.from === 'string') operation.from = entry.from;
    return operation;
  });
}

type Container = JsonValue[] | { [key: string]: JsonValue };

function parentOf(doc: JsonValue, segments: string[], op: string, path: string): [Container, string] {
  let current: JsonValue = doc;
  for (const segment of segments.slice(0, -1)) {
    let next: JsonValue | undefined;
    if (Array.isArray(current)) next = current[Number(segment)];
    else if (isJsonObject(current)) next = current[segment];
    if (next === undefined || next === null || typeof next !== 'object') {
      throw new JsonPatchError(
        `${op} operation does not apply: doc is missing path: "${path}": missing value`,
        false,
      );
    }
    current = next;
  }
  if (current === null || typeof current !== 'object') {
    throw new JsonPatchError(
      `${op} operation does not apply: doc is missing path: "${path}": missing value`,
      false,
    );
  }
  return [current, segments[segments.length - 1] ?? ''];
}

function arrayIndex(
  container: JsonValue[],
  key: string,
  allowEnd: boolean,
  op: string,
  path: string,
): number {
  if (allowEnd && key === '-') return container.length;
  if (!/^(0|[1-9]\d*)$/.test(key))
    throw new JsonPatchError(`${op} operation does not apply: invalid index "${key}" in "${path}"`, false);
  const index = Number(key);
  const max = allowEnd ? container.length : container.length - 1;
  if (index > max)
    throw new JsonPatchError(
      `${op} operation does not apply: doc is missing path: "${path}": out of bounds`,
      false,
    );
  return index;
}

function get(doc: JsonValue, path: string, op: string): JsonValue {
  const segments = decodePointer(path);
  if (segments.length === 0) return doc;
  const [container, key] = parentOf(doc, segments, op, path);
  const value = Array.isArray(container)
    ? container[arrayIndex(container, key, false, op, path)]
    : container[key];
  if (value === undefined)
    throw new JsonPatchError(
      `${op} operation does not apply: doc is missing key: ${path}: missing value`,
      false,
    );
  return value;
}

function remove(doc: JsonValue, path: string, op: string): JsonValue {
  const segments = decodePointer(path);
  const [container, key] = parentOf(doc, segments, op, path);
  if (Array.isArray(container)) {
    const index = arrayIndex(container, key, false, op, path);
    const [removed] = container.splice(index, 1);
    return removed ?? null;
  }
  if (!(key in container))
    throw new JsonPatchError(
      `${op} operation does not apply: doc is missing key: ${path}: missing value`,
      false,
    );
  const removed = container[key] ?? null;
  delete container[key];
  return removed;
}

function add(doc: JsonValue, path: string, value: JsonValue, op: string): JsonValue {
  const segments = decodePointer(path);
  if (segments.length === 0) return value;
  const [container, key] = parentOf(doc, segments, op, path);
  if (Array.isArray(container)) container.splice(arrayIndex(container, key, true, op, path), 0, value);
  else container[key] = value;
  return doc;
}

/** Applies a JSON patch to a copy of `doc`. Throws JsonPatchError. */
export function applyJsonPatch(doc: JsonValue, patch: unknown): JsonValue {
  let result = cloneJson(doc);
  for (const operation of parseOperations(patch)) {
    const { op, path } = operation;
    const needValue = (): JsonValue => {
      if (!operation.hasValue) throw new JsonPatchError(`${op} operation: missing value`, false);
      return cloneJson(operation.value ?? null);
    };
    const needFrom = (): string => {
      if (operation.from === undefined) throw new JsonPatchError(`${op} operation: missing from`, false);
      return operation.from;
    };
    switch (op) {
      case 'add':
        result = add(result, path, needValue(), op);
        break;
      case 'remove':
        remove(result, path, op);
        break;
      case 'replace': {
        const value = needValue();
        if (path === '') {
          result = value;
          break;
        }
        get(result, path, op);
        const [container, key] = parentOf(result, decodePointer(path), op, path);
        if (Array.isArray(container)) container[arrayIndex(container, key, false, op, path)] = value;
        else container[key] = value;
        break;
      }
      case 'move': {
        const from = needFrom();
        if (path.startsWith(`${from}/`))
          throw new JsonPatchError('move operation: cannot move a value into one of its children', false);
        const value = remove(result, from, op);
        result = add(result, path, value, op);
        break;
      }
      case 'copy': {
        const value = cloneJson(get(result, needFrom(), op));
        result = add(result, path, value, op);
        break;
      }
      case 'test': {
        const expected = operation.hasValue ? (operation.value ?? null) : null;
        let actual: JsonValue | undefined;
        try {
          actual = get(result, path, op);
        } catch {
          actual = undefined;
        }
        if (actual === undefined ? expected !== null : !jsonEqual(actual, expected)) {
          throw new JsonPatchError(`testing value ${path} failed: test failed`, false);
        }
        break;
      }
      default:
        throw new JsonPatchError(`Unexpected kind: ${op}`, false);
    }
  }
  return result;
}
