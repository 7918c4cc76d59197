/** The raw lines of test/fixtures/real-access-logs.jsonl (real published access-log lines, TEXT and JSON). */
import { readFileSync } from 'node:fs';

export const FIXTURE_LINES: readonly string[] = readFileSync(
  new URL('../fixtures/real-access-logs.jsonl', import.meta.url),
  'utf8',
)
  .trim()
  .split('\n')
  .map((l) => (JSON.parse(l) as { line: string }).line);
