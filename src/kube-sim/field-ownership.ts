/**
 * A small model of server-side-apply field ownership: which manager last set which leaf field. Lists are
 * atomic (the default for CRD lists without `x-kubernetes-list-type`), so a whole list is one leaf.
 */
import { cloneJson, isJsonObject, type JsonObject, type JsonValue, jsonEqual } from './json.js';
import { ApiError, type StatusCause } from './status.js';

export interface ManagerEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  fields: Set<string>;
}

/** Keyed by `manager|operation`, like the entries of metadata.managedFields. */
export type FieldOwners = Map<string, ManagerEntry>;

type Segments = string[];

const encode = (segments: Segments): string => JSON.stringify(segments);
const decode = (key: string): Segments => JSON.parse(key) as Segments;
const render = (key: string): string => `.${decode(key).join('.')}`;

/** Leaf fields of an object a manager can own: everything but apiVersion/kind/status and metadata except labels/annotations. */
export function leafFields(object: JsonObject): Map<string, JsonValue> {
  const out = new Map<string, JsonValue>();
  const walk = (value: JsonValue, path: Segments): void => {
    if (isJsonObject(value) && Object.keys(value).length > 0) {
      for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
    } else {
      out.set(encode(path), value);
    }
  };
  for (const [key, value] of Object.entries(object)) {
    if (key === 'apiVersion' || key === 'kind' || key === 'status') continue;
    if (key === 'metadata') {
      if (!isJsonObject(value)) continue;
      for (const sub of ['labels', 'annotations']) {
        const map = value[sub];
        if (isJsonObject(map))
          for (const [k, v] of Object.entries(map)) out.set(encode(['metadata', sub, k]), v);
      }
      continue;
    }
    walk(value, [key]);
  }
  return out;
}

function entryFor(
  owners: FieldOwners,
  manager: string,
  operation: 'Apply' | 'Update',
  apiVersion: string,
): ManagerEntry {
  const key = `${manager}|${operation}`;
  let entry = owners.get(key);
  if (!entry) {
    entry = { manager, operation, apiVersion, fields: new Set() };
    owners.set(key, entry);
  }
  entry.apiVersion = apiVersion;
  return entry;
}

function prune(owners: FieldOwners): void {
  for (const [key, entry] of owners) if (entry.fields.size === 0) owners.delete(key);
}

/** Records a non-apply write: changed and new leaves now belong to `manager`; removed leaves to nobody. */
export function recordUpdate(
  owners: FieldOwners,
  manager: string,
  apiVersion: string,
  before: JsonObject | undefined,
  after: JsonObject,
): void {
  const oldLeaves = before ? leafFields(before) : new Map<string, JsonValue>();
  const newLeaves = leafFields(after);
  const mine = entryFor(owners, manager, 'Update', apiVersion);
  for (const [path, value] of newLeaves) {
    if (oldLeaves.has(path) && jsonEqual(oldLeaves.get(path), value)) continue;
    for (const entry of owners.values()) entry.fields.delete(path);
    mine.fields.add(path);
  }
  for (const path of oldLeaves.keys()) {
    if (!newLeaves.has(path)) for (const entry of owners.values()) entry.fields.delete(path);
  }
  prune(owners);
}

function mergeApplied(target: JsonValue | undefined, applied: JsonValue): JsonValue {
  if (!isJsonObject(applied) || !isJsonObject(target)) return cloneJson(applied);
  const result = cloneJson(target);
  for (const [key, value] of Object.entries(applied)) {
    if (value === null) delete result[key];
    else result[key] = mergeApplied(result[key], value);
  }
  return result;
}

function deleteField(object: JsonObject, segments: Segments): void {
  const parents: JsonObject[] = [object];
  let current: JsonObject = object;
  for (const segment of segments.slice(0, -1)) {
    const next = current[segment];
    if (!isJsonObject(next)) return;
    parents.push(next);
    current = next;
  }
  delete current[segments[segments.length - 1] ?? ''];
  // Remove maps the deletion left empty (but never metadata itself or the top level).
  for (let i = segments.length - 1; i > 0; i--) {
    const parent = parents[i - 1];
    const child = parents[i];
    const key = segments[i - 1];
    if (!parent || !child || key === undefined || key === 'metadata') break;
    if (Object.keys(child).length > 0) break;
    delete parent[key];
  }
}

export interface ApplyRequest {
  current: JsonObject | undefined;
  /** The applied configuration, already given the URL's name/namespace. */
  applied: JsonObject;
  owners: FieldOwners;
  manager: string;
  apiVersion: string;
  force: boolean;
}

/** Server-side apply. Returns the merged object; throws a 409 ApiError listing conflicts unless `force`. */
export function serverSideApply(req: ApplyRequest): JsonObject {
  const { current, applied, owners, manager, force } = req;
  const appliedLeaves = leafFields(applied);
  const currentLeaves = current ? leafFields(current) : new Map<string, JsonValue>();
  const conflicts: { entry: ManagerEntry; path: string }[] = [];
  for (const [path, value] of appliedLeaves) {
    if (!currentLeaves.has(path) || jsonEqual(currentLeaves.get(path), value)) continue;
    for (const entry of owners.values()) {
      if (entry.manager === manager || !entry.fields.has(path)) continue;
      conflicts.push({ entry, path });
    }
  }
  if (conflicts.length > 0 && !force) throw applyConflict(conflicts);
  for (const { entry, path } of conflicts) entry.fields.delete(path);

  const mine = entryFor(owners, manager, 'Apply', req.apiVersion);
  let result = (current ? mergeApplied(current, applied) : cloneJson(applied)) as JsonObject;
  for (const path of mine.fields) {
    if (appliedLeaves.has(path)) continue;
    const ownedElsewhere = [...owners.values()].some((e) => e !== mine && e.fields.has(path));
    if (!ownedElsewhere) deleteField(result, decode(path));
  }
  mine.fields = new Set(appliedLeaves.keys());
  result = isJsonObject(result) ? result : {};
  prune(owners);
  return result;
}

function describeManager(entry: ManagerEntry): string {
  return entry.operation === 'Update' ? `"${entry.manager}" using ${entry.apiVersion}` : `"${entry.manager}"`;
}

function applyConflict(conflicts: { entry: ManagerEntry; path: string }[]): ApiError {
  const causes: StatusCause[] = conflicts.map(({ entry, path }) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${describeManager(entry)}`,
    field: render(path),
  }));
  let detail: string;
  const first = conflicts[0];
  if (conflicts.length === 1 && first) {
    detail = `conflict with ${describeManager(first.entry)}: ${render(first.path)}`;
  } else {
    const byManager = new Map<string, string[]>();
    for (const { entry, path } of conflicts) {
      const label = describeManager(entry);
      byManager.set(label, [...(byManager.get(label) ?? []), render(path)]);
    }
    detail = [...byManager]
      .map(([label, paths]) => [`conflicts with ${label}:`, ...paths.map((p) => `- ${p}`)].join('\n'))
      .join('\n');
  }
  const plural = conflicts.length === 1 ? '' : 's';
  return new ApiError(409, 'Conflict', `Apply failed with ${conflicts.length} conflict${plural}: ${detail}`, {
    causes: causes.map((c) => ({ ...c })),
  });
}
