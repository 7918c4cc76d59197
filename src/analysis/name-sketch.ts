/**
 * @module analysis/name-sketch
 * What a grouped summary row holds, in bounded memory whatever the input: how many distinct names (callers,
 * peers, routes) it counted and which were the most frequent. Distinct names are counted exactly up to
 * {@link EXACT_DISTINCT} and estimated beyond (HyperLogLog, 512 registers: within ~5%); the most frequent
 * are kept by Space-Saving with {@link TOP_SLOTS} slots, whose counts always add up to the row's count and
 * are exact as long as no slot was ever reused.
 */
import { detach } from '../core/detach.js';

export const EXACT_DISTINCT = 64;
export const TOP_SLOTS = 8;
const REGISTER_BITS = 9;
const REGISTERS = 1 << REGISTER_BITS;
const ALPHA = 0.7213 / (1 + 1.079 / REGISTERS);

/** A grouped row's names as reports show them (JSON: snake_case). */
export interface NameGroup {
  /** Distinct names counted (exact unless `distinct_estimated`). */
  distinct: number;
  distinct_estimated: boolean;
  /** The most frequent names, most first; their counts plus `others` are the row's count. */
  top: { name: string; count: number }[];
  /** Entries of the names not in `top`. */
  others: number;
  /** False when the counts in `top` may be over by what Space-Saving could not tell apart. */
  top_exact: boolean;
}

/** A 32-bit hash of a string (FNV-1a, then a finaliser so that the top bits are well mixed). */
function hashOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export class NameSketch {
  private readonly names: string[] = [];
  private readonly counts: number[] = [];
  private exact = true;
  /** Hashes of the distinct names while there are few; null once there were more than EXACT_DISTINCT. */
  private hashes: number[] | null = [];
  private registers: Uint8Array | null = null;
  private total = 0;

  /** Counts `n` entries of `name`. */
  add(name: string, n = 1): void {
    this.total += n;
    this.countDistinct(name);
    const names = this.names;
    const at = names.indexOf(name);
    if (at >= 0) {
      this.counts[at] = (this.counts[at] ?? 0) + n;
      return;
    }
    if (names.length < TOP_SLOTS) {
      names.push(detach(name));
      this.counts.push(n);
      return;
    }
    // Space-Saving: the least counted slot takes the new name and keeps its count.
    let min = 0;
    for (let i = 1; i < TOP_SLOTS; i++) if ((this.counts[i] ?? 0) < (this.counts[min] ?? 0)) min = i;
    names[min] = detach(name);
    this.counts[min] = (this.counts[min] ?? 0) + n;
    this.exact = false;
  }

  /** Adds what `other` counted. */
  merge(other: NameSketch): void {
    other.names.forEach((name, i) => {
      this.add(name, other.counts[i] ?? 0);
    });
    // The names Space-Saving forgot in `other` are in its hashes or registers only.
    if (other.hashes !== null) for (const h of other.hashes) this.countHash(h);
    else {
      this.toRegisters();
      const mine = this.registers as Uint8Array;
      const theirs = other.registers as Uint8Array;
      for (let i = 0; i < REGISTERS; i++) mine[i] = Math.max(mine[i] ?? 0, theirs[i] ?? 0);
    }
    if (!other.exact) this.exact = false;
    // add() counted the top names of `other`; its total is what matters.
    this.total += other.total - other.counts.reduce((a, b) => a + b, 0);
  }

  private countDistinct(name: string): void {
    this.countHash(hashOf(name));
  }

  private countHash(h: number): void {
    const hashes = this.hashes;
    if (hashes !== null) {
      if (hashes.includes(h)) return;
      if (hashes.length < EXACT_DISTINCT) {
        hashes.push(h);
        return;
      }
      this.toRegisters();
    }
    addToRegisters(this.registers as Uint8Array, h);
  }

  private toRegisters(): void {
    if (this.registers !== null) return;
    this.registers = registersOf(this.hashes ?? []);
    this.hashes = null;
  }

  get distinct(): number {
    if (this.hashes !== null) return this.hashes.length;
    return Math.max(EXACT_DISTINCT + 1, estimate(this.registers as Uint8Array));
  }

  /** The group as reports show it: the `limit` most frequent names. */
  result(limit: number, nameOf: (name: string) => string = (n) => n): NameGroup {
    // Names may map to one (addresses of one workload): merged before ranking.
    const merged = new Map<string, number>();
    this.names.forEach((name, i) => {
      const shown = nameOf(name);
      merged.set(shown, (merged.get(shown) ?? 0) + (this.counts[i] ?? 0));
    });
    const top = [...merged]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, limit)
      .map(([name, count]) => ({ name, count }));
    const shown = top.reduce((sum, t) => sum + t.count, 0);
    return {
      distinct: this.distinct,
      distinct_estimated: this.hashes === null,
      top,
      others: this.total - shown,
      top_exact: this.exact,
    };
  }
}

function registersOf(hashes: readonly number[]): Uint8Array {
  const registers = new Uint8Array(REGISTERS);
  for (const h of hashes) addToRegisters(registers, h);
  return registers;
}

function addToRegisters(registers: Uint8Array, h: number): void {
  const index = h >>> (32 - REGISTER_BITS);
  const rank = Math.min(32 - REGISTER_BITS, Math.clz32((h << REGISTER_BITS) | 0)) + 1;
  if (rank > (registers[index] ?? 0)) registers[index] = rank;
}

function estimate(registers: Uint8Array): number {
  let sum = 0;
  let zeros = 0;
  for (let i = 0; i < REGISTERS; i++) {
    const r = registers[i] ?? 0;
    sum += 2 ** -r;
    if (r === 0) zeros++;
  }
  const raw = (ALPHA * REGISTERS * REGISTERS) / sum;
  if (raw <= 2.5 * REGISTERS && zeros > 0) return Math.round(REGISTERS * Math.log(REGISTERS / zeros));
  return Math.round(raw);
}
