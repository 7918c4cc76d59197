/**
 * The JSON scanner against its oracle: for every input, `parseJsonRecord` (scanner first) must give what
 * `parseJsonObjectRecord` (`JSON.parse`) gives — real fixtures, the seed, generated traffic, every
 * value shape JSON allows, changing key orders, and random damage to real lines.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIXTURE_LINES } from '../../test/support/fixture-lines.js';
import { generateMeshLogs } from '../demo/synthetic-mesh.js';
import { DEFAULT_JSON_KEYS, parseJsonObjectRecord, parseJsonRecord } from './parse-json.js';
import { JsonKeyTable, newJsonScan, scanJson } from './scan-json.js';

const fixtureLines: string[] = FIXTURE_LINES.filter((l) => l.trimStart().startsWith('{'));

const seedRecords: string[] = readdirSync(new URL('../../test/fixtures/seed/', import.meta.url)).flatMap(
  (name) =>
    readFileSync(new URL(`../../test/fixtures/seed/${name}`, import.meta.url), 'utf8')
      .split(/\n(?=\{)/)
      .map((r) => r.trim())
      .filter((r) => r.startsWith('{')),
);

const generated: string[] = [...generateMeshLogs({ requests: 300, seed: 7, format: 'json', gapMs: 5 })].map(
  (l) => l.text,
);

/** Every value shape JSON allows, and many it does not. */
const VALUE_SHAPES: [string, string][] = [
  [
    'escaped strings',
    '{"response_code":200,"path":"/a\\"b\\\\c\\u00e9\\n","user_agent":"x\\"y","upstream_cluster":"c"}',
  ],
  [
    'a string that ends in an escaped backslash',
    '{"response_code":200,"path":"/a\\\\","upstream_cluster":"c"}',
  ],
  [
    'numbers JSON allows',
    '{"response_code":200.0,"duration":-3,"bytes_sent":1e3,"bytes_received":2.5E-1,"upstream_cluster":"x"}',
  ],
  ['a huge number', '{"response_code":200,"duration":1e400,"upstream_cluster":"x"}'],
  [
    'numbers as strings and "-"',
    '{"response_code":"503","duration":"12","bytes_sent":"-","upstream_cluster":"x"}',
  ],
  ['code "-"', '{"response_code":"-","upstream_cluster":"x","duration":1}'],
  ['code ""', '{"response_code":"","upstream_cluster":"x","duration":1}'],
  ['code null', '{"response_code":null,"upstream_cluster":"x","duration":1}'],
  ['code true', '{"response_code":true,"upstream_cluster":"x","duration":1}'],
  [
    'booleans and nulls as values',
    '{"response_code":200,"method":true,"path":false,"protocol":null,"upstream_cluster":"x"}',
  ],
  [
    'numbers where strings belong',
    '{"response_code":200,"method":1.50,"request_id":12,"upstream_cluster":7}',
  ],
  ['a numeric start time', '{"start_time":1606339578,"response_code":200,"upstream_cluster":"x"}'],
  ['flags as a number', '{"response_flags":5,"response_code":200,"upstream_cluster":"x"}'],
  ['an escaped dash as code', '{"response_code":"\\u002d","upstream_cluster":"x","duration":1}'],
  [
    'alternative keys, both present, either order',
    '{"startTime":"2020-01-01T00:00:00Z","start_time":"2021-01-01T00:00:00.000Z","response_code":1,"upstream_cluster":"x"}',
  ],
  [
    'alternative key only',
    '{"timestamp":"2021-01-01T00:00:00.000Z","status_code":404,"upstream_cluster":"x"}',
  ],
  ['a repeated key (last wins)', '{"response_code":200,"response_code":503,"upstream_cluster":"x"}'],
  ['unknown keys around known ones', '{"a":1,"response_code":200,"b":"x","upstream_cluster":"c","c":null}'],
  ['an escaped key', '{"response\\u005fcode":200,"upstream_cluster":"c","duration":1}'],
  ['whitespace everywhere', ' {\n  "response_code" : 200 ,\t"upstream_cluster":\r\n "c" } '],
  ['a nested object', '{"response_code":200,"upstream_cluster":"c","extra":{"a":[1,2]}}'],
  ['an array value', '{"response_code":[200],"upstream_cluster":"c"}'],
  ['an empty object', '{}'],
  ['an app log line', '{"level":"info","msg":"started","time":"2020-01-01T00:00:00Z"}'],
  ['leading zeros', '{"response_code":0200,"upstream_cluster":"c"}'],
  ['a bare minus', '{"response_code":-,"upstream_cluster":"c"}'],
  ['1.', '{"response_code":1.,"upstream_cluster":"c"}'],
  ['.5', '{"response_code":.5,"upstream_cluster":"c"}'],
  ['1e', '{"response_code":1e,"upstream_cluster":"c"}'],
  ['a missing comma', '{"response_code":200 "upstream_cluster":"c"}'],
  ['a trailing comma', '{"response_code":200,"upstream_cluster":"c",}'],
  ['a missing colon', '{"response_code" 200,"upstream_cluster":"c"}'],
  ['trailing data', '{"response_code":200,"upstream_cluster":"c"} x'],
  ['two objects', '{"response_code":200,"upstream_cluster":"c"}{"a":1}'],
  ['an unterminated string', '{"response_code":200,"upstream_cluster":"c}'],
  ['a misspelt literal', '{"response_code":200,"upstream_cluster":nul}'],
  ['single quotes', "{'response_code':200,'upstream_cluster':'c'}"],
  [
    'a cluster with the 1.23 trailing semicolon',
    '{"response_code":200,"upstream_cluster":"outbound|80||a.b.svc.cluster.local;"}',
  ],
  [
    'long flag names',
    '{"response_code":503,"response_flags":"NoHealthyUpstream,UpstreamRetryLimitExceeded","upstream_cluster":"c"}',
  ],
];

function agree(text: string): void {
  expect(parseJsonRecord(text, 'f', 3, 'pod-a')).toEqual(parseJsonObjectRecord(text, 'f', 3, 'pod-a'));
}

function scans(text: string): boolean {
  return scanJson(text, new JsonKeyTable(Object.values(DEFAULT_JSON_KEYS)), newJsonScan(24));
}

/** Real lines with one to three characters deleted, repeated or replaced by JSON's own. */
function damagedJson(count: number): string[] {
  let seed = 42;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const samples = [...fixtureLines, ...generated.slice(0, 40)];
  const alphabet = '{}[]:,"\\-0123456789.eE+ntrufalsx ';
  const lines: string[] = [];
  for (let round = 0; round < count; round++) {
    const line = samples[random(samples.length)] ?? '';
    const chars = [...line];
    for (let edits = 1 + random(3); edits > 0; edits--) {
      const at = random(chars.length);
      const op = random(3);
      if (op === 0) chars.splice(at, 1);
      else if (op === 1) chars.splice(at, 0, chars[at] ?? '');
      else chars[at] = alphabet[random(alphabet.length)] ?? ' ';
    }
    lines.push(chars.join(''));
  }
  return lines;
}

/** Records whose keys come in changing orders, some dropped, some added. */
function reordered(): string[] {
  const base = JSON.parse(generated[0] ?? '{}') as Record<string, unknown>;
  const keys = Object.keys(base);
  const variants = [
    keys,
    [...keys].reverse(),
    keys.filter((_, i) => i % 2 === 0),
    ['x_extra', ...keys],
    keys.map((k) => (k === 'duration' ? 'duration_ms' : k)),
    keys,
  ];
  return variants.map((order) =>
    JSON.stringify(Object.fromEntries(order.map((k) => [k, base[k] ?? base.duration ?? 1]))),
  );
}

describe('scanJson agrees with JSON.parse', () => {
  it('on every real JSON fixture line and the seed’s pretty-printed records', () => {
    expect(fixtureLines.length).toBeGreaterThan(5);
    expect(seedRecords.length).toBeGreaterThan(1);
    for (const line of [...fixtureLines, ...seedRecords]) agree(line);
  });

  it('on generated traffic, and the scanner is what parses it', () => {
    for (const line of generated) agree(line);
    expect(generated.every(scans)).toBe(true);
  });

  it.each(VALUE_SHAPES)('on %s', (_name, text) => {
    agree(text);
  });

  it('when consecutive records change key order, drop keys and add new ones', () => {
    for (const record of reordered()) agree(record);
  });

  it('on randomly damaged real lines (deleted, repeated and replaced printable characters)', () => {
    for (const line of damagedJson(3000)) agree(line);
  });
});

describe('scanJson in place', () => {
  /** What may surround a record in its chunk: other records, spaces, newlines and backslashes. */
  const surroundings: [string, string][] = [
    ['', ''],
    ['{"a":1}\n', '\n{"response_code":200}'],
    ['x\\"\n', ' \\ "}\n'],
    ['{"path":"/a\\"b"}\n', '   \n}}"\\'],
  ];

  it('gives what parsing the record alone gives, whatever surrounds it', () => {
    const records = [
      ...fixtureLines,
      ...generated.slice(0, 50),
      ...VALUE_SHAPES.map(([, text]) => text),
      ...reordered(),
      ...damagedJson(1500),
    ];
    const differences: string[] = [];
    for (const text of records) {
      const alone = parseJsonRecord(text, 'f', 3, null);
      for (const [before, after] of surroundings) {
        const chunk = before + text + after;
        const inPlace = parseJsonRecord(
          chunk,
          'f',
          3,
          null,
          undefined,
          before.length,
          before.length + text.length,
        );
        if (JSON.stringify(inPlace) !== JSON.stringify(alone))
          differences.push(`${JSON.stringify(before)} ${text}`);
      }
      if (differences.length >= 3) break;
    }
    expect(differences).toEqual([]);
  });
});

describe('scanJson leniency, on purpose', () => {
  it('accepts a raw control character inside a string, which JSON.parse rejects (Envoy always escapes them)', () => {
    const text = '{"response_code":200,"user_agent":"a\tb","upstream_cluster":"c"}';
    const result = parseJsonRecord(text, 'f', 1, null);
    expect(result.ok && result.entry?.user_agent).toBe('a\tb');
    // The object path reads it too, after JSON.parse refused it: as JSON-shaped text (json-shaped-text.ts).
    expect(parseJsonObjectRecord(text, 'f', 1, null)).toEqual(result);
  });
});

describe('JsonKeyTable', () => {
  it('refuses a key map where one key feeds two fields, leaving those records to JSON.parse', () => {
    const table = new JsonKeyTable([['code'], ['code']]);
    expect(table.usable).toBe(false);
    expect(scanJson('{"code":1}', table, newJsonScan(2))).toBe(false);
  });
});
