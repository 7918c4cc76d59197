import { describe, expect, it } from 'vitest';
import { timeKey } from './time-key.js';

describe('timeKey', () => {
  it.each([
    '2020-11-25T21:26:18.409Z',
    '1970-01-01T00:00:00.000Z',
    '2000-02-29T23:59:59.999Z',
    '2024-12-31T12:00:00.001Z',
    '2100-03-01T00:00:00.000Z',
    '1999-12-31T23:59:59.999Z',
  ])('%s equals Date.parse', (iso) => {
    expect(timeKey(iso)).toBe(Date.parse(iso));
  });

  it('agrees with Date.parse on every day of four years', () => {
    for (
      let t = Date.parse('2023-01-01T00:00:00.000Z');
      t < Date.parse('2027-01-01T00:00:00.000Z');
      t += 86_400_000 + 3_723_456
    ) {
      const iso = new Date(t).toISOString();
      expect(timeKey(iso)).toBe(t);
    }
  });

  it('falls back to Date.parse for other forms', () => {
    expect(timeKey('2020-11-25T21:26:18Z')).toBe(Date.parse('2020-11-25T21:26:18Z'));
    expect(timeKey('not a time')).toBeNaN();
  });
});
