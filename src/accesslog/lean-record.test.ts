/**
 * The lean reader's two ways in: a line written on its own, or a line read in place from a chunk written
 * once. Both must read the same records (the summary-level oracle is commands/lean-summary.test.ts; it
 * cannot tell a reader that refuses everything from one that works, so this checks that lines are taken).
 */
import { describe, expect, it } from 'vitest';
import { TEXT_EDGE_LINES } from '../../test/support/text-edge-lines.js';
import { generateMeshLogs } from '../demo/synthetic-mesh.js';
import { writeChunk } from './kernel.js';
import {
  type LeanRecord,
  leanCluster,
  leanPath,
  leanRemoteAddress,
  newLeanRecord,
  readLeanJson,
  readLeanText,
} from './lean-record.js';
import { JSON_FIELD_INDEX, parseJsonRecord } from './parse-json.js';

const lines = [
  ...TEXT_EDGE_LINES,
  ...[...generateMeshLogs({ requests: 200, seed: 5, format: 'text', gapMs: 5 })].map((l) => l.text),
];

function read(text: string, at = -1, json = false): LeanRecord | null {
  const record = newLeanRecord();
  return (json ? readLeanJson : readLeanText)(text, record, at) ? { ...record } : null;
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
      bytes_received: 7,
      bytes_sent: 10,
      duration_ms: 3,
      host_id: -1,
    });
    if (first === null) return;
    expect(leanPath(first)).toBe('/b/13');
    expect(leanCluster(first)).toBe('outbound|80||api.ns.svc.cluster.local');
    expect(leanRemoteAddress(first)).toBe(null);
    expect(first.cluster_id).toBeGreaterThanOrEqual(0);
    expect(first.path_id).toBeGreaterThanOrEqual(0);
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

  it('gives the same id to the same string, per kind, and the caller’s host without its port', () => {
    const line = (remote: string, path: string, cluster = 'inbound|80||') =>
      read(
        `[2026-11-21T09:00:00.004Z] "GET ${path} HTTP/1.1" 200 - via_upstream - "-" 7 10 3 1 "-" "curl" "id-4" "api:80" "10.0.0.5:80" ${cluster} 127.0.0.6:5000 10.0.0.5:80 ${remote} - default`,
      );
    const a = line('10.0.0.3:51234', '/a');
    const b = line('10.0.0.3:40000', '/b');
    const c = line('10.0.0.4:51234', '/a');
    const v6 = line('[fd00::3]:51234', '/fd00::3');
    const zero = line('10.0.0.3:0', '/a');
    const long = line('10.0.0.3:1', `/${'x'.repeat(300)}`);
    const out = line('-', '/a', 'outbound|80||api.ns.svc.cluster.local');
    const again = line('-', '/b', 'outbound|80||api.ns.svc.cluster.local');
    for (const r of [a, b, c, v6, zero, long, out, again]) expect(r).not.toBeNull();
    if (!a || !b || !c || !v6 || !zero || !long || !out || !again) return;
    expect(a.epoch).toBe(again.epoch);
    expect(b.host_id).toBe(a.host_id);
    expect(c.host_id).not.toBe(a.host_id);
    expect(c.path_id).toBe(a.path_id);
    expect(b.path_id).not.toBe(a.path_id);
    // A path and a host with the same bytes are different strings to the summary.
    expect(v6.host_id).toBeGreaterThanOrEqual(0);
    expect(v6.path_id).not.toBe(v6.host_id);
    // Port 0: the caller is named from X-Forwarded-For ("-" here), which gets an id of its own.
    expect(zero.host_id).toBe(a.host_id);
    expect(zero.forwarded_id).toBeGreaterThanOrEqual(0);
    expect(a.forwarded_id).toBe(-1);
    expect(long.path_id).toBe(-1);
    expect(out.host_id).toBe(-1);
    expect(again.cluster_id).toBe(out.cluster_id);
    expect(out.cluster_id).toBeGreaterThanOrEqual(0);
  });

  it('starts a new epoch when the table is full, and keeps ids consistent within one', () => {
    const first = read(lines[30] ?? '');
    const byPath = new Map<number, string>();
    let epochs = 0;
    let epoch = first?.epoch ?? -1;
    for (let i = 0; i < 20_000; i++) {
      const path = `/p/q${i}x`;
      const r = read(
        `[2026-11-21T09:00:00.004Z] "GET ${path} HTTP/1.1" 200 - via_upstream - "-" 7 10 3 1 "-" "curl" "id-4" "api:80" "10.0.0.5:80" outbound|80||api.ns.svc.cluster.local 10.0.0.1:5000 10.96.0.5:80 10.0.0.1:4999 - default`,
      );
      if (r === null) throw new Error(`not read: ${path}`);
      if (r.epoch !== epoch) {
        epochs++;
        epoch = r.epoch;
        byPath.clear();
      }
      if (r.path_id < 0) continue;
      const seen = byPath.get(r.path_id);
      if (seen !== undefined) expect(seen).toBe(path);
      byPath.set(r.path_id, path);
    }
    expect(epochs).toBeGreaterThanOrEqual(2);
  });

  it('reads JSON records once the full parser has read one with the default keys', () => {
    const json = [...generateMeshLogs({ requests: 100, seed: 9, format: 'json', gapMs: 5 })].map(
      (l) => l.text,
    );
    parseJsonRecord(json[0] ?? '', 'f', 1, null);
    const taken = json.slice(1).map((line) => read(line, -1, true));
    expect(taken.filter((r) => r !== null).length / (json.length - 1)).toBeGreaterThan(0.8);
    const line =
      '{"start_time":"2026-11-21T09:00:00.004Z","method":"POST","path":"/b","protocol":"HTTP/1.1","response_code":"201","response_flags":"-","bytes_received":7,"bytes_sent":"10","duration":null,"upstream_cluster":"inbound|80||","downstream_remote_address":"10.0.0.3:5","request_id":"r-1"}';
    // A new key order: refused until the full parser has read a record with it.
    expect(read(line, -1, true)).toBeNull();
    parseJsonRecord(line, 'f', 1, null);
    const record = read(line, -1, true);
    expect(record).toMatchObject({
      time_key: Date.parse('2026-11-21T09:00:00.004Z'),
      direction: 'inbound',
      response_code: 201,
      method: 'POST',
      bytes_received: 7,
      bytes_sent: 10,
      duration_ms: null,
    });
    if (record === null) return;
    expect(leanPath(record)).toBe('/b');
    expect(leanRemoteAddress(record)).toBe('10.0.0.3:5');
  });

  it('finds the JSON fields where the WebAssembly reader expects them (kernel.wat, "lean reader of JSON")', () => {
    expect(JSON_FIELD_INDEX).toMatchObject({
      start_time: 0,
      method: 1,
      path: 2,
      response_code: 4,
      response_flags: 5,
      bytes_received: 9,
      bytes_sent: 10,
      duration_ms: 11,
      x_forwarded_for: 13,
      request_id: 15,
      upstream_cluster: 18,
      downstream_remote_address: 21,
    });
  });
});
