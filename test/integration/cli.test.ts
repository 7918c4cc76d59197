/** The built `meshbot` run as a process, as a user would. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { SummaryReport, TraceReport } from '../../src/analysis/report.js';
import { REPO, runMeshbot } from '../support/run-meshbot.js';

const SEED_ID = 'be5acb4a-9e3e-4540-814d-07c2c7dcf7f1';
const tmp = mkdtempSync(join(tmpdir(), 'meshbot-cli-'));
// The seed's two entries saved as the issue describes them: sleep.log and helloworld.log.
const sleepLog = join(tmp, 'sleep.log');
const helloLog = join(tmp, 'helloworld.log');
writeFileSync(sleepLog, readFileSync(join(REPO, 'test/fixtures/seed/sleep.log')));
writeFileSync(helloLog, readFileSync(join(REPO, 'test/fixtures/seed/helloworld.log')));

function noStackTrace(text: string) {
  expect(text).not.toMatch(/\n\s+at /);
  expect(text).not.toContain('Error:');
}

describe('meshbot CLI', () => {
  it('starts without loading the Kubernetes client for --file commands (it takes ~0.7 s to load)', () => {
    // Every module the CLI imports at startup, followed through static imports from dist/cli/main.js.
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const code = readFileSync(file, 'utf8');
      for (const [, spec] of code.matchAll(/^import [^;]*?from '([^']+)';/gms)) {
        if (spec?.startsWith('.')) visit(join(file, '..', spec));
        else if (spec !== undefined) seen.add(spec);
      }
    };
    visit(join(REPO, 'dist/cli/main.js'));
    expect(seen.size).toBeGreaterThan(20);
    const sdks = [...seen].filter(
      (m) => m.startsWith('@kubernetes/') || m.startsWith('@slack/') || m.includes('/dist/kubernetes/'),
    );
    expect(sdks).toEqual([]);
  });

  it('keeps the built bin executable, so npx meshbot works after every rebuild', () => {
    expect(statSync(join(REPO, 'dist/cli/main.js')).mode & 0o111).not.toBe(0);
    expect(readFileSync(join(REPO, 'dist/cli/main.js'), 'utf8').startsWith('#!/usr/bin/env node')).toBe(true);
  });

  it('prints help and the version', async () => {
    const help = await runMeshbot(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: meshbot COMMAND');
    for (const command of ['logs', 'trace', 'parse']) expect(help.stdout).toContain(command);
    const logsHelp = await runMeshbot(['logs', '--help']);
    expect(logsHelp.stdout).toContain('--since DUR');
    const version = await runMeshbot(['--version']);
    expect(version.stdout).toMatch(/^meshbot \d+\.\d+\.\d+/);
    const none = await runMeshbot([]);
    expect(none.code).toBe(2);
  });

  it('summarises the bundled sample (the quickstart job)', async () => {
    const { code, stdout, stderr } = await runMeshbot(['logs', '--file', 'examples/bookinfo.log'], {
      env: { COLUMNS: '100' },
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('FINDINGS');
    expect(stdout).toContain('503 UH no_healthy_upstream');
    expect(stdout).toContain('INBOUND');
    expect(stdout).toContain('OUTBOUND');
    expect(stdout).not.toContain('\x1b[');
    expect(stdout.indexOf('FINDINGS')).toBeLessThan(stdout.indexOf('INBOUND'));
    expect(stdout.indexOf('INBOUND')).toBeLessThan(stdout.indexOf('OUTBOUND'));
    for (const line of stdout.split('\n')) expect([...line].length).toBeLessThanOrEqual(100);
  });

  it('writes the JSON report', async () => {
    const { code, stdout } = await runMeshbot(['logs', '-f', 'examples/bookinfo.log', '--format', 'json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as SummaryReport;
    expect(report.totals).toMatchObject({ skipped_lines: 3 });
    expect(report.totals.entries).toBe(
      report.totals.inbound + report.totals.outbound + report.totals.unknown,
    );
    expect(report.flows[0]).toHaveProperty('direction');
    expect(report.flows[0]).toHaveProperty('peer');
    expect(report.findings[0]).toMatchObject({ severity: 'critical', flags: ['UH'] });
    // The contract of issue 2: totals, flows, findings and sources with at least these keys.
    for (const key of ['entries', 'inbound', 'outbound', 'errors', 'skipped_lines']) {
      expect(report.totals).toHaveProperty(key);
    }
    for (const flow of report.flows) {
      for (const key of ['direction', 'peer', 'count', 'errors']) expect(flow).toHaveProperty(key);
    }
    for (const finding of report.findings) {
      for (const key of ['severity', 'flags', 'count', 'explanation']) expect(finding).toHaveProperty(key);
      expect(finding.explanation.length).toBeGreaterThan(10);
    }
    expect(report.sources).toEqual([
      { name: 'examples/bookinfo.log', entries: report.totals.entries, skipped_lines: 3 },
    ]);
  });

  it('prints the Slack message it would post', async () => {
    const { code, stdout } = await runMeshbot(['logs', '-f', 'examples/bookinfo.log', '-o', 'slack']);
    expect(code).toBe(0);
    const message = JSON.parse(stdout) as { text: string; blocks: unknown[] };
    expect(message.text.length).toBeGreaterThan(0);
    expect(message.blocks.length).toBeLessThanOrEqual(50);
  });

  it('traces the seed request: sleep (outbound, 47 ms) → helloworld (inbound, 1 ms)', async () => {
    const { code, stdout } = await runMeshbot([
      'trace',
      SEED_ID,
      '--file',
      helloLog,
      '--file',
      sleepLog,
      '--format',
      'json',
    ]);
    expect(code).toBe(0);
    const trace = JSON.parse(stdout) as TraceReport;
    expect(trace.request_id).toBe(SEED_ID);
    for (const hop of trace.hops) {
      for (const key of [
        'source',
        'direction',
        'start_time',
        'duration_ms',
        'response_code',
        'response_flags',
        'method',
        'path',
        'authority',
        'upstream_cluster',
        'parent',
      ]) {
        expect(hop).toHaveProperty(key);
      }
    }
    expect(trace.hops.map((h) => [h.source, h.direction, h.duration_ms, h.parent])).toEqual([
      ['sleep', 'outbound', 47, null],
      ['helloworld', 'inbound', 1, 0],
    ]);
    const text = await runMeshbot(['trace', SEED_ID.toUpperCase(), '-f', sleepLog, '-f', helloLog]);
    expect(text.stdout).toContain('sleep');
    expect(text.stdout).toContain('helloworld');
    expect(text.stdout).toContain('47ms');
  });

  it('traces across pods of the sample by the kubectl --prefix pod names', async () => {
    const { stdout } = await runMeshbot([
      'trace',
      '2fe6df3f-f4f1-999e-bfe9-8bad15484355',
      '-f',
      'examples/bookinfo.log',
      '-o',
      'json',
    ]);
    const trace = JSON.parse(stdout) as TraceReport;
    expect(trace.hops[0]?.source).toMatch(/^istio-ingressgateway/);
    expect(trace.hops.some((h) => h.response_flags.includes('UH'))).toBe(true);
  });

  it('parses to NDJSON, from files and stdin, counting skipped lines on stderr', async () => {
    const fixture = readFileSync(join(REPO, 'test/fixtures/real-access-logs.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { line: string; format: string; expected: { is_access_log: boolean } });
    const input = `${fixture.map((r) => r.line).join('\n')}\n`;
    const { code, stdout, stderr } = await runMeshbot(['parse', '-'], { stdin: input });
    expect(code).toBe(0);
    const entries = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    // Access-log entries (`kind: request`), and ztunnel's line as a connection record (issue 14).
    expect(entries.filter((e) => e.kind === 'request')).toHaveLength(
      fixture.filter((r) => r.expected.is_access_log).length,
    );
    expect(entries.filter((e) => e.kind === 'connection')).toHaveLength(
      fixture.filter((r) => r.format === 'ztunnel-access-log').length,
    );
    expect(Object.keys(entries[0] ?? {})).toEqual([
      'kind',
      'line',
      'source',
      'format',
      'start_time',
      'method',
      'path',
      'protocol',
      'response_code',
      'response_flags',
      'response_code_details',
      'connection_termination_details',
      'upstream_transport_failure_reason',
      'bytes_received',
      'bytes_sent',
      'duration_ms',
      'upstream_service_time_ms',
      'x_forwarded_for',
      'user_agent',
      'request_id',
      'authority',
      'upstream_host',
      'upstream_cluster',
      'upstream_local_address',
      'downstream_local_address',
      'downstream_remote_address',
      'requested_server_name',
      'route_name',
      'direction',
      'pod',
    ]);
    expect(entries[0]).toMatchObject({
      kind: 'request',
      line: 1,
      source: 'stdin',
      format: 'text',
      pod: null,
    });
    expect(stderr).toMatch(/^meshbot: skipped \d+ of 60 lines \(\d+ not access-log lines?\)\n$/);
    const fromFile = await runMeshbot(['parse', sleepLog]);
    expect(JSON.parse(fromFile.stdout)).toMatchObject({
      kind: 'request',
      source: sleepLog,
      line: 1,
      request_id: SEED_ID,
    });
  });

  it('applies --since from now on stdin and explains an empty window', async () => {
    const { code, stdout } = await runMeshbot(['logs', '-f', '-', '--since', '15m'], {
      stdin: readFileSync(sleepLog),
      env: { COLUMNS: '300' },
    });
    expect(code).toBe(0);
    expect(stdout).toContain('older than the --since window');
    expect(stdout).toContain('15m before now (stdin is read once');
  });

  it('reads a custom --log-format', async () => {
    const file = join(tmp, 'custom.log');
    writeFileSync(file, '"GET /status/503" 503 retry_attempts=4 flags=URX details=via_upstream\n');
    const { stdout } = await runMeshbot([
      'parse',
      file,
      '--log-format',
      '"%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%" %RESPONSE_CODE% retry_attempts=%UPSTREAM_REQUEST_ATTEMPT_COUNT% flags=%RESPONSE_FLAGS% details=%RESPONSE_CODE_DETAILS%',
    ]);
    expect(JSON.parse(stdout)).toMatchObject({ response_code: 503, response_flags: ['URX'] });
  });

  it('keeps hostile log text from reaching the terminal as control sequences', async () => {
    const file = join(tmp, 'hostile.log');
    writeFileSync(
      file,
      '[2024-01-01T00:00:00.000Z] "GET /\x1b[2J\x1b]0;pwned\x07 HTTP/1.1" 503 UH no_healthy_upstream - "-" 0 0 1 - "-" "<!channel> \x1b[31mred" "id-1" "evil:80" "-" outbound|80||evil.ns.svc.cluster.local - 10.0.0.1:80 10.0.0.2:1 - default\n',
    );
    const text = await runMeshbot(['logs', '-f', file], { env: { FORCE_COLOR: '1' } });
    expect(text.stdout).not.toContain('\x1b[2J');
    expect(text.stdout).not.toContain('\x1b]0;');
    const slack = await runMeshbot(['logs', '-f', file, '-o', 'slack']);
    expect(slack.stdout).not.toContain('<!channel>');
  });

  it.each([
    [['logs', '-f', 'no-such.log'], 1, 'cannot read no-such.log: no such file'],
    [['logs', '-f', 'test'], 1, 'it is a directory'],
    [['logs'], 2, 'what should meshbot read?'],
    [
      ['logs', '-f', 'examples/bookinfo.log', '--since', 'yesterday'],
      2,
      '--since "yesterday" is not a duration',
    ],
    [
      ['logs', '-f', 'examples/bookinfo.log', '--format', 'xml'],
      2,
      '--format must be one of text, json, yaml, wide, slack (got "xml")',
    ],
    [['logs', '--frobnicate'], 2, 'unknown option --frobnicate for logs (meshbot logs --help)'],
    [['frobnicate'], 2, 'unknown command "frobnicate"'],
    [['trace'], 2, 'trace needs REQUEST_ID: the x-request-id'],
    [['logs', '--since', '5 minutes', '-f', 'examples/bookinfo.log'], 2, 'is not a duration'],
    [['logs', '--share', '-f', 'examples/bookinfo.log'], 2, '--share is not available on the command line'],
    [['trace', 'a b', '-f', 'examples/bookinfo.log'], 2, 'is not a request id'],
    [['parse', '--log-format', 'plain words'], 2, '--log-format: the log format has no %OPERATOR%'],
  ])('fails clearly: meshbot %j', async (args, exitCode, message) => {
    const { code, stdout, stderr } = await runMeshbot(args);
    expect(code).toBe(exitCode);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    noStackTrace(stderr);
  });

  it('skips a 100 MB line and still reads the entries around it', async () => {
    const big = join(tmp, 'huge-line.log');
    const line = readFileSync(sleepLog, 'utf8');
    writeFileSync(big, `${'x'.repeat(100 * 1024 * 1024)}\n${line}`);
    const { code, stdout, stderr } = await runMeshbot(['parse', big]);
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(stdout)).toMatchObject({ request_id: SEED_ID, line: 2 });
    expect(stderr).toContain('1 too long');
  });

  it('handles empty and binary files', async () => {
    const empty = join(tmp, 'empty.log');
    writeFileSync(empty, '');
    const a = await runMeshbot(['logs', '-f', empty]);
    expect(a.code).toBe(0);
    expect(a.stdout).toContain('No access-log entries found');
    const binary = join(tmp, 'binary.log');
    writeFileSync(binary, Buffer.from([0, 1, 2, 255, 254, 10, 0, 0, 7, 10]));
    // Binary data is not a log: refused by name, before any output (see cli-io.test.ts).
    const b = await runMeshbot(['parse', binary]);
    expect(b.code).toBe(1);
    expect(b.stderr).toBe(`meshbot: ${binary} is not a text log (binary data)\n`);
    expect(b.stdout).toBe('');
  });

  it('gives the same answers without WebAssembly (node --jitless), on the JavaScript tokenizer', async () => {
    const jitless = { NODE_OPTIONS: '--jitless' };
    for (const args of [
      ['logs', '-f', 'examples/bookinfo.log', '--format', 'json'],
      ['parse', 'examples/bookinfo.log'],
    ]) {
      const [plain, without] = await Promise.all([runMeshbot(args), runMeshbot(args, { env: jitless })]);
      expect(without.code).toBe(0);
      expect(without.stdout).toBe(plain.stdout);
      expect(plain.stdout.length).toBeGreaterThan(1000);
    }
  });

  it('trace: an id that matches nothing says so, where it looked, and exits 1', async () => {
    const { code, stdout } = await runMeshbot([
      'trace',
      '00000000-1111-2222-3333-444444444444',
      '-f',
      'examples/bookinfo.log',
    ]);
    expect(code).toBe(1);
    expect(stdout).toContain('No entries for this request id.');
    expect(stdout).toContain('not in this file: check the id');
  });
});

describe('meshbot CLI: kubectl and stern conventions', () => {
  const widest = (text: string) => Math.max(...text.split('\n').map((l) => [...l].length));

  it('cuts nothing on a pipe without COLUMNS, nor with -o wide; fits COLUMNS otherwise', async () => {
    const sample = ['logs', '-f', 'examples/bookinfo.log'];
    const [pipe, wide, narrow] = await Promise.all([
      runMeshbot(sample),
      runMeshbot(['-o', 'wide', ...sample], { env: { COLUMNS: '80' } }),
      runMeshbot(sample, { env: { COLUMNS: '80' } }),
    ]);
    expect(pipe.code).toBe(0);
    expect(wide.stdout).toBe(pipe.stdout);
    expect(widest(narrow.stdout)).toBeLessThanOrEqual(80);
    expect(widest(pipe.stdout)).toBeGreaterThan(80);
  });

  it('takes global options before the command; -o yaml is the JSON document as YAML', async () => {
    const [json, yaml] = await Promise.all([
      runMeshbot(['logs', '-f', 'examples/bookinfo.log', '--output=json']),
      runMeshbot(['--no-color', '-o', 'yaml', 'logs', '-f', 'examples/bookinfo.log']),
    ]);
    expect(yaml.code).toBe(0);
    expect(yaml.stderr).toBe('');
    expect(parseYaml(yaml.stdout)).toEqual(JSON.parse(json.stdout));
  });

  it('--version and -v print the version; --dry-run=server and two ids are refused clearly', async () => {
    const [long, short] = await Promise.all([runMeshbot(['--version']), runMeshbot(['-v'])]);
    expect(long.stdout).toMatch(/^meshbot \d+\.\d+\.\d+\n$/);
    expect(short.stdout).toBe(long.stdout);
    const server = await runMeshbot(['enable-logging', 'shop', '--dry-run=server']);
    expect(server.code).toBe(2);
    expect(server.stderr).toMatch(
      /^meshbot: --dry-run=server is not supported: meshbot does client-side dry runs only/,
    );
    const two = await runMeshbot(['trace', SEED_ID, '2fe6df3f-f4f1-999e-bfe9-8bad15484355']);
    expect(two.code).toBe(2);
    expect(two.stderr).toMatch(/^meshbot: trace takes one request id \(got 2: /);
    for (const r of [server, two]) noStackTrace(r.stderr);
  });

  it('completion bash, sourced in a real bash, completes commands and options', async () => {
    const main = join(REPO, 'dist/cli/main.js');
    const complete = (words: string[]) =>
      execFileSync(
        'bash',
        [
          '--norc',
          '-c',
          `source <(${JSON.stringify(process.execPath)} ${JSON.stringify(main)} completion bash); COMP_WORDS=(${words.join(' ')}); COMP_CWORD=${words.length - 1}; _meshbot; echo "\${COMPREPLY[@]}"`,
        ],
        { encoding: 'utf8' },
      ).trim();
    expect(complete(['meshbot', 'lo'])).toBe('logs');
    expect(complete(['meshbot', 'logs', '--fo']).split(' ')).toContain('--format');
    expect(
      complete(['meshbot', 'logs', '--fo'])
        .split(' ')
        .every((w) => w.startsWith('--fo')),
    ).toBe(true);
    expect(complete(['meshbot', '-o', 'json', 'sta'])).toBe('status');
    expect(complete(['meshbot', 'completion', 'z'])).toBe('zsh');
  });

  it('wraps help to COLUMNS, and to 80 columns on a pipe', async () => {
    const [pipe, wide] = await Promise.all([
      runMeshbot(['--help']),
      runMeshbot(['--help'], { env: { COLUMNS: '200' } }),
    ]);
    expect(widest(pipe.stdout)).toBeLessThanOrEqual(80);
    expect(widest(wide.stdout)).toBeGreaterThan(80);
  });
});
