import { describe, expect, it } from 'vitest';
import { EXACT_DISTINCT, NameSketch, TOP_SLOTS } from './name-sketch.js';

describe('NameSketch', () => {
  it('counts few names exactly', () => {
    const s = new NameSketch();
    for (const [name, n] of [
      ['a', 5],
      ['b', 3],
      ['c', 1],
    ] as const)
      for (let i = 0; i < n; i++) s.add(name);
    expect(s.result(2)).toEqual({
      distinct: 3,
      distinct_estimated: false,
      top: [
        { name: 'a', count: 5 },
        { name: 'b', count: 3 },
      ],
      others: 1,
      top_exact: true,
    });
  });

  it('keeps the heavy names and counts that add up among thousands', () => {
    const s = new NameSketch();
    let total = 0;
    for (let i = 0; i < 5000; i++) {
      s.add(`10.0.${i % 250}.${i % 7}`); // 1,750 distinct light names
      s.add('heavy-1');
      if (i % 2 === 0) s.add('heavy-2');
      total += i % 2 === 0 ? 3 : 2;
    }
    const g = s.result(3);
    expect(g.top.map((t) => t.name).slice(0, 2)).toEqual(['heavy-1', 'heavy-2']);
    expect(g.top[0]?.count).toBeGreaterThanOrEqual(5000);
    expect(g.top.reduce((a, t) => a + t.count, 0) + g.others).toBe(total);
    expect(g.distinct_estimated).toBe(true);
    expect(g.top_exact).toBe(false);
    expect(Math.abs(g.distinct - 1752) / 1752).toBeLessThan(0.08);
  });

  it('merges: distinct names across both, totals summed', () => {
    const a = new NameSketch();
    const b = new NameSketch();
    for (let i = 0; i < 40; i++) a.add(`a${i}`);
    for (let i = 0; i < 40; i++) b.add(`b${i}`, 2);
    a.merge(b);
    const g = a.result(TOP_SLOTS);
    expect(g.distinct).toBeGreaterThan(EXACT_DISTINCT);
    expect(Math.abs(g.distinct - 80)).toBeLessThanOrEqual(4);
    expect(g.top.reduce((s, t) => s + t.count, 0) + g.others).toBe(120);
  });

  it('names through a mapping, merging names that map to one', () => {
    const s = new NameSketch();
    s.add('10.0.0.1', 2);
    s.add('10.0.0.2', 3);
    s.add('10.0.0.9', 4);
    const g = s.result(5, (ip) => (ip === '10.0.0.9' ? ip : 'reviews-v1'));
    expect(g.top).toEqual([
      { name: 'reviews-v1', count: 5 },
      { name: '10.0.0.9', count: 4 },
    ]);
  });
});
