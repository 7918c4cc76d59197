import { describe, expect, it } from 'vitest';
import { renderSummarySlack } from './render-summary-slack.js';
import { emptySummary, hostileSummary, realisticSummary } from './sample-reports.test-helper.js';
import { allTexts, expectInert, expectWithinSlackLimits } from './slack-assertions.test-helper.js';

describe('renderSummarySlack', () => {
  it('renders the realistic report (snapshot)', () => {
    const message = renderSummarySlack(realisticSummary);
    expectWithinSlackLimits(message);
    expectInert(message);
    expect(message).toMatchSnapshot();
  });

  it('puts findings before flows, most severe first', () => {
    const json = JSON.stringify(renderSummarySlack(realisticSummary));
    const uh = json.indexOf('503 UH');
    const nr = json.indexOf('404 NR');
    const uf = json.indexOf('503 UF');
    const flows = json.indexOf('Inbound flows');
    expect(uh).toBeGreaterThan(0);
    expect(uh).toBeLessThan(nr);
    expect(nr).toBeLessThan(uf);
    expect(uf).toBeLessThan(flows);
    expect(json.indexOf('Inbound flows')).toBeLessThan(json.indexOf('Outbound flows'));
  });

  it('uses the given title', () => {
    const message = renderSummarySlack(realisticSummary, { title: 'prod <!channel> · bookinfo' });
    expect(message.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'prod &lt;!channel&gt; · bookinfo', emoji: true },
    });
  });

  it('renders an empty report with its note', () => {
    const message = renderSummarySlack(emptySummary);
    expectWithinSlackLimits(message);
    expect(JSON.stringify(message)).toContain('no access-log entries found');
    expect(message).toMatchSnapshot();
  });

  it('keeps every Slack limit for a hostile report and says what was left out', () => {
    const message = renderSummarySlack(hostileSummary(), { title: `<!channel>${'T'.repeat(1000)}` });
    expectWithinSlackLimits(message);
    const json = JSON.stringify(message);
    expect(json).toMatch(/…and [\d,]+ more findings not shown \(use the CLI with --format json for all\)/);
    expect(json).toMatch(/…and [\d,]+ (more )?(inbound|outbound|unknown direction) flows not shown/);
  });

  it('escapes everything from a hostile report', () => {
    const message = renderSummarySlack(hostileSummary());
    expectInert(message);
    for (const text of allTexts(message)) {
      expect(text).not.toContain('<!channel>');
      expect(text).not.toContain('<https://');
      expect(text).not.toContain('<@U');
    }
  });
});
