import { describe, expect, it } from 'vitest';
import { readCliConfig } from './cli-config.js';
import {
  type BotConfig,
  describeConfig,
  globMatch,
  namespaceAllowed,
  parseNamespacePatterns,
  readBotConfig,
} from './config.js';
import { isMeshbotError } from './errors.js';

const BOT = 'xoxb-1111-2222-abcdefSECRET';
const APP = 'xapp-1-A111-2222-appSECRET';
const SIGNING = 'signingSECRET0123456789';

function ok(env: Record<string, string | undefined>, files: Record<string, string> = {}): BotConfig {
  const result = readBotConfig(env, { readFile: (path) => readFrom(files, path) });
  if (!result.ok) throw new Error(`expected ok, got:\n${result.problems.join('\n')}`);
  return result.config;
}

function problems(env: Record<string, string | undefined>, files: Record<string, string> = {}): string[] {
  const result = readBotConfig(env, { readFile: (path) => readFrom(files, path) });
  if (result.ok) throw new Error('expected problems');
  return result.problems;
}

function readFrom(files: Record<string, string>, path: string): string {
  const text = files[path];
  if (text === undefined) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
  return text;
}

describe('readBotConfig: defaults and modes', () => {
  it('socket mode with defaults', () => {
    const config = ok({ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP });
    expect(config).toEqual({
      botToken: BOT,
      appToken: APP,
      mode: 'socket',
      port: 3000,
      allowedChannels: null,
      admins: { users: [], groups: [] },
      namespaces: { include: ['*'], exclude: ['kube-system'] },
      redact: [],
      auditChannel: null,
      maxLoggingMs: 4 * 3_600_000,
      maxLogReads: 10,
      shutdownMs: 25_000,
      reconcileIntervalMs: 60_000,
    });
  });

  it('http mode when there is no app token', () => {
    const config = ok({ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SIGNING, PORT: '0' });
    expect(config.mode).toBe('http');
    expect(config.signingSecret).toBe(SIGNING);
    expect(config.port).toBe(0);
  });

  it('explicit SLACK_MODE wins and empty variables count as unset', () => {
    const config = ok({
      SLACK_BOT_TOKEN: ` ${BOT}\n`,
      SLACK_APP_TOKEN: APP,
      SLACK_SIGNING_SECRET: SIGNING,
      SLACK_MODE: 'HTTP',
      PORT: '',
      MESHBOT_ADMINS: ' ',
    });
    expect(config.mode).toBe('http');
    expect(config.botToken).toBe(BOT);
    expect(config.port).toBe(3000);
  });
});

describe('readBotConfig: values', () => {
  const base = { SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP };

  it('reads every setting', () => {
    const config = ok({
      ...base,
      SLACK_API_URL: 'http://localhost:9999/api',
      MESHBOT_ALLOWED_CHANNELS: 'C0123ABC, G999 <#C777|ops>',
      MESHBOT_ADMINS: 'U1,W2 S3 <@U4|bob> <!subteam^S5|@sre> U1',
      MESHBOT_NAMESPACES: 'shop-*, pay?, !shop-test',
      MESHBOT_REDACT: '["acct-[0-9]+", "card=(\\\\d+)"]',
      MESHBOT_AUDIT_CHANNEL: '<#C0AUDIT|meshbot-audit>',
      MESHBOT_MAX_LOGGING_DURATION: '2h',
      MESHBOT_MAX_LOG_REQUESTS: '25',
      MESHBOT_SHUTDOWN_TIMEOUT: '10s',
      MESHBOT_RECONCILE_INTERVAL: '30s',
      KUBECONFIG: '/etc/kube/config',
      MESHBOT_KUBE_CONTEXT: 'prod',
      POD_NAMESPACE: 'meshbot',
      POD_NAME: 'meshbot-7d9f-abcde',
    });
    expect(config).toMatchObject({
      slackApiUrl: 'http://localhost:9999/api/',
      allowedChannels: ['C0123ABC', 'G999', 'C777'],
      admins: { users: ['U1', 'W2', 'U4'], groups: ['S3', 'S5'] },
      namespaces: { include: ['shop-*', 'pay?'], exclude: ['shop-test'] },
      auditChannel: 'C0AUDIT',
      maxLoggingMs: 7_200_000,
      maxLogReads: 25,
      shutdownMs: 10_000,
      reconcileIntervalMs: 30_000,
      kubeconfig: '/etc/kube/config',
      kubeContext: 'prod',
      leaseNamespace: 'meshbot',
      identity: 'meshbot-7d9f-abcde',
    });
    expect(config.redact.map((r) => r.source)).toEqual(['acct-[0-9]+', 'card=(\\d+)']);
  });

  it('MESHBOT_NAMESPACE wins over POD_NAMESPACE', () => {
    expect(ok({ ...base, MESHBOT_NAMESPACE: 'ops', POD_NAMESPACE: 'meshbot' }).leaseNamespace).toBe('ops');
  });

  it('MESHBOT_REDACT also takes one pattern per line', () => {
    const config = ok({ ...base, MESHBOT_REDACT: 'acct-\\d+\n\n  tenant-[a-z]+  \n' });
    expect(config.redact.map((r) => r.source)).toEqual(['acct-\\d+', 'tenant-[a-z]+']);
  });

  it('"*" allows any channel', () => {
    expect(ok({ ...base, MESHBOT_ALLOWED_CHANNELS: '*' }).allowedChannels).toBeNull();
  });
});

describe('readBotConfig: problems', () => {
  it('lists every problem at once, one line each, naming the variable', () => {
    const list = problems({
      SLACK_APP_TOKEN: APP,
      PORT: '70000',
      SLACK_API_URL: 'ftp://x',
      MESHBOT_ALLOWED_CHANNELS: 'C1,#general',
      MESHBOT_ADMINS: 'U1 bob@example.com',
      MESHBOT_NAMESPACES: 'Shop,!',
      MESHBOT_REDACT: '["ok", "(unclosed"]',
      MESHBOT_AUDIT_CHANNEL: 'audit',
      MESHBOT_MAX_LOGGING_DURATION: '4 hours',
      MESHBOT_MAX_LOG_REQUESTS: '0',
      MESHBOT_SHUTDOWN_TIMEOUT: '-1s',
      MESHBOT_RECONCILE_INTERVAL: '1.5m',
      MESHBOT_NAMESPACE: 'Not_A_Namespace',
    });
    const expected = [
      /^SLACK_BOT_TOKEN is not set/,
      /^PORT must be a TCP port/,
      /^SLACK_API_URL must be an http\(s\) URL/,
      /^MESHBOT_ALLOWED_CHANNELS: "#general" is not a channel id/,
      /^MESHBOT_ADMINS: "bob@example.com" is not a Slack user id/,
      /^MESHBOT_NAMESPACES: "Shop" is not a namespace pattern/,
      /^MESHBOT_NAMESPACES: "!" must be followed/,
      /^MESHBOT_REDACT: pattern 2 \("\(unclosed"\) is not a valid JavaScript regular expression/,
      /^MESHBOT_AUDIT_CHANNEL: "audit" is not a channel id/,
      /^MESHBOT_MAX_LOGGING_DURATION "4 hours" is not a duration/,
      /^MESHBOT_MAX_LOG_REQUESTS must be how many/,
      /^MESHBOT_SHUTDOWN_TIMEOUT "-1s" is not a duration/,
      /^MESHBOT_RECONCILE_INTERVAL "1.5m" is not a duration/,
      /^MESHBOT_NAMESPACE: "Not_A_Namespace" is not a namespace name/,
    ];
    expect(list).toHaveLength(expected.length);
    for (const [i, pattern] of expected.entries()) expect(list[i]).toMatch(pattern);
    for (const line of list) expect(line).not.toContain('\n');
  });

  it.each([
    [{ SLACK_BOT_TOKEN: 'xoxp-userSECRET', SLACK_APP_TOKEN: APP }, /^SLACK_BOT_TOKEN must start with xoxb-/],
    [{ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: 'xoxb-wrongSECRET' }, /^SLACK_APP_TOKEN must start with xapp-/],
    [{ SLACK_BOT_TOKEN: BOT }, /^SLACK_SIGNING_SECRET is not set: HTTP mode needs/],
    [{ SLACK_BOT_TOKEN: BOT, SLACK_MODE: 'socket' }, /^SLACK_APP_TOKEN is not set: socket mode needs/],
    [
      { SLACK_BOT_TOKEN: BOT, SLACK_MODE: 'websocket', SLACK_APP_TOKEN: APP },
      /^SLACK_MODE must be socket or http/,
    ],
    [
      { SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP, MESHBOT_REDACT: '[oops' },
      /^MESHBOT_REDACT starts with "\["/,
    ],
    [{ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP, PORT: '80a' }, /^PORT must be a TCP port/],
  ])('%j', (env, pattern) => {
    const list = problems(env);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatch(pattern);
  });

  it('never echoes secrets', () => {
    const list = problems({
      SLACK_BOT_TOKEN: 'xoxp-userSECRET',
      SLACK_APP_TOKEN: 'nope-SECRET',
      SLACK_SIGNING_SECRET: 'SECRET',
      SLACK_MODE: 'socket',
    });
    expect(list.length).toBeGreaterThan(0);
    for (const line of list) expect(line).not.toMatch(/SECRET(?!_)/);
  });
});

describe('readBotConfig: MESHBOT_CONFIG_FILE', () => {
  const base = {
    SLACK_BOT_TOKEN: BOT,
    SLACK_APP_TOKEN: APP,
    MESHBOT_CONFIG_FILE: '/etc/meshbot/config.yaml',
  };
  const file = (text: string) => ({ '/etc/meshbot/config.yaml': text });

  it('reads camelCase settings; the environment wins', () => {
    const config = ok(
      { ...base, MESHBOT_AUDIT_CHANNEL: 'C0ENV' },
      file(
        [
          'allowedChannels: [C1]',
          'admins: [U1, S2]',
          "namespaces: ['shop-*', '!kube-system']",
          "redact: ['acct-\\d+']",
          'auditChannel: C0FILE',
          'maxLoggingDuration: 2h',
          'maxLogRequests: 5',
          'port: 8080',
          'leaseNamespace: meshbot',
        ].join('\n'),
      ),
    );
    expect(config).toMatchObject({
      allowedChannels: ['C1'],
      admins: { users: ['U1'], groups: ['S2'] },
      namespaces: { include: ['shop-*'], exclude: ['kube-system'] },
      auditChannel: 'C0ENV',
      maxLoggingMs: 7_200_000,
      maxLogReads: 5,
      port: 8080,
      leaseNamespace: 'meshbot',
    });
    expect(config.redact.map((r) => r.source)).toEqual(['acct-\\d+']);
  });

  it('an empty file is fine', () => {
    expect(ok(base, file('')).mode).toBe('socket');
  });

  it('rejects secrets, unknown keys and bad values, naming the key', () => {
    const list = problems(
      base,
      file(['botToken: xoxb-fileZq9', 'signingSecret: fileZq9', 'admin: [U1]', 'port: [1, 2]'].join('\n')),
    );
    expect(list).toEqual([
      expect.stringMatching(
        /^botToken in MESHBOT_CONFIG_FILE is not allowed: .*put SLACK_BOT_TOKEN in the environment \/ a Secret$/,
      ),
      expect.stringMatching(/^signingSecret in MESHBOT_CONFIG_FILE is not allowed: .*SLACK_SIGNING_SECRET/),
      expect.stringMatching(/^admin in MESHBOT_CONFIG_FILE is not a meshbot setting; known settings: mode, /),
      expect.stringMatching(/^port in MESHBOT_CONFIG_FILE must be a TCP port, not a list or mapping$/),
    ]);
    for (const line of list) expect(line).not.toContain('Zq9');
  });

  it.each([
    [{}, /^MESHBOT_CONFIG_FILE: cannot read "\/etc\/meshbot\/config.yaml" \(ENOENT/],
    [
      file('a: [1\nbotToken: xoxb-SECRET'),
      /^MESHBOT_CONFIG_FILE "\/etc\/meshbot\/config.yaml" is not valid YAML: /,
    ],
    [file('- C1\n- C2'), /must be a YAML mapping/],
  ])('file problem %#', (files, pattern) => {
    const list = problems(base, files);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatch(pattern);
    expect(list[0]).not.toContain('SECRET');
  });

  it('without a readFile the file is a problem', () => {
    const result = readBotConfig(base);
    expect(result.ok).toBe(false);
  });
});

describe('describeConfig', () => {
  it('shows settings but not secrets', () => {
    const config = ok({
      SLACK_BOT_TOKEN: BOT,
      SLACK_APP_TOKEN: APP,
      MESHBOT_ADMINS: 'U1 S2',
      MESHBOT_ALLOWED_CHANNELS: 'C1 C2',
    });
    const lines = describeConfig(config);
    expect(lines).toContain('bot token: xoxb-…(set)');
    expect(lines).toContain('app token: xapp-…(set)');
    expect(lines).toContain('admins: 1 user(s), 1 user group(s)');
    expect(lines).toContain('allowed channels: C1, C2');
    expect(lines).toContain('namespaces: *,!kube-system');
    expect(lines.join('\n')).not.toContain('SECRET');
  });
});

describe('readCliConfig', () => {
  it.each([
    [{}, 4 * 3_600_000],
    [{ MESHBOT_MAX_LOGGING_DURATION: '' }, 4 * 3_600_000],
    [{ MESHBOT_MAX_LOGGING_DURATION: '30m' }, 1_800_000],
  ])('%j', (env, ms) => expect(readCliConfig(env)).toEqual({ maxLoggingMs: ms }));

  it('throws config_invalid naming the variable', () => {
    try {
      readCliConfig({ MESHBOT_MAX_LOGGING_DURATION: 'forever' });
      expect.unreachable();
    } catch (e) {
      expect(isMeshbotError(e) && e.code).toBe('config_invalid');
      expect(e instanceof Error && e.message).toMatch(/^MESHBOT_MAX_LOGGING_DURATION "forever"/);
    }
  });
});

describe('namespace patterns', () => {
  it.each([
    ['*,!kube-system', { include: ['*'], exclude: ['kube-system'] }],
    ['shop-* pay-?', { include: ['shop-*', 'pay-?'], exclude: [] }],
    ['!kube-system, !istio-system', { include: ['*'], exclude: ['kube-system', 'istio-system'] }],
    ['', { include: [], exclude: [] }],
  ])('parses %j', (text, patterns) => expect(parseNamespacePatterns(text)).toEqual({ ok: true, patterns }));

  it.each(['Shop', 'shop_1', '!', 'a/b', 'x'.repeat(64)])('rejects %j', (text) => {
    expect(parseNamespacePatterns(text).ok).toBe(false);
  });

  it.each([
    ['*', 'anything', true],
    ['shop-*', 'shop-prod', true],
    ['shop-*', 'shop-', true],
    ['shop-*', 'myshop-prod', false],
    ['*-prod', 'shop-prod', true],
    ['pay?', 'pay1', true],
    ['pay?', 'pay', false],
    ['a*b*c', 'axxbyyc', true],
    ['a*b*c', 'axxbyy', false],
    ['kube-system', 'kube-system', true],
    ['kube-system', 'kube-systems', false],
  ])('%s matches %s: %s', (glob, name, expected) => expect(globMatch(glob, name)).toBe(expected));

  it('excludes win and an empty include allows nothing', () => {
    const patterns = { include: ['*'], exclude: ['kube-*'] };
    expect(namespaceAllowed(patterns, 'shop')).toBe(true);
    expect(namespaceAllowed(patterns, 'kube-system')).toBe(false);
    expect(namespaceAllowed({ include: [], exclude: [] }, 'shop')).toBe(false);
  });
});
