import { describe, expect, it } from 'vitest';
import { formatDuration, formatRelativeTime, parseDuration } from './duration.js';

describe('parseDuration', () => {
  it.each([
    ['30s', 30_000],
    ['15m', 900_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
    ['1h30m', 5_400_000],
    ['500ms', 500],
  ])('%s', (text, ms) => expect(parseDuration(text, '--since')).toBe(ms));

  it.each(['', '15', 'm', '-5m', '1.5h', '15 minutes', '0s', '400d', 'abc'])(
    'rejects %j naming the flag',
    (text) => {
      expect(() => parseDuration(text, '--since')).toThrow(/--since/);
    },
  );
});

describe('formatDuration', () => {
  it.each([
    [5_400_000, '1h30m'],
    [0, '0s'],
    [90_061_000, '1d1h1m1s'],
    [1_499, '1s'],
    [1_500, '2s'],
    [3_600_000, '1h'],
    [86_400_000 * 40, '40d'],
    [366 * 86_400_000, '366d'],
    [400 * 86_400_000 + 61_000, '400d1m1s'],
  ])('%d → %s', (ms, text) => expect(formatDuration(ms)).toBe(text));

  it('keeps only the largest units when asked', () => {
    expect(formatDuration(14_399_000, 2)).toBe('3h59m');
    expect(formatDuration(90_061_000, 1)).toBe('1d');
    expect(formatDuration(61_000, 2)).toBe('1m1s');
    expect(formatDuration(3_601_000, 2)).toBe('1h');
  });

  it('reads back as the same duration (what --for prints, --for takes)', () => {
    for (const ms of [1000, 59_000, 5_400_000, 86_400_000, 93_784_000, 366 * 86_400_000]) {
      expect(parseDuration(formatDuration(ms), '--for')).toBe(ms);
    }
  });
});

describe('formatRelativeTime', () => {
  const now = Date.UTC(2026, 2, 29, 0, 30); // a daylight-saving change in Europe, under way
  it.each([
    [now + 42 * 60_000, 'in 42m'],
    [now + 42 * 60_000 + 30_000, 'in 42m30s'],
    [now + 4 * 3_600_000, 'in 4h'],
    [now + 4 * 3_600_000 - 1000, 'in 3h59m'],
    [now - 3000, '3s ago'],
    [now - 2 * 86_400_000 - 3_600_000, '2d1h ago'],
    [now + 400, 'now'],
    [now - 999, 'now'],
  ])('%d → %s', (then, text) => expect(formatRelativeTime(then, now)).toBe(text));
});
