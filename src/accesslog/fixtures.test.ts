/** Every real published line in test/fixtures/real-access-logs.jsonl parses to its hand-checked fields. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAll } from '../../test/support/parse-all.js';

interface FixtureRecord {
  line: string;
  source: string;
  kind: 'text' | 'json' | 'other';
  format: string;
  note?: string;
  expected: Record<string, unknown> & { is_access_log: boolean };
}

const records: FixtureRecord[] = readFileSync(
  new URL('../../test/fixtures/real-access-logs.jsonl', import.meta.url),
  'utf8',
)
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as FixtureRecord);

describe('real access-log fixtures', () => {
  it('has the whole fixture set', () => {
    expect(records.length).toBeGreaterThanOrEqual(60);
  });

  it.each(records.map((r, i) => [`#${i + 1} ${r.format} ${r.note ?? ''}`.trim(), r] as const))(
    '%s',
    (_name, record) => {
      const { entries, stats } = parseAll(`${record.line}\n`);
      if (!record.expected.is_access_log) {
        expect(entries).toEqual([]);
        // ztunnel's L4 record is not an entry but a connection record (issue 14; its fields are tested in
        // ztunnel.test.ts).
        if (record.format === 'ztunnel-access-log') expect(stats.connections).toBe(1);
        else expect(stats.skipped.not_access_log).toBe(1);
        return;
      }
      expect(entries).toHaveLength(1);
      const { is_access_log: _, ...expected } = record.expected;
      expect(entries[0]).toMatchObject(expected);
      expect(entries[0]?.format).toBe(record.kind);
    },
  );
});
