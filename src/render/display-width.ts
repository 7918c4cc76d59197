/**
 * @module render/display-width
 * Terminal column widths, counted conservatively: East Asian wide characters, emoji and every
 * astral-plane code point count as 2 columns, everything else as 1 (zero-width marks included, so a line
 * can look shorter than measured, never longer).
 */

const WIDE_BMP: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f],
  [0x231a, 0x231b],
  [0x23e9, 0x23ec],
  [0x23f0, 0x23f0],
  [0x23f3, 0x23f3],
  [0x25fd, 0x25fe],
  [0x2614, 0x2615],
  [0x2648, 0x2653],
  [0x267f, 0x267f],
  [0x2693, 0x2693],
  [0x26a1, 0x26a1],
  [0x26aa, 0x26ab],
  [0x26bd, 0x26be],
  [0x26c4, 0x26c5],
  [0x26ce, 0x26ce],
  [0x26d4, 0x26d4],
  [0x26ea, 0x26ea],
  [0x26f2, 0x26f3],
  [0x26f5, 0x26f5],
  [0x26fa, 0x26fa],
  [0x26fd, 0x26fd],
  [0x2705, 0x2705],
  [0x270a, 0x270b],
  [0x2728, 0x2728],
  [0x274c, 0x274c],
  [0x274e, 0x274e],
  [0x2753, 0x2755],
  [0x2757, 0x2757],
  [0x2795, 0x2797],
  [0x27b0, 0x27b0],
  [0x27bf, 0x27bf],
  [0x2b1b, 0x2b1c],
  [0x2b50, 0x2b50],
  [0x2b55, 0x2b55],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
];

/** Columns taken by one code point. */
export function codePointWidth(cp: number): number {
  if (cp < 0x1100) return 1;
  if (cp > 0xffff) return 2;
  for (const [lo, hi] of WIDE_BMP) {
    if (cp < lo) return 1;
    if (cp <= hi) return 2;
  }
  return 1;
}

/** Columns taken by `s` (which must not contain escape sequences). */
export function displayWidth(s: string): number {
  let width = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x1100) {
      width++;
    } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const low = s.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) i++;
      width += low >= 0xdc00 && low <= 0xdfff ? 2 : 1;
    } else {
      width += codePointWidth(c);
    }
  }
  return width;
}

/** Cuts `s` to at most `width` columns, ending with `…` when cut. */
export function truncateToWidth(s: string, width: number): string {
  if (width <= 0) return '';
  if (s.length <= width && displayWidth(s) <= width) return s;
  if (displayWidth(s) <= width) return s;
  let out = '';
  let used = 0;
  for (const ch of s) {
    const w = codePointWidth(ch.codePointAt(0) ?? 0);
    if (used + w > width - 1) break;
    out += ch;
    used += w;
  }
  return `${out.replace(/\u200d$/u, '')}…`;
}

/** `s` cut or padded with spaces to exactly `width` columns (right-aligned when `align` is `right`). */
export function fitToWidth(s: string, width: number, align: 'left' | 'right' = 'left'): string {
  const cut = truncateToWidth(s, width);
  const pad = ' '.repeat(Math.max(0, width - displayWidth(cut)));
  return align === 'right' ? pad + cut : cut + pad;
}
