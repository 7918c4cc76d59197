/**
 * @module render/long-names.test-helper
 * Reports whose names are as long as Kubernetes allows: pod names with their replica hash
 * (`productpage-v1-6b746f74dc-9stvp`) and of 63 characters, 36-character request ids, long suggested
 * commands, long paths. The width tests check that none of the names, ids or commands is ever cut.
 */
import type { SummaryReport, TraceReport } from '../analysis/report.js';
import { realisticSummary, realisticTrace } from './sample-reports.test-helper.js';

export const POD = 'productpage-v1-6b746f74dc-9stvp';
export const POD_2 = 'productpage-v1-6b746f74dc-x8k2q';
/** 63 characters: the longest a label value (and so an app or version) may be. */
export const LONG_POD = 'reviews-v2-canary-rollout-canary-rollout-green-6b746f74dc-9stvp';
export const ID_1 = '5f1c2c4e-8d7a-4b8e-9a51-0c2d7f9e1a01';
export const ID_2 = '0b3e5d1a-77c2-4a0e-8f33-2d1b9c4e6f10';
export const LONG_PATH = `/api/v1/products/${'0123456789'.repeat(12)}/reviews?include=ratings,authors`;

export const COMMANDS = [
  `kubectl logs ${LONG_POD} -n bookinfo-production -c reviews --previous --since-time 2025-03-04T10:01:12Z`,
  `istioctl proxy-config endpoints ${POD} -n bookinfo-production --cluster 'outbound|9080||reviews.bookinfo-production.svc.cluster.local'`,
  `kubectl exec -n bookinfo-production ${POD} -c istio-proxy -- pilot-agent request GET 'clusters?format=json'`,
] as const;

/** The names and ids that must appear whole in the output. */
export const WHOLE = [POD, POD_2, LONG_POD, ID_1, ID_2] as const;

export function longNamesSummary(): SummaryReport {
  const report = structuredClone(realisticSummary);
  const [uh, nr] = report.findings;
  if (uh === undefined || nr === undefined) throw new Error('sample has no findings');
  uh.title = `503 UH no_healthy_upstream → ${LONG_POD}.bookinfo-production:9080`;
  uh.next_steps = [...COMMANDS];
  uh.peers = [`${LONG_POD}.bookinfo-production:9080`];
  uh.example_request_ids = [ID_1];
  uh.reported_by = [POD, LONG_POD];
  uh.reported_by_more = 0;
  nr.example_request_ids = [ID_2];
  nr.reported_by = [POD_2];
  report.sources = [
    { name: POD, entries: 812, skipped_lines: 0 },
    { name: LONG_POD, entries: 472, skipped_lines: 0 },
  ];
  const [inbound, , outbound] = report.flows;
  if (inbound === undefined || outbound === undefined) throw new Error('sample has too few flows');
  inbound.peer = LONG_POD;
  inbound.route = LONG_PATH;
  inbound.example_request_ids = [ID_2];
  inbound.reported_by = [POD, POD_2];
  outbound.peer = POD;
  outbound.example_request_ids = [ID_1];
  outbound.reported_by = [LONG_POD];
  return report;
}

export function longNamesTrace(): TraceReport {
  const report = structuredClone(realisticTrace);
  report.request_id = ID_1;
  const sources = [POD, LONG_POD, POD_2, LONG_POD];
  report.hops.forEach((hop, i) => {
    hop.source = sources[i] ?? POD;
    hop.peer = i % 2 === 0 ? LONG_POD : `${POD}.bookinfo-production:9080`;
    hop.path = i === 0 ? LONG_PATH : hop.path;
  });
  report.notes.push({
    kind: 'error',
    hop: 2,
    message: `${LONG_POD} answered 503 UC to ${POD}: the upstream connection was reset before a response`,
  });
  report.sources = [
    { name: POD, entries: 220, skipped_lines: 0 },
    { name: LONG_POD, entries: 90, skipped_lines: 0 },
  ];
  return report;
}
