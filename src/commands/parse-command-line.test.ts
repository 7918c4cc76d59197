/** Tokenizing `/mesh` text, quoting it back, and parsing command lines for the CLI and Slack front ends. */

import { describe, expect, it } from 'vitest';
import { errorOf } from '../../test/support/error-of.js';
import { MeshbotError } from '../core/errors.js';
import { helpTopicOf, toUserMessage } from '../core/user-message.js';
import type { FrontEnd, OptionValue } from './command-spec.js';
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
    [both, 'logs cart --tail=-1', 'invalid_argument', /--tail must be a whole number/],
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
    [['cli'], 'logs cart -o yaml', 'invalid_argument', /--format must be one of text, json, slack/],
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
    [both, 'status a b', 'usage', /status takes NS \(got 2 arguments\)/],
    [['cli'], 'version now', 'usage', /version takes no arguments \(got "now"\)/],
    [['cli'], 'serve extra', 'usage', /serve takes no arguments/],
    [both, 'help logs trace', 'usage', /help takes COMMAND \(got 2 arguments\)/],
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
