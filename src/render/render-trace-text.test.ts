import { describe, expect, it } from 'vitest';
import { renderTraceText } from './render-trace-text.js';
import { emptyTrace, hostileTrace, realisticTrace } from './sample-reports.test-helper.js';
import { expectTerminalSafe } from './text-assertions.test-helper.js';

describe('renderTraceText', () => {
  it('renders the realistic trace with a waterfall (snapshot)', () => {
    const out = renderTraceText(realisticTrace, { color: false, width: 100 });
    expectTerminalSafe(out, 100, false);
    expect(out).toContain('WATERFALL');
    expect(out).toContain('█'.repeat(40));
    expect(out).toMatch(/^✗ +2 /m);
    expect(out).toMatchSnapshot();
  });

  it('renders an empty trace', () => {
    const out = renderTraceText(emptyTrace, { color: false, width: 100 });
    expectTerminalSafe(out, 100, false);
    expect(out).toContain('No entries for this request id.');
    expect(out).toMatchSnapshot();
  });

  it.each([undefined, 30, 80, 100])('keeps a hostile trace within %s columns', (width) => {
    for (const color of [false, true]) {
      expectTerminalSafe(renderTraceText(hostileTrace(), { color, width }), width, color);
    }
  });
});
