import { describe, expect, it } from 'vitest';
import { DurationHistogram } from './duration-histogram.js';

function stats(values: number[]) {
  const h = new DurationHistogram();
  for (const v of values) h.add(v);
  return h.stats();
}

describe('DurationHistogram', () => {
  it('is empty without values', () => {
    expect(stats([])).toEqual({ p50: null, p95: null, p99: null, max: null });
  });

  it('uses nearest-rank percentiles, exact below 2048 ms', () => {
    expect(stats([1, 2, 3, 4])).toEqual({ p50: 2, p95: 4, p99: 4, max: 4 });
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(stats(hundred)).toEqual({ p50: 50, p95: 95, p99: 99, max: 100 });
    expect(stats([7])).toEqual({ p50: 7, p95: 7, p99: 7, max: 7 });
  });

  it('stays within 1% above 2048 ms and reports the exact max', () => {
    const values = Array.from({ length: 1000 }, (_, i) => 3000 + i * 57);
    const s = stats(values);
    const exact = (p: number) =>
      [...values].sort((a, b) => a - b)[Math.ceil((p / 100) * values.length) - 1] ?? 0;
    for (const [p, got] of [
      [50, s.p50],
      [95, s.p95],
      [99, s.p99],
    ] as const) {
      expect(Math.abs((got ?? 0) - exact(p)) / exact(p)).toBeLessThan(0.01);
    }
    expect(s.max).toBe(3000 + 999 * 57);
  });

  it('keeps memory bounded: a million distinct slow durations use few buckets', () => {
    const h = new DurationHistogram();
    for (let i = 0; i < 1_000_000; i++) h.add(2048 + i);
    // log(1e6/2048)/log(1.01) ≈ 623 buckets
    expect(h.stats().max).toBe(2048 + 999_999);
  });

  it('merges', () => {
    const a = new DurationHistogram();
    const b = new DurationHistogram();
    a.add(1);
    b.add(3);
    a.merge(b);
    expect(a.stats()).toEqual({ p50: 1, p95: 3, p99: 3, max: 3 });
  });

  it('ignores negative and NaN', () => {
    expect(stats([Number.NaN, -1, 5])).toEqual({ p50: 5, p95: 5, p99: 5, max: 5 });
  });
});

describe('DurationHistogram.merge', () => {
  it('gives the same percentiles as one histogram of every value, whatever the split', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let round = 0; round < 200; round++) {
      const values = Array.from({ length: 1 + Math.floor(random() * 300) }, () =>
        random() < 0.1 ? Math.floor(random() * 60_000) : Math.floor(random() * (random() < 0.5 ? 60 : 3000)),
      );
      const whole = new DurationHistogram();
      const parts = [new DurationHistogram(), new DurationHistogram(), new DurationHistogram()];
      values.forEach((v, i) => {
        whole.add(v);
        parts[i % 3]?.add(v);
      });
      const merged = new DurationHistogram();
      for (const part of parts) merged.merge(part);
      expect(merged.stats()).toEqual(whole.stats());
    }
  });
});

describe('DurationHistogram, few durations kept as they came', () => {
  it('gives the same stats and merges as counting, on either side of the switch', () => {
    for (const n of [1, 16, 17, 18, 40]) {
      const values = Array.from({ length: n }, (_, i) => (i * 7919) % 3000);
      const kept = new DurationHistogram();
      for (const v of values) kept.add(v);
      const sorted = [...values].sort((a, b) => a - b);
      const rank = (p: number) => sorted[Math.max(1, Math.ceil((p / 100) * n)) - 1] ?? 0;
      const s = kept.stats();
      expect(s.max).toBe(Math.max(...values));
      // Below 2048 ms exact; above, within 1%.
      for (const [p, got] of [
        [50, s.p50],
        [95, s.p95],
        [99, s.p99],
      ] as const)
        expect(Math.abs((got ?? 0) - rank(p))).toBeLessThanOrEqual(rank(p) * 0.01);
      // Few into many, many into few, few into few.
      const big = new DurationHistogram();
      for (let i = 0; i < 100; i++) big.add(i);
      const both = new DurationHistogram();
      for (const v of [...values, ...Array.from({ length: 100 }, (_, i) => i)]) both.add(v);
      const a = new DurationHistogram();
      a.merge(kept);
      a.merge(big);
      const b = new DurationHistogram();
      b.merge(big);
      b.merge(kept);
      expect(a.stats()).toEqual(both.stats());
      expect(b.stats()).toEqual(both.stats());
    }
  });
});
