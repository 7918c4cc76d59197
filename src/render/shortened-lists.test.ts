/** A finding's causes and next steps, when shortened, say how many were left out. */
import { describe, expect, it } from 'vitest';
import type { SummaryReport } from '../analysis/report.js';
import { renderSummarySlack } from './render-summary-slack.js';
import { renderSummaryText } from './render-summary-text.js';
import { realisticSummary } from './sample-reports.test-helper.js';

function withLongFinding(): SummaryReport {
  const report = structuredClone(realisticSummary);
  const [first] = report.findings;
  if (first === undefined) throw new Error('sample has no finding');
  first.causes = ['c1', 'c2', 'c3', 'c4', 'c5'];
  first.next_steps = [
    'kubectl get pods',
    'kubectl get svc',
    'kubectl get ep',
    'kubectl get dr',
    'kubectl get vs',
    'kubectl get se',
  ];
  return report;
}

describe('shortened lists', () => {
  it('terminal: +N more under causes and next steps', () => {
    const text = renderSummaryText(withLongFinding(), { color: false, width: 120 });
    expect(text).toContain('• c4');
    expect(text).not.toContain('• c5');
    expect(text).toContain('+1 more (-o json lists all)');
    expect(text).toContain('+2 more (-o json lists all)');
  });

  it('Slack: +N more instead of a bare ellipsis', () => {
    const json = JSON.stringify(renderSummarySlack(withLongFinding()));
    expect(json).toContain('c3 · +2 more');
    expect(json).toContain('+3 more');
  });
});
