/**
 * @module commands/workload-filter
 * `logs --file all.log productpage`: one workload's entries out of a mesh-wide file. An entry is the
 * workload's when the pod in its line prefix (`[pod/productpage-v1-…/istio-proxy]`, kubectl `--prefix`,
 * stern) is one of the workload's pods. A line without a prefix says which proxy wrote it only when it is
 * inbound: the service it was called as (the mTLS server name `outbound_.9080_._.productpage.…`, else the
 * authority `productpage:9080`) names the service, so for a bare name or `svc/NAME` those are kept too; an outbound line without a prefix cannot be told apart from any other
 * workload's and is left out (and counted). The note says what matched on what.
 */
import type { AccessLogEntry } from '../accesslog/entry.js';
import { escapeRegExp } from '../core/escape-reg-exp.js';
import { parseTarget, type TargetKind } from './resolve-target.js';

const formatCount = (n: number): string => n.toLocaleString('en-US');

/** Pod names kept for the note (the input may hold thousands). */
const MAX_PODS = 50;

export interface WorkloadFilter {
  /** True for the workload's entries. Counts what it keeps and leaves out, for `note`. */
  keep(entry: AccessLogEntry): boolean;
  /** What was matched and on what, and what was left out. */
  note(): string;
}

/** Does `text` (a positional next to `--file`) name a workload rather than a file? */
export function looksLikeTarget(text: string): boolean {
  if (/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(text)) return true;
  const slash = text.indexOf('/');
  if (slash < 0) return false;
  try {
    return parseTarget(text).kind !== 'any';
  } catch {
    return false;
  }
}

/** Tells the workload's pods by name, as their controllers name them. */
function podMatcher(kind: TargetKind, name: string): (pod: string) => boolean {
  const n = escapeRegExp(name);
  switch (kind) {
    case 'pod':
      return (pod) => pod === name;
    case 'Deployment': {
      // NAME-<pod-template-hash>-<5 characters>
      const re = new RegExp(`^${n}-[a-z0-9]{1,10}-[a-z0-9]{5}$`);
      return (pod) => re.test(pod);
    }
    case 'StatefulSet': {
      const re = new RegExp(`^${n}-\\d+$`);
      return (pod) => re.test(pod);
    }
    case 'DaemonSet': {
      const re = new RegExp(`^${n}-[a-z0-9]{5}$`);
      return (pod) => re.test(pod);
    }
    case 'Service':
    case 'any':
      // An app or service name: every pod named after it (productpage → productpage-v1-…-…).
      return (pod) => pod === name || pod.startsWith(`${name}-`);
  }
}

/** The first DNS label of an authority's host: `productpage.bookinfo.svc:9080` → `productpage`. */
function serviceOfAuthority(authority: string | null): string | null {
  if (authority === null) return null;
  const host = authority.startsWith('[') ? '' : (authority.split(':')[0] ?? '');
  const label = host.split('.')[0] ?? '';
  return label === '' ? null : label;
}

/** The service an inbound mTLS connection was made to: `outbound_.9080_._.productpage.bookinfo.svc…` → `productpage`. */
function serviceOfServerName(sni: string | null): string | null {
  const m = sni === null ? null : /^outbound_\.\d+_\.[^_]*_\.([^.]+)/.exec(sni);
  return m?.[1] ?? null;
}

/** A filter for TARGET (`productpage`, `deploy/productpage-v1`, `pod/…`, `svc/…`, `sts/…`, `ds/…`). */
export function workloadFilter(target: string): WorkloadFilter {
  const { kind, name } = parseTarget(target);
  const isPod = podMatcher(kind, name);
  const byAuthority = kind === 'any' || kind === 'Service';
  const matchedPods = new Map<string, number>();
  let morePods = 0;
  const otherPods = new Set<string>();
  let otherEntries = 0;
  let keptByAuthority = 0;
  let unattributed = 0;

  return {
    keep(entry) {
      const pod = entry.origin;
      if (pod !== null) {
        if (isPod(pod)) {
          const n = matchedPods.get(pod);
          if (n !== undefined) matchedPods.set(pod, n + 1);
          else if (matchedPods.size < MAX_PODS) matchedPods.set(pod, 1);
          else morePods++;
          return true;
        }
        otherEntries++;
        if (otherPods.size < MAX_PODS) otherPods.add(pod);
        return false;
      }
      if (
        byAuthority &&
        entry.direction === 'inbound' &&
        (serviceOfServerName(entry.requested_server_name) === name ||
          serviceOfAuthority(entry.authority) === name)
      ) {
        keptByAuthority++;
        return true;
      }
      unattributed++;
      return false;
    },
    note() {
      const parts: string[] = [];
      const pods = [...matchedPods.keys()];
      const podEntries = [...matchedPods.values()].reduce((a, n) => a + n, 0) + morePods;
      if (pods.length > 0) {
        const shown = pods.slice(0, 5).join(', ') + (pods.length > 5 ? ` +${pods.length - 5} more` : '');
        parts.push(
          `${formatCount(podEntries)} ${podEntries === 1 ? 'entry' : 'entries'} from ${pods.length === 1 ? 'pod' : 'pods'} ${shown} (matched by the [pod/…] line prefix; outbound rows are their calls)`,
        );
      }
      if (keptByAuthority > 0) {
        parts.push(
          `${formatCount(keptByAuthority)} inbound ${keptByAuthority === 1 ? 'entry' : 'entries'} without a pod prefix, matched by the service they were called as (mTLS server name or authority ${name})`,
        );
      }
      const left: string[] = [];
      if (otherEntries > 0) left.push(`${formatCount(otherEntries)} of other pods`);
      if (unattributed > 0) {
        left.push(
          `${formatCount(unattributed)} without a pod prefix that cannot be attributed (outbound, or another authority)`,
        );
      }
      if (parts.length === 0) {
        const seen = [...otherPods].slice(0, 5);
        const hint =
          seen.length > 0
            ? `; the pods in the input are ${seen.join(', ')}${otherPods.size > 5 ? ` +${otherPods.size - 5} more` : ''}`
            : '; the input has no [pod/…] line prefixes (save logs with kubectl logs --prefix)';
        return `No entries of ${target}${left.length > 0 ? ` (left out: ${left.join(', ')})` : ''}${hint}.`;
      }
      return `${target}: ${parts.join('; ')}${left.length > 0 ? `. Left out: ${left.join(', ')}` : ''}.`;
    },
  };
}
