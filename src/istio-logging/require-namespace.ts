/**
 * @module istio-logging/require-namespace
 * A named namespace must exist before meshbot reports on it or writes to it: an empty list from a
 * namespace that is not there would read as "access logging is off".
 */
import { MeshbotError } from '../core/errors.js';
import type { IstioConfigPort } from './logging-port.js';

export async function requireNamespaceExists(istio: IstioConfigPort, namespace: string): Promise<void> {
  if (await istio.namespaceExists(namespace)) return;
  throw new MeshbotError('target_not_found', `namespace ${namespace} does not exist`, { namespace });
}
