/**
 * @module core/kubernetes-names
 * Kubernetes naming rules, checked before a user-given or log-derived value reaches an API path, a label
 * selector or a suggested command.
 */
import { MeshbotError } from './errors.js';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** A DNS-1123 label (namespaces, Service names, ports' names): at most 63 characters. */
export function isDns1123Label(s: string): boolean {
  return s.length <= 63 && DNS1123_LABEL.test(s);
}

/** A DNS-1123 subdomain (pod and object names, hosts): dot-separated labels, at most 253 characters. */
export function isDns1123Subdomain(s: string): boolean {
  if (s.length === 0 || s.length > 253) return false;
  for (const label of s.split('.')) if (!isDns1123Label(label)) return false;
  return true;
}

/** A label value: empty, or at most 63 alphanumerics with `-_.` inside. */
export function isLabelValue(s: string): boolean {
  return s.length <= 63 && LABEL_VALUE.test(s);
}

/** A label key: `[prefix/]name`, prefix a DNS-1123 subdomain, name at most 63 characters. */
export function isLabelKey(key: string): boolean {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : null;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== null && !isDns1123Subdomain(prefix)) return false;
  return name.length <= 63 && LABEL_NAME.test(name);
}

/** Up to 80 printable ASCII characters of a rejected value, for messages. */
export function printable(s: string): string {
  return s.slice(0, 80).replace(/[^\x20-\x7e]/g, '?');
}

/** Checks a namespace argument (`-n NS`, `enable-logging NS`) before any credentials are used. */
export function validateNamespace(namespace: string): string {
  if (!isDns1123Label(namespace)) {
    throw new MeshbotError(
      'invalid_argument',
      `"${printable(namespace)}" is not a namespace name: lower-case letters, digits and "-", starting and ending with a letter or digit, at most 63 characters`,
      { namespace: printable(namespace) },
    );
  }
  return namespace;
}
