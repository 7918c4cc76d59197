import { describe, expect, it } from 'vitest';
import type { Report } from '../analysis/report.js';
import { isOutputFormat, OUTPUT_FORMATS, renderReport } from './render-report.js';
import {
  emptySummary,
  emptyTrace,
  hostileSummary,
  realisticSummary,
  realisticTrace,
} from './sample-reports.test-helper.js';
import type { SlackMessage } from './slack-message.js';

const reports: [string, Report][] = [
  ['realistic summary', realisticSummary],
  ['empty summary', emptySummary],
  ['realistic trace', realisticTrace],
  ['empty trace', emptyTrace],
];

describe('renderReport', () => {
  it.each(reports)('renders %s in every format', (_name, report) => {
    for (const format of OUTPUT_FORMATS) {
      const out = renderReport(report, format, { color: false });
      expect(out.endsWith('\n')).toBe(true);
      expect(out.trim().length).toBeGreaterThan(0);
    }
  });

  it('json is the report itself, pretty-printed', () => {
    const out = renderReport(realisticSummary, 'json', { color: false });
    expect(JSON.parse(out)).toEqual(realisticSummary);
    expect(out).toContain('\n  "kind": "summary"');
  });

  it('json escapes control characters from hostile input', () => {
    const out = renderReport(hostileSummary(), 'json', { color: false });
    expect(out).not.toContain('\u001b');
  });

  it('slack is the JSON of the message that would be posted', () => {
    const message = JSON.parse(renderReport(realisticTrace, 'slack', { color: false })) as SlackMessage;
    expect(message.blocks[0]?.type).toBe('header');
    expect(typeof message.text).toBe('string');
  });

  it('validates format names', () => {
    expect(isOutputFormat('slack')).toBe(true);
    expect(isOutputFormat('yaml')).toBe(false);
  });
});
