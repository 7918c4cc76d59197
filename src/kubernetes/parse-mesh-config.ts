/**
 * @module kubernetes/parse-mesh-config
 * Reads the fields meshbot needs from the mesh config YAML (`data.mesh` of the `istio` ConfigMap).
 */
import { parse } from 'yaml';
import type { ExtensionProvider, MeshConfigInfo } from '../istio-logging/logging-port.js';

export const DEFAULT_ROOT_NAMESPACE = 'istio-system';

/** Unreadable YAML counts as an empty mesh config (Istio's defaults). */
export function parseMeshConfig(text: string | undefined, source?: string): MeshConfigInfo {
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
    ...(source === undefined ? {} : { source }),
    rootNamespace: str(mesh.rootNamespace) ?? DEFAULT_ROOT_NAMESPACE,
    accessLogFile: str(mesh.accessLogFile),
    accessLogEncoding: str(mesh.accessLogEncoding),
    extensionProviders: providersOf(mesh.extensionProviders),
  };
}

/** `[{name: otel, envoyOtelAls: {…}}]` → `[{name: 'otel', kind: 'envoyOtelAls'}]`; malformed entries skipped. */
function providersOf(value: unknown): ExtensionProvider[] {
  if (!Array.isArray(value)) return [];
  const out: ExtensionProvider[] = [];
  for (const item of value.slice(0, 200)) {
    if (typeof item !== 'object' || item === null) continue;
    const entry = item as Record<string, unknown>;
    if (typeof entry.name !== 'string' || entry.name === '') continue;
    const kind = Object.keys(entry).find((k) => k !== 'name') ?? 'unknown';
    out.push({ name: entry.name.slice(0, 253), kind: kind.slice(0, 60) });
  }
  return out;
}
