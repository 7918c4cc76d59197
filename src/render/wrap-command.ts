/**
 * @module render/wrap-command
 * A shell command wrapped to a width without changing what it runs when pasted: lines break between words
 * with ` \`, a word wider than a line is split with `\` (closing and reopening single quotes around the
 * break, since a backslash does not continue a line inside them), and a trailing `# remark` moves to its own
 * lines, each a comment. Continuation lines of a split word start at column 0 (leading spaces would split
 * the word in two); all other continuation lines are indented by the caller.
 */
import { codePointWidth, displayWidth } from './display-width.js';

export interface CommandLine {
  text: string;
  /** False for the rest of a word split across lines: it must start at column 0. */
  indent: boolean;
}

interface Word {
  text: string;
  /** For each UTF-16 index, whether single quotes are open just after the character there. */
  singleQuoted: boolean[];
}

/** Shell words of `command` (quotes kept) and the `# remark` after them, if any. */
function shellWords(command: string): { words: Word[]; comment: string | null } {
  const words: Word[] = [];
  let text = '';
  let quoted: boolean[] = [];
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < command.length; i++) {
    const ch = command.charAt(i);
    if (quote === null && (ch === ' ' || ch === '\t')) {
      if (text !== '') words.push({ text, singleQuoted: quoted });
      text = '';
      quoted = [];
      continue;
    }
    if (quote === null && ch === '#' && text === '') {
      return { words, comment: command.slice(i) };
    }
    if (quote !== "'" && ch === '\\' && i + 1 < command.length) {
      text += ch + command.charAt(i + 1);
      quoted.push(false, false);
      i++;
      continue;
    }
    if (ch === quote) quote = null;
    else if (quote === null && (ch === "'" || ch === '"')) quote = ch;
    text += ch;
    quoted.push(quote === "'");
  }
  if (text !== '') words.push({ text, singleQuoted: quoted });
  return { words, comment: null };
}

/**
 * Pieces of a word too wide for `room` columns, each ending with the characters that continue it on the
 * next line (`\`, or `'\` and a reopening `'` inside single quotes).
 */
function splitWord(word: Word, room: number): string[] {
  const out: string[] = [];
  let start = 0;
  let reopen = '';
  while (start < word.text.length) {
    let end = start;
    let used = displayWidth(reopen);
    // Leave room for the continuation marks (at most `'\`).
    while (end < word.text.length) {
      const cp = word.text.codePointAt(end) ?? 0;
      const w = codePointWidth(cp);
      if (end > start && used + w > room - 2) break;
      used += w;
      end += cp > 0xffff ? 2 : 1;
    }
    if (end >= word.text.length) {
      out.push(reopen + word.text.slice(start));
      break;
    }
    // Never break right after a backslash (it would escape the line break instead of continuing).
    while (end > start + 1 && word.text.charAt(end - 1) === '\\') end--;
    const inSingle = word.singleQuoted[end - 1] === true;
    out.push(`${reopen}${word.text.slice(start, end)}${inSingle ? "'\\" : '\\'}`);
    reopen = inSingle ? "'" : '';
    start = end;
  }
  return out;
}

/** `s` in pieces of at most `columns` columns. */
function chunks(s: string, columns: number): string[] {
  const out: string[] = [];
  let piece = '';
  for (const ch of s) {
    if (piece !== '' && displayWidth(piece + ch) > columns) {
      out.push(piece);
      piece = '';
    }
    piece += ch;
  }
  if (piece !== '') out.push(piece);
  return out;
}

/**
 * `command` on lines of at most `firstRoom` columns (the first) and `room` columns (the others, which the
 * caller indents unless `indent` is false). Without a room the command stays on one line.
 */
export function wrapCommand(command: string, firstRoom: number | undefined, room?: number): CommandLine[] {
  if (firstRoom === undefined || displayWidth(command) <= firstRoom) return [{ text: command, indent: true }];
  const rest = Math.max(8, room ?? firstRoom);
  const { words, comment } = shellWords(command);
  const lines: CommandLine[] = [];
  let current = '';
  let currentIndent = true;
  let limit = Math.max(8, firstRoom);
  const flush = (continued: boolean) => {
    lines.push({ text: continued ? `${current} \\` : current, indent: currentIndent });
    current = '';
    currentIndent = true;
    limit = rest;
  };
  words.forEach((word, i) => {
    const last = i === words.length - 1 && comment === null;
    // Every line but the last keeps two columns for ` \`.
    const fits = (s: string) => displayWidth(s) <= limit - (last ? 0 : 2);
    const joined = current === '' ? word.text : `${current} ${word.text}`;
    if (fits(joined)) {
      current = joined;
      return;
    }
    if (current !== '') flush(true);
    if (fits(word.text)) {
      current = word.text;
      return;
    }
    // Wider than a line: split it; its continuation lines start at column 0, where the room is widest.
    const parts = splitWord(word, Math.min(limit, rest));
    parts.forEach((part, j) => {
      if (j < parts.length - 1) {
        lines.push({ text: part, indent: j === 0 ? currentIndent : false });
        limit = rest;
      } else {
        current = part;
        currentIndent = false;
      }
    });
  });
  if (comment !== null) {
    const remark = comment.replace(/^#\s*/, '');
    const trailing = current === '' ? `# ${remark}` : `${current}  # ${remark}`;
    if (displayWidth(trailing) <= limit) {
      current = trailing;
    } else {
      if (current !== '') flush(true);
      // Each comment line starts with `#`, so pasting a wrapped remark runs nothing.
      let line = '#';
      const remarkWords = remark.split(' ').flatMap((x) => (x === '' ? [] : chunks(x, rest - 2)));
      for (const w of remarkWords) {
        if (line !== '#' && displayWidth(`${line} ${w}`) > limit) {
          lines.push({ text: line, indent: true });
          line = '#';
          limit = rest;
        }
        line = `${line} ${w}`;
      }
      current = line;
    }
  }
  if (current !== '') lines.push({ text: current, indent: currentIndent });
  return lines;
}
