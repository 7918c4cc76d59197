import { describe, expect, it } from 'vitest';
import { generateMeshLogs } from '../demo/synthetic-mesh.js';
import { exitCodeOfReport } from './command-report.js';
import { type LogSource, textSource } from './ports.js';
import { INTERRUPTED_NOTE, summarizeLogs } from './summarize-logs.js';
import { workloadFilter } from './workload-filter.js';

const lines = [...generateMeshLogs({ requests: 200, seed: 11, format: 'text', gapMs: 10 })].map(
  (l) => l.text,
);
const ADVICE = 'Is access logging on for this workload?';

describe('summarizeLogs', () => {
  it('stops at the signal and reports what was read as partial input (exit 130)', async () => {
    const stop = new AbortController();
    let chunks = 0;
    const endless: LogSource = {
      name: 'stdin',
      async *read() {
        for (;;) {
          yield `${lines[chunks % lines.length]}\n`;
          if (++chunks === 50) stop.abort();
        }
      },
    };
    const report = await summarizeLogs([endless, textSource('never.log', lines.join('\n'))], {
      signal: stop.signal,
    });
    // The chunk in hand when the signal came is counted; nothing after it, nor the next source.
    expect(report.totals.entries).toBe(51);
    expect(report.sources.map((s) => s.name)).toEqual(['stdin']);
    expect(report).toMatchObject({ interrupted: true, partial_input: true });
    expect(report.notes[0]).toBe(INTERRUPTED_NOTE);
    expect(INTERRUPTED_NOTE.startsWith('interrupted: partial input')).toBe(true);
    expect(exitCodeOfReport(report)).toBe(130);

    const whole = await summarizeLogs([textSource('a.log', lines.join('\n'))], {
      signal: new AbortController().signal,
    });
    expect(whole).not.toHaveProperty('interrupted');
    expect(exitCodeOfReport(whole)).toBe(0);
  });

  it('advises to switch logging on only for input that is a log, or empty', async () => {
    const readme = await summarizeLogs([
      textSource('README.md', '# meshbot\n\nTrace fan-out is fast.\nUsage: x\n'),
    ]);
    expect(readme.notes.join(' ')).not.toContain(ADVICE);
    expect(readme.notes).toContain(
      "No access-log entries found: the 3 lines read are not an Istio proxy's log (no access-log entry, no timestamped log line). Check the input.",
    );
    const proxyOwnLog = await summarizeLogs([
      textSource('p.log', '2026-11-21T08:59:58.120311Z\tinfo\tEnvoy proxy is ready\nsome other line\n'),
    ]);
    expect(proxyOwnLog.notes.join(' ')).toContain(ADVICE);
    const klog = await summarizeLogs([
      textSource('k.log', 'I1121 08:59:58.120311       1 main.go:1] started\n'),
    ]);
    expect(klog.notes.join(' ')).toContain(ADVICE);
    const empty = await summarizeLogs([textSource('e.log', '')]);
    expect(empty.notes.join(' ')).toContain(ADVICE);
  });

  it('counts only the entries a filter keeps, with its note, and no advice when it left all out', async () => {
    const prefixed = lines.map(
      (l, i) =>
        `[pod/${i % 2 === 0 ? 'productpage-v1-7d6cfb7dfd-5m8xq' : 'reviews-v1-5d8c5c9b8-hn2lz'}/istio-proxy] ${l}`,
    );
    const report = await summarizeLogs([textSource('all.log', prefixed.join('\n'))], {
      filter: workloadFilter('productpage'),
    });
    expect(report.totals.entries).toBe(Math.ceil(lines.length / 2));
    expect(report.notes[0]).toMatch(/^productpage: [\d,]+ entries from pod productpage-v1-7d6cfb7dfd-5m8xq/);
    const none = await summarizeLogs([textSource('all.log', prefixed.join('\n'))], {
      filter: workloadFilter('ratings'),
    });
    expect(none.totals.entries).toBe(0);
    expect(none.notes.join(' ')).not.toContain(ADVICE);
    expect(none.notes[0]).toMatch(/^No entries of ratings/);
  });
});
