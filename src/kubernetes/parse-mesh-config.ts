/**
 * @module kubernetes/parse-mesh-config
 * Reads the fields meshbot needs from the mesh config YAML (`data.mesh` of the `istio` ConfigMap).
 */
import { parse } from 'yaml';
import type { MeshConfigInfo } from '../istio-logging/logging-port.js';

export const DEFAULT_ROOT_NAMESPACE = 'istio-system';

/** Unreadable YAML counts as an empty mesh config (Istio's defaults). */
export function parseMeshConfig(text: string | undefined): MeshConfigInfo {
  let parsed: unknown;
  try {
    parsed = text === undefined ? undefined : parse(text);
  } catch {
    parsed = undefined;
  }
  const mesh = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
  return {
    found: text !== undefined,
    rootNamespace: str(mesh.rootNamespace) ?? DEFAULT_ROOT_NAMESPACE,
    accessLogFile: str(mesh.accessLogFile),
    accessLogEncoding: str(mesh.accessLogEncoding),
  };
}
