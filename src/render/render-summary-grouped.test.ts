/**
 * Summaries at high cardinality: grouped rows (`(812 callers)` with the top callers, a peer's
 * `(other routes)`) and the flows past the listed ones, counted so that what is shown adds up.
 */
import { describe, expect, it } from 'vitest';
import type { Flow, SummaryReport } from '../analysis/report.js';
import { renderJson } from './render-json.js';
import { renderSummarySlack } from './render-summary-slack.js';
import { LIST_LIMITS, renderSummaryText } from './render-summary-text.js';
import { realisticSummary } from './sample-reports.test-helper.js';

function flow(i: number, fields: Partial<Flow> = {}): Flow {
  return {
    direction: 'inbound',
    peer: `caller-${i}`,
    method: 'GET',
    route: `/api/v1/r${i}/{id}`,
    outcome: 'ok',
    count: 100 - i,
    errors: 0,
    warnings: 0,
    client_errors: 0,
    codes: { '200': 100 - i },
    flags: {},
    duration_ms: { p50: 3, p95: 9, p99: 14, max: 20 },
    bytes_received: 0,
    bytes_sent: 10,
    example_request_ids: [],
    first_seen: null,
    last_seen: null,
    reported_by: [],
    reported_by_more: 0,
    peer_group: null,
    route_group: null,
    ...fields,
  };
}

const grouped = flow(0, {
  peer: '(812 callers)',
  route: '/api/v1/orders/{id}',
  count: 5000,
  codes: { '200': 5000 },
  peer_group: {
    distinct: 812,
    distinct_estimated: true,
    top: [
      { name: 'frontend', count: 900 },
      { name: '10.1.0.9', count: 380 },
      { name: '10.1.0.12', count: 120 },
      { name: '10.1.0.13', count: 100 },
    ],
    others: 3500,
    top_exact: false,
  },
});
const otherRoutes = flow(1, {
  direction: 'outbound',
  peer: 'orders.shop:8080',
  route: '(other routes)',
  count: 300,
  codes: { '200': 300 },
  route_group: {
    distinct: 70,
    distinct_estimated: false,
    top: [
      { name: '/x/{id}', count: 12 },
      { name: '/y', count: 9 },
    ],
    others: 279,
    top_exact: true,
  },
});
const many = Array.from({ length: 60 }, (_, i) => flow(i + 2));
const report: SummaryReport = {
  ...realisticSummary,
  findings: [],
  flows: [grouped, ...many, otherRoutes],
  totals: { ...realisticSummary.totals, entries: 5300 + many.reduce((a, f) => a + f.count, 0) },
};

describe('summaries with grouped rows', () => {
  it('text: names the group, lists its top callers and counts the rest', () => {
    const out = renderSummaryText(report, { color: false, width: 160 });
    expect(out).toContain('(812 callers)');
    expect(out).toContain('top callers frontend ×900, 10.1.0.9 ×380, 10.1.0.12 ×120 +~809 more ×3,600');
    expect(out).toContain('(other routes)');
    expect(out).toContain('top routes /x/{id} ×12, /y ×9 +68 more ×279');
  });

  it('text: lists the first flows of a direction and counts the others, so the table adds up', () => {
    const out = renderSummaryText(report, { color: false, width: 160 });
    const inbound = [grouped, ...many];
    const rest = inbound.slice(LIST_LIMITS.flows);
    const entries = rest.reduce((a, f) => a + f.count, 0);
    expect(out).toContain(
      `+${rest.length} more flows ×${entries.toLocaleString('en-US')} (-o json lists all)`,
    );
    const shown = inbound.slice(0, LIST_LIMITS.flows).reduce((a, f) => a + f.count, 0);
    expect(shown + entries).toBe(inbound.reduce((a, f) => a + f.count, 0));
    expect(out).not.toContain(`/api/v1/r${LIST_LIMITS.flows + 1}/`);
  });

  it('Slack: the group and the flows left out, counted', () => {
    const message = renderSummarySlack(report);
    const text = JSON.stringify(message.blocks);
    expect(text).toContain('top callers `frontend`×900');
    expect(text).toContain('+~809 more ×3,600');
    expect(text).toMatch(/\+46 more flows ×[\d,]+/);
    expect(text).toContain('top routes `/x/{id}`×12');
  });

  it('JSON: snake_case keys for the groups, every flow listed', () => {
    const doc = JSON.parse(renderJson(report)) as SummaryReport;
    expect(doc.flows).toHaveLength(report.flows.length);
    expect(doc.flows[0]?.peer_group?.distinct_estimated).toBe(true);
    expect(doc.flows[0]?.peer_group?.top_exact).toBe(false);
    expect(doc.flows.at(-1)?.route_group?.others).toBe(279);
  });
});
