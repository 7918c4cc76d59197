/**
 * @module analysis/duration-histogram
 * Streaming percentiles in bounded memory: durations below 2048 ms are counted exactly, longer ones in
 * buckets 1% wide, so p50/p95/p99 are exact for typical requests and within 1% for slow ones. The first
 * few durations are kept as they came (a summary keeps thousands of flows and most see a handful of
 * requests): the counting arrays are made only when a flow sees more.
 */
import type { DurationStats } from './report.js';

const EXACT_LIMIT = 2048;
const SPARSE_LIMIT = 24;
/** Durations kept as they came before the histogram counts them in arrays (an array grown once holds 17). */
const SMALL_LIMIT = 17;
const GROWTH = Math.log(1.01);

function bucketOf(ms: number): number {
  return EXACT_LIMIT + Math.floor(Math.log(ms / EXACT_LIMIT) / GROWTH);
}

/** The counting arrays not made yet (shared, never written). */
const EMPTY = new Uint32Array(0);

function representative(bucket: number): number {
  return Math.round(EXACT_LIMIT * Math.exp((bucket - EXACT_LIMIT) * GROWTH));
}

export class DurationHistogram {
  /** The durations added while there are at most SMALL_LIMIT; null once they are counted (below). */
  private small: number[] | null = null;
  /** Exact counts for 0..2047 ms, grown on demand (most flows only ever see small durations). */
  private exact: Uint32Array = EMPTY;
  /**
   * Exact counts above `exact`'s length while there are few of them: a flow with one slow request keeps a
   * map entry, not an 8 KB array (thousands of flows are kept). Folded into `exact` when it fills.
   */
  private sparse: Map<number, number> | null = null;
  /** 1%-wide buckets above 2047 ms. */
  private slow: Map<number, number> | null = null;
  private total = 0;
  private max = -1;

  add(ms: number): void {
    if (!(ms >= 0)) return;
    if (this.exact === EMPTY) {
      const small = this.small;
      if (small === null) this.small = [ms];
      else if (small.length < SMALL_LIMIT) small.push(ms);
      else {
        this.toCounts();
        this.count(ms);
      }
      return;
    }
    this.count(ms);
  }

  /** Moves the durations kept as they came into the counting arrays. */
  private toCounts(): void {
    if (this.exact !== EMPTY) return;
    this.exact = new Uint32Array(64);
    const small = this.small;
    this.small = null;
    if (small !== null) for (const ms of small) this.count(ms);
  }

  private count(ms: number): void {
    if (ms < EXACT_LIMIT) this.countExact(ms | 0, 1);
    else {
      const bucket = bucketOf(ms);
      this.slow ??= new Map();
      this.slow.set(bucket, (this.slow.get(bucket) ?? 0) + 1);
    }
    this.total++;
    if (ms > this.max) this.max = ms;
  }

  /** Grows the dense counts to hold `index`, folding in the sparse counts that now fit. */
  private grow(index: number): void {
    let size = this.exact.length;
    while (size <= index) size *= 2;
    const next = new Uint32Array(Math.min(size, EXACT_LIMIT));
    next.set(this.exact);
    this.exact = next;
    const sparse = this.sparse;
    if (sparse === null) return;
    for (const [k, v] of sparse) {
      if (k >= next.length) continue;
      next[k] = (next[k] as number) + v;
      sparse.delete(k);
    }
    if (sparse.size === 0) this.sparse = null;
  }

  private countExact(i: number, n: number): void {
    if (i < this.exact.length) {
      this.exact[i] = (this.exact[i] ?? 0) + n;
      return;
    }
    this.sparse ??= new Map();
    const sparse = this.sparse;
    const had = sparse.get(i);
    if (had !== undefined || sparse.size < SPARSE_LIMIT) {
      sparse.set(i, (had ?? 0) + n);
      return;
    }
    let top = i;
    for (const k of sparse.keys()) if (k > top) top = k;
    this.grow(top);
    this.exact[i] = (this.exact[i] ?? 0) + n;
  }

  merge(other: DurationHistogram): void {
    if (other.exact === EMPTY) {
      if (other.small !== null) for (const ms of other.small) this.add(ms);
      return;
    }
    this.toCounts();
    const theirs = other.exact;
    if (theirs.length > this.exact.length) this.grow(theirs.length - 1);
    // A plain loop over typed arrays: merging thousands of flows' histograms is the cost of a final report.
    const mine = this.exact;
    for (let i = 0; i < theirs.length; i++) {
      const n = theirs[i] as number;
      if (n > 0) mine[i] = (mine[i] as number) + n;
    }
    if (other.sparse !== null) for (const [i, n] of other.sparse) this.countExact(i, n);
    if (other.slow !== null) {
      this.slow ??= new Map();
      for (const [bucket, n] of other.slow) this.slow.set(bucket, (this.slow.get(bucket) ?? 0) + n);
    }
    this.total += other.total;
    if (other.max > this.max) this.max = other.max;
  }

  /** Nearest-rank percentiles (p50 of [1,2,3,4] is 2), the exact maximum. */
  stats(): DurationStats {
    if (this.exact === EMPTY) {
      if (this.small === null) return { p50: null, p95: null, p99: null, max: null };
      // Counted as the arrays would count them, so a flow's percentiles do not depend on how many it saw.
      const counted = new DurationHistogram();
      counted.toCounts();
      for (const ms of this.small) counted.count(ms);
      return counted.stats();
    }
    if (this.total === 0) return { p50: null, p95: null, p99: null, max: null };
    const ranks = [50, 95, 99].map((p) => Math.max(1, Math.ceil((p / 100) * this.total)));
    const values: number[] = [];
    let seen = 0;
    const take = (value: number, count: number) => {
      seen += count;
      while (values.length < ranks.length && seen >= (ranks[values.length] ?? 0))
        values.push(Math.min(value, this.max));
    };
    const exact = this.exact;
    for (let ms = 0; ms < exact.length && values.length < ranks.length; ms++) {
      const n = exact[ms] as number;
      if (n > 0) take(ms, n);
    }
    // Sparse values are all above the dense ones (they are folded in when the array grows).
    if (this.sparse !== null)
      for (const ms of [...this.sparse.keys()].sort((a, b) => a - b)) take(ms, this.sparse.get(ms) ?? 0);
    const slow = this.slow;
    if (slow !== null)
      for (const bucket of [...slow.keys()].sort((a, b) => a - b))
        take(representative(bucket), slow.get(bucket) ?? 0);
    return { p50: values[0] ?? null, p95: values[1] ?? null, p99: values[2] ?? null, max: this.max };
  }
}
