/** Field selectors with the fields the real API server supports per resource. */
import { getPath, type JsonObject } from './json.js';
import { badRequest } from './status.js';

const COMMON = ['metadata.name', 'metadata.namespace'];
const PER_RESOURCE: Record<string, string[]> = {
  pods: [
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'spec.hostNetwork',
    'status.phase',
    'status.podIP',
    'status.nominatedNodeName',
  ],
  events: [
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ],
  secrets: ['type'],
  namespaces: ['status.phase'],
  nodes: ['spec.unschedulable'],
  replicasets: ['status.replicas'],
};

export type FieldMatcher = (object: JsonObject) => boolean;

export function parseFieldSelector(resource: string, selector: string | null | undefined): FieldMatcher {
  if (!selector) return () => true;
  const supported = [...COMMON, ...(PER_RESOURCE[resource] ?? [])];
  const terms = selector
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '')
    .map((term) => {
      const m = /^([^!=]+?)\s*(==|=|!=)\s*(.*)$/.exec(term);
      if (!m) throw badRequest(`invalid selector: '${selector}'; can't understand '${term}'`);
      const [, field = '', op, value = ''] = m;
      if (!supported.includes(field)) {
        throw badRequest(`field label not supported: ${field}`);
      }
      return { path: field.split('.'), negate: op === '!=', value };
    });
  return (object) =>
    terms.every((t) => {
      const raw = getPath(object, t.path);
      const actual = raw === undefined || raw === null ? '' : String(raw);
      return t.negate ? actual !== t.value : actual === t.value;
    });
}
