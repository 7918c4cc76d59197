/**
 * @module commands/validate-namespace
 * Namespace names are DNS-1123 labels; checked before any API call.
 */
import { MeshbotError } from '../core/errors.js';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function validateNamespace(name: string): string {
  if (name.length > 63 || !DNS1123_LABEL.test(name)) {
    throw new MeshbotError(
      'invalid_argument',
      `"${name.slice(0, 70)}" is not a namespace name: lower-case letters, digits and "-", starting and ending with a letter or digit, at most 63 characters`,
      { namespace: name.slice(0, 70) },
    );
  }
  return name;
}
