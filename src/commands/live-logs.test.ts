/** `errorLines`: the raw lines of error entries inside the window, for the bot's attachment. */
import { describe, expect, it } from 'vitest';
import { errorLines } from './live-logs.js';

const at = (iso: string, code: number, flags = '-', path = '/x') =>
  `[${iso}] "GET ${path} HTTP/1.1" ${code} ${flags} via_upstream - "-" 0 12 3 2 "-" "curl/8" "id-${code}" "svc:80" "10.0.0.1:80" outbound|80||svc.ns.svc.cluster.local 10.0.0.2:5000 10.96.0.1:80 10.0.0.2:5001 - default`;

describe('errorLines', () => {
  const from = Date.parse('2024-05-01T12:00:00.000Z');

  it('keeps 5xx, code 0 and failure-flag lines in the window, as written', () => {
    const text = [
      at('2024-05-01T12:00:01.000Z', 200),
      at('2024-05-01T12:00:02.000Z', 503, 'UH', '/a?token=x'),
      'not an access log line',
      at('2024-05-01T12:00:03.000Z', 404),
      at('2024-05-01T12:00:04.000Z', 0, 'DC'),
      at('2024-05-01T11:59:00.000Z', 500),
      '',
    ].join('\n');
    expect(errorLines(text, from).split('\n').filter(Boolean)).toEqual([
      at('2024-05-01T12:00:02.000Z', 503, 'UH', '/a?token=x'),
      at('2024-05-01T12:00:04.000Z', 0, 'DC'),
    ]);
  });

  it('is empty when nothing failed', () => {
    expect(errorLines(`${at('2024-05-01T12:00:01.000Z', 200)}\n`, from)).toBe('');
  });
});
