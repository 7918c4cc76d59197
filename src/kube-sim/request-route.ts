/** Splits an API path into what it addresses: discovery documents or a resource (collection/object/subresource). */

export type Route =
  | { kind: 'version' }
  | { kind: 'health' }
  | { kind: 'coreVersions' }
  | { kind: 'groupList' }
  | { kind: 'group'; group: string }
  | { kind: 'resourceList'; group: string; version: string }
  | ResourceRoute;

export interface ResourceRoute {
  kind: 'resource';
  group: string;
  version: string;
  resource: string;
  namespace?: string;
  name?: string;
  subresource?: string;
}

export function parseRoute(pathname: string): Route | undefined {
  const parts = pathname
    .split('/')
    .filter((p) => p !== '')
    .map(decodeURIComponent);
  if (pathname === '/version' || pathname === '/version/') return { kind: 'version' };
  if (['healthz', 'readyz', 'livez'].includes(parts[0] ?? '')) return { kind: 'health' };
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api') {
    if (parts.length === 1) return { kind: 'coreVersions' };
    group = '';
    version = parts[1] ?? '';
    rest = parts.slice(2);
  } else if (parts[0] === 'apis') {
    if (parts.length === 1) return { kind: 'groupList' };
    if (parts.length === 2) return { kind: 'group', group: parts[1] ?? '' };
    group = parts[1] ?? '';
    version = parts[2] ?? '';
    rest = parts.slice(3);
  } else {
    return undefined;
  }
  if (rest.length === 0) return { kind: 'resourceList', group, version };
  const base = { kind: 'resource' as const, group, version };
  // /namespaces/{ns}/{resource}[/{name}[/{sub}]] vs /namespaces[/{name}[/{sub}]] (the Namespace object itself)
  if (
    rest[0] === 'namespaces' &&
    rest.length >= 3 &&
    !(group === '' && rest.length === 3 && ['status', 'finalize'].includes(rest[2] ?? ''))
  ) {
    const [, namespace = '', resource = '', name, subresource, ...extra] = rest;
    if (extra.length > 0) return undefined;
    return {
      ...base,
      resource,
      namespace,
      ...(name ? { name } : {}),
      ...(subresource ? { subresource } : {}),
    };
  }
  const [resource = '', name, subresource, ...extra] = rest;
  if (extra.length > 0) return undefined;
  return { ...base, resource, ...(name ? { name } : {}), ...(subresource ? { subresource } : {}) };
}
