/**
 * The lean reader's two ways in: a line written on its own, or a line read in place from a chunk written
 * once. Both must read the same records (the summary-level oracle is commands/lean-summary.test.ts; it
 * cannot tell a reader that refuses everything from one that works, so this checks that lines are taken).
 */
import { describe, expect, it } from 'vitest';
import { TEXT_EDGE_LINES } from '../../test/support/text-edge-lines.js';
import { generateMeshLogs } from '../demo/synthetic-mesh.js';
import { type LeanTextRecord, newLeanTextRecord, readLeanText } from './lean-text.js';
import { writeChunk } from './text-kernel.js';

const lines = [
  ...TEXT_EDGE_LINES,
  ...[...generateMeshLogs({ requests: 200, seed: 5, format: 'text', gapMs: 5 })].map((l) => l.text),
];

function read(text: string, at = -1): LeanTextRecord | null {
  const record = newLeanTextRecord();
  return readLeanText(text, record, at) ? { ...record } : null;
}

describe('readLeanText', () => {
  it('takes most generated lines, and reads their fields', () => {
    const taken = lines.map((line) => read(line)).filter((r) => r !== null);
    expect(taken.length / lines.length).toBeGreaterThan(0.8);
    const first = read(
      '[2026-11-21T09:00:00.004Z] "GET /b/13 HTTP/1.1" 404 - via_upstream - "-" 7 10 3 1 "-" "curl" "id-4" "api:80" "10.0.0.5:80" outbound|80||api.ns.svc.cluster.local 10.0.0.1:5000 10.96.0.5:80 10.0.0.1:4999 - default',
    );
    expect(first).toMatchObject({
      time_key: Date.parse('2026-11-21T09:00:00.004Z'),
      direction: 'outbound',
      response_code: 404,
      method: 'GET',
      path: '/b/13',
      bytes_received: 7,
      bytes_sent: 10,
      duration_ms: 3,
      upstream_cluster: 'outbound|80||api.ns.svc.cluster.local',
      downstream_remote_address: null,
    });
  });

  it('reads the lines of a written chunk in place exactly as it reads them one by one', () => {
    const chunk = `${lines.join('\n')}\n`;
    expect(writeChunk(chunk)).toBe(true);
    let at = 0;
    let taken = 0;
    for (const line of lines) {
      const inPlace = read(line, at);
      expect(inPlace).toEqual(read(line));
      if (inPlace !== null) taken++;
      at += line.length + 1;
    }
    expect(taken / lines.length).toBeGreaterThan(0.8);
  });

  it('refuses a chunk it cannot take: not ASCII, or past 1 MiB', () => {
    expect(writeChunk(`${lines[0]}\ncafé\n`)).toBe(false);
    expect(writeChunk('x'.repeat((1 << 20) + 1))).toBe(false);
  });
});
