/** Line layout: pieces kept whole move or split, free text is cut only when it fits no line. */
import { describe, expect, it } from 'vitest';
import { flowPieces, type Piece, piece, renderLines, span, words } from './styled-lines.js';

function layout(pieces: Piece[], width: number | undefined, indent = 2, lead = ''): string[] {
  const lines = flowPieces(lead === '' ? [] : [span(lead)], pieces, width, indent);
  return renderLines(lines, { color: false, width }).slice(0, -1).split('\n');
}

const ID = '5f1c2c4e-8d7a-4b8e-9a51-0c2d7f9e1a01';

describe('flowPieces', () => {
  it.each([
    {
      case: 'everything on one line without a width',
      pieces: [piece('a'), piece(ID, { gap: ' · ' }), piece('x'.repeat(300), { gap: ' · ', cut: true })],
      width: undefined,
      lines: [`a · ${ID} · ${'x'.repeat(300)}`],
    },
    {
      case: 'a piece that does not fit moves to a continuation line, without its gap',
      pieces: [piece('seen httpbin.foo:8000'), piece(`e.g. ${ID}`, { gap: ' · ' })],
      width: 50,
      lines: ['seen httpbin.foo:8000', `  e.g. ${ID}`],
    },
    {
      case: 'a piece wider than a line is split, never cut',
      pieces: [piece('x'.repeat(45))],
      width: 20,
      lines: ['x'.repeat(20), `  ${'x'.repeat(18)}`, `  ${'x'.repeat(7)}`],
    },
    {
      case: 'free text that fits a line of its own moves there rather than being cut',
      pieces: [piece('file.log:12'), piece('authority ratings:9080', { gap: ' · ', cut: true })],
      width: 30,
      lines: ['file.log:12', '  authority ratings:9080'],
    },
    {
      case: 'free text wider than any line is cut with …',
      pieces: [piece('file.log:12'), piece(`authority ${'a'.repeat(60)}`, { gap: ' · ', cut: true })],
      width: 40,
      lines: [`file.log:12 · authority ${'a'.repeat(15)}…`],
    },
    {
      case: 'prose wraps at spaces and an arrow stays with its word',
      pieces: words('503 UH no_healthy_upstream → ratings.bookinfo:9080'),
      width: 30,
      lines: ['503 UH no_healthy_upstream', '  → ratings.bookinfo:9080'],
    },
  ])('$case', ({ pieces, width, lines }) => {
    expect(layout(pieces, width)).toEqual(lines);
  });

  it('starts continuation lines at the indent and keeps the lead on the first', () => {
    expect(layout(words('one two three four five six'), 20, 8, 'causes  ')).toEqual([
      'causes  one two',
      '        three four',
      '        five six',
    ]);
  });
});
