import { describe, expect, it } from 'vitest';
import { generateMeshLogs } from '../demo/synthetic-mesh.js';
import type { ParsedCommand } from './command-spec.js';
import { textSource } from './ports.js';
import { clusterSinceMs, fileWindow, parseRfc3339, sinceWindowOf } from './since-window.js';

describe('parseRfc3339', () => {
  it.each([
    ['2026-12-04T10:00:00Z', Date.UTC(2026, 11, 4, 10)],
    ['2026-12-04t10:00:00z', Date.UTC(2026, 11, 4, 10)],
    ['2026-12-04T11:00:00+01:00', Date.UTC(2026, 11, 4, 10)],
    ['2026-12-04T05:30:00-04:30', Date.UTC(2026, 11, 4, 10)],
    ['2026-12-04T10:00:00.123456789Z', Date.UTC(2026, 11, 4, 10, 0, 0, 123)],
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
  ])('%s', (text, ms) => {
    expect(parseRfc3339(text)).toBe(ms);
  });

  it.each([
    '2026-12-04',
    '2026-12-04 10:00:00Z',
    '2026-12-04T10:00:00',
    '2026-02-30T00:00:00Z',
    '2026-02-29T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-12-04T24:00:00Z',
    '2026-12-04T10:60:00Z',
    '2026-12-04T10:00:60Z',
    '2026-12-04T10:00:00+24:00',
    '15m',
    'yesterday',
  ])('refuses %s, saying what is expected', (text) => {
    expect(() => parseRfc3339(text)).toThrow(
      expect.objectContaining({
        code: 'invalid_argument',
        message: expect.stringContaining('is not an RFC 3339 time: use e.g. 2026-12-04T10:00:00Z'),
      }),
    );
  });
});

function parsed(options: ParsedCommand['options']): ParsedCommand {
  return { options, positionals: {}, spec: { name: 'logs' } } as unknown as ParsedCommand;
}

describe('sinceWindowOf and clusterSinceMs', () => {
  it('takes one of --since and --since-time, as kubectl', () => {
    expect(sinceWindowOf(parsed({}))).toBeUndefined();
    expect(sinceWindowOf(parsed({ since: 600_000 }))).toEqual({ kind: 'duration', ms: 600_000 });
    expect(sinceWindowOf(parsed({ 'since-time': '2026-12-04T10:00:00Z' }))).toEqual({
      kind: 'time',
      atMs: Date.UTC(2026, 11, 4, 10),
      text: '2026-12-04T10:00:00Z',
    });
    expect(() => sinceWindowOf(parsed({ since: 1000, 'since-time': '2026-12-04T10:00:00Z' }))).toThrow(
      'pass --since or --since-time, not both',
    );
  });

  it('asks a cluster for the time from --since-time to now, and refuses a time to come', () => {
    const now = () => Date.UTC(2026, 11, 4, 10, 30);
    expect(clusterSinceMs(undefined, now)).toBeUndefined();
    expect(clusterSinceMs({ kind: 'duration', ms: 5000 }, now)).toBe(5000);
    expect(clusterSinceMs({ kind: 'time', atMs: Date.UTC(2026, 11, 4, 10), text: 'x' }, now)).toBe(1_800_000);
    expect(() =>
      clusterSinceMs({ kind: 'time', atMs: Date.UTC(2026, 11, 4, 11), text: '2026-12-04T11:00:00Z' }, now),
    ).toThrow('--since-time 2026-12-04T11:00:00Z is in the future (it is 2026-12-04T10:30:00.000Z here)');
  });
});

describe('fileWindow', () => {
  const lines = [...generateMeshLogs({ requests: 300, seed: 7, format: 'text', gapMs: 1000 })].map(
    (l) => l.text,
  );
  const json = [...generateMeshLogs({ requests: 50, seed: 8, format: 'json', gapMs: 1000 })].map(
    (l) => l.text,
  );
  const newestOf = (texts: string[]) =>
    Math.max(...texts.map((t) => Date.parse(/\d{4}-\d\d-\d\dT[\d:.]+Z/.exec(t)?.[0] ?? '')));
  const clock = () => Date.UTC(2030, 0, 1);

  it('counts --since back from the newest entry of the files, whatever their order and format', async () => {
    const newest = Math.max(newestOf(lines), newestOf(json));
    const shuffled = [...lines].reverse();
    const window = await fileWindow(
      { kind: 'duration', ms: 60_000 },
      [textSource('a.log', shuffled.join('\n')), textSource('b.log', json.join('\n'))],
      { hasStdin: false, clock },
    );
    expect(window.sinceMs).toBe(newest - 60_000);
    expect(window.note).toBe(
      `--since 1m: entries that started after ${new Date(newest - 60_000).toISOString()}, 1m before the newest entry (${new Date(newest).toISOString()}).`,
    );
  });

  it('counts back from now with stdin among the inputs, and says so', async () => {
    const window = await fileWindow(
      { kind: 'duration', ms: 3_600_000 },
      [textSource('stdin', lines.join('\n'))],
      {
        hasStdin: true,
        clock,
      },
    );
    expect(window.sinceMs).toBe(clock() - 3_600_000);
    expect(window.note).toContain('1h before now (stdin is read once');
  });

  it('takes --since-time as it is, and nothing without a window or without a time', async () => {
    const at = Date.UTC(2026, 11, 4, 10);
    expect(
      await fileWindow({ kind: 'time', atMs: at, text: '2026-12-04T11:00:00+01:00' }, [], {
        hasStdin: false,
        clock,
      }),
    ).toEqual({
      sinceMs: at,
      note: '--since-time: entries that started at or after 2026-12-04T10:00:00.000Z.',
    });
    expect(await fileWindow(undefined, [], { hasStdin: false, clock })).toEqual({
      sinceMs: null,
      note: undefined,
    });
    expect(
      await fileWindow({ kind: 'duration', ms: 1000 }, [textSource('x', 'not a log\n')], {
        hasStdin: false,
        clock,
      }),
    ).toEqual({ sinceMs: null, note: undefined });
  });
});
