/** The command table: parsed tokens become typed requests and namespace scopes, and `run` over fake deps. */

import { describe, expect, it } from 'vitest';
import { errorOf } from '../../test/support/error-of.js';
import { FIXTURE_LINES } from '../../test/support/fixture-lines.js';
import type { CommandDeps } from './command-deps.js';
import type { FrontEnd } from './command-spec.js';
import {
  COMMAND_SPECS,
  COMMAND_TABLE,
  commandsFor,
  parseTokens,
  prepareCommand,
  wantsHelp,
} from './command-table.js';
import { tokenizeCommandText } from './parse-command-line.js';
import { type LogSource, textSource } from './ports.js';
import type { NamespaceScope, PreparedCommand } from './table/define-command.js';

const LIMITS = { maxLoggingMs: 4 * 3600_000 };
const ID = 'be5acb4a-9e3e-4540-814d-07c2c7dcf7f1';
const NO_CONNECTION = { kubeconfig: undefined, context: undefined };
const NOW = Date.parse('2020-11-26T00:00:00Z');

function prepare(text: string, frontEnd: FrontEnd): PreparedCommand {
  return prepareCommand(parseTokens(tokenizeCommandText(text), frontEnd), LIMITS);
}

const notUsed = (): Promise<never> => Promise.reject(new Error('not used by this test'));

function fakeDeps(extra: Partial<CommandDeps> = {}): CommandDeps {
  return {
    clock: () => NOW,
    requester: 'test',
    maxLoggingMs: LIMITS.maxLoggingMs,
    cluster: notUsed,
    istio: notUsed,
    leases: notUsed,
    ...extra,
  };
}

/** Two real access-log lines (the sleep → httpbin request, both sides) behind any file name. */
function savedLogs(paths: readonly string[]): Promise<LogSource[]> {
  return Promise.resolve(paths.map((p) => textSource(p, `${FIXTURE_LINES.slice(0, 2).join('\n')}\n`)));
}
const FIXTURE_ID = '84961386-6d84-929d-98bd-c5aee93b5c88';

describe('the table', () => {
  it('has one command per spec, with unique names, in help order', () => {
    expect(COMMAND_TABLE.map((c) => c.spec)).toEqual(COMMAND_SPECS);
    const names = COMMAND_SPECS.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    expect(commandsFor('slack').map((s) => s.name)).toEqual([
      'logs',
      'trace',
      'enable-logging',
      'disable-logging',
      'status',
      'help',
    ]);
  });

  it('returns --help as parsed, without building a request', () => {
    const parsed = parseTokens(['trace', '--help'], 'slack');
    expect(wantsHelp(parsed)).toBe(true);
    expect(wantsHelp(parseTokens(['trace', ID], 'slack'))).toBe(false);
  });
});

describe('prepareCommand: requests and scopes', () => {
  type Case = [FrontEnd[], string, Record<string, unknown>, NamespaceScope];
  const both: FrontEnd[] = ['cli', 'slack'];
  it.each<Case>([
    [
      both,
      'logs deploy/reviews -n bookinfo --since 1h --tail 50 -p',
      {
        source: 'cluster',
        target: 'deploy/reviews',
        namespace: 'bookinfo',
        window: { kind: 'duration', ms: 3_600_000 },
        tailLines: 50,
        previous: true,
        maxLogRequests: undefined,
        customParser: undefined,
        connection: NO_CONNECTION,
      },
      { kind: 'namespaces', names: ['bookinfo'] },
    ],
    [
      both,
      'logs istio-ingressgateway',
      {
        source: 'cluster',
        target: 'istio-ingressgateway',
        namespace: undefined,
        window: undefined,
        tailLines: undefined,
        previous: false,
        maxLogRequests: undefined,
        customParser: undefined,
        connection: NO_CONNECTION,
      },
      { kind: 'default' },
    ],
    [
      ['cli'],
      'logs cart --kubeconfig k.yaml --context prod --max-log-requests 7',
      {
        source: 'cluster',
        target: 'cart',
        namespace: undefined,
        window: undefined,
        tailLines: undefined,
        previous: false,
        maxLogRequests: 7,
        customParser: undefined,
        connection: { kubeconfig: 'k.yaml', context: 'prod' },
      },
      { kind: 'default' },
    ],
    [
      ['cli'],
      'logs --file a.log -f b.log c.log --since 2h',
      {
        source: 'files',
        files: ['a.log', 'b.log', 'c.log'],
        target: undefined,
        window: { kind: 'duration', ms: 7_200_000 },
        customParser: undefined,
        logFormat: undefined,
      },
      { kind: 'none' },
    ],
    [
      both,
      `trace ${ID} -n a -n b -n a`,
      {
        source: 'cluster',
        id: ID,
        namespaces: ['a', 'b'],
        all: false,
        window: undefined,
        maxLogRequests: undefined,
        customParser: undefined,
        connection: NO_CONNECTION,
      },
      { kind: 'namespaces', names: ['a', 'b'] },
    ],
    [
      both,
      `trace ${ID} -A --since 3h`,
      {
        source: 'cluster',
        id: ID,
        namespaces: [],
        all: true,
        window: { kind: 'duration', ms: 10_800_000 },
        maxLogRequests: undefined,
        customParser: undefined,
        connection: NO_CONNECTION,
      },
      { kind: 'all' },
    ],
    [
      both,
      `trace ${ID}`,
      {
        source: 'cluster',
        id: ID,
        namespaces: [],
        all: false,
        window: undefined,
        maxLogRequests: undefined,
        customParser: undefined,
        connection: NO_CONNECTION,
      },
      { kind: 'default' },
    ],
    [
      ['cli'],
      `trace ${ID} --file sleep.log helloworld.log`,
      {
        source: 'files',
        id: ID,
        files: ['sleep.log', 'helloworld.log'],
        window: undefined,
        customParser: undefined,
      },
      { kind: 'none' },
    ],
    [
      both,
      "enable-logging ns --for 1h --mode server --workload app=x --filter 'response.code >= 500' --provider otel",
      {
        namespace: 'ns',
        mesh: false,
        workload: 'app=x',
        dryRun: false,
        connection: NO_CONNECTION,
        forMs: 3_600_000,
        mode: 'server',
        filter: 'response.code >= 500',
        provider: 'otel',
        requestedBy: undefined,
        confirmed: false,
      },
      { kind: 'namespaces', names: ['ns'] },
    ],
    [
      both,
      'enable-logging ns --dry-run',
      {
        namespace: 'ns',
        mesh: false,
        workload: undefined,
        dryRun: true,
        connection: NO_CONNECTION,
        forMs: undefined,
        mode: 'both',
        filter: undefined,
        provider: undefined,
        requestedBy: undefined,
        confirmed: false,
      },
      { kind: 'namespaces', names: ['ns'] },
    ],
    [
      ['cli'],
      'enable-logging --mesh --for 4h --requested-by alice',
      {
        namespace: undefined,
        mesh: true,
        workload: undefined,
        dryRun: false,
        connection: NO_CONNECTION,
        forMs: 4 * 3600_000,
        mode: 'both',
        filter: undefined,
        provider: undefined,
        requestedBy: 'alice',
        confirmed: false,
      },
      { kind: 'mesh' },
    ],
    [
      ['slack'],
      'enable-logging --mesh --yes',
      {
        namespace: undefined,
        mesh: true,
        workload: undefined,
        dryRun: false,
        connection: NO_CONNECTION,
        forMs: undefined,
        mode: 'both',
        filter: undefined,
        provider: undefined,
        requestedBy: undefined,
        confirmed: true,
      },
      { kind: 'mesh' },
    ],
    [
      both,
      'disable-logging shop --workload app=cart',
      {
        namespace: 'shop',
        mesh: false,
        workload: 'app=cart',
        dryRun: false,
        connection: NO_CONNECTION,
        confirmed: false,
      },
      { kind: 'namespaces', names: ['shop'] },
    ],
    [
      both,
      'disable-logging --mesh --dry-run',
      {
        namespace: undefined,
        mesh: true,
        workload: undefined,
        dryRun: true,
        connection: NO_CONNECTION,
        confirmed: false,
      },
      { kind: 'mesh' },
    ],
    [
      both,
      'status shop',
      { namespace: 'shop', connection: NO_CONNECTION },
      { kind: 'namespaces', names: ['shop'] },
    ],
    [both, 'status', { namespace: undefined, connection: NO_CONNECTION }, { kind: 'all' }],
    [both, 'status -A', { namespace: undefined, connection: NO_CONNECTION }, { kind: 'all' }],
    [both, 'help logs', { kind: 'help', topic: 'logs' }, { kind: 'none' }],
    [both, 'help', { kind: 'help', topic: undefined }, { kind: 'none' }],
    [['cli'], 'version', {}, { kind: 'none' }],
    [['cli'], 'serve --check', { check: true }, { kind: 'none' }],
    [['cli'], 'parse', { files: ['-'], customParser: undefined }, { kind: 'none' }],
    [['cli'], 'parse a.log -', { files: ['a.log', '-'], customParser: undefined }, { kind: 'none' }],
    [
      ['cli'],
      'reconcile',
      {
        dryRun: false,
        watch: false,
        intervalMs: 60_000,
        leaseNamespace: undefined,
        identity: undefined,
        connection: NO_CONNECTION,
      },
      { kind: 'all' },
    ],
    [
      ['cli'],
      'reconcile --watch --interval 30s --lease-namespace meshbot --identity pod-1',
      {
        dryRun: false,
        watch: true,
        intervalMs: 30_000,
        leaseNamespace: 'meshbot',
        identity: 'pod-1',
        connection: NO_CONNECTION,
      },
      { kind: 'all' },
    ],
  ])('%j: %s', (frontEnds, text, request, scope) => {
    for (const frontEnd of frontEnds) {
      const prepared = prepare(text, frontEnd);
      expect(prepared.spec.name).toBe(text.split(' ')[0]);
      expect(prepared.frontEnd).toBe(frontEnd);
      expect(prepared.request).toStrictEqual(request);
      expect(prepared.scope).toEqual(scope);
    }
  });

  it.each<[string, string]>([
    ['status -n shop', 'status shop'],
    ['status --namespace=shop -o json', 'status shop -o json'],
    ['enable-logging -n shop --for 1h --dry-run=client', 'enable-logging shop --for 1h --dry-run'],
    ['disable-logging --namespace shop --dry-run=client', 'disable-logging shop --dry-run'],
    ['reconcile --dry-run=client -A', 'reconcile --dry-run'],
    ['enable-logging shop --dry-run=none', 'enable-logging shop'],
    ['logs cart --tail -1', 'logs cart'],
    ['-o yaml --kubeconfig k.yaml status', 'status -o yaml --kubeconfig k.yaml'],
  ])('%j prepares the same request as %j', (kubectlStyle, plain) => {
    const a = prepare(kubectlStyle, 'cli');
    const b = prepare(plain, 'cli');
    expect(a.request).toStrictEqual(b.request);
    expect(a.scope).toEqual(b.scope);
  });

  it('a trace file that merely looks like an id can still be read with a path', () => {
    expect(prepare(`trace ${ID} ./${FIXTURE_ID}`, 'cli').request).toMatchObject({
      source: 'files',
      files: [`./${FIXTURE_ID}`],
    });
  });

  it('compiles --log-format while preparing', () => {
    const prepared = prepare("logs --file a.log --log-format '[%START_TIME%] %RESPONSE_CODE%'", 'cli');
    expect(prepared.request).toMatchObject({ source: 'files', customParser: expect.any(Function) });
  });

  type Refusal = [FrontEnd[], string, string, RegExp];
  const both2: FrontEnd[] = ['cli', 'slack'];
  it.each<Refusal>([
    [both2, 'logs', 'usage', /what should meshbot read\? Name a TARGET/],
    [both2, 'logs cart other', 'usage', /logs takes one TARGET/],
    [both2, `trace ${ID} -n a -A`, 'usage', /pass either -n NAMESPACE \(repeatable\) or -A, not both/],
    [
      both2,
      'enable-logging ns --for 5h',
      'invalid_argument',
      /--for 5h is longer than the allowed maximum of 4h .*MESHBOT_MAX_LOGGING_DURATION/,
    ],
    [both2, 'enable-logging ns --mesh', 'usage', /pass a namespace or --mesh, not both/],
    [both2, 'enable-logging', 'usage', /which namespace\? Name one, or pass --mesh/],
    [both2, 'enable-logging ns --filter " "', 'invalid_argument', /--filter is empty/],
    [
      both2,
      'enable-logging ns --provider "a b"',
      'invalid_argument',
      /--provider "a b" is not a provider name/,
    ],
    [both2, 'enable-logging ns --provider -x', 'usage', /--provider needs a value/],
    [both2, 'disable-logging ns --mesh', 'usage', /pass a namespace or --mesh, not both/],
    [both2, 'disable-logging', 'usage', /which namespace\?/],
    [both2, 'status ns -A', 'usage', /pass a namespace or -A, not both/],
    [['cli'], 'reconcile --watch --dry-run', 'usage', /--watch and --dry-run cannot be used together/],
    [
      ['slack'],
      'enable-logging ns --requested-by alice',
      'usage',
      /--requested-by is not available in Slack/,
    ],
    [['cli'], 'enable-logging ns --yes', 'usage', /--yes is not available on the command line/],
    [['cli'], "logs --file a.log --log-format '%NOPE%'", 'invalid_format_string', /--log-format/],
    // kubectl spellings reach the same checks: -n for NS, two request ids.
    [both2, 'status -n ns -A', 'usage', /pass a namespace or -A, not both/],
    [both2, 'enable-logging -n ns --mesh', 'usage', /pass a namespace or --mesh, not both/],
    [
      ['cli'],
      `trace ${ID} 2fe6df3f-f4f1-999e-bfe9-8bad15484355`,
      'usage',
      /^trace takes one request id \(got 2: "be5acb4a-9e3e-4540-814d-07c2c7dcf7f1", "2fe6df3f-f4f1-999e-bfe9-8bad15484355"\); trace them one at a time$/,
    ],
    [['cli'], 'completion fish', 'invalid_argument', /SHELL must be one of bash, zsh \(got "fish"\)/],
    [['cli'], 'completion', 'usage', /completion needs SHELL/],
  ])('%j: %s → %s', (frontEnds, text, code, message) => {
    for (const frontEnd of frontEnds) {
      const e = errorOf(() => prepare(text, frontEnd));
      expect(e.code).toBe(code);
      expect(e.message).toMatch(message);
    }
  });

  it.each(['logs', 'trace', 'enable-logging', 'disable-logging', 'status', 'reconcile'])(
    'usage mistakes found while building a %s request name the command',
    (name) => {
      const text: Record<string, string> = {
        logs: 'logs',
        trace: `trace ${ID} -n a -A`,
        'enable-logging': 'enable-logging',
        'disable-logging': 'disable-logging ns --mesh',
        status: 'status ns -A',
        reconcile: 'reconcile --watch --dry-run',
      };
      const e = errorOf(() => prepare(text[name] ?? name, 'cli'));
      expect(e.code).toBe('usage');
      expect(e.details.command).toBe(name);
    },
  );

  it('accepts --for exactly at the maximum and names the maximum from the limits', () => {
    expect(prepare('enable-logging ns --for 4h', 'slack').request).toMatchObject({ forMs: 4 * 3600_000 });
    const e = errorOf(() =>
      prepareCommand(parseTokens(['enable-logging', 'ns', '--for', '31m'], 'slack'), {
        maxLoggingMs: 1_800_000,
      }),
    );
    expect(e.message).toContain('allowed maximum of 30m');
    expect(e.details).toMatchObject({ forMs: 1_860_000, maxMs: 1_800_000 });
  });

  // `trace`'s FILE positional has no front-end restriction, so in Slack `trace ID extra` is prepared as a
  // saved-file read with scope `none` (no namespace check) and only fails when run, with
  // "reading files is only possible from the CLI". It should be refused while parsing, like `--file`.
  it('refuses saved-file positionals of trace in Slack, like --file', () => {
    const e = errorOf(() => prepare(`trace ${ID} sleep.log`, 'slack'));
    expect(e.code).toBe('usage');
  });
});

describe('run with fake deps', () => {
  it('completion returns which script to print', async () => {
    await expect(prepare('completion zsh', 'cli').run(fakeDeps())).resolves.toEqual({
      kind: 'completion',
      shell: 'zsh',
    });
    expect(commandsFor('slack').map((s) => s.name)).not.toContain('completion');
  });

  it('help returns its report', async () => {
    await expect(prepare('help logs', 'slack').run(fakeDeps())).resolves.toEqual({
      kind: 'help',
      topic: 'logs',
    });
    await expect(prepare('help', 'cli').run(fakeDeps())).resolves.toEqual({ kind: 'help', topic: undefined });
  });

  it('version returns the deps version, or unknown', async () => {
    await expect(prepare('version', 'cli').run(fakeDeps({ version: '1.2.3' }))).resolves.toEqual({
      kind: 'version',
      version: '1.2.3',
    });
    await expect(prepare('version', 'cli').run(fakeDeps())).resolves.toEqual({
      kind: 'version',
      version: 'unknown',
    });
  });

  it('logs --file summarizes the saved lines from the files port', async () => {
    const asked: string[][] = [];
    const report = await prepare('logs --file saved.log', 'cli').run(
      fakeDeps({
        files: (paths) => {
          asked.push([...paths]);
          return savedLogs(paths);
        },
      }),
    );
    expect(asked).toEqual([['saved.log']]);
    expect(report).toMatchObject({ kind: 'summary', totals: { entries: 2, inbound: 1, outbound: 1 } });
  });

  it('logs --file --since counts back from the newest entry in the files, --since-time from its instant', async () => {
    const report = await prepare('logs --file saved.log --since 1h', 'cli').run(
      fakeDeps({ files: savedLogs }),
    );
    // The fixture lines are from 2020-11-25T21:26Z, more than an hour before NOW, but within an hour of each other.
    expect(report).toMatchObject({ kind: 'summary', totals: { entries: 2, filtered_out: 0 } });
    const later = await prepare('logs --file saved.log --since-time 2020-11-26T00:00:00Z', 'cli').run(
      fakeDeps({ files: savedLogs }),
    );
    expect(later).toMatchObject({ kind: 'summary', totals: { entries: 0, filtered_out: 2 } });
  });

  it('trace --file follows the request id through the saved lines', async () => {
    const report = await prepare(`trace ${FIXTURE_ID} --file saved.log`, 'cli').run(
      fakeDeps({ files: savedLogs }),
    );
    expect(report).toMatchObject({ kind: 'trace' });
    expect('kind' in report && report.kind === 'trace' ? report.hops.length : 0).toBe(2);
  });

  it('a saved-file command without a files port is a usage error', async () => {
    await expect(prepare('logs --file saved.log', 'cli').run(fakeDeps())).rejects.toMatchObject({
      code: 'usage',
      message: 'reading files is only possible from the CLI',
    });
  });

  it('serve without a serve port is a usage error, with one it reports the exit code', async () => {
    await expect(prepare('serve', 'cli').run(fakeDeps())).rejects.toMatchObject({ code: 'usage' });
    const seen: unknown[] = [];
    const report = await prepare('serve --check', 'cli').run(
      fakeDeps({
        serve: async (request) => {
          seen.push(request);
          return 3;
        },
      }),
    );
    expect(seen).toEqual([{ check: true }]);
    expect(report).toEqual({ kind: 'stopped', what: 'serve', exitCode: 3 });
  });
});

describe('cluster-only options next to saved files', () => {
  it.each([
    ['logs -f a.log --tail 5', '--tail applies to reading a cluster'],
    ['logs -f a.log -n shop -p', '--namespace, --previous apply to reading a cluster'],
    [
      'trace be5acb4a-9e3e-4540-814d-07c2c7dcf7f1 -f a.log -A',
      '--all-namespaces applies to reading a cluster',
    ],
  ])('%s is refused, not ignored', (text, message) => {
    expect(() => prepare(text, 'cli')).toThrow(message);
  });

  it('trace --since on files is allowed (older hops are left out)', () => {
    expect(
      prepare('trace be5acb4a-9e3e-4540-814d-07c2c7dcf7f1 -f a.log --since 1h', 'cli').request,
    ).toMatchObject({
      source: 'files',
      window: { kind: 'duration', ms: 3_600_000 },
    });
  });

  it('logs --since on files is still allowed', () => {
    expect(prepare('logs -f a.log --since 1h', 'cli').request).toMatchObject({
      source: 'files',
      window: { kind: 'duration', ms: 3_600_000 },
    });
  });
});
