/**
 * The summary's invariants on every traffic profile (demo/traffic-profiles), TEXT and JSON, bare and
 * behind `[pod/…]` prefixes: rows add up to the totals, no catch-all row holds more than 5% of the entries,
 * grouped rows' top names add up to their counts, inbound callers are grouped by workload when the logs
 * name them, and what the summary keeps stays bounded.
 */
import { describe, expect, it } from 'vitest';
import { LogParser } from '../accesslog/log-parser.js';
import {
  PROFILE_NAMES,
  type ProfileName,
  profileRecords,
  renderRecord,
  type TrafficFormat,
} from '../demo/traffic-profiles.js';
import type { Flow, SummaryReport } from './report.js';
import { GROUP_TOP, OTHER_ROUTES, SummaryBuilder } from './summarize.js';
import { workloadOfPod } from './workload-name.js';

const LINES = 15_000;

/** The profile's summary; with `prefixed`, each access line behind `[pod/NAME/istio-proxy] `. */
function summarize(
  profile: ProfileName,
  format: TrafficFormat,
  prefixed: boolean,
): { report: SummaryReport; workloads: Set<string>; podIps: Set<string> } {
  const builder = new SummaryBuilder();
  const workloads = new Set<string>();
  const podIps = new Set<string>();
  const parser = new LogParser('profile.log', (r) => {
    if (r.ok && r.entry !== undefined) builder.add(r.entry);
  });
  let chunk = '';
  for (const record of profileRecords(profile, { lines: LINES, seed: 3, format })) {
    let line = renderRecord(record, format);
    const pod = record.kind === 'access' ? record.hop.pod.name : record.kind === 'sample' ? record.pod : null;
    if (prefixed && pod !== null) {
      line = `[pod/${pod}/istio-proxy] ${line}`;
      workloads.add(workloadOfPod(pod));
      if (record.kind === 'access') podIps.add(record.hop.pod.ip);
    }
    chunk += `${line}\n`;
    if (chunk.length > 65_536) {
      parser.push(chunk);
      chunk = '';
    }
  }
  parser.push(chunk);
  parser.end();
  return { report: builder.result(), workloads, podIps };
}

const isCatchAll = (f: Flow) => f.peer === '(other)' || f.route === OTHER_ROUTES;
const sumOf = (flows: readonly Flow[]) => flows.reduce((a, f) => a + f.count, 0);
const IP = /^\d{1,3}(\.\d{1,3}){3}$|:/;

describe.each(PROFILE_NAMES)('the summary of the %s profile', (profile) => {
  it.each([
    ['text', false],
    ['json', false],
    ['text', true],
    ['json', true],
  ] as const)('%s lines (prefixed: %s) add up, with no catch-all row over 5%%', (format, prefixed) => {
    const { report, workloads, podIps } = summarize(profile, format, prefixed);
    const { entries, inbound } = report.totals;
    expect(entries).toBeGreaterThan(LINES / 2);
    // Every entry is in exactly one row.
    expect(sumOf(report.flows)).toBe(entries);
    for (const d of ['inbound', 'outbound', 'unknown'] as const)
      expect(sumOf(report.flows.filter((f) => f.direction === d))).toBe(report.totals[d]);
    for (const f of report.flows) {
      expect(Object.values(f.codes).reduce((a, n) => a + n, 0)).toBe(f.count);
      expect(f.errors + f.warnings + f.client_errors).toBeLessThanOrEqual(f.count);
      for (const group of [f.peer_group, f.route_group]) {
        if (group === null) continue;
        expect(group.top.length).toBeLessThanOrEqual(GROUP_TOP);
        expect(sumOf(group.top.map((t) => ({ count: t.count }) as Flow)) + group.others).toBe(f.count);
        expect(group.distinct).toBeGreaterThanOrEqual(group.top.length);
      }
    }
    // No catch-all row holds more than 5% of the entries.
    for (const f of report.flows.filter(isCatchAll)) expect(f.count / entries).toBeLessThanOrEqual(0.05);
    expect(report.flows_truncated / entries).toBeLessThanOrEqual(0.05);
    if (prefixed) {
      // Callers named by workload: what is still grouped, or shown as a pod's address, is at most 5%.
      const unnamed = report.flows.filter(
        (f) => f.direction === 'inbound' && ((f.peer_group?.distinct ?? 0) > 1 || podIps.has(f.peer)),
      );
      expect(sumOf(unnamed)).toBeLessThanOrEqual(Math.max(1, inbound * 0.05));
      const named = report.flows.filter((f) => f.direction === 'inbound' && !unnamed.includes(f));
      for (const f of named) expect(workloads.has(f.peer) || IP.test(f.peer)).toBe(true);
    }
  });
});
