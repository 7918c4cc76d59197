/**
 * @module analysis/duration-histogram
 * Streaming percentiles in bounded memory: durations below 2048 ms are counted exactly, longer ones in
 * buckets 1% wide, so p50/p95/p99 are exact for typical requests and within 1% for slow ones.
 */
import type { DurationStats } from './report.js';

const EXACT_LIMIT = 2048;
const GROWTH = Math.log(1.01);

function bucketOf(ms: number): number {
  if (ms < EXACT_LIMIT) return ms;
  return EXACT_LIMIT + Math.floor(Math.log(ms / EXACT_LIMIT) / GROWTH);
}

function representative(bucket: number): number {
  if (bucket < EXACT_LIMIT) return bucket;
  return Math.round(EXACT_LIMIT * Math.exp((bucket - EXACT_LIMIT) * GROWTH));
}

export class DurationHistogram {
  private readonly counts = new Map<number, number>();
  private total = 0;
  private max = -1;

  add(ms: number): void {
    if (!(ms >= 0)) return;
    const bucket = bucketOf(ms);
    this.counts.set(bucket, (this.counts.get(bucket) ?? 0) + 1);
    this.total++;
    if (ms > this.max) this.max = ms;
  }

  merge(other: DurationHistogram): void {
    for (const [bucket, n] of other.counts) this.counts.set(bucket, (this.counts.get(bucket) ?? 0) + n);
    this.total += other.total;
    if (other.max > this.max) this.max = other.max;
  }

  /** Nearest-rank percentiles (p50 of [1,2,3,4] is 2), the exact maximum. */
  stats(): DurationStats {
    if (this.total === 0) return { p50: null, p95: null, p99: null, max: null };
    const buckets = [...this.counts.keys()].sort((a, b) => a - b);
    const ranks = [50, 95, 99].map((p) => Math.max(1, Math.ceil((p / 100) * this.total)));
    const values: number[] = [];
    let seen = 0;
    let r = 0;
    for (const bucket of buckets) {
      seen += this.counts.get(bucket) ?? 0;
      while (r < ranks.length && seen >= (ranks[r] ?? 0)) {
        values.push(Math.min(representative(bucket), this.max));
        r++;
      }
      if (r === ranks.length) break;
    }
    return { p50: values[0] ?? null, p95: values[1] ?? null, p99: values[2] ?? null, max: this.max };
  }
}
