/** The ObjectMeta checks the real API server applies to every write (name, labels), with its messages. */
import { isJsonObject, type JsonObject } from './json.js';
import type { StatusCause } from './status.js';

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

const SUBDOMAIN_HELP =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must " +
  "start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is " +
  "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_VALUE_HELP =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must " +
  "start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used " +
  "for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const LABEL_NAME_HELP =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an " +
  "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is " +
  "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

export function validateObjectMeta(object: JsonObject): StatusCause[] {
  const causes: StatusCause[] = [];
  const metadata = object.metadata;
  if (!isJsonObject(metadata)) {
    return [
      {
        reason: 'FieldValueRequired',
        field: 'metadata.name',
        message: 'Required value: name or generateName is required',
      },
    ];
  }
  const name = metadata.name;
  if (typeof name !== 'string' || name === '') {
    causes.push({
      reason: 'FieldValueRequired',
      field: 'metadata.name',
      message: 'Required value: name or generateName is required',
    });
  } else if (name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) {
    causes.push({
      reason: 'FieldValueInvalid',
      field: 'metadata.name',
      message: `Invalid value: "${name}": ${SUBDOMAIN_HELP}`,
    });
  }
  const labels = metadata.labels;
  if (labels !== undefined && labels !== null) {
    if (!isJsonObject(labels)) {
      causes.push({
        reason: 'FieldValueTypeInvalid',
        field: 'metadata.labels',
        message: 'Invalid value: labels must be a map of strings',
      });
    } else {
      for (const [key, value] of Object.entries(labels)) {
        const namePart = key.includes('/') ? key.slice(key.indexOf('/') + 1) : key;
        if (namePart.length > 63 || !LABEL_NAME.test(namePart)) {
          causes.push({
            reason: 'FieldValueInvalid',
            field: 'metadata.labels',
            message: `Invalid value: "${key}": ${LABEL_NAME_HELP}`,
          });
        }
        if (typeof value !== 'string') {
          causes.push({
            reason: 'FieldValueTypeInvalid',
            field: `metadata.labels.${key}`,
            message: 'Invalid value: label values must be strings',
          });
        } else if (value.length > 63) {
          causes.push({
            reason: 'FieldValueInvalid',
            field: 'metadata.labels',
            message: `Invalid value: "${value}": must be no more than 63 characters`,
          });
        } else if (!LABEL_VALUE.test(value)) {
          causes.push({
            reason: 'FieldValueInvalid',
            field: 'metadata.labels',
            message: `Invalid value: "${value}": ${LABEL_VALUE_HELP}`,
          });
        }
      }
    }
  }
  const annotations = metadata.annotations;
  if (isJsonObject(annotations)) {
    for (const [key, value] of Object.entries(annotations)) {
      if (typeof value !== 'string') {
        causes.push({
          reason: 'FieldValueTypeInvalid',
          field: `metadata.annotations.${key}`,
          message: 'Invalid value: annotation values must be strings',
        });
      }
    }
  }
  return causes;
}
