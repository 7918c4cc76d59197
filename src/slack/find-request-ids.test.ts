import { describe, expect, it } from 'vitest';
import { findRequestIds } from './find-request-ids.js';

const A = '4bf92f35-77b3-4da6-a3ce-929d0e0e4736';
const B = '0af7651916cd43dd8448eb211c80319c'; // a trace id, not a request id
const C = 'c0ffee00-1234-1e11-8abc-0123456789ab'; // v1

describe('findRequestIds', () => {
  it.each<[string, string, string[]]>([
    ['bare', A, [A]],
    ['an alert', `High 5xx on cart: request ${A} failed with 503 UF`, [A]],
    [
      'a JSON access-log line',
      `{"start_time":"2024-05-01T10:00:00.000Z","x_request_id":"${A}","trace_id":"${B}","response_code":503}`,
      [A],
    ],
    [
      'a TEXT access-log line',
      `[2024-05-01T10:00:00.000Z] "GET /cart HTTP/1.1" 503 UF upstream_reset_before_response_started{connection_failure} - "-" 0 91 3 - "10.0.0.1" "curl/8.4.0" "${A}" "cart.shop:8080" "10.244.1.12:8080"`,
      [A],
    ],
    ['Slack-escaped', `&lt;${A}&gt; and &quot;${C}&quot;`, [A, C]],
    ['in a URL', `<https://grafana.example/explore?requestId=${A}&amp;x=1|logs>`, [A]],
    ['in a path', `https://kiali.example/trace/${A}/details`, [A]],
    [
      'dedupes case-insensitively, keeps the first as written',
      `${A.toUpperCase()} ${A} ${C}`,
      [A.toUpperCase(), C],
    ],
    ['skips the nil UUID', `00000000-0000-0000-0000-000000000000 ${A}`, [A]],
    ['not inside longer ids', `x${A} ${A}0 abc-${C}`, [C]],
    ['none', 'nothing here 4bf92f35-77b3-4da6-a3ce-929d0e0e473 g4bf92f35', []],
    ['a trace id is not a request id', B, []],
  ])('%s', (_name, text, ids) => expect(findRequestIds(text)).toEqual(ids));

  it('stops at max', () => {
    const ids = Array.from({ length: 8 }, (_, i) => `0000000${i + 1}-0000-4000-8000-000000000000`);
    expect(findRequestIds(ids.join(' '))).toEqual(ids.slice(0, 5));
    expect(findRequestIds(ids.join(' '), 2)).toEqual(ids.slice(0, 2));
    expect(findRequestIds(ids.join(' '), 0)).toEqual([]);
  });
});
