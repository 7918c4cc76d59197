import { describe, expect, it } from 'vitest';
import { codeSpan, escapeMrkdwn, mrkdwnText, plainText, truncateMrkdwn } from './escape-mrkdwn.js';
import { cleanField, sanitizeText, truncateChars } from './sanitize-text.js';

describe('escapeMrkdwn', () => {
  it.each([
    ['a & b', 'a &amp; b'],
    ['<!channel>', '&lt;!channel&gt;'],
    ['<https://evil|click>', '&lt;https://evil|click&gt;'],
    ['&amp;', '&amp;amp;'],
    ['it\'s "quoted"', 'it\'s "quoted"'],
    ['*bold* _it_', '*bold* _it_'],
  ])('%j → %j', (input, expected) => {
    expect(escapeMrkdwn(input)).toBe(expected);
  });
});

describe('codeSpan', () => {
  it.each([
    ['GET /items', '`GET /items`'],
    ['a`b', '`aˋb`'],
    ['```x```', '`ˋˋˋxˋˋˋ`'],
    ['<@U123> & more', '`&lt;@U123&gt; &amp; more`'],
    ['line\nbreak\u001b[2J', '`line break`'],
    ['', '`""`'],
  ])('%j → %j', (input, expected) => {
    expect(codeSpan(input)).toBe(expected);
  });

  it('truncates before escaping, so an entity is never cut', () => {
    const span = codeSpan(`${'x'.repeat(9)}&&&&`, 12);
    expect(span).toBe('`xxxxxxxxx&amp;&amp;…`');
  });

  it('bounds a 100k-character value', () => {
    expect(codeSpan('A'.repeat(100_000)).length).toBeLessThanOrEqual(122);
  });
});

describe('mrkdwnText', () => {
  it('neutralizes formatting, links and mentions', () => {
    const out = mrkdwnText('*bold* _it_ ~s~ `c` <!here> snake_case_name');
    expect(out).toBe('∗bold∗ ˍitˍ ∼s∼ ˋcˋ &lt;!here&gt; snake_case_name');
  });
});

describe('plainText', () => {
  it('stays within the limit after escaping', () => {
    const out = plainText('<'.repeat(200), 150);
    expect(out.length).toBeLessThanOrEqual(150);
    expect(out).not.toMatch(/&(?!amp;|lt;|gt;)/);
  });
});

describe('truncateMrkdwn', () => {
  it('never splits an entity', () => {
    for (let max = 8; max < 40; max++) {
      const out = truncateMrkdwn('ab &amp; &lt;x&gt; '.repeat(5), max);
      expect(out.length).toBeLessThanOrEqual(max);
      expect(out).not.toMatch(/&(?!amp;|lt;|gt;)/);
    }
  });

  it('never splits a surrogate pair', () => {
    for (let max = 8; max < 30; max++) {
      const out = truncateMrkdwn('😀'.repeat(20), max);
      expect(out.length).toBeLessThanOrEqual(max);
      expect(out).toMatch(/^(😀)*…$/u);
    }
  });

  it('closes a code span or code block it cuts', () => {
    expect(truncateMrkdwn(`see \`${'x'.repeat(50)}\``, 20)).toMatch(/^see `x+…`$/);
    const block = truncateMrkdwn(`\`\`\`\n${'line\n'.repeat(20)}\`\`\``, 30);
    expect(block.length).toBeLessThanOrEqual(30);
    expect(block.endsWith('\n```')).toBe(true);
  });
});

describe('sanitizeText', () => {
  it.each([
    ['clear screen', 'a\u001b[2Jb', 'ab'],
    ['colour', '\u001b[31mred\u001b[0m', 'red'],
    ['OSC title', '\u001b]0;pwned\u0007ok', 'ok'],
    ['8-bit CSI', 'x\u009b2Jy', 'xy'],
    ['newlines and tabs', 'a\nb\r\nc\td', 'a b  c d'],
    ['NUL and BEL', 'a\u0000b\u0007c', 'abc'],
    ['bidi override', '\u202eevil\u202c', 'evil'],
    ['lone surrogate', 'a\ud83db', 'ab'],
    ['emoji kept', '😀 👨‍👩‍👧', '😀 👨‍👩‍👧'],
  ])('%s', (_name, input, expected) => {
    expect(sanitizeText(input)).toBe(expected);
  });

  it('cleanField marks a cut even when the examined prefix shrinks', () => {
    const out = cleanField(`${'\u001b[0m'.repeat(1000)}tail`, 50);
    expect(out.endsWith('…')).toBe(true);
    expect(out.length).toBeLessThanOrEqual(50);
  });

  it('truncateChars keeps surrogate pairs whole', () => {
    expect(truncateChars('a😀b', 3)).toBe('a…');
    expect(truncateChars('abc', 3)).toBe('abc');
  });
});
