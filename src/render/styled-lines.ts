/**
 * @module render/styled-lines
 * Terminal output as lines of styled spans. Lines are cut to the width *before* colour is applied, so
 * ANSI codes never count towards the width and a cut never lands inside an escape sequence; colour is
 * emitted only when asked for. Span text is sanitized again here, so no log-derived escape sequence can
 * reach the terminal.
 *
 * A width is a number of columns, or undefined: output for a pipe, a file or `--wide`, where nothing is
 * cut. Renderers lay lines out with {@link flowPieces}: a piece is kept whole (ids, pod names, prose) and
 * moves to a continuation line when it does not fit, or split across lines when it is wider than a line;
 * only pieces marked `cut` (free text: paths, user agents, authorities) are cut, with `…`.
 */
import { codePointWidth, displayWidth, truncateToWidth } from './display-width.js';
import { sanitizeText } from './sanitize-text.js';

export type Style = 'red' | 'yellow' | 'green' | 'dim' | 'bold' | 'cyan';

/** Columns to fit, or undefined when nothing may be cut (not a terminal, `--wide`). */
export type TextWidth = number | undefined;

export interface Span {
  text: string;
  style?: Style;
}

export type StyledLine = Span[];

/** One unit of a line laid out by {@link flowPieces}. */
export interface Piece extends Span {
  /** Text put before the piece when it follows another on the same line (` · `, `, `, ` `). */
  gap?: string;
  /** Free text that may be cut with `…` to fit; other pieces are never cut. */
  cut?: boolean;
}

const SGR: Record<Style, string> = {
  red: '\u001b[31m',
  yellow: '\u001b[33m',
  green: '\u001b[32m',
  dim: '\u001b[2m',
  bold: '\u001b[1m',
  cyan: '\u001b[36m',
};
const RESET = '\u001b[0m';

/** Below this many columns a cuttable piece moves to the next line rather than being cut to a stub. */
const MIN_CUT_ROOM = 12;

/** A span with an optional style (omitted when undefined, for exactOptionalPropertyTypes). */
export function span(text: string, style?: Style): Span {
  return style === undefined ? { text } : { text, style };
}

/** A piece for {@link flowPieces}; `gap` goes before it when it is not the first on its line. */
export function piece(
  text: string,
  options: { style?: Style | undefined; gap?: string; cut?: boolean } = {},
): Piece {
  const p: Piece = span(text, options.style);
  if (options.gap !== undefined) p.gap = options.gap;
  if (options.cut === true) p.cut = true;
  return p;
}

/**
 * Words of prose as pieces (one space apart), so prose wraps at spaces and is never cut. An arrow stays
 * with the word after it (`→ ratings.default:9080`).
 */
export function words(text: string, style?: Style): Piece[] {
  const out: string[] = [];
  let arrow: string | null = null;
  for (const w of text.split(' ')) {
    if (w === '') continue;
    if (w === '→' || w === '←') {
      arrow = arrow === null ? w : `${arrow} ${w}`;
      continue;
    }
    out.push(arrow === null ? w : `${arrow} ${w}`);
    arrow = null;
  }
  if (arrow !== null) out.push(arrow);
  return out.map((w) => piece(w, { style, gap: ' ' }));
}

/** `s` split after at most `columns` columns (at least one character goes first), and the head's width. */
function splitAt(s: string, columns: number): [string, string, number] {
  let used = 0;
  let index = 0;
  while (index < s.length) {
    const cp = s.codePointAt(index) ?? 0;
    const w = codePointWidth(cp);
    if (index > 0 && used + w > columns) break;
    used += w;
    index += cp > 0xffff ? 2 : 1;
  }
  return [s.slice(0, index), s.slice(index), used];
}

/**
 * Lays `lead` (a label, a marker) and then `pieces` out on lines of at most `width` columns; continuation
 * lines start with `indent` spaces. Without a width everything goes on one line. A piece that does not fit
 * moves to the next line; one wider than a whole line is split across lines (or cut with `…` when `cut`).
 */
export function flowPieces(
  lead: readonly Span[],
  pieces: readonly Piece[],
  width: TextWidth,
  indent: number,
): StyledLine[] {
  if (width === undefined) {
    const line: StyledLine = [...lead];
    pieces.forEach((p, i) => {
      if (i > 0 && p.gap !== undefined) line.push(span(p.gap, p.style));
      line.push(span(p.text, p.style));
    });
    return [line];
  }
  const pad = Math.max(0, Math.min(indent, Math.floor(width / 2)));
  const lines: StyledLine[] = [];
  let line: StyledLine = [...lead];
  let used = lead.reduce((n, s) => n + displayWidth(s.text), 0);
  let fresh = true;
  const newLine = () => {
    lines.push(line);
    line = [span(' '.repeat(pad))];
    used = pad;
    fresh = true;
  };
  for (const p of pieces) {
    let text = p.text;
    let w = displayWidth(text);
    for (;;) {
      const gap = fresh ? '' : (p.gap ?? '');
      const room = width - used - displayWidth(gap);
      if (w <= room) {
        if (gap !== '') line.push(span(gap, p.style));
        line.push(span(text, p.style));
        used += displayWidth(gap) + w;
        fresh = false;
        break;
      }
      // Free text is cut only when it would not fit whole on a line of its own either.
      if (p.cut === true && room >= MIN_CUT_ROOM && w > width - pad) {
        if (gap !== '') line.push(span(gap, p.style));
        line.push(span(truncateToWidth(text, room), p.style));
        used = width;
        fresh = false;
        break;
      }
      // Not fitting after other text, or after a lead wider than the indent: try a fresh line.
      if (!fresh || (used > pad && w <= width - pad)) {
        newLine();
        continue;
      }
      if (p.cut === true) {
        line.push(span(truncateToWidth(text, Math.max(1, room)), p.style));
        used = width;
        fresh = false;
        break;
      }
      const [head, rest, headWidth] = splitAt(text, room);
      line.push(span(head, p.style));
      text = rest;
      w -= headWidth;
      newLine();
    }
  }
  lines.push(line);
  return lines;
}

/** Renders one line, cut to `width` columns when a width is given, ANSI-coloured when `color` is set. */
export function renderLine(line: StyledLine, options: { color: boolean; width: TextWidth }): string {
  let remaining = options.width ?? Number.POSITIVE_INFINITY;
  let out = '';
  for (const { text: raw, style } of line) {
    if (remaining <= 0) break;
    const clean = sanitizeText(raw);
    const text = displayWidth(clean) > remaining ? truncateToWidth(clean, remaining) : clean;
    remaining -= displayWidth(text);
    out += options.color && style !== undefined && text !== '' ? `${SGR[style]}${text}${RESET}` : text;
    if (text !== clean) break;
  }
  return out.replace(/ +$/u, '');
}

/** Renders lines joined by `\n`, with a trailing newline. */
export function renderLines(
  lines: readonly StyledLine[],
  options: { color: boolean; width: TextWidth },
): string {
  return `${lines.map((line) => renderLine(line, options)).join('\n')}\n`;
}
