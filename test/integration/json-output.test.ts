/**
 * One JSON contract for every command (issue 11 §12): each command's `-o json` (and `parse`'s NDJSON) has
 * snake_case keys and RFC 3339 instants (UTC, `Z`, milliseconds). The cluster commands run against the
 * Kubernetes-API-compatible test server through the real client, the file commands on the bundled sample.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { commandsFor } from '../../src/commands/command-table.js';
import type { FakeApiServer } from '../../src/kube-sim/index.js';
import { captureIo } from '../support/capture-io.js';
import { jsonContractProblems } from '../support/json-contract.js';
import { HOUR, startCluster, T0 } from './logging-helpers.js';

const SAMPLE = 'examples/bookinfo.log';
const TRACE_ID = '2fe6df3f-f4f1-999e-bfe9-8bad15484355';

let server: FakeApiServer;
let kubeconfig: string;

beforeAll(async () => {
  server = await startCluster();
  kubeconfig = join(mkdtempSync(join(tmpdir(), 'meshbot-json-')), 'config');
  writeFileSync(kubeconfig, server.kubeconfigYaml());
});
afterAll(async () => {
  await server?.close();
});

async function run(args: string[], nowMs = T0): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = captureIo({ env: { USER: 'carol' }, now: () => nowMs });
  const code = await runCli(args, io);
  return { code, stdout: io.out(), stderr: io.err() };
}

const cluster = (...args: string[]) => [...args, '-o', 'json', '--kubeconfig', kubeconfig];

/** Every command's JSON, in an order that leaves something for each to report. */
const CASES: { name: string; command: string; args: () => string[]; nowMs?: number }[] = [
  { name: 'logs --file', command: 'logs', args: () => ['logs', '-f', SAMPLE, '-o', 'json'] },
  { name: 'trace --file', command: 'trace', args: () => ['trace', TRACE_ID, '-f', SAMPLE, '-o', 'json'] },
  { name: 'version', command: 'version', args: () => ['version', '-o', 'json'] },
  {
    name: 'enable-logging --dry-run',
    command: 'enable-logging',
    args: () => cluster('enable-logging', 'shop', '--for', '30m', '--dry-run'),
  },
  {
    name: 'enable-logging',
    command: 'enable-logging',
    args: () => cluster('enable-logging', 'shop', '--for', '30m'),
  },
  { name: 'status', command: 'status', args: () => cluster('status', '-A') },
  { name: 'status, expired', command: 'status', args: () => cluster('status', 'shop'), nowMs: T0 + HOUR },
  {
    name: 'reconcile --dry-run, one expired',
    command: 'reconcile',
    args: () => cluster('reconcile', '--dry-run'),
    nowMs: T0 + HOUR,
  },
  { name: 'disable-logging', command: 'disable-logging', args: () => cluster('disable-logging', 'shop') },
  { name: 'reconcile', command: 'reconcile', args: () => cluster('reconcile') },
];

describe('every command prints JSON with snake_case keys and RFC 3339 times', () => {
  it('covers every CLI command that can print JSON', () => {
    const withJson = commandsFor('cli')
      .filter((s) => s.options.some((o) => o.name === 'format' && (o.choices ?? []).includes('json')))
      .map((s) => s.name);
    expect(new Set(CASES.map((c) => c.command))).toEqual(new Set(withJson));
  });

  // In order: each case sees the cluster the previous ones left.
  it('each command, one after another', async () => {
    for (const c of CASES) {
      const { code, stdout, stderr } = await run(c.args(), c.nowMs);
      expect({ case: c.name, code, stderr }).toEqual({ case: c.name, code: 0, stderr: '' });
      expect({ case: c.name, problems: jsonContractProblems(JSON.parse(stdout) as unknown) }).toEqual({
        case: c.name,
        problems: [],
      });
    }
  });

  it('a logging change: instants RFC 3339 under snake_case keys, the Kubernetes object as Kubernetes writes it', async () => {
    const { stdout } = await run(cluster('enable-logging', 'shop', '--for', '30m', '--dry-run'));
    const json = JSON.parse(stdout) as Record<string, unknown> & {
      change: { object: Record<string, unknown> };
    };
    expect(json).toMatchObject({
      command: 'enable-logging',
      dry_run: true,
      requested_by: 'carol',
      since: new Date(T0).toISOString(),
      until: new Date(T0 + 30 * 60_000).toISOString(),
    });
    expect(json).not.toHaveProperty('untilMs');
    expect(json.change).toHaveProperty('api_version');
    expect(json.change.object).toHaveProperty('apiVersion');
  });

  it('parse prints one snake_case object per entry, start times in RFC 3339', async () => {
    const { code, stdout } = await run(['parse', SAMPLE]);
    expect(code).toBe(0);
    const entries = stdout.trimEnd().split('\n');
    expect(entries.length).toBeGreaterThan(1000);
    const problems = entries.flatMap((line, i) => jsonContractProblems(JSON.parse(line) as unknown, `$${i}`));
    expect(problems).toEqual([]);
  });
});
