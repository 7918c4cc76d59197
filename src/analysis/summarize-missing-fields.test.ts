/**
 * A summary says which fields its entries' format does not log, instead of showing them as if the traffic
 * had none (issue 14: "fields a format lacks are said to be missing, never invented"). Real lines from
 * test/fixtures/envoy-family (Envoy's default format, as Contour and plain Envoy write it) and the Istio
 * format of the traffic profiles.
 */
import { describe, expect, it } from 'vitest';
import { envoyFamilyFixture } from '../../test/support/envoy-family-fixtures.js';
import { parseAll } from '../../test/support/parse-all.js';
import { profileLines } from '../demo/traffic-profiles.js';
import { summarizeEntries } from './summarize.js';

function summaryOf(text: string) {
  return summarizeEntries(parseAll(text).entries);
}

describe('fields a format does not log', () => {
  it("names Envoy's default format's missing cluster and what the summary cannot say without it", () => {
    const text = envoyFamilyFixture('envoy-default')
      .map((r) => r.line)
      .join('\n');
    const report = summaryOf(`${text}\n`);
    expect(report.totals.entries).toBeGreaterThan(0);
    const note = report.notes.find((n) => n.startsWith('No entry logs'));
    expect(note).toContain('upstream_cluster');
    expect(note).toContain('the direction of the flows is unknown');
    expect(note).not.toContain('request_id');
  });

  it('says nothing when every field is logged (Istio default TEXT)', () => {
    const text = [...profileLines('bookinfo', { lines: 200, seed: 3, format: 'text' })].join('\n');
    expect(summaryOf(`${text}\n`).notes.some((n) => n.startsWith('No entry logs'))).toBe(false);
  });
});
