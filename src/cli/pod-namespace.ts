/**
 * @module cli/pod-namespace
 * The namespace meshbot runs in, from its service account (in a pod), for where the reconciler's Lease
 * lives. A plain file read: it does not load the Kubernetes client, so the CLI can call it at start-up.
 */
import { readFileSync } from 'node:fs';
import { isDns1123Label } from '../core/kubernetes-names.js';

const SA_NAMESPACE_FILE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

/** The service account's namespace, or `fallback` outside a pod (or when the file holds no valid name). */
export function podNamespace(fallback = 'meshbot'): string {
  try {
    const name = readFileSync(SA_NAMESPACE_FILE, 'utf8').trim();
    return isDns1123Label(name) ? name : fallback;
  } catch {
    return fallback;
  }
}
