/**
 * @module render/styled-lines
 * Terminal output as lines of styled spans. Lines are cut to the width *before* colour is applied, so
 * ANSI codes never count towards the width and a cut never lands inside an escape sequence; colour is
 * emitted only when asked for. Span text is sanitized again here, so no log-derived escape sequence can
 * reach the terminal.
 */
import { displayWidth, truncateToWidth } from './display-width.js';
import { sanitizeText } from './sanitize-text.js';

export type Style = 'red' | 'yellow' | 'green' | 'dim' | 'bold' | 'cyan';

export interface Span {
  text: string;
  style?: Style;
}

export type StyledLine = Span[];

const SGR: Record<Style, string> = {
  red: '\u001b[31m',
  yellow: '\u001b[33m',
  green: '\u001b[32m',
  dim: '\u001b[2m',
  bold: '\u001b[1m',
  cyan: '\u001b[36m',
};
const RESET = '\u001b[0m';

/** A span with an optional style (omitted when undefined, for exactOptionalPropertyTypes). */
export function span(text: string, style?: Style): Span {
  return style === undefined ? { text } : { text, style };
}

/** Renders one line cut to `width` columns, ANSI-coloured when `color` is set. */
export function renderLine(line: StyledLine, options: { color: boolean; width: number }): string {
  let remaining = options.width;
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
  options: { color: boolean; width: number },
): string {
  return `${lines.map((line) => renderLine(line, options)).join('\n')}\n`;
}

/**
 * Breaks prose into lines of at most `width` columns at spaces; words longer than a line are cut with `…`.
 */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(' ')) {
    if (word === '') continue;
    const candidate = current === '' ? word : `${current} ${word}`;
    if (displayWidth(candidate) <= width) {
      current = candidate;
      continue;
    }
    if (current !== '') lines.push(current);
    current = truncateToWidth(word, width);
  }
  if (current !== '') lines.push(current);
  return lines;
}
