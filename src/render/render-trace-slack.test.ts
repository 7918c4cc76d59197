import { describe, expect, it } from 'vitest';
import { renderTraceSlack } from './render-trace-slack.js';
import { emptyTrace, hostileTrace, realisticTrace } from './sample-reports.test-helper.js';
import { expectInert, expectWithinSlackLimits } from './slack-assertions.test-helper.js';

describe('renderTraceSlack', () => {
  it('renders the realistic trace with a waterfall (snapshot)', () => {
    const message = renderTraceSlack(realisticTrace);
    expectWithinSlackLimits(message);
    expectInert(message);
    const json = JSON.stringify(message);
    expect(json).toContain('```');
    expect(json).toContain('█'.repeat(40));
    expect(message).toMatchSnapshot();
  });

  it('renders an empty trace', () => {
    const message = renderTraceSlack(emptyTrace);
    expectWithinSlackLimits(message);
    expect(JSON.stringify(message)).toContain('no access-log entries found');
    expect(JSON.stringify(message)).toContain('No entries for this request id.');
    expect(message).toMatchSnapshot();
  });

  it('keeps limits and escaping for a hostile trace', () => {
    const message = renderTraceSlack(hostileTrace());
    expectWithinSlackLimits(message);
    expectInert(message);
    expect(JSON.stringify(message)).toMatch(/more (hops|waterfall rows) not shown/);
  });
});
