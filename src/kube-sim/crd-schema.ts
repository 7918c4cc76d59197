/**
 * Validation of custom resources against their CRD's `openAPIV3Schema`, with ajv.
 *
 * Unknown fields are reported (the real server prunes them silently or warns; reporting them catches
 * typos in what meshbot writes). `x-kubernetes-preserve-unknown-fields` allows them, `x-kubernetes-int-or-string`
 * is honoured, CEL `x-kubernetes-validations` rules are ignored.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { isJsonObject, type JsonObject, type JsonValue } from './json.js';
import { validateObjectMeta } from './object-meta-validation.js';
import type { StatusCause } from './status.js';

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
for (const format of [
  'int32',
  'int64',
  'float',
  'double',
  'byte',
  'binary',
  'password',
  'date',
  'date-time',
  'duration',
  'uri',
  'email',
  'hostname',
  'ipv4',
  'ipv6',
  'cidr',
  'mac',
  'uuid',
]) {
  ajv.addFormat(format, true);
}

type CrdValidator = (object: JsonObject) => StatusCause[];
const validatorCache = new WeakMap<JsonObject, Map<string, CrdValidator>>();

/** Reads and parses a CRD YAML file. */
export function loadCrd(path: string): JsonObject {
  const parsed: unknown = parseYaml(readFileSync(path, 'utf8'));
  if (!isJsonObject(parsed) || parsed.kind !== 'CustomResourceDefinition') {
    throw new Error(`${path} is not a CustomResourceDefinition`);
  }
  return parsed;
}

/** The `spec.versions[]` entry for a version, or undefined. */
export function crdVersion(crd: JsonObject, version: string): JsonObject | undefined {
  const spec = crd.spec;
  if (!isJsonObject(spec) || !Array.isArray(spec.versions)) return undefined;
  return spec.versions.find((v): v is JsonObject => isJsonObject(v) && v.name === version);
}

/** Returns a validator for one version of a CRD (cached per CRD object). */
export function crdValidator(crd: JsonObject, version: string): CrdValidator {
  let perVersion = validatorCache.get(crd);
  if (!perVersion) {
    perVersion = new Map();
    validatorCache.set(crd, perVersion);
  }
  const cached = perVersion.get(version);
  if (cached) return cached;
  const entry = crdVersion(crd, version);
  const schema = entry?.schema;
  const openApi = isJsonObject(schema) ? schema.openAPIV3Schema : undefined;
  const validate = isJsonObject(openApi) ? ajv.compile(toJsonSchema(openApi, true)) : undefined;
  const validator: CrdValidator = (object) => {
    const causes = validateObjectMeta(object);
    if (validate && !validate(object))
      causes.push(...(validate.errors ?? []).flatMap((e) => toCause(e, object)));
    return causes;
  };
  perVersion.set(version, validator);
  return validator;
}

const pathValidators = new Map<string, JsonObject>();

/**
 * Validates an object against one version of the CRD in `crdYamlPath`. Returns `field: message` strings
 * in the API server's wording; empty when valid. Also checks apiVersion/kind and metadata.name.
 */
export function validateAgainstCrd(crdYamlPath: string, version: string, object: unknown): string[] {
  let crd = pathValidators.get(crdYamlPath);
  if (!crd) {
    crd = loadCrd(crdYamlPath);
    pathValidators.set(crdYamlPath, crd);
  }
  if (!crdVersion(crd, version)) return [`version ${version} is not defined by ${crdYamlPath}`];
  if (!isJsonObject(object)) return ['object: must be a JSON object'];
  const problems: string[] = [];
  const spec = isJsonObject(crd.spec) ? crd.spec : {};
  const names = isJsonObject(spec.names) ? spec.names : {};
  const expectedApiVersion = `${String(spec.group)}/${version}`;
  if (object.apiVersion !== expectedApiVersion) {
    problems.push(
      `apiVersion: Invalid value: ${JSON.stringify(object.apiVersion ?? null)}: must be ${expectedApiVersion}`,
    );
  }
  if (object.kind !== names.kind) {
    problems.push(
      `kind: Invalid value: ${JSON.stringify(object.kind ?? null)}: must be ${String(names.kind)}`,
    );
  }
  for (const cause of crdValidator(crd, version)(object)) {
    problems.push(cause.field ? `${cause.field}: ${cause.message}` : cause.message);
  }
  return problems;
}

/** Converts a structural OpenAPI v3 schema to a JSON schema ajv understands, closing objects. */
function toJsonSchema(node: JsonObject, root: boolean): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('x-kubernetes-') || key === 'description' || key === 'example') continue;
    out[key] = value;
  }
  if (node['x-kubernetes-int-or-string'] === true) {
    delete out.type;
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  const properties = node.properties;
  if (isJsonObject(properties)) {
    const converted: JsonObject = {};
    for (const [name, sub] of Object.entries(properties)) {
      if (isJsonObject(sub)) converted[name] = toJsonSchema(sub, false);
    }
    if (root) {
      converted.apiVersion = { type: 'string' };
      converted.kind = { type: 'string' };
      converted.metadata = { type: 'object' };
    }
    out.properties = converted;
  }
  const preserve = node['x-kubernetes-preserve-unknown-fields'] === true;
  if (node.type === 'object' && !preserve && node.additionalProperties === undefined) {
    out.additionalProperties = !isJsonObject(properties);
  }
  if (isJsonObject(node.additionalProperties))
    out.additionalProperties = toJsonSchema(node.additionalProperties, false);
  if (isJsonObject(node.items)) out.items = toJsonSchema(node.items, false);
  for (const combinator of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = node[combinator];
    if (Array.isArray(list)) {
      out[combinator] = list.map((s) => (isJsonObject(s) ? toJsonSchemaBranch(s) : s));
    }
  }
  if (isJsonObject(node.not)) out.not = toJsonSchemaBranch(node.not);
  return out;
}

/** Branches of oneOf/anyOf/not only constrain; they must not close objects on their own. */
function toJsonSchemaBranch(node: JsonObject): JsonObject {
  const converted = toJsonSchema(node, false);
  if (converted.additionalProperties === false) delete converted.additionalProperties;
  return converted;
}

function fieldPath(instancePath: string, object: JsonValue): string {
  let current: JsonValue | undefined = object;
  let out = '';
  for (const raw of instancePath.split('/').slice(1)) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(current)) {
      out += `[${segment}]`;
      current = current[Number(segment)];
    } else {
      out += out === '' ? segment : `.${segment}`;
      current = isJsonObject(current) ? current[segment] : undefined;
    }
  }
  return out;
}

function valueAt(instancePath: string, object: JsonValue): JsonValue | undefined {
  let current: JsonValue | undefined = object;
  for (const raw of instancePath.split('/').slice(1)) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(current)) current = current[Number(segment)];
    else current = isJsonObject(current) ? current[segment] : undefined;
  }
  return current;
}

function typeName(value: JsonValue | undefined): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function shown(value: JsonValue | undefined): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return `"${typeName(value)}"`;
}

function param(error: ErrorObject, key: string): string {
  const params = error.params as Record<string, unknown>;
  return String(params[key] ?? '?');
}

function toCause(error: ErrorObject, object: JsonObject): StatusCause[] {
  // Errors inside the branches of oneOf/anyOf/not are noise; the combinator's own error is kept.
  const parent = error.schemaPath.slice(0, error.schemaPath.lastIndexOf('/'));
  if (/\/(oneOf|anyOf)\/|\/not(\/|$)/.test(parent)) return [];
  const field = fieldPath(error.instancePath, object);
  const value = valueAt(error.instancePath, object);
  const at = (child: string): string => (field === '' ? child : `${field}.${child}`);
  switch (error.keyword) {
    case 'required':
      return [
        {
          reason: 'FieldValueRequired',
          field: at(param(error, 'missingProperty')),
          message: 'Required value',
        },
      ];
    case 'additionalProperties': {
      const unknown = at(param(error, 'additionalProperty'));
      return [{ reason: 'FieldValueInvalid', field: unknown, message: `unknown field "${unknown}"` }];
    }
    case 'enum': {
      const allowed = (error.params as { allowedValues?: unknown[] }).allowedValues ?? [];
      const list = allowed.map((v) => JSON.stringify(v)).join(', ');
      return [
        {
          reason: 'FieldValueNotSupported',
          field,
          message: `Unsupported value: ${shown(value)}: supported values: ${list}`,
        },
      ];
    }
    case 'type':
      return [
        {
          reason: 'FieldValueTypeInvalid',
          field,
          message: `Invalid value: "${typeName(value)}": ${field} in body must be of type ${param(error, 'type')}: "${typeName(value)}"`,
        },
      ];
    case 'minLength':
      return [
        {
          reason: 'FieldValueInvalid',
          field,
          message: `Invalid value: ${shown(value)}: ${field} in body should be at least ${param(error, 'limit')} chars long`,
        },
      ];
    case 'maxLength':
      return [
        {
          reason: 'FieldValueTooLong',
          field,
          message: `Too long: may not be more than ${param(error, 'limit')} bytes`,
        },
      ];
    case 'maxItems':
    case 'maxProperties': {
      const count = Array.isArray(value) ? value.length : isJsonObject(value) ? Object.keys(value).length : 0;
      return [
        {
          reason: 'FieldValueTooMany',
          field,
          message: `Too many: ${count}: must have at most ${param(error, 'limit')} items`,
        },
      ];
    }
    case 'minItems':
      return [
        {
          reason: 'FieldValueInvalid',
          field,
          message: `Invalid value: ${shown(value)}: ${field} in body should have at least ${param(error, 'limit')} items`,
        },
      ];
    case 'pattern':
      return [
        {
          reason: 'FieldValueInvalid',
          field,
          message: `Invalid value: ${shown(value)}: ${field} in body should match '${param(error, 'pattern')}'`,
        },
      ];
    case 'minimum':
      return [
        {
          reason: 'FieldValueInvalid',
          field,
          message: `Invalid value: ${shown(value)}: ${field} in body should be greater than or equal to ${param(error, 'limit')}`,
        },
      ];
    case 'maximum':
      return [
        {
          reason: 'FieldValueInvalid',
          field,
          message: `Invalid value: ${shown(value)}: ${field} in body should be less than or equal to ${param(error, 'limit')}`,
        },
      ];
    case 'oneOf':
      return [
        {
          reason: 'FieldValueInvalid',
          field,
          message: `Invalid value: ${shown(value)}: ${field} in body must validate one and only one schema (oneOf)`,
        },
      ];
    case 'anyOf':
      return [
        {
          reason: 'FieldValueInvalid',
          field,
          message: `Invalid value: ${shown(value)}: ${field} in body must validate at least one schema (anyOf)`,
        },
      ];
    case 'not':
      return [
        {
          reason: 'FieldValueInvalid',
          field,
          message: `Invalid value: ${shown(value)}: ${field} in body must not validate the schema (not)`,
        },
      ];
    default:
      return [
        {
          reason: 'FieldValueInvalid',
          field,
          message: `Invalid value: ${shown(value)}: ${error.message ?? error.keyword}`,
        },
      ];
  }
}
