import { describe, expect, it } from 'vitest';
import { createResponseBudget } from './response-budget.js';

const MINUTE = 60_000;

function clock(start = 1_000_000) {
  let t = start;
  return {
    now: () => t,
    advance: (ms: number) => {
      t += ms;
    },
  };
}

describe('createResponseBudget', () => {
  it('allows five posts per URL, then refuses', () => {
    const c = clock();
    const budget = createResponseBudget({ now: c.now });
    const taken = Array.from({ length: 7 }, () => budget.take('https://hooks/a'));
    expect(taken).toEqual([true, true, true, true, true, false, false]);
    expect(budget.remaining('https://hooks/a')).toBe(0);
    expect(budget.take('https://hooks/b')).toBe(true);
    expect(budget.remaining('https://hooks/b')).toBe(4);
    expect(budget.remaining('https://hooks/never')).toBe(5);
  });

  it('refuses once 30 minutes have passed since the invocation', () => {
    const c = clock();
    const budget = createResponseBudget({ now: c.now });
    expect(budget.take('u')).toBe(true);
    c.advance(30 * MINUTE - 1);
    expect(budget.take('u')).toBe(true);
    c.advance(1);
    expect(budget.take('u')).toBe(false);
    expect(budget.remaining('u')).toBe(0);
    budget.take('other'); // pruning on another URL's take must not reset this one
    c.advance(10 * MINUTE);
    expect(budget.take('u')).toBe(false);
  });

  it('starts the window at invokedAt when given', () => {
    const c = clock();
    const budget = createResponseBudget({ now: c.now });
    expect(budget.take('late', c.now() - 30 * MINUTE)).toBe(false);
    expect(budget.take('recent', c.now() - 29 * MINUTE)).toBe(true);
  });

  it('honours custom limits', () => {
    const c = clock();
    const budget = createResponseBudget({ now: c.now, maxPosts: 2, windowMs: 1000 });
    expect([budget.take('u'), budget.take('u'), budget.take('u')]).toEqual([true, true, false]);
    c.advance(1000);
    expect(budget.take('v')).toBe(true);
  });

  it('forgets URLs whose window has passed', () => {
    const c = clock();
    const budget = createResponseBudget({ now: c.now });
    for (let i = 0; i < 100; i++) budget.take(`u${i}`);
    expect(budget.size()).toBe(100);
    c.advance(30 * MINUTE);
    expect(budget.take('u0')).toBe(false); // expired, still remembered during the grace period
    expect(budget.size()).toBe(100);
    c.advance(30 * MINUTE);
    budget.take('fresh');
    expect(budget.size()).toBe(1);
  });

  it('caps the number of remembered URLs, evicting the oldest', () => {
    const c = clock();
    const budget = createResponseBudget({ now: c.now, maxEntries: 3 });
    for (const u of ['a', 'b', 'c', 'd']) {
      budget.take(u);
      c.advance(1);
    }
    expect(budget.size()).toBe(3);
    expect(budget.remaining('a')).toBe(5); // forgotten
    expect(budget.remaining('d')).toBe(4);
  });
});
