import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration.js';

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
  ])('%d → %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
});
