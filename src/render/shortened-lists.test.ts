/**
 * Every list a renderer shortens says how many it left out (`+N more`), in the terminal and in Slack:
 * causes, next steps, peers, sources, codes, flags, the pods that logged a finding or flow, notes and
 * findings in the notification text. One row per capped list.
 */
import { describe, expect, it } from 'vitest';
import type { SummaryReport, TraceReport } from '../analysis/report.js';
import { renderSummarySlack } from './render-summary-slack.js';
import { renderSummaryText } from './render-summary-text.js';
import { renderTraceSlack } from './render-trace-slack.js';
import { renderTraceText } from './render-trace-text.js';
import { realisticSummary, realisticTrace } from './sample-reports.test-helper.js';

function withLongLists(): SummaryReport {
  const report = structuredClone(realisticSummary);
  const [first] = report.findings;
  const flow = report.flows.find((f) => f.direction === 'outbound');
  if (first === undefined || flow === undefined) throw new Error('sample has no finding or flow');
  first.causes = ['c1', 'c2', 'c3', 'c4', 'c5'];
  first.next_steps = [
    'kubectl get pods',
    'kubectl get svc',
    'kubectl get ep',
    'kubectl get dr',
    'kubectl get vs',
    'kubectl get se',
  ];
  first.peers = ['peer-a:80', 'peer-b:80', 'peer-c:80', 'peer-d:80', 'peer-e:80'];
  first.reported_by = ['pod-a-6b746f74dc-9stvp', 'pod-b-6b746f74dc-x8k2q', 'pod-c-6b746f74dc-q1w2e'];
  first.reported_by_more = 7;
  flow.codes = { '200': 60, '503': 42, '404': 9, '500': 5, '502': 4, '504': 3, '429': 2 };
  flow.flags = { UH: 5, UF: 4, URX: 3, NR: 2, DC: 1, UT: 1 };
  flow.reported_by = ['sleep-7f8d9c-xk2lp'];
  flow.reported_by_more = 4;
  report.sources = ['s1', 's2', 's3', 's4', 's5', 's6'].map((name) => ({
    name,
    entries: 1,
    skipped_lines: 0,
  }));
  report.notes = ['n1', 'n2', 'n3', 'n4', 'n5'];
  report.findings = [
    ...report.findings,
    ...Array.from({ length: 4 }, (_, i) => ({ ...first, title: `extra ${i}`, severity: 'info' as const })),
  ];
  return report;
}

function traceWithLongLists(): TraceReport {
  const report = structuredClone(realisticTrace);
  report.sources = ['s1', 's2', 's3', 's4', 's5', 's6', 's7'].map((name) => ({
    name,
    entries: 1,
    skipped_lines: 0,
  }));
  return report;
}

const summaryText = () => renderSummaryText(withLongLists(), { color: false, width: 120 });
const summaryTextUncut = () => renderSummaryText(withLongLists(), { color: false, width: undefined });
const summarySlack = () => JSON.stringify(renderSummarySlack(withLongLists()));
const summaryFallback = () => renderSummarySlack(withLongLists()).text;
const traceText = () => renderTraceText(traceWithLongLists(), { color: false, width: 100 });
const traceSlack = () => JSON.stringify(renderTraceSlack(traceWithLongLists()));
const traceFallback = () => {
  const report = traceWithLongLists();
  report.notes = [1, 2, 3, 4, 5, 6].map((i) => ({ kind: 'info', hop: null, message: `note ${i}` }));
  return renderTraceSlack(report).text;
};

const CASES: { list: string; render: () => string; shows: string; hides: string; says: string }[] = [
  {
    list: 'terminal causes',
    render: summaryText,
    shows: '• c4',
    hides: '• c5',
    says: '+1 more (-o json lists all)',
  },
  {
    list: 'terminal next steps',
    render: summaryText,
    shows: '$ kubectl get dr',
    hides: 'kubectl get vs',
    says: '+2 more (-o json lists all)',
  },
  {
    list: 'terminal peers',
    render: summaryText,
    shows: 'peer-c:80',
    hides: 'peer-d:80',
    says: 'peer-c:80 +2 more',
  },
  { list: 'terminal sources', render: summaryText, shows: 's4 (1)', hides: 's5 (1)', says: 's4 (1) +2 more' },
  { list: 'terminal codes', render: summaryText, shows: '502×4', hides: '504×3', says: '502×4 +2 more' },
  { list: 'terminal flags', render: summaryText, shows: 'NR×2', hides: 'UT×1', says: 'NR×2 +2 more' },
  {
    list: 'terminal pods of a finding',
    render: summaryText,
    shows: 'pod-c-6b746f74dc-q1w2e',
    hides: 'pod-d',
    says: 'pod-c-6b746f74dc-q1w2e +7 more',
  },
  {
    list: 'terminal pods of a flow',
    render: summaryText,
    shows: 'logged by sleep-7f8d9c-xk2lp',
    hides: 'pod-d',
    says: 'logged by sleep-7f8d9c-xk2lp +4 more',
  },
  {
    list: 'terminal without a width, causes',
    render: summaryTextUncut,
    shows: '• c4',
    hides: '• c5',
    says: '+1 more (-o json lists all)',
  },
  {
    list: 'terminal trace sources',
    render: traceText,
    shows: 's4 (1)',
    hides: 's5 (1)',
    says: 's4 (1) +3 more',
  },
  { list: 'Slack causes', render: summarySlack, shows: 'c3', hides: 'c3 · c4', says: 'c3 · +2 more' },
  {
    list: 'Slack next steps',
    render: summarySlack,
    shows: 'kubectl get ep',
    hides: 'kubectl get dr',
    says: '+3 more',
  },
  {
    list: 'Slack peers',
    render: summarySlack,
    shows: 'peer-c:80',
    hides: 'peer-d:80',
    says: '`peer-c:80` +2 more',
  },
  { list: 'Slack codes', render: summarySlack, shows: '404×9', hides: '502×4', says: '+3 more' },
  { list: 'Slack flags', render: summarySlack, shows: 'URX', hides: '`DC`', says: '+3 more' },
  {
    list: 'Slack notification findings',
    render: summaryFallback,
    shows: 'extra 1',
    hides: 'extra 2',
    says: '…and 2 more findings',
  },
  {
    list: 'Slack notification notes',
    render: summaryFallback,
    shows: 'n3',
    hides: 'n4',
    says: '+2 more notes',
  },
  { list: 'Slack trace sources', render: traceSlack, shows: 's4', hides: '`s5`', says: '+3 more' },
  {
    list: 'Slack trace notification notes',
    render: traceFallback,
    shows: 'note 3',
    hides: 'note 4',
    says: '+3 more notes',
  },
];

describe('shortened lists', () => {
  it.each(CASES)(
    '$list: shows the first, hides the rest and says how many',
    ({ render, shows, hides, says }) => {
      const out = render();
      expect(out).toContain(shows);
      expect(out).not.toContain(hides);
      expect(out).toContain(says);
    },
  );

  it('never counts what was left out with a bare +N', () => {
    for (const render of [summaryText, summaryTextUncut, traceText]) {
      expect(render()).not.toMatch(/\+\d+(?! more)/);
    }
  });
});
