import { describe, expect, it } from 'vitest';
import { renderSummaryText } from './render-summary-text.js';
import { emptySummary, hostileSummary, realisticSummary } from './sample-reports.test-helper.js';
import { expectTerminalSafe } from './text-assertions.test-helper.js';

describe('renderSummaryText', () => {
  it('renders the realistic report at 100 columns (snapshot)', () => {
    const out = renderSummaryText(realisticSummary, { color: false, width: 100 });
    expectTerminalSafe(out, 100, false);
    expect(out).toMatchSnapshot();
  });

  it('marks errors without colour', () => {
    const out = renderSummaryText(realisticSummary, { color: false, width: 100 });
    expect(out).toContain('ERRORS');
    expect(out).toMatch(/^✗ httpbin\.foo:8000/m);
    expect(out).toMatch(/^✗ CRITICAL ×42 {2}503 UH/m);
  });

  it('colours only when asked', () => {
    const out = renderSummaryText(realisticSummary, { color: true, width: 100 });
    expect(out).toContain('\u001b[31m');
    expect(out).toContain('\u001b[2m');
    expectTerminalSafe(out, 100, true);
  });

  it('renders an empty report with its note', () => {
    const out = renderSummaryText(emptySummary, { color: false, width: 100 });
    expect(out).toContain('no access-log entries found');
    expect(out).toMatchSnapshot();
  });

  it.each([undefined, 40, 80, 100, 160])(
    'keeps a hostile report within %s columns, without escape sequences',
    (width) => {
      for (const color of [false, true]) {
        const out = renderSummaryText(hostileSummary(), { color, width });
        expectTerminalSafe(out, width, color);
        expect(out).not.toContain('\u001b[2J');
        expect(out).not.toContain('\u001b]0;');
      }
    },
  );
});
