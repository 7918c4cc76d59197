import { describe, expect, it } from 'vitest';
import { isoOfTimeKey, timeKey, timeKeyAt } from './time-key.js';

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

  it('reads in place what it reads from a cut-out string, damaged digits included', () => {
    const good = '2026-11-21T09:07:05.123Z';
    const variants = [
      good,
      '2026-02-30T00:00:00.000Z',
      '2026-11-21T24:00:00.000Z',
      '2026-11-21T09:60:00.000Z',
    ];
    for (let i = 0; i < good.length; i++) {
      for (const c of ['x', '9', '0', '-', ' ']) variants.push(good.slice(0, i) + c + good.slice(i + 1));
    }
    for (const iso of variants) {
      const expected = timeKey(iso);
      const got = timeKeyAt(`[${iso}] "GET`, 1);
      if (Number.isNaN(expected)) expect(got).toBeNaN();
      else expect(got).toBe(expected);
    }
  });
});

describe('isoOfTimeKey', () => {
  it('writes RFC 3339 (UTC, ms), and no time for keys no RFC 3339 year can hold', () => {
    expect(isoOfTimeKey(timeKey('2020-11-25T21:26:18.409Z'))).toBe('2020-11-25T21:26:18.409Z');
    expect(isoOfTimeKey(1e15)).toBeNull();
    expect(isoOfTimeKey(-1e14)).toBeNull();
    expect(isoOfTimeKey(Number.POSITIVE_INFINITY)).toBeNull();
  });
});
