/**
 * @module render/text-assertions.test-helper
 * Checks terminal output: width after stripping SGR colour codes, and no stray control characters.
 */
import { expect } from 'vitest';
import { displayWidth } from './display-width.js';

/** Our own colour codes (ESC [ n m), removed before measuring. */
const SGR = new RegExp(`${String.fromCharCode(0x1b)}\\[[0-9;]*m`, 'g');

function isControl(code: number): boolean {
  return (
    code < 0x20 ||
    (code >= 0x7f && code <= 0x9f) ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

/** Asserts no line is wider than `width` and no control character other than our SGR codes remains. */
export function expectTerminalSafe(output: string, width: number, color: boolean): void {
  expect(output.endsWith('\n')).toBe(true);
  if (!color) expect(output).not.toContain('\u001b');
  for (const line of output.slice(0, -1).split('\n')) {
    const visible = line.replace(SGR, '');
    expect([...visible].filter((ch) => isControl(ch.charCodeAt(0)))).toEqual([]);
    expect(displayWidth(visible)).toBeLessThanOrEqual(width);
    expect(visible.length).toBeLessThanOrEqual(width);
  }
}
