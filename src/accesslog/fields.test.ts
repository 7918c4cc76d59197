/** Start times are a JSON contract (RFC 3339, UTC, milliseconds) and log text is attacker-controlled. */
import { describe, expect, it } from 'vitest';
import { toIsoTime } from './fields.js';

describe('toIsoTime', () => {
  it.each([
    ['2020-11-25T21:26:18.409Z', '2020-11-25T21:26:18.409Z'],
    ['2020-11-25T21:26:18Z', '2020-11-25T21:26:18.000Z'],
    ['2020-08-11 18:34:17.805Z', '2020-08-11T18:34:17.805Z'],
    ['2020-01-01T00:00:00+05:00', '2019-12-31T19:00:00.000Z'],
    [1_606_339_578, '2020-11-25T21:26:18.000Z'],
    [1_606_339_578_409, '2020-11-25T21:26:18.409Z'],
    ['1606339578', '2020-11-25T21:26:18.000Z'],
    // What the summary's lean reader makes of odd separators and hour 24, written canonically.
    ['2020-11-25T21x26:18.409Z', '2020-11-25T21:26:18.409Z'],
    ['2020-11-25T24:30:00.000Z', '2020-11-26T00:30:00.000Z'],
    ['2021-02-30T00:00:00.000Z', '2021-03-02T00:00:00.000Z'],
    ['0099-01-01T00:00:00.000Z', '0099-01-01T00:00:00.000Z'],
    ['2024-02-29T12:00:00.000Z', '2024-02-29T12:00:00.000Z'],
    ['2100-02-29T12:00:00.000Z', '2100-03-01T12:00:00.000Z'],
  ])('%j → %s', (value, iso) => expect(toIsoTime(value)).toBe(iso));

  it.each([
    'abcdefghijTklmnopqr.stuZ',
    '9999-99-99T99:99:99.999Z',
    '2020-13-01T00:00:00.000Z',
    '2020-01-01T25:00:00.000Z',
    '2020-01-01T00:00:00.0x0Z',
    '2020-01-01T00:60:00.000Z',
    '2020/01/01T00:00:00.000Z',
    '+099999-01-01T00:00:00Z',
    '-000001-01-01T00:00:00Z',
    '1000000000000000',
    1e15,
  ])('%j, shaped like a time but not one RFC 3339 can write, is no time', (value) => {
    expect(toIsoTime(value)).toBeNull();
  });
});

describe('toIsoTime on damaged times', () => {
  it('gives RFC 3339 (a real date, UTC, ms) or null, whatever the damage', () => {
    const base = '2024-02-29T23:59:59.999Z';
    const alphabet = '0123456789-:T.Z +x/';
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % n;
    };
    for (let i = 0; i < 20_000; i++) {
      const chars = [...base];
      for (let k = 1 + random(3); k > 0; k--)
        chars[random(chars.length)] = alphabet[random(alphabet.length)] ?? '';
      const out = toIsoTime(chars.join(''));
      if (out !== null) expect(new Date(out).toISOString(), chars.join('')).toBe(out);
    }
  });
});
