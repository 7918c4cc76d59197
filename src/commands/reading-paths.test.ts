/**
 * The two ways a line is read give the same report, on every traffic profile in TEXT and JSON: in place
 * (the line a range of its decoded chunk, JSON records through the scanner) and the general way (each line
 * sliced out as its own string, JSON records through `JSON.parse`). The chunks are cut at odd places, so
 * lines joined across chunks, which are always read as their own string, are in the mix.
 */
import { describe, expect, it } from 'vitest';
import { PROFILE_NAMES, profileLines } from '../demo/traffic-profiles.js';
import type { LogSource } from './ports.js';
import { summarizeLogs } from './summarize-logs.js';

const LINES = 4000;

/** `text` as a source yielding pieces of `size` characters. */
function source(text: string, size: number): LogSource {
  return {
    name: 'profile.log',
    async *read() {
      for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
    },
  };
}

describe.each(['text', 'json'] as const)('reading %s', (format) => {
  it.each(PROFILE_NAMES)('%s gives the same report in place as the general way', async (profile) => {
    const text = `${[...profileLines(profile, { lines: LINES, seed: 5, format })].join('\n')}\n`;
    const general = await summarizeLogs([source(text, 1 << 16)], { general: true });
    expect(general.totals.entries).toBeGreaterThan(LINES / 2);
    for (const size of [1 << 16, 4093]) {
      expect(await summarizeLogs([source(text, size)]), `pieces of ${size}`).toEqual(general);
    }
  });
});
