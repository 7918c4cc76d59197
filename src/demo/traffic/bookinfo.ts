/**
 * @module demo/traffic/bookinfo
 * The `bookinfo` profile: the project's Bookinfo sample (demo/synthetic-mesh), continued for as many
 * lines as asked.
 */
import { generateMeshLogs, type SyntheticLine } from '../synthetic-mesh.js';

const GAP_MS = 20;

export function* bookinfo(seed: number, startMs: number, format: 'text' | 'json'): Generator<SyntheticLine> {
  // Each round is a fresh run of the sample (its outage window included), continuing the clock.
  for (let round = 0; ; round++) {
    const requests = 20_000;
    yield* generateMeshLogs({
      requests,
      seed: seed + round * 7919,
      format,
      gapMs: GAP_MS,
      startMs: startMs + round * requests * GAP_MS,
    });
  }
}
