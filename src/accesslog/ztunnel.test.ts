/**
 * ztunnel's connection records (issue 14): every real line of test/fixtures/envoy-family/ztunnel-*.jsonl through
 * the real LogParser, field by field; the ztunnel lines of not-an-entry.jsonl skipped; and the shapes the
 * fixtures lack (prefixes, tabs pasted as spaces, escapes, clusters, hostile lines) on synthetic lines built
 * from them, labelled as such.
 */
import { describe, expect, it } from 'vitest';
import { envoyFamilyFixture, type FixtureRecord } from '../../test/support/envoy-family-fixtures.js';
import { parseAll } from '../../test/support/parse-all.js';
import type { ConnectionRecord, ParseResult } from './entry.js';
import { LogParser, type ParseStats } from './log-parser.js';
import { parseZtunnelText } from './ztunnel.js';

const fixture = envoyFamilyFixture;

const TEXT = fixture('ztunnel-text');
const JSON_RECORDS = fixture('ztunnel-json');
const NOT_ENTRIES = fixture('not-an-entry').filter((r) => /ztunnel/i.test(`${r.expected.why}`));

/** Runs `input` through a LogParser (chunks as given), the in-place way or the general way. */
function run(
  input: string | string[],
  general = false,
): { results: ParseResult[]; connections: ConnectionRecord[]; stats: ParseStats } {
  const results: ParseResult[] = [];
  const parser = new LogParser('ztunnel.log', (r) => results.push(r), { general });
  for (const chunk of Array.isArray(input) ? input : [input]) parser.push(chunk);
  parser.end();
  const connections = results.flatMap((r) => (r.ok && r.connection !== undefined ? [r.connection] : []));
  return { results, connections, stats: parser.stats };
}

/** The one connection record of `line`, read both ways (which must agree). */
function connectionOf(line: string): ConnectionRecord {
  const inPlace = run(`${line}\n`);
  const general = run(`${line}\n`, true);
  expect(general.results).toEqual(inPlace.results);
  expect(inPlace.results).toHaveLength(1);
  const record = inPlace.connections[0];
  if (record === undefined) throw new Error(`not a connection record: ${JSON.stringify(inPlace.results)}`);
  return record;
}

/** The expected record of a fixture: its keys, the clusters null unless given, line 1 of `ztunnel.log`. */
function expectedOf(record: FixtureRecord, format: 'text' | 'json'): Record<string, unknown> {
  return {
    src_cluster: null,
    dst_cluster: null,
    ...record.expected,
    line: 1,
    source: 'ztunnel.log',
    format,
    origin: null,
  };
}

describe('real ztunnel lines (test/fixtures/envoy-family)', () => {
  it('has the fixtures', () => {
    expect(TEXT.length).toBeGreaterThanOrEqual(17);
    expect(JSON_RECORDS.length).toBeGreaterThanOrEqual(2);
    expect(NOT_ENTRIES.length).toBeGreaterThanOrEqual(9);
  });

  it.each(TEXT.map((r, i) => [`ztunnel-text:${i + 1} ${r.note ?? ''}`.slice(0, 120), r] as const))(
    '%s',
    (_name, record) => {
      const connection = connectionOf(record.line);
      // Every key of the record is checked: the expected ones and nothing more.
      expect(connection).toEqual(expectedOf(record, 'text'));
    },
  );

  it.each(JSON_RECORDS.map((r, i) => [`ztunnel-json:${i + 1}`, r] as const))('%s', (_name, record) => {
    expect(connectionOf(record.line)).toEqual(expectedOf(record, 'json'));
  });

  it.each(NOT_ENTRIES.map((r, i) => [`not-an-entry (ztunnel) ${i + 1}: ${r.expected.why}`, r] as const))(
    '%s',
    (_name, record) => {
      for (const general of [false, true]) {
        const { results, stats } = run(`${record.line}\n`, general);
        expect(results).toEqual([{ ok: false, reason: 'not_access_log' }]);
        expect(stats.connections).toBe(0);
      }
    },
  );

  it('counts connection records apart from entries and skipped lines', () => {
    const istio =
      '[2020-11-25T21:26:18.409Z] "GET /status/418 HTTP/1.1" 418 - via_upstream - "-" 0 135 4 4 "-" "curl/7.73.0-DEV" "84961386-6d84-929d-98bd-c5aee93b5c88" "httpbin:8000" "10.44.1.27:80" outbound|8000||httpbin.foo.svc.cluster.local 10.44.1.23:37652 10.0.45.184:8000 10.44.1.23:46520 - default';
    const lines = [istio, ...TEXT.map((r) => r.line), ...JSON_RECORDS.map((r) => r.line)];
    lines.push(...NOT_ENTRIES.map((r) => r.line));
    const { stats, connections } = run(`${lines.join('\n')}\n`);
    expect(stats.entries).toBe(1);
    expect(stats.connections).toBe(TEXT.length + JSON_RECORDS.length);
    expect(stats.skipped.not_access_log).toBe(NOT_ENTRIES.length);
    expect(connections.map((c) => c.line)).toEqual(
      Array.from({ length: TEXT.length + JSON_RECORDS.length }, (_, i) => i + 2),
    );
  });

  it('reads the records in place the same as sliced out, on chunks cut at odd places', () => {
    const text = `${[...TEXT, ...JSON_RECORDS].map((r) => r.line).join('\n')}\n`;
    const whole = run(text).results;
    for (const size of [7, 61, 997]) {
      const chunks: string[] = [];
      for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
      expect(run(chunks).results).toEqual(whole);
      expect(run(chunks, true).results).toEqual(whole);
    }
  });
});

/** Fixture lines in Istio's tab layout that start with their time. */
const TABBED = TEXT.filter((r) => r.line.includes('\taccess\t') && /^\d{4}-/.test(r.line));
/** Fixture lines that start with their time (any layout). */
const TIMED = TEXT.filter((r) => /^\d{4}-/.test(r.line));

describe('tool prefixes (synthetic: real fixture lines with a prefix put in front)', () => {
  const cases: [string, (line: string) => string, string | null][] = [
    ['kubectl logs --timestamps', (l) => `2026-11-30T08:00:00.123456789Z ${l}`, null],
    ['CRI node log', (l) => `2026-11-30T08:00:00.123456789Z stdout F ${l}`, null],
    ['kubectl logs --prefix', (l) => `[pod/ztunnel-x7k2p/istio-proxy] ${l}`, 'ztunnel-x7k2p'],
    ['stern', (l) => `ztunnel-x7k2p istio-proxy ${l}`, 'ztunnel-x7k2p'],
    [
      'stern, then --timestamps',
      (l) => `ztunnel-x7k2p istio-proxy 2026-11-30T08:00:00.123456789Z ${l}`,
      'ztunnel-x7k2p',
    ],
  ];
  it.each(cases)('%s', (_name, prefix, origin) => {
    for (const record of TIMED) {
      const connection = connectionOf(prefix(record.line));
      expect(connection).toEqual({ ...expectedOf(record, 'text'), origin });
    }
  });

  it('a line CRI split into a P part and an F part', () => {
    for (const record of TABBED) {
      const cut = Math.floor(record.line.length / 2);
      const text = `2026-11-30T08:00:00.1Z stdout P ${record.line.slice(0, cut)}\n2026-11-30T08:00:00.2Z stdout F ${record.line.slice(cut)}\n`;
      const { connections, stats } = run(text);
      expect(stats.connections).toBe(1);
      expect(connections[0]).toEqual(expectedOf(record, 'text'));
    }
  });

  it('kubectl --timestamps before a line whose own tabs were pasted as spaces keeps the line`s time', () => {
    for (const record of TABBED) {
      const spaced = record.line.replace(/\t/g, '    ');
      expect(connectionOf(`2026-11-30T08:00:00.123456789Z ${spaced}`)).toEqual(expectedOf(record, 'text'));
    }
  });
});

describe('layout variations (synthetic, from the real tab-layout lines)', () => {
  it('tabs turned into spaces, single spaces, or a terminal`s tab stops', () => {
    expect(TABBED.length).toBeGreaterThan(8);
    for (const record of TABBED) {
      for (const spaced of [
        record.line.replace(/\t/g, ' '),
        record.line.replace(/\t/g, '        '),
        // Tab stops every 8 columns, as `kubectl logs` in a terminal shows them.
        record.line.replace(/[^\t]*\t/g, (part) => {
          const text = part.slice(0, -1);
          return `${text}${' '.repeat(8 - (text.length % 8))}`;
        }),
      ]) {
        expect(connectionOf(spaced)).toEqual(expectedOf(record, 'text'));
      }
    }
  });

  it('a missing time, a `\\r\\n` end, and unknown keys anywhere', () => {
    const record = TABBED[0];
    if (record === undefined) throw new Error('no fixture');
    const untimed = record.line.slice(record.line.indexOf('\t') + 1);
    expect(connectionOf(untimed)).toEqual({ ...expectedOf(record, 'text'), timestamp: null });
    expect(run(`${record.line}\r\n`).connections[0]).toEqual(expectedOf(record, 'text'));
    const extra = record.line
      .replace(' dst.addr=', ' zz.new_key="a b" dst.addr=')
      .concat(' tail=1 trailing-word');
    expect(connectionOf(extra)).toEqual(expectedOf(record, 'text'));
  });
});

/** A synthetic line in ztunnel's 1.23+ layout, with `fields` after the message. */
const synthetic = (fields: string, level = 'info', message = 'connection complete') =>
  `2026-11-30T08:00:00.987654Z\t${level}\taccess\t${message}\tsrc.addr=10.0.0.1:40000 ${fields}`;

describe('values (synthetic lines)', () => {
  it('src.cluster and dst.cluster (builds from July 2026)', () => {
    const connection = connectionOf(
      synthetic(
        'src.workload="client" src.cluster="cluster-a" dst.addr=10.0.0.2:15008 dst.cluster="cluster-b" direction="outbound"',
      ),
    );
    expect(connection).toMatchObject({
      timestamp: '2026-11-30T08:00:00.987Z',
      src_cluster: 'cluster-a',
      dst_cluster: 'cluster-b',
      direction: 'outbound',
    });
  });

  it('error text with colons, commas, parentheses and Rust escapes (\\" \\\\ \\n \\u{1b})', () => {
    const connection = connectionOf(
      synthetic(
        'dst.addr=10.0.0.2:15008 direction="inbound" error="io error: upstream said \\"no\\" (os error 111), path C:\\\\x\\nnext \\u{1b}[31m \\q" bytes_sent=1',
        'error',
      ),
    );
    expect(connection.error).toBe(
      'io error: upstream said "no" (os error 111), path C:\\x\nnext \u001b[31m \\q',
    );
    expect(connection).toMatchObject({ level: 'error', direction: 'inbound', bytes_sent: 1 });
  });

  it('only ztunnel`s own values: whole milliseconds, inbound/outbound, digits for bytes', () => {
    const connection = connectionOf(
      synthetic('dst.addr=x duration="1.5s" direction="sideways" bytes_sent=-1 bytes_recv=12a'),
    );
    expect(connection).toMatchObject({
      duration_ms: null,
      direction: null,
      bytes_sent: null,
      bytes_recv: null,
    });
    expect(connectionOf(synthetic('duration="0ms"')).duration_ms).toBe(0);
    expect(connectionOf(synthetic('duration=12ms')).duration_ms).toBe(12);
  });

  it('an empty quoted value is null, and the first of two same keys wins', () => {
    const connection = connectionOf(synthetic('src.workload="" dst.addr=a dst.addr=b'));
    expect(connection).toMatchObject({ src_workload: null, dst_addr: 'a' });
  });
});

describe('not connection records', () => {
  it.each([
    [
      'another target',
      '2026-11-30T08:00:00.000000Z\tinfo\txds::client:xds{id=1}\treceived response\ttype_url="x"',
    ],
    [
      'a target that starts with access',
      '2026-11-30T08:00:00.000000Z\tinfo\taccess_log\tconnection complete\tsrc.addr=1:2',
    ],
    [
      'access with a span',
      '2026-11-30T08:00:00.000000Z  INFO access:span{a=1}: connection complete src.addr=1:2',
    ],
    ['access without addresses', '2026-11-30T08:00:00.000000Z\tinfo\taccess\tsomething else\tfoo=bar'],
    ['access with no fields', 'info\taccess\tconnection complete'],
    ['not a level', '2026-11-30T08:00:00.000000Z\tnotice\taccess\tconnection complete\tsrc.addr=1:2'],
    ['a number, not a time', '12345 info access connection complete src.addr=1:2'],
    ['pilot-agent', '2026-11-30T08:00:00.000000Z\tinfo\tFIPS mode disabled'],
  ])('%s', (_name, line) => {
    expect(parseZtunnelText(line, 'f', 1, null)).toBeNull();
    expect(run(`${line}\n`).results).toEqual([{ ok: false, reason: 'not_access_log' }]);
  });

  it('an access record cut inside a quoted value: malformed, truncated when it is the last line', () => {
    const cut = synthetic('dst.addr=10.0.0.2:15008 error="connection reset by');
    expect(run(`${cut}\n${synthetic('dst.addr=y')}\n`).results.map((r) => r.ok || r.reason)).toEqual([
      'malformed',
      true,
    ]);
    expect(run(cut).results).toEqual([{ ok: false, reason: 'truncated' }]);
  });
});

describe('JSON (LOG_FORMAT=json)', () => {
  it('the tracing crate`s JSON of the first builds (synthetic: `target`, `timestamp`, upper-case level)', () => {
    const line = JSON.stringify({
      timestamp: '2024-04-20T10:00:00.123456Z',
      level: 'INFO',
      message: 'connection complete',
      'src.addr': '10.0.0.1:40000',
      'dst.addr': '10.0.0.2:15008',
      'dst.hbone_addr': '10.0.0.2:9080',
      direction: 'outbound',
      bytes_sent: 5,
      bytes_recv: 7,
      duration: '3ms',
      target: 'access',
    });
    expect(connectionOf(line)).toMatchObject({
      format: 'json',
      timestamp: '2024-04-20T10:00:00.123Z',
      level: 'info',
      src_addr: '10.0.0.1:40000',
      dst_hbone_addr: '10.0.0.2:9080',
      bytes_sent: 5,
      bytes_recv: 7,
      duration_ms: 3,
    });
  });

  it('a record with a response code stays an entry; an escaped key is read by the object path', () => {
    const entry = '{"response_code":200,"bytes_sent":1,"duration":2,"scope":"access","src.addr":"1:2"}';
    for (const general of [false, true]) {
      const { results, stats } = run(`${entry}\n`, general);
      expect(stats).toMatchObject({ entries: 1, connections: 0 });
      expect(results[0]?.ok && results[0].entry?.response_code).toBe(200);
    }
    const escaped = '{"scope":"access","src\\u002eaddr":"1:2","bytes_sent":1,"duration":"4ms"}';
    expect(connectionOf(escaped)).toMatchObject({ src_addr: '1:2', duration_ms: 4 });
  });

  it('a JSON line of another scope with access-log-like keys is not a record', () => {
    const line =
      '{"level":"info","scope":"proxy::outbound","src.addr":"1:2","bytes_sent":1,"duration":"4ms"}';
    for (const general of [false, true]) expect(run(`${line}\n`, general).stats.connections).toBe(0);
  });
});

describe('bounded work on hostile lines (1 MB)', () => {
  const big = 1_000_000;
  it.each([
    [
      'an unterminated quoted value full of escapes',
      synthetic(`error="${'\\"'.repeat(big / 2)}`),
      'truncated',
    ],
    ['a message with no key', `info\taccess\t${'word '.repeat(big / 5)}`, 'not_access_log'],
    ['a million keys', synthetic('k=v '.repeat(big / 4)), 'ok'],
    ['one long key', synthetic(`${'a'.repeat(big)}=1`), 'ok'],
    ['a long run of key characters and no =', synthetic('a.'.repeat(big / 2)), 'ok'],
    ['runs of spaces', `2026-11-30T08:00:00Z${' '.repeat(big)}info access x src.addr=1`, 'ok'],
  ])('%s', (_name, line, outcome) => {
    const started = performance.now();
    const { results } = parseAll(line);
    const elapsed = performance.now() - started;
    expect(results).toHaveLength(1);
    expect(results[0]?.ok ? 'ok' : results[0]?.reason).toBe(outcome);
    expect(elapsed).toBeLessThan(2_000);
  });
});
