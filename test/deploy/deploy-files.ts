/**
 * The install as a cluster would get it: `kubectl kustomize` of deploy/ (and of its variants), parsed into
 * objects, plus small lookups the deploy tests share. kubectl (1.21+, for kustomize v4+) must be on PATH.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));

export type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
} & Record<string, unknown>;

/** kustomize's version inside kubectl, e.g. `v5.5.0`; throws an actionable error when kubectl is missing or too old. */
export function kustomizeVersion(): string {
  let out: string;
  try {
    out = execFileSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
  } catch (e) {
    throw new Error(
      `kubectl is needed to render deploy/ (kubectl 1.21 or later); install it (.ci/run checks for it): ${String(e)}`,
    );
  }
  const version = /Kustomize Version:\s*(v[\d.]+)/.exec(out)?.[1];
  if (version === undefined || Number(version.slice(1).split('.')[0]) < 4) {
    throw new Error(
      `deploy/ needs kubectl with kustomize v4 or later (kubectl 1.21+); this kubectl says:\n${out}`,
    );
  }
  return version;
}

/** `kubectl kustomize DIR` (a path under the repository), as objects. */
export function renderKustomize(dir: string): K8sObject[] {
  kustomizeVersion();
  const yaml = execFileSync('kubectl', ['kustomize', dir], { cwd: REPO, encoding: 'utf8' });
  return parseYamlObjects(yaml);
}

export function parseYamlObjects(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(doc.errors.map((e) => e.message).join('; '));
      return doc.toJS() as K8sObject | null;
    })
    .filter((o): o is K8sObject => o !== null);
}

export function readRepoFile(path: string): string {
  return readFileSync(new URL(path, `file://${REPO}`), 'utf8');
}

/** The one object of `kind` (and `name`, when given); throws when there is not exactly one. */
export function only<T = K8sObject>(objects: readonly K8sObject[], kind: string, name?: string): T {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (found.length !== 1)
    throw new Error(`expected one ${kind}${name ? ` ${name}` : ''}, found ${found.length}`);
  return found[0] as T;
}
