/** Tokenizing `/mesh` text, quoting it back, and parsing command lines for the CLI and Slack front ends. */

import { describe, expect, it } from 'vitest';
import { errorOf } from '../../test/support/error-of.js';
import { MeshbotError } from '../core/errors.js';
import { helpTopicOf, toUserMessage } from '../core/user-message.js';
import { type FrontEnd, type OptionValue, optionsFor, positionalsFor } from './command-spec.js';
import { COMMAND_SPECS } from './command-table.js';
import {
  formatCommandLine,
  parseCommandLine,
  quoteToken,
  tokenizeCommandText,
} from './parse-command-line.js';

const ID = 'be5acb4a-9e3e-4540-814d-07c2c7dcf7f1';

function parse(text: string, frontEnd: FrontEnd) {
  return parseCommandLine(tokenizeCommandText(text), COMMAND_SPECS, frontEnd);
}

describe('tokenizeCommandText', () => {
  it.each<[string, string[]]>([
    ['', []],
    ['   \t ', []],
    ['logs  cart\t-n shop ', ['logs', 'cart', '-n', 'shop']],
    [
      'enable-logging shop --filter "response.code >= 500"',
      ['enable-logging', 'shop', '--filter', 'response.code >= 500'],
    ],
    [`--filter 'a "b" c'`, ['--filter', 'a "b" c']],
    ['"a\\"b"', ['a"b']],
    ['"a\\\\b"', ['a\\b']],
    ['"a\\nb"', ['a\\nb']],
    ["'a\\b'", ['a\\b']],
    ['a\\ b', ['a b']],
    ['a\\"b', ['a"b']],
    [`'it'\\''s'`, ["it's"]],
    [`'it'"'"'s'`, ["it's"]],
    ["''", ['']],
    ['a "" b', ['a', '', 'b']],
    ['a""b', ['ab']],
    ['pre"mid dle"post', ['premid dlepost']],
    ['"$HOME" ; `id`', ['$HOME', ';', '`id`']],
    ['a\\', ['a\\']],
    ["'line\nbreak'", ['line\nbreak']],
  ])('%j → %j', (text, tokens) => {
    expect(tokenizeCommandText(text)).toEqual(tokens);
  });

  it.each<[string, RegExp]>([
    ['logs "cart', /double quote is not closed/],
    ["logs 'cart", /single quote is not closed/],
    [`--filter "it's`, /double quote is not closed/],
    ['x'.repeat(4001), /too long \(4001 characters; at most 4000\)/],
    [Array.from({ length: 201 }, () => 'a').join(' '), /too many words \(at most 200\)/],
  ])('refuses %j with a usage error', (text, message) => {
    const e = errorOf(() => tokenizeCommandText(text));
    expect(e.code).toBe('usage');
    expect(e.message).toMatch(message);
  });

  it('accepts exactly 4000 characters and 200 words', () => {
    expect(tokenizeCommandText('x'.repeat(4000))).toEqual(['x'.repeat(4000)]);
    expect(tokenizeCommandText(Array.from({ length: 200 }, () => 'a').join(' '))).toHaveLength(200);
  });
});

describe('quoteToken and formatCommandLine', () => {
  it.each(['logs', 'app=cart', 'deploy/reviews', '1h30m', '-n', '--for', 'a.b:c@d%e+f,g'])(
    'leaves the plain word %j unquoted',
    (token) => {
      expect(quoteToken(token)).toBe(token);
    },
  );

  const awkward = [
    '',
    'a b',
    "it's",
    'say "hi"',
    "'",
    '"',
    "''",
    '$HOME',
    'a;b',
    '`id`',
    '$(rm -rf /)',
    'a|b&c',
    '\\',
    'back\\slash',
    'tab\there',
    'new\nline',
    '*',
    '~',
    '#comment',
    'ünïcödé ✓',
    '\u00a0',
    `response.code >= 500 && request.headers['x-user'] == "bob's"`,
  ];

  it.each(awkward)('%j round-trips through tokenizeCommandText as one token', (value) => {
    const quoted = quoteToken(value);
    expect(quoted).toMatch(/^'/);
    expect(tokenizeCommandText(quoted)).toEqual([value]);
  });

  it('formatCommandLine round-trips every awkward value in one line', () => {
    const line = formatCommandLine('enable-logging', ['shop', '--filter', ...awkward]);
    expect(tokenizeCommandText(line)).toEqual(['enable-logging', 'shop', '--filter', ...awkward]);
  });

  it('renders plain commands without quotes', () => {
    expect(formatCommandLine('enable-logging', ['shop', '--for', '1h', '--workload', 'app=cart'])).toBe(
      'enable-logging shop --for 1h --workload app=cart',
    );
    expect(formatCommandLine('enable-logging', ['shop', '--filter', 'response.code >= 500'])).toBe(
      "enable-logging shop --filter 'response.code >= 500'",
    );
  });
});

describe('parseCommandLine: accepted forms', () => {
  type Parsed = [FrontEnd[], string, Record<string, OptionValue>, Record<string, string | string[]>];
  const both: FrontEnd[] = ['cli', 'slack'];
  it.each<Parsed>([
    [both, 'logs cart --namespace shop', { namespace: 'shop' }, { TARGET: ['cart'] }],
    [both, 'logs cart --namespace=shop', { namespace: 'shop' }, { TARGET: ['cart'] }],
    [both, 'logs cart -n shop', { namespace: 'shop' }, { TARGET: ['cart'] }],
    [both, 'logs cart -n=shop', { namespace: 'shop' }, { TARGET: ['cart'] }],
    [both, 'logs cart -nshop', { namespace: 'shop' }, { TARGET: ['cart'] }],
    [both, 'logs -n shop cart', { namespace: 'shop' }, { TARGET: ['cart'] }],
    [both, 'logs cart -n shop -n shop', { namespace: 'shop' }, { TARGET: ['cart'] }],
    [both, 'logs cart --since 1h30m', { since: 5_400_000 }, { TARGET: ['cart'] }],
    [both, 'logs cart --since=15m', { since: 900_000 }, { TARGET: ['cart'] }],
    [both, 'logs cart -p', { previous: true }, { TARGET: ['cart'] }],
    [both, 'logs cart --previous', { previous: true }, { TARGET: ['cart'] }],
    [both, 'logs cart --tail 0', { tail: 0 }, { TARGET: ['cart'] }],
    [both, 'logs -- -cart', {}, { TARGET: ['-cart'] }],
    [both, 'logs --help', { help: true }, {}],
    [both, 'trace -h', { help: true }, {}],
    [both, `trace ${ID} -n a -n b`, { namespace: ['a', 'b'] }, { REQUEST_ID: ID }],
    [both, `trace ${ID} -A --since 3h`, { 'all-namespaces': true, since: 10_800_000 }, { REQUEST_ID: ID }],
    [both, 'status', {}, {}],
    [both, 'status shop', {}, { NS: 'shop' }],
    [both, 'help logs', {}, { COMMAND: 'logs' }],
    [
      both,
      'enable-logging shop --for 1h --mode server --workload app=x --filter "response.code >= 500" --provider otel --dry-run',
      {
        for: 3_600_000,
        mode: 'server',
        workload: 'app=x',
        filter: 'response.code >= 500',
        provider: 'otel',
        'dry-run': true,
      },
      { NS: 'shop' },
    ],
    [['cli'], 'logs --file a.log -f b.log', { file: ['a.log', 'b.log'] }, {}],
    [['cli'], 'logs --file -', { file: ['-'] }, {}],
    [['cli'], 'logs -f=a.log', { file: ['a.log'] }, {}],
    [['cli'], 'parse -', {}, { FILE: ['-'] }],
    [['cli'], 'parse a.log - b.log', {}, { FILE: ['a.log', '-', 'b.log'] }],
    [['cli'], 'parse -- -weird.log --help', {}, { FILE: ['-weird.log', '--help'] }],
    [
      ['cli'],
      'logs cart --max-log-requests 100 -o json',
      { 'max-log-requests': 100, format: 'json' },
      { TARGET: ['cart'] },
    ],
    [
      ['cli'],
      'logs cart --no-color --kubeconfig k.yaml --context prod',
      { 'no-color': true, kubeconfig: 'k.yaml', context: 'prod' },
      { TARGET: ['cart'] },
    ],
    [['cli'], 'enable-logging shop --requested-by alice', { 'requested-by': 'alice' }, { NS: 'shop' }],
    [
      ['cli'],
      'reconcile --watch --interval 30s --lease-namespace meshbot --identity pod-1',
      { watch: true, interval: 30_000, 'lease-namespace': 'meshbot', identity: 'pod-1' },
      {},
    ],
    [['cli'], 'serve --check', { check: true }, {}],
    [['slack'], 'logs cart --share', { share: true }, { TARGET: ['cart'] }],
    [['slack'], 'enable-logging --mesh --yes', { mesh: true, yes: true }, {}],
    // kubectl's spellings: -o/--output and its values, --dry-run=client, --tail -1, -n for NS.
    [['cli'], 'logs cart -o yaml', { format: 'yaml' }, { TARGET: ['cart'] }],
    [['cli'], 'logs cart -ojson', { format: 'json' }, { TARGET: ['cart'] }],
    [['cli'], 'logs cart --output wide', { format: 'wide' }, { TARGET: ['cart'] }],
    [['cli'], 'status --output=yaml', { format: 'yaml' }, {}],
    [['cli'], 'logs cart --wide', { wide: true }, { TARGET: ['cart'] }],
    [both, 'enable-logging shop --dry-run=client', { 'dry-run': true }, { NS: 'shop' }],
    [both, 'disable-logging shop --dry-run=client', { 'dry-run': true }, { NS: 'shop' }],
    [both, 'enable-logging shop --dry-run=none', {}, { NS: 'shop' }],
    [['cli'], 'reconcile --dry-run=client', { 'dry-run': true }, {}],
    [both, 'logs cart --tail -1', {}, { TARGET: ['cart'] }],
    [both, 'logs cart --tail=-1', {}, { TARGET: ['cart'] }],
    [both, 'logs cart --tail 20', { tail: 20 }, { TARGET: ['cart'] }],
    [both, 'status -n shop', {}, { NS: 'shop' }],
    [both, 'status --namespace=shop', {}, { NS: 'shop' }],
    [both, 'status shop -n shop', {}, { NS: 'shop' }],
    [both, 'enable-logging -n shop --for 1h', { for: 3_600_000 }, { NS: 'shop' }],
    [both, 'disable-logging --workload app=x -n shop', { workload: 'app=x' }, { NS: 'shop' }],
    [['cli'], 'reconcile -A', { 'all-namespaces': true }, {}],
  ])('%j: %s', (frontEnds, text, options, positionals) => {
    for (const frontEnd of frontEnds) {
      const parsed = parse(text, frontEnd);
      expect(parsed.frontEnd).toBe(frontEnd);
      expect(parsed.spec.name).toBe(text.split(' ')[0]);
      expect(parsed.options).toEqual(options);
      expect(parsed.positionals).toEqual(positionals);
    }
  });
});

describe('parseCommandLine: mistakes', () => {
  type Mistake = [FrontEnd[], string, string, RegExp];
  const both: FrontEnd[] = ['cli', 'slack'];
  const mistakes: Mistake[] = [
    // Unknown options and options of the other front end.
    [both, 'logs cart --bogus', 'usage', /unknown option --bogus for logs/],
    [both, 'logs cart -x', 'usage', /unknown option -x for logs/],
    [['slack'], 'logs cart --kubeconfig k.yaml', 'usage', /--kubeconfig is not available in Slack/],
    [['slack'], 'logs cart --kubeconfig=k.yaml', 'usage', /--kubeconfig is not available in Slack/],
    [['slack'], 'logs cart --context prod', 'usage', /--context is not available in Slack/],
    [['slack'], 'logs --file a.log', 'usage', /--file is not available in Slack/],
    [['slack'], 'logs cart -f a.log', 'usage', /-f is not available in Slack/],
    [['slack'], 'logs cart --format json', 'usage', /--format is not available in Slack/],
    [['slack'], 'logs cart -o json', 'usage', /-o is not available in Slack/],
    // Slack answers are Slack messages: -o yaml (or any -o) is refused with the reason, not ignored.
    [['slack'], 'logs cart -o yaml', 'usage', /^-o is not available in Slack: it is for the meshbot CLI$/],
    [['slack'], 'status --output=yaml', 'usage', /^--output is not available in Slack/],
    [['slack'], 'logs cart --wide', 'usage', /--wide is not available in Slack/],
    [['slack'], 'logs cart --max-log-requests 3', 'usage', /--max-log-requests is not available in Slack/],
    [
      ['slack'],
      'enable-logging shop --requested-by bob',
      'usage',
      /--requested-by is not available in Slack/,
    ],
    [['slack'], 'logs cart --no-color', 'usage', /--no-color is not available in Slack/],
    [['cli'], 'enable-logging shop --yes', 'usage', /--yes is not available on the command line/],
    [['cli'], 'logs cart --share', 'usage', /--share is not available on the command line/],
    [both, 'logs cart --previous=yes', 'usage', /--previous takes no value/],
    // Values of the wrong kind.
    [both, 'logs cart --since 5x', 'invalid_duration', /--since "5x" is not a duration/],
    [both, 'logs cart --since=', 'invalid_duration', /--since "" is not a duration/],
    [both, 'logs cart --since 0s', 'invalid_duration', /--since must be more than 0/],
    [both, 'enable-logging shop --for soon', 'invalid_duration', /--for "soon" is not a duration/],
    [
      both,
      'logs cart --tail 1.5',
      'invalid_argument',
      /--tail must be a whole number of at least 0 \(got "1.5"\)/,
    ],
    [both, 'logs cart --tail=-3', 'invalid_argument', /--tail must be a whole number/],
    [
      ['cli'],
      'logs cart --max-log-requests 0',
      'invalid_argument',
      /--max-log-requests must be a whole number from 1 to 100/,
    ],
    [['cli'], 'logs cart --max-log-requests 101', 'invalid_argument', /from 1 to 100 \(got "101"\)/],
    [['cli'], 'logs cart --max-log-requests ten', 'invalid_argument', /from 1 to 100 \(got "ten"\)/],
    [
      both,
      'enable-logging shop --mode sideways',
      'invalid_argument',
      /--mode must be one of client, server, both \(got "sideways"\)/,
    ],
    [
      ['cli'],
      'logs cart -o xml',
      'invalid_argument',
      /--format must be one of text, json, yaml, wide, slack \(got "xml"\)/,
    ],
    // Did you mean, over the options of the command on that front end.
    [
      both,
      'logs cart --namspace shop',
      'usage',
      /unknown option --namspace for logs \(did you mean --namespace\?\)/,
    ],
    [
      both,
      'enable-logging shop --dryrun',
      'usage',
      /unknown option --dryrun for enable-logging \(did you mean --dry-run\?\)/,
    ],
    [['cli'], 'logs cart --outptu json', 'usage', /\(did you mean --output\?\)/],
    [['slack'], 'logs cart --shar', 'usage', /\(did you mean --share\?\)/],
    [both, 'logs cart --zzzzzzzz', 'usage', /^unknown option --zzzzzzzz for logs$/],
    // --dry-run takes kubectl's values; server is refused with the reason.
    [
      both,
      'enable-logging shop --dry-run=server',
      'usage',
      /^--dry-run=server is not supported: meshbot does client-side dry runs only/,
    ],
    [['cli'], 'reconcile --dry-run=server', 'usage', /--dry-run=server is not supported/],
    [
      both,
      'enable-logging shop --dry-run=maybe',
      'usage',
      /--dry-run=VALUE must be one of client, none, server \(got "maybe"\); --dry-run alone is --dry-run=client/,
    ],
    [
      both,
      'enable-logging shop --dry-run client',
      'usage',
      /^enable-logging takes one namespace \(got 2: "shop", "client"\) \(did you mean --dry-run=client\?\)$/,
    ],
    [
      both,
      'logs cart --tail -2',
      'invalid_argument',
      /--tail must be a whole number of at least 0 \(got "-2"\)/,
    ],
    // -n and -A where a command cannot use them say why.
    [
      both,
      'status shop -n other',
      'usage',
      /status was given two namespaces \("shop" and --namespace other\)/,
    ],
    [
      both,
      'enable-logging shop -A',
      'usage',
      /^enable-logging does not take -A: it changes one namespace at a time; name one, or pass --mesh/,
    ],
    [both, 'disable-logging --all-namespaces', 'usage', /disable-logging does not take --all-namespaces/],
    [both, 'logs cart -A', 'usage', /^logs does not take -A: it reads one TARGET/],
    [['cli'], 'reconcile -n shop', 'usage', /^reconcile does not take -n: it always checks every namespace/],
    [both, 'logs cart -n Bad_NS', 'invalid_argument', /"Bad_NS" is not a namespace name/],
    [both, `logs cart -n ${'a'.repeat(64)}`, 'invalid_argument', /is not a namespace name/],
    [both, 'logs cart -n ../x', 'invalid_argument', /"\.\.\/x" is not a namespace name/],
    [both, `trace ${ID} -n a -n Bad_NS`, 'invalid_argument', /"Bad_NS" is not a namespace name/],
    [both, 'status Bad_NS', 'invalid_argument', /"Bad_NS" is not a namespace name/],
    [both, 'enable-logging ../x', 'invalid_argument', /is not a namespace name/],
    [
      ['cli'],
      'reconcile --watch --lease-namespace UPPER',
      'invalid_argument',
      /"UPPER" is not a namespace name/,
    ],
    [both, 'trace not-an-id! -A', 'invalid_request_id', /"not-an-id!" is not a request id/],
    [both, "trace 'a b' -A", 'invalid_request_id', /is not a request id/],
    [both, "trace 'x;rm' -A", 'invalid_request_id', /is not a request id/],
    [both, 'enable-logging shop --workload app', 'invalid_argument', /--workload "app" must be LABEL=VALUE/],
    [both, 'enable-logging shop --workload app=', 'invalid_argument', /must be LABEL=VALUE/],
    [both, 'enable-logging shop --workload =x', 'invalid_argument', /must be LABEL=VALUE/],
    [both, 'disable-logging shop --workload "app=a b"', 'invalid_argument', /must be LABEL=VALUE/],
    // Missing values, repeated options, positionals.
    [both, 'logs cart --since', 'usage', /--since needs a value, e\.g\. 15m or 2h/],
    [both, 'logs cart --since -n shop', 'usage', /--since needs a value/],
    [both, 'logs cart -n', 'usage', /--namespace needs a value/],
    [both, 'enable-logging shop --mode', 'usage', /--mode needs a value: client, server, both/],
    [
      both,
      'enable-logging shop --workload --dry-run',
      'usage',
      /--workload needs a value, e\.g\. app=reviews/,
    ],
    [both, 'logs cart -n shop -n other', 'usage', /--namespace is given twice/],
    [both, 'status a b', 'usage', /^status takes one namespace \(got 2: "a", "b"\)$/],
    [['cli'], 'version now', 'usage', /^version takes no arguments \(got "now"\)$/],
    [['cli'], 'serve extra more', 'usage', /^serve takes no arguments \(got "extra", "more"\)$/],
    [both, 'help logs trace', 'usage', /^help takes one command name \(got 2: "logs", "trace"\)$/],
    [['slack'], `trace ${ID} ${ID}`, 'usage', /^trace takes one request id \(got 2: /],
    [both, 'status a b c d e', 'usage', /\(got 5: "a", "b", "c", …\)$/],
    [both, 'trace', 'usage', /trace needs REQUEST_ID/],
    [both, 'trace -n shop', 'usage', /trace needs REQUEST_ID/],
  ];

  it.each(mistakes)('%j: %s → %s', (frontEnds, text, code, message) => {
    const command = text.split(' ')[0];
    for (const frontEnd of frontEnds) {
      const e = errorOf(() => parse(text, frontEnd));
      expect(e.code).toBe(code);
      expect(e.message).toMatch(message);
      // Every mistake names its command, so the front end can show that command's help.
      expect(e.details.command).toBe(command);
      expect(helpTopicOf(e)).toBe(command);
    }
  });

  it('keeps the original error as the cause when it adds the command', () => {
    const e = errorOf(() => parse('logs cart -n Bad_NS', 'cli'));
    expect(e.cause).toBeInstanceOf(MeshbotError);
    expect(e.details).toMatchObject({ namespace: 'Bad_NS', command: 'logs' });
  });

  it.each<[string, string | undefined]>([
    ['lgos', 'logs'],
    ['trcae', 'trace'],
    ['STATUS', 'status'],
    ['xyzzy-plugh', undefined],
  ])('unknown command %j suggests %j', (name, suggestion) => {
    for (const frontEnd of ['cli', 'slack'] as const) {
      const e = errorOf(() => parse(`${name} cart`, frontEnd));
      expect(e.code).toBe('usage');
      expect(e.message).toContain(`unknown command "${name}"`);
      if (suggestion === undefined) expect(e.message).not.toContain('did you mean');
      else expect(e.message).toContain(`(did you mean ${suggestion}?)`);
      expect(e.details.unknownCommand).toBe(name);
      expect(helpTopicOf(e)).toBeUndefined();
    }
  });

  it('lists only the commands of the front end when the command is unknown', () => {
    const slack = errorOf(() => parse('nope', 'slack')).message;
    expect(slack).toContain('use one of logs, trace, enable-logging, disable-logging, status, help');
    expect(slack).not.toMatch(/\b(parse|reconcile|serve|version)\b/);
    const cli = errorOf(() => parse('nope', 'cli')).message;
    expect(cli).toMatch(/\bparse\b.*\breconcile\b.*\bserve\b.*\bversion\b/);
  });

  it.each(['parse', 'reconcile', 'serve', 'version'])('refuses the CLI-only %s in Slack clearly', (name) => {
    const e = errorOf(() => parse(name, 'slack'));
    expect(e.code).toBe('usage');
    expect(e.message).toBe(`${name} is not available here: run it with the meshbot CLI`);
    expect(e.details.unknownCommand).toBe(name);
    expect(e.message).not.toContain('unknown command');
  });

  it('says when no command is given', () => {
    const e = errorOf(() => parseCommandLine([], COMMAND_SPECS, 'slack'));
    expect(e.code).toBe('usage');
    expect(e.message).toBe('no command given');
    expect(e.details.noCommand).toBe(true);
    expect(toUserMessage(e, 'cli')).toBe('no command given (meshbot --help)');
  });
});

describe('toUserMessage for parser errors', () => {
  it.each<[string, FrontEnd, string]>([
    ['logs cart --bogus', 'cli', 'logs'],
    ['logs cart --since 5x', 'cli', 'logs'],
    ['enable-logging shop --mode x', 'cli', 'enable-logging'],
    ['trace', 'slack', 'trace'],
  ])(
    '%s (parsed for %s) points the CLI to `meshbot %s --help`, Slack to nothing',
    (text, frontEnd, topic) => {
      const e = errorOf(() => parse(text, frontEnd));
      expect(toUserMessage(e, 'cli')).toBe(`${e.message} (meshbot ${topic} --help)`);
      expect(toUserMessage(e, 'slack')).toBe(e.message);
      expect(toUserMessage(e, 'slack')).not.toContain('--help');
    },
  );

  it('points an unknown command to `meshbot --help` on the CLI only', () => {
    const e = errorOf(() => parse('lgos', 'cli'));
    expect(toUserMessage(e, 'cli')).toBe(`${e.message} (meshbot --help)`);
    expect(toUserMessage(e, 'slack')).toBe(e.message);
  });
});

describe('parseCommandLine: options before the command', () => {
  it.each<[FrontEnd, string, string]>([
    ['cli', '--no-color logs cart', 'logs cart --no-color'],
    ['cli', '-o json status', 'status -o json'],
    ['cli', '-ojson status shop', 'status shop -o json'],
    ['cli', '--output=yaml status', 'status --output yaml'],
    ['cli', '--kubeconfig k.yaml logs cart', 'logs cart --kubeconfig k.yaml'],
    [
      'cli',
      '--kubeconfig=k.yaml --context prod -o wide logs cart',
      'logs cart --kubeconfig k.yaml --context prod -o wide',
    ],
    ['cli', '--wide trace be5acb4a-9e3e-4540-814d-07c2c7dcf7f1 -A', `trace ${ID} -A --wide`],
    ['cli', '-h logs', 'logs --help'],
    ['slack', '--share status shop', 'status shop --share'],
  ])('%s: %j is %j', (frontEnd, before, after) => {
    const a = parse(before, frontEnd);
    const b = parse(after, frontEnd);
    expect(a.spec.name).toBe(b.spec.name);
    expect(a.options).toEqual(b.options);
    expect(a.positionals).toEqual(b.positionals);
  });

  it('is the list of commands for --help alone, whatever global option comes with it', () => {
    const parsed = parse('--no-color --help', 'cli');
    expect(parsed.spec.name).toBe('help');
    expect(parsed.positionals).toEqual({});
  });

  it.each<[FrontEnd, string, RegExp]>([
    [
      'cli',
      '--bogus logs cart',
      /^unknown option --bogus: before the command name only -h\/--help, --no-color, --wide, --kubeconfig, --context, -o\/--format may come$/,
    ],
    ['cli', '--no-colr logs cart', /^unknown option --no-colr \(did you mean --no-color\?\)/],
    ['cli', '-n shop logs cart', /^-n goes after the command name \(meshbot COMMAND -n …\)/],
    ['cli', '--since 1h logs cart', /^--since goes after the command name/],
    ['cli', '--kubeconfig', /^--kubeconfig needs a value$/],
    ['cli', '--no-color', /^no command given$/],
    [
      'slack',
      '--no-color logs cart',
      /^unknown option --no-color: before the command name only -h\/--help, --share may come$/,
    ],
  ])('%s: %j is refused: %s', (frontEnd, text, message) => {
    const e = errorOf(() => parse(text, frontEnd));
    expect(e.code).toBe('usage');
    expect(e.message).toMatch(message);
  });

  it('still lets the command refuse a global option it cannot use', () => {
    const e = errorOf(() => parse('-o json parse a.log', 'cli'));
    expect(e.message).toBe('unknown option -o for parse');
    expect(e.details.command).toBe('parse');
  });
});

describe('parseCommandLine: --name=value is --name value, for every option of every command', () => {
  const sample: Record<string, string> = {
    duration: '15m',
    enum: '',
    namespace: 'shop',
    'request-id': ID,
    label: 'app=x',
    file: 'a.log',
    string: 'x',
    command: 'logs',
  };
  const sampleValue = (o: { kind: string; choices?: readonly string[]; min?: number }) =>
    o.kind === 'enum'
      ? (o.choices?.[0] ?? '')
      : o.kind === 'count'
        ? String(o.min ?? 1)
        : (sample[o.kind] ?? 'x');
  const cases = COMMAND_SPECS.flatMap((spec) =>
    spec.frontEnds.flatMap((frontEnd) =>
      optionsFor(spec, frontEnd)
        .filter((o) => o.kind !== 'boolean')
        .map((o) => {
          const required = positionalsFor(spec, frontEnd)
            .filter((p) => p.required)
            .map((p) => sampleValue(p));
          return [frontEnd, spec.name, required, o.name, sampleValue(o)] as const;
        }),
    ),
  );

  it('covers every valued option', () => {
    expect(cases.length).toBeGreaterThan(30);
  });

  it.each(cases)('%s %s %j --%s=%s', (frontEnd, name, required, option, value) => {
    const spaced = parseCommandLine([name, ...required, `--${option}`, value], COMMAND_SPECS, frontEnd);
    const joined = parseCommandLine([name, ...required, `--${option}=${value}`], COMMAND_SPECS, frontEnd);
    expect(joined.options).toEqual(spaced.options);
    expect(joined.positionals).toEqual(spaced.positionals);
    expect(Object.keys(spaced.options).length + Object.keys(spaced.positionals).length).toBeGreaterThan(
      required.length,
    );
  });
});
