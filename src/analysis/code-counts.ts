/**
 * @module analysis/code-counts
 * The `codes` record of a report's flow (a module of its own: the CLI rebuilds it from a worker's answer
 * without loading the summary).
 */

/**
 * A flow's `codes` record from its (code, count) pairs, in their order. V8 keeps integer-like keys as
 * "elements": key `503` alone would take an array of ~770 slots (6 KB) per flow. One far key, deleted at
 * once, switches the object to a small dictionary for good. (A structured clone, as a worker's
 * `postMessage`, makes the array again: see cli/summarize-files.)
 */
export function codeCounts(pairs: Iterable<readonly [number | string, number]>): Record<string, number> {
  const record: Record<string, number> = {};
  record[1 << 24] = 0;
  delete record[1 << 24];
  for (const [code, n] of pairs) record[String(code)] = n;
  return record;
}
