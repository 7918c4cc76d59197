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

/** The lines of `output` without our colour codes. */
export function visibleLines(output: string): string[] {
  return output
    .slice(0, -1)
    .split('\n')
    .map((line) => line.replace(SGR, ''));
}

/**
 * Asserts no line is wider than `width` (when one is given) and no control character other than our SGR
 * codes remains. Offending lines are collected first, so a large report costs one assertion.
 */
export function expectTerminalSafe(output: string, width: number | undefined, color: boolean): void {
  expect(output.endsWith('\n')).toBe(true);
  if (!color) expect(output).not.toContain('\u001b');
  const controls: string[] = [];
  const wide: string[] = [];
  for (const visible of visibleLines(output)) {
    if ([...visible].some((ch) => isControl(ch.charCodeAt(0)))) controls.push(visible);
    if (width !== undefined && (displayWidth(visible) > width || visible.length > width)) wide.push(visible);
  }
  expect(controls).toEqual([]);
  expect(wide).toEqual([]);
}
