/**
 * A simulated mesh's proxy lines, generated lazily up to the latest read: requests that started before the
 * clock are generated once, and a line shows once the clock has passed its write time (a 15 s timeout
 * appears late). Used by the demo cluster for the sidecar world and the ambient world alike.
 */
import type { DemoLine } from '../demo/demo-mesh.js';
import type { LogLine } from './pod-logs.js';

/** The lines every proxy wrote for the requests that started in [fromMs, toMs), in write order. */
export type TrafficGenerator = (fromMs: number, toMs: number, seed: number) => DemoLine[];

export class LazyTraffic {
  private generatedUntil: number;
  private lines: DemoLine[] = [];
  private readonly byPod = new Map<string, DemoLine[]>();

  constructor(
    readonly startMs: number,
    private readonly seed: number,
    private readonly generate: TrafficGenerator,
  ) {
    this.generatedUntil = startMs;
  }

  private advance(nowMs: number): void {
    if (nowMs <= this.generatedUntil) return;
    const fresh = this.generate(this.generatedUntil, nowMs, this.seed);
    this.generatedUntil = nowMs;
    if (fresh.length === 0) return;
    // A request that started earlier may end later than one that started in this window: keep write order.
    this.lines = [...this.lines, ...fresh].sort((a, b) => a.timeMs - b.timeMs);
    this.byPod.clear();
  }

  until(nowMs: number): DemoLine[] {
    this.advance(nowMs);
    return this.lines.filter((l) => l.timeMs <= nowMs);
  }

  ofPod(pod: string, nowMs: number): LogLine[] {
    this.advance(nowMs);
    let lines = this.byPod.get(pod);
    if (lines === undefined) {
      lines = this.lines.filter((l) => l.pod === pod);
      this.byPod.set(pod, lines);
    }
    const out: LogLine[] = [];
    for (const line of lines) {
      if (line.timeMs > nowMs) break;
      out.push({ time: new Date(line.timeMs), text: line.text });
    }
    return out;
  }
}
