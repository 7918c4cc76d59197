/**
 * The Envoy-family fixtures (test/fixtures/envoy-family/, issue 14) are well formed: every record has the exact
 * line, a known format matching its file, a source listed in SOURCE.md, and expected fields of the right types.
 * This checks the evidence only; the parsers' tests read these files for their field-by-field assertions.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ENTRY_OUTPUT_KEYS } from '../src/accesslog/entry.js';
import type { FixtureRecord } from './support/envoy-family-fixtures.js';

const DIR = new URL('./fixtures/envoy-family/', import.meta.url);

const FORMATS = [
  'ztunnel-text',
  'ztunnel-json',
  'waypoint',
  'envoy-default',
  'emissary',
  'envoy-gateway-text',
  'envoy-gateway-json-text',
  'envoy-gateway-json',
  'contour-json',
  'kuma',
  'consul-json',
  'custom-json',
  'not-an-entry',
] as const;

/** Issue 14's keys for a ztunnel connection record, with the type each holds when present. */
const CONNECTION_KEYS: Record<string, 'string' | 'number'> = {
  timestamp: 'string',
  level: 'string',
  src_addr: 'string',
  src_workload: 'string',
  src_namespace: 'string',
  src_identity: 'string',
  dst_addr: 'string',
  dst_hbone_addr: 'string',
  dst_service: 'string',
  dst_workload: 'string',
  dst_namespace: 'string',
  dst_identity: 'string',
  direction: 'string',
  bytes_sent: 'number',
  bytes_recv: 'number',
  duration_ms: 'number',
  error: 'string',
};

const NUMERIC_ENTRY_KEYS = new Set([
  'response_code',
  'bytes_received',
  'bytes_sent',
  'duration_ms',
  'upstream_service_time_ms',
]);

const sourceMd = readFileSync(new URL('SOURCE.md', DIR), 'utf8');
const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.jsonl'))
  .sort();

const records: { file: string; index: number; record: FixtureRecord }[] = files.flatMap((file) =>
  readFileSync(new URL(file, DIR), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l, i) => ({ file, index: i + 1, record: JSON.parse(l) as FixtureRecord })),
);

/** The parts of a record's source that SOURCE.md must name: the URL, or repository, path and commit. */
function sourceParts(source: string): string[] {
  if (source.startsWith('https://')) return [source.split(' ')[0] ?? source];
  const [repo, path] = source.split(' ');
  const commit = /\b[0-9a-f]{40}\b/.exec(source)?.[0];
  return [repo ?? '', path ?? '', commit ?? '(no commit)'];
}

const isIso = (v: unknown): boolean =>
  typeof v === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(v);

describe('envoy-family fixtures', () => {
  it('has one file per format it names, and lines in them', () => {
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(FORMATS).toContain(file.replace(/\.jsonl$/, ''));
    expect(records.length).toBeGreaterThanOrEqual(30);
  });

  it('has no line twice', () => {
    const lines = records.map((r) => r.record.line);
    expect(new Set(lines).size).toBe(lines.length);
  });

  it.each(records.map((r) => [`${r.file}:${r.index}`, r] as const))(
    '%s is well formed',
    (_name, { file, record }) => {
      expect(Object.keys(record).sort()).toEqual(
        record.note === undefined
          ? ['expected', 'format', 'line', 'source']
          : ['expected', 'format', 'line', 'note', 'source'],
      );
      expect(typeof record.line).toBe('string');
      expect(record.line.length).toBeGreaterThan(0);
      expect(record.line).not.toMatch(/[\r\n]/);
      expect(record.format).toBe(file.replace(/\.jsonl$/, ''));
      if (record.note !== undefined) expect(typeof record.note).toBe('string');

      expect(typeof record.source).toBe('string');
      for (const part of sourceParts(record.source)) expect(sourceMd).toContain(part);

      const expected = record.expected;
      expect(typeof expected).toBe('object');
      expect(Array.isArray(expected)).toBe(false);

      if (record.format === 'not-an-entry') {
        expect(expected.is_access_log).toBe(false);
        expect(expected.reason).toBe('not_access_log');
        expect(typeof expected.why).toBe('string');
        return;
      }

      if (expected.kind === 'connection') {
        for (const [key, type] of Object.entries(CONNECTION_KEYS)) {
          expect(key in expected, `missing ${key}`).toBe(true);
          const v = expected[key];
          if (v !== null) expect(typeof v, key).toBe(type);
        }
        if (expected.timestamp !== null) expect(isIso(expected.timestamp)).toBe(true);
        expect(['inbound', 'outbound']).toContain(expected.direction);
        expect(['connection complete', 'connection opened', 'connection failed']).toContain(expected.message);
        return;
      }

      expect(expected.kind).toBe('request');
      const allowed = new Set<string>([...ENTRY_OUTPUT_KEYS, 'kind']);
      for (const key of Object.keys(expected)) {
        if (!key.startsWith('kuma_')) expect(allowed.has(key), `unknown key ${key}`).toBe(true);
      }
      for (const key of ['start_time', 'method', 'path', 'response_code', 'response_flags', 'direction']) {
        expect(key in expected, `missing ${key}`).toBe(true);
      }
      if (expected.start_time !== null) expect(isIso(expected.start_time)).toBe(true);
      expect(Array.isArray(expected.response_flags)).toBe(true);
      for (const flag of expected.response_flags as unknown[]) expect(typeof flag).toBe('string');
      expect(['inbound', 'outbound', 'unknown']).toContain(expected.direction);
      for (const [key, v] of Object.entries(expected)) {
        if (v === null || key === 'response_flags' || key === 'kind') continue;
        expect(typeof v, key).toBe(NUMERIC_ENTRY_KEYS.has(key) ? 'number' : 'string');
      }
    },
  );
});
