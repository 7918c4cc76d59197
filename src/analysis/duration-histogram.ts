/**
 * @module analysis/duration-histogram
 * Streaming percentiles in bounded memory: durations below 2048 ms are counted exactly, longer ones in
 * buckets 1% wide, so p50/p95/p99 are exact for typical requests and within 1% for slow ones.
 */
import type { DurationStats } from './report.js';

const EXACT_LIMIT = 2048;
const GROWTH = Math.log(1.01);

function bucketOf(ms: number): number {
  return EXACT_LIMIT + Math.floor(Math.log(ms / EXACT_LIMIT) / GROWTH);
}

function representative(bucket: number): number {
  return Math.round(EXACT_LIMIT * Math.exp((bucket - EXACT_LIMIT) * GROWTH));
}

export class DurationHistogram {
  /** Exact counts for 0..2047 ms, grown on demand (most flows only ever see small durations). */
  private exact: Uint32Array = new Uint32Array(64);
  /** 1%-wide buckets above 2047 ms. */
  private readonly slow = new Map<number, number>();
  private total = 0;
  private max = -1;

  add(ms: number): void {
    if (!(ms >= 0)) return;
    if (ms < EXACT_LIMIT) {
      const i = ms | 0;
      if (i >= this.exact.length) this.grow(i);
      this.exact[i] = (this.exact[i] ?? 0) + 1;
    } else {
      const bucket = bucketOf(ms);
      this.slow.set(bucket, (this.slow.get(bucket) ?? 0) + 1);
    }
    this.total++;
    if (ms > this.max) this.max = ms;
  }

  private grow(index: number): void {
    let size = this.exact.length;
    while (size <= index) size *= 2;
    const next = new Uint32Array(Math.min(size, EXACT_LIMIT));
    next.set(this.exact);
    this.exact = next;
  }

  merge(other: DurationHistogram): void {
    if (other.exact.length > this.exact.length) this.grow(other.exact.length - 1);
    other.exact.forEach((n, i) => {
      if (n > 0) this.exact[i] = (this.exact[i] ?? 0) + n;
    });
    for (const [bucket, n] of other.slow) this.slow.set(bucket, (this.slow.get(bucket) ?? 0) + n);
    this.total += other.total;
    if (other.max > this.max) this.max = other.max;
  }

  /** Nearest-rank percentiles (p50 of [1,2,3,4] is 2), the exact maximum. */
  stats(): DurationStats {
    if (this.total === 0) return { p50: null, p95: null, p99: null, max: null };
    const ranks = [50, 95, 99].map((p) => Math.max(1, Math.ceil((p / 100) * this.total)));
    const values: number[] = [];
    let seen = 0;
    const take = (value: number, count: number) => {
      seen += count;
      while (values.length < ranks.length && seen >= (ranks[values.length] ?? 0))
        values.push(Math.min(value, this.max));
    };
    this.exact.forEach((n, ms) => {
      if (n > 0) take(ms, n);
    });
    for (const bucket of [...this.slow.keys()].sort((a, b) => a - b))
      take(representative(bucket), this.slow.get(bucket) ?? 0);
    return { p50: values[0] ?? null, p95: values[1] ?? null, p99: values[2] ?? null, max: this.max };
  }
}
