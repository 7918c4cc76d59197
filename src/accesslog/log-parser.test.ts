import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAll } from '../../test/support/parse-all.js';
import type { ParseResult } from './entry.js';
import { LogParser } from './log-parser.js';

const seed = (name: string) =>
  readFileSync(new URL(`../../test/fixtures/seed/${name}`, import.meta.url), 'utf8');

const TEXT =
  '[2020-11-25T21:26:18.409Z] "GET /status/418 HTTP/1.1" 418 - via_upstream - "-" 0 135 4 4 "-" "curl/7.73.0-DEV" "84961386-6d84-929d-98bd-c5aee93b5c88" "httpbin:8000" "10.44.1.27:80" outbound|8000||httpbin.foo.svc.cluster.local 10.44.1.23:37652 10.0.45.184:8000 10.44.1.23:46520 - default';

describe('the seed: EnvoyFilter JSON, every value a string, pretty-printed', () => {
  it('reads the sleep entry (client, outbound)', () => {
    const { entries, stats } = parseAll(seed('sleep.log'), { source: 'sleep.log' });
    expect(stats.skipped).toMatchObject({ malformed: 0, truncated: 0 });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toEqual({
      line: 1,
      source: 'sleep.log',
      format: 'json',
      start_time: '2020-10-23T11:15:19.184Z',
      method: 'GET',
      path: '/',
      protocol: 'HTTP/1.1',
      response_code: 200,
      response_flags: [],
      response_code_details: null,
      connection_termination_details: null,
      upstream_transport_failure_reason: null,
      bytes_received: 0,
      bytes_sent: 935,
      duration_ms: 47,
      upstream_service_time_ms: 31,
      x_forwarded_for: null,
      user_agent: 'curl/7.69.1',
      request_id: 'be5acb4a-9e3e-4540-814d-07c2c7dcf7f1',
      authority: 'helloworld',
      upstream_host: '10.244.1.10:80',
      upstream_cluster: 'outbound|80||helloworld.istio-testing.svc.cluster.local',
      upstream_local_address: '10.244.4.4:33806',
      downstream_local_address: '10.32.29.63:80',
      downstream_remote_address: '10.244.4.4:37034',
      requested_server_name: null,
      route_name: 'default',
      direction: 'outbound',
      origin: null,
    });
  });

  it('reads the helloworld entry (server, inbound) and the gateway entry', () => {
    const hello = parseAll(seed('helloworld.log')).entries[0];
    expect(hello).toMatchObject({
      direction: 'inbound',
      upstream_cluster: 'inbound|80|http|helloworld.istio-testing.svc.cluster.local',
      downstream_remote_address: '10.244.4.4:33806',
      duration_ms: 1,
      requested_server_name: 'outbound_.80_._.helloworld.istio-testing.svc.cluster.local',
    });
    const gateway = parseAll(seed('istio-ingressgateway.log')).entries[0];
    expect(gateway).toMatchObject({
      direction: 'outbound',
      protocol: 'HTTP/2',
      authority: 'server-1.zufar.io',
      route_name: 'helloworld-istio-testing-route',
      x_forwarded_for: '10.244.2.0',
    });
  });

  it('reads all three pasted one after another, with the line each starts on', () => {
    const input = [seed('istio-ingressgateway.log'), seed('sleep.log'), seed('helloworld.log')].join('\n');
    const { entries } = parseAll(input);
    expect(entries.map((e) => [e.line, e.direction])).toEqual([
      [1, 'outbound'],
      [27, 'outbound'],
      [53, 'inbound'],
    ]);
  });
});

describe('JSON encodings', () => {
  it('typed Istio JSON with nulls and any key order', () => {
    const { entries } = parseAll(
      '{"duration":0,"authority":null,"upstream_cluster":null,"bytes_received":0,"response_flags":"NR","response_code_details":"filter_chain_not_found","bytes_sent":0,"path":null,"start_time":"2021-06-11T13:46:29.601Z","protocol":null,"method":null,"response_code":0,"downstream_local_address":"10.0.0.1:8443"}\n',
    );
    expect(entries[0]).toMatchObject({
      response_code: 0,
      response_flags: ['NR'],
      path: null,
      duration_ms: 0,
      direction: 'unknown',
    });
  });

  it('strips the trailing ; of some 1.23/1.24 builds', () => {
    const { entries } = parseAll(
      '{"response_code":200,"upstream_cluster":"outbound|80||a.b.svc.cluster.local;","duration":3}\n',
    );
    expect(entries[0]).toMatchObject({
      upstream_cluster: 'outbound|80||a.b.svc.cluster.local',
      direction: 'outbound',
    });
  });

  it('takes numbers as numeric strings, and "-" / "" as absent', () => {
    const { entries } = parseAll(
      '{"response_code":"503","response_flags":"UH","duration":"12","bytes_sent":"","upstream_host":"-"}\n',
    );
    expect(entries[0]).toMatchObject({
      response_code: 503,
      duration_ms: 12,
      bytes_sent: null,
      upstream_host: null,
    });
  });

  it('a JSON object cut by the next record is malformed, and the next record still parses', () => {
    const { entries, stats } = parseAll(`{\n  "response_code": "200",\n  "duration": "1",\n${TEXT}\n`);
    expect(stats.skipped.malformed).toBe(1);
    expect(entries).toHaveLength(1);
  });

  it('braces inside strings do not confuse the pretty-printed reader', () => {
    const { entries } = parseAll('{\n  "path": "/a}{b",\n  "response_code": 200,\n  "duration": 1\n}\n');
    expect(entries[0]?.path).toBe('/a}{b');
  });
});

describe('prefixes', () => {
  it.each([
    ['kubectl logs --timestamps', `2020-11-22T20:04:54.223086877Z ${TEXT}`, null],
    ['CRI node log', `2022-07-22T12:24:12.325744791Z stdout F ${TEXT}`, null],
    ['kubectl logs --prefix', `[pod/sleep-7f8d/istio-proxy] ${TEXT}`, 'sleep-7f8d'],
    [
      'kubectl --prefix and --timestamps',
      `[pod/sleep-7f8d/istio-proxy] 2020-11-22T20:04:54.2Z ${TEXT}`,
      'sleep-7f8d',
    ],
    ['stern (bracketed)', `[sleep-7f8d istio-proxy] ${TEXT}`, 'sleep-7f8d'],
    ['stern (bare)', `sleep-7f8d istio-proxy ${TEXT}`, 'sleep-7f8d'],
    ['stern with colours', `\x1b[32msleep-7f8d\x1b[0m \x1b[33mistio-proxy\x1b[0m ${TEXT}`, 'sleep-7f8d'],
    ['kubetail', `[sleep-7f8d] ${TEXT}`, 'sleep-7f8d'],
  ])('%s', (_name, line, origin) => {
    const { entries } = parseAll(`${line}\n`);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ request_id: '84961386-6d84-929d-98bd-c5aee93b5c88', origin });
  });

  it('joins CRI partial (P) lines with the final (F) part', () => {
    const half = Math.floor(TEXT.length / 2);
    const input = `2022-07-22T12:24:12.1Z stdout P ${TEXT.slice(0, half)}\n2022-07-22T12:24:12.2Z stdout F ${TEXT.slice(half)}\n`;
    const { entries } = parseAll(input);
    expect(entries).toHaveLength(1);
    expect(entries[0]?.route_name).toBe('default');
  });

  it('reads pretty-printed JSON with a timestamp on every line', () => {
    const input = seed('sleep.log')
      .split('\n')
      .map((l) => (l === '' ? l : `2020-10-23T11:15:19.300Z ${l}`))
      .join('\n');
    expect(parseAll(input).entries[0]?.request_id).toBe('be5acb4a-9e3e-4540-814d-07c2c7dcf7f1');
  });
});

describe('garbage, huge and truncated input', () => {
  it('counts binary lines and goes on', () => {
    const { entries, stats } = parseAll(`\x00\x01\x02\xff\u0007garbage\n${TEXT}\n`);
    expect(stats.skipped.binary).toBe(1);
    expect(entries).toHaveLength(1);
  });

  it('drops a 100 MB line without buffering it and parses the next one', () => {
    const results: boolean[] = [];
    const parser = new LogParser('big.log', (r) => results.push(r.ok));
    const mb = 'x'.repeat(1 << 20);
    for (let i = 0; i < 100; i++) parser.push(mb);
    parser.push(`\n${TEXT}\n`);
    parser.end();
    expect(parser.stats.skipped.too_long).toBe(1);
    expect(parser.stats.entries).toBe(1);
    expect(parser.stats.lines).toBe(2);
    expect(results).toEqual([false, true]);
  });

  it('calls a cut last line truncated', () => {
    const { entries, stats } = parseAll(`${TEXT}\n${TEXT.slice(0, 120)}`);
    expect(entries).toHaveLength(1);
    expect(stats.skipped.truncated).toBe(1);
  });

  it('calls an unclosed JSON object at the end truncated', () => {
    const { stats } = parseAll('{\n  "response_code": "200",\n  "duration": "1"');
    expect(stats.skipped.truncated).toBe(1);
  });

  it('accepts a complete last line without a newline', () => {
    expect(parseAll(TEXT).entries).toHaveLength(1);
  });

  it('handles \\r\\n line ends', () => {
    const { entries } = parseAll(`${TEXT}\r\n${TEXT}\r\n`);
    expect(entries.map((e) => e.route_name)).toEqual(['default', 'default']);
  });

  it('gives the same results wherever the chunks are cut', () => {
    const input = [seed('sleep.log'), TEXT, 'noise line', `2022-07-22T12:24:12.1Z stdout F ${TEXT}`, ''].join(
      '\n',
    );
    const whole = parseAll(input);
    for (let cut = 1; cut < input.length; cut += 7) {
      const split = parseAll([input.slice(0, cut), input.slice(cut)]);
      expect(split.results).toEqual(whole.results);
    }
  });

  it('never throws on random input', () => {
    let seedValue = 42;
    const random = () => {
      seedValue = (seedValue * 1103515245 + 12345) % 2147483648;
      return seedValue / 2147483648;
    };
    const alphabet = [
      '[',
      ']',
      '"',
      '{',
      '}',
      ' ',
      '\n',
      '-',
      '0',
      '9',
      'a',
      ':',
      ',',
      '|',
      '\\',
      '\x00',
      'é',
      'T',
      'Z',
    ];
    for (let round = 0; round < 300; round++) {
      let text = round % 2 === 0 ? TEXT.slice(0, Math.floor(random() * TEXT.length)) : '';
      for (let i = 0; i < 200; i++) text += alphabet[Math.floor(random() * alphabet.length)];
      expect(() => parseAll(text)).not.toThrow();
    }
  });

  it('reports where every line went', () => {
    const { stats } = parseAll(`${TEXT}\n\n2021-03-16T09:29:20.897246Z\tinfo\tready\n${TEXT}\n`);
    expect(stats).toMatchObject({ lines: 4, entries: 2, skipped: { blank: 1, not_access_log: 1 } });
  });
});

describe('reading lines in place', () => {
  /** Every result and the stats, as the parser gives them for `pieces`, read in place or the general way. */
  function results(pieces: readonly string[], general: boolean) {
    const seen: ParseResult[] = [];
    const parser = new LogParser('f.log', (r) => seen.push(r), { general });
    for (const piece of pieces) parser.push(piece);
    parser.end();
    return { seen, stats: parser.stats };
  }

  const JSON_LINE = JSON.stringify({
    start_time: '2020-11-25T21:26:18.409Z',
    response_code: 503,
    response_flags: 'UH',
    upstream_cluster: 'outbound|80||a.b.svc.cluster.local',
  });
  const text = [
    TEXT,
    `${TEXT}\r`,
    `[pod/web-1/istio-proxy] ${TEXT}`,
    `2020-11-25T21:26:18.409901234Z stdout P ${TEXT.slice(0, 40)}`,
    `2020-11-25T21:26:18.409901234Z stdout F ${TEXT.slice(40)}`,
    '',
    '[2',
    '[2020-11-25T21:26:18.409Z] "GET / HTTP/1.1" 200',
    JSON_LINE,
    '{',
    '  "response_code": 200, "upstream_cluster": "inbound|80||"',
    '}',
    `${TEXT} "`,
    'caf\u00e9 not a log',
    TEXT,
  ].join('\n');

  it('gives what reading each line as its own string gives, however the input is cut', () => {
    const whole = results([text], true);
    expect(whole.stats.entries).toBeGreaterThan(5);
    for (let cut = 0; cut <= text.length; cut += 7) {
      const pieces = [text.slice(0, cut), text.slice(cut)];
      expect(results(pieces, false), `cut at ${cut}`).toEqual(whole);
      expect(results(pieces, true), `cut at ${cut}`).toEqual(whole);
    }
  });
});
