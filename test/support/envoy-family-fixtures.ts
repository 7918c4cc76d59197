/** The records of test/fixtures/envoy-family/*.jsonl (real published lines, sources in its SOURCE.md). */
import { readFileSync } from 'node:fs';

export interface FixtureRecord {
  line: string;
  format: string;
  source: string;
  expected: Record<string, unknown>;
  note?: string;
}

export const ENVOY_FAMILY_DIR = new URL('../fixtures/envoy-family/', import.meta.url);

/** The records of `NAME.jsonl` (or of `NAME` when it ends in `.jsonl`), in file order. */
export function envoyFamilyFixture(name: string): FixtureRecord[] {
  const file = name.endsWith('.jsonl') ? name : `${name}.jsonl`;
  return readFileSync(new URL(file, ENVOY_FAMILY_DIR), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as FixtureRecord);
}
