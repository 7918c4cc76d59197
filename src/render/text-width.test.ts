/**
 * Text at every width: without one nothing is cut; with one no line is wider, and request ids, pod names
 * (with their replica hash), suggested commands and a trace's notes are wrapped, never cut.
 */
import { describe, expect, it } from 'vitest';
import type { Report } from '../analysis/report.js';
import { displayWidth } from './display-width.js';
import {
  COMMANDS,
  ID_1,
  LONG_PATH,
  LONG_POD,
  longNamesSummary,
  longNamesTrace,
  POD,
  WHOLE,
} from './long-names.test-helper.js';
import { renderReport } from './render-report.js';
import { MIN_BAR_COLUMNS } from './render-trace-text.js';
import { expectTerminalSafe, visibleLines } from './text-assertions.test-helper.js';
import { WATERFALL_COLUMNS } from './waterfall-bar.js';

const WIDTHS = [undefined, 60, 100, 200] as const;

const REPORTS: [string, () => Report][] = [
  ['summary', longNamesSummary],
  ['trace', longNamesTrace],
];

const CASES = REPORTS.flatMap(([name, make]) => WIDTHS.map((width) => ({ name, make, width })));

/** The output read as a shell reads it: continued lines joined, runs of spaces made one. */
function asPasted(out: string): string {
  return out
    .replace(/'\\\n'/g, '')
    .replace(/\\\n/g, '')
    .replace(/ +/g, ' ');
}

/** Lines joined without their indentation: a name split across lines reads whole again. */
function joined(out: string): string {
  return out.replace(/\n */g, '');
}

describe.each(CASES)('$name text at width $width', ({ make, width }) => {
  const report = make();
  const out = renderReport(report, 'text', { color: false, width });

  it('keeps every line within the width, without control characters', () => {
    expectTerminalSafe(out, width, false);
    expectTerminalSafe(renderReport(report, 'text', { color: true, width }), width, true);
  });

  it('shows request ids and pod names whole', () => {
    for (const name of WHOLE) {
      if (report.kind === 'trace' && name !== ID_1 && !JSON.stringify(report).includes(name)) continue;
      // A name that fits a line is on one line; a longer one is split, never cut.
      if (width === undefined || displayWidth(name) <= width - 20) expect(out).toContain(name);
      else expect(joined(out)).toContain(name);
      for (let k = 8; k < name.length; k++) expect(out).not.toContain(`${name.slice(0, k)}…`);
    }
  });

  it('keeps suggested commands runnable when pasted', () => {
    if (report.kind !== 'summary') return;
    const pasted = asPasted(out);
    for (const command of COMMANDS) expect(pasted).toContain(`$ ${command}`);
  });

  if (width !== undefined) {
    it('cuts only free text (request paths, authorities), and no column of numbers', () => {
      for (const line of visibleLines(out).filter((l) => l.includes('…')))
        expect(line).toMatch(/(GET|POST) \/|authority /);
      if (report.kind === 'summary') expect(out).toMatch(/ MAX$/m);
      else expect(out).toMatch(/ DURATION$/m);
    });
  }

  if (width === undefined) {
    it('cuts nothing and pads nothing', () => {
      expect(out).not.toContain('…');
      if (report.kind === 'summary') expect(out).toContain(LONG_PATH);
      for (const line of visibleLines(out)) expect(line).not.toMatch(/ $/);
    });
  }
});

describe('column sizing', () => {
  it('sizes the flow table to its content without a width, and aligns it', () => {
    const out = renderReport(longNamesSummary(), 'text', { color: false, width: undefined });
    const header = visibleLines(out).find((l) => l.includes('PEER') && l.includes('REQUEST')) ?? '';
    const row = visibleLines(out).find((l) => l.includes(LONG_POD) && l.includes(LONG_PATH)) ?? '';
    expect(row).not.toBe('');
    expect(header.indexOf('REQUEST')).toBe(row.indexOf('GET '));
    expect(header.length).toBe(row.length);
  });

  it('gives a pod name that does not fit its column a line of its own at 100 columns', () => {
    const lines = visibleLines(renderReport(longNamesSummary(), 'text', { color: false, width: 100 }));
    const i = lines.indexOf(`  ${LONG_POD}`);
    expect(i).toBeGreaterThan(0);
    expect(lines[i + 1]).toMatch(/GET \/api\/v1\/products\/\d+…/);
  });
});

describe('trace waterfall', () => {
  function waterfall(width: number | undefined): string[] {
    const lines = visibleLines(renderReport(longNamesTrace(), 'text', { color: false, width }));
    return lines.slice(lines.indexOf('WATERFALL') + 1);
  }
  const barOf = (line: string) => /\|([^|]*)\|/.exec(line)?.[1] ?? '';

  it.each([undefined, 200, 100])('shows long labels whole beside their bars at width %s', (width) => {
    const rows = waterfall(width).filter((l) => l.includes('|'));
    expect(rows.some((l) => l.startsWith(`1  ${LONG_POD}`))).toBe(true);
    for (const row of rows) expect(barOf(row).length).toBeGreaterThanOrEqual(MIN_BAR_COLUMNS);
    if (width !== 100) for (const row of rows) expect(barOf(row).length).toBe(WATERFALL_COLUMNS);
  });

  it('shrinks bars first, then wraps labels onto lines of their own at 60 columns', () => {
    const lines = waterfall(60);
    const rows = lines.filter((l) => l.includes('|'));
    for (const row of rows) expect(barOf(row).length).toBe(MIN_BAR_COLUMNS);
    expect(joined(lines.join('\n'))).toContain(`1  ${LONG_POD}`);
    expect(rows.some((l) => l.startsWith(`0 ${POD}`))).toBe(true);
  });
});
