/** RBAC-ish deny rules: everything is allowed unless a rule denies it. */

export interface DenyRule {
  /** `get`, `list`, `create`, `update`, `patch`, `delete`, `deletecollection`, `watch`; omitted or `*` = any. */
  verb?: string | readonly string[];
  /** Plural resource, e.g. `pods`, or `pods/log` as a shorthand for resource + subresource. */
  resource: string;
  /** Omitted = only requests without a subresource (RBAC semantics); `*` = any subresource. */
  subresource?: string;
  /** API group; omitted = any group. */
  group?: string;
  /** Omitted = every namespace (and cluster scope). */
  namespace?: string;
  name?: string;
}

export interface RequestAttributes {
  verb: string;
  group: string;
  resource: string;
  subresource?: string | undefined;
  namespace?: string | undefined;
  name?: string | undefined;
}

export class Authorizer {
  private rules: DenyRule[] = [];

  deny(rule: DenyRule): () => void {
    this.rules.push(rule);
    return () => {
      this.rules = this.rules.filter((r) => r !== rule);
    };
  }

  clear(): void {
    this.rules = [];
  }

  isDenied(attrs: RequestAttributes): boolean {
    return this.rules.some((rule) => matches(rule, attrs));
  }
}

function matches(rule: DenyRule, attrs: RequestAttributes): boolean {
  const [resource, shorthandSub] = rule.resource.split('/', 2);
  const subresource = rule.subresource ?? shorthandSub;
  const verbs = rule.verb === undefined ? ['*'] : typeof rule.verb === 'string' ? [rule.verb] : rule.verb;
  if (!verbs.includes('*') && !verbs.includes(attrs.verb)) return false;
  if (resource !== '*' && resource !== attrs.resource) return false;
  if (subresource !== '*' && subresource !== attrs.subresource) return false;
  if (rule.group !== undefined && rule.group !== '*' && rule.group !== attrs.group) return false;
  if (rule.namespace !== undefined && rule.namespace !== attrs.namespace) return false;
  if (rule.name !== undefined && rule.name !== attrs.name) return false;
  return true;
}
