/**
 * Validation of a Kubernetes object offline, the two halves an API server does: the schema (types, required
 * fields, enums, formats) from the `kubernetes-models` package, which carries Kubernetes' OpenAPI schemas
 * compiled, and unknown fields — which those schemas let through, but a real server with strict field
 * validation (kubectl's default since 1.27) refuses — against the field lists of @kubernetes/client-node's
 * models. Both packages follow the Kubernetes release they were generated from.
 */
import * as k8s from '@kubernetes/client-node';
import type { K8sObject } from './deploy-files.js';

interface AttributeType {
  name: string;
  baseName: string;
  type: string;
}
type ModelClass = { getAttributeTypeMap(): AttributeType[] };

/** The schema problems of `object` (empty when valid), from `kubernetes-models/<apiVersion>/<kind>`. */
export async function schemaProblems(object: K8sObject): Promise<string[]> {
  let Model: new (data: unknown) => { validate(): void };
  try {
    const module = (await import(`kubernetes-models/${object.apiVersion}/${object.kind}`)) as Record<
      string,
      new (
        data: unknown,
      ) => { validate(): void }
    >;
    const found = module[object.kind];
    if (found === undefined) throw new Error('no such export');
    Model = found;
  } catch {
    return [`${object.apiVersion} ${object.kind} is not a Kubernetes kind kubernetes-models knows`];
  }
  try {
    new Model(object).validate();
    return [];
  } catch (e) {
    return [String(e instanceof Error ? e.message : e)];
  }
}

function modelClass(type: string): ModelClass | undefined {
  const candidate = (k8s as unknown as Record<string, unknown>)[type];
  return typeof candidate === 'function' && 'getAttributeTypeMap' in candidate
    ? (candidate as unknown as ModelClass)
    : undefined;
}

/** Paths of fields the Kubernetes API does not define, e.g. `spec.template.spec.containers[0].securityContext.readOnlyRootFileSystem`. */
export function unknownFields(object: K8sObject): string[] {
  const version = object.apiVersion.split('/').at(-1) ?? '';
  const type = `${version.charAt(0).toUpperCase()}${version.slice(1)}${object.kind}`;
  if (modelClass(type) === undefined) return [`${object.kind}: no @kubernetes/client-node model ${type}`];
  const found: string[] = [];
  walk(object, type, object.kind, found);
  return found;
}

function walk(value: unknown, type: string, path: string, found: string[]): void {
  if (value === null || value === undefined) return;
  const array = /^Array<(.+)>$/.exec(type);
  if (array?.[1] !== undefined) {
    const itemType = array[1];
    if (Array.isArray(value)) value.forEach((item, i) => void walk(item, itemType, `${path}[${i}]`, found));
    return;
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map?.[1] !== undefined) {
    if (typeof value === 'object')
      for (const [key, item] of Object.entries(value)) walk(item, map[1], `${path}.${key}`, found);
    return;
  }
  const model = modelClass(type);
  if (model === undefined || typeof value !== 'object' || Array.isArray(value)) return;
  const fields = new Map(model.getAttributeTypeMap().map((a) => [a.baseName, a.type]));
  for (const [key, item] of Object.entries(value)) {
    const fieldType = fields.get(key);
    if (fieldType === undefined) found.push(`${path}.${key}`);
    else walk(item, fieldType, `${path}.${key}`, found);
  }
}
