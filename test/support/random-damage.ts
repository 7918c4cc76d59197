/** Deterministic random damage to log lines, so a failure found by a fuzz test can be replayed. */

/** A small seeded generator (mulberry32): numbers in [0, 1). */
export function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Characters that matter to the TEXT tokenizer, and a few that do not. */
const DAMAGE = [' ', '"', '-', '0', '9', ':', ';', '|', ']', 'x', ',', '{'];

/** The line with one character deleted, inserted or replaced, or cut short. */
export function damage(line: string, next: () => number): string {
  const at = Math.floor(next() * line.length);
  const r = next();
  const char = DAMAGE[Math.floor(next() * DAMAGE.length)] ?? ' ';
  if (r < 0.3) return line.slice(0, at) + line.slice(at + 1);
  if (r < 0.6) return line.slice(0, at) + char + line.slice(at);
  if (r < 0.9) return line.slice(0, at) + char + line.slice(at + 1);
  return line.slice(0, at);
}

/** `count` lines picked from `base`, each damaged once or (30% of them) twice. */
export function damagedLines(base: readonly string[], count: number, seed: number): string[] {
  const next = random(seed);
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const line = base[Math.floor(next() * base.length)] ?? '';
    lines.push(next() < 0.3 ? damage(damage(line, next), next) : damage(line, next));
  }
  return lines;
}
