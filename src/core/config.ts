/**
 * @module core/config
 * Settings read once at start-up: the bot's from the environment and an optional YAML file
 * (`MESHBOT_CONFIG_FILE`, environment wins), the CLI's from the environment. Every problem is reported
 * at once, one line each naming the variable, what is wrong and how to fix it; secret values (tokens,
 * signing secret) are never echoed. Also home of the `MESHBOT_NAMESPACES` glob syntax, which the Slack
 * access policy applies (the core cannot import from `slack/`).
 */
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { DEFAULT_MAX_LOGGING_MS } from './cli-config.js';
import { formatDuration, parseDuration } from './duration.js';
import { printable, validateNamespace } from './kubernetes-names.js';

// ---------------------------------------------------------------------------------------------------
// Namespace patterns

/** `MESHBOT_NAMESPACES`: globs (`*`, `?`) a namespace must match, and `!`-prefixed ones it must not. */
export interface NamespacePatterns {
  readonly include: readonly string[];
  readonly exclude: readonly string[];
}

export type NamespacePatternsResult =
  | { ok: true; patterns: { include: string[]; exclude: string[] } }
  | { ok: false; problems: string[] };

export const DEFAULT_NAMESPACE_PATTERNS = '*,!kube-system';

const GLOB = /^[a-z0-9*?-]{1,63}$/;

/**
 * Parses comma/space separated globs: `shop-*, !kube-system`. When only exclusions are given, `*` is
 * implied (`!kube-system` means every other namespace). Problems are phrases without the variable name.
 */
export function parseNamespacePatterns(text: string): NamespacePatternsResult {
  const include: string[] = [];
  const exclude: string[] = [];
  const problems: string[] = [];
  for (const item of text.split(/[\s,]+/)) {
    if (item === '') continue;
    const negated = item.startsWith('!');
    const glob = negated ? item.slice(1) : item;
    if (!GLOB.test(glob)) {
      problems.push(
        glob === ''
          ? '"!" must be followed by a namespace or pattern, e.g. !kube-system'
          : `"${printable(item)}" is not a namespace pattern: use lower-case letters, digits, "-" and the wildcards * and ?, at most 63 characters, with ! in front to exclude`,
      );
      continue;
    }
    (negated ? exclude : include).push(glob);
  }
  if (problems.length > 0) return { ok: false, problems };
  if (include.length === 0 && exclude.length > 0) include.push('*');
  return { ok: true, patterns: { include, exclude } };
}

/** `*` and `?` glob match without regexes (linear backtracking on the last `*`). */
export function globMatch(glob: string, name: string): boolean {
  let g = 0;
  let n = 0;
  let star = -1;
  let mark = 0;
  while (n < name.length) {
    const c = glob[g];
    if (c === '?' || (c !== undefined && c !== '*' && c === name[n])) {
      g += 1;
      n += 1;
    } else if (c === '*') {
      star = g;
      mark = n;
      g += 1;
    } else if (star >= 0) {
      g = star + 1;
      mark += 1;
      n = mark;
    } else {
      return false;
    }
  }
  while (glob[g] === '*') g += 1;
  return g === glob.length;
}

/** Whether a namespace is covered: it matches an include pattern and no exclude pattern. */
export function namespaceAllowed(patterns: NamespacePatterns, namespace: string): boolean {
  if (patterns.exclude.some((glob) => globMatch(glob, namespace))) return false;
  return patterns.include.some((glob) => globMatch(glob, namespace));
}

/** `shop-*, !kube-system` back as written. */
export function formatNamespacePatterns(patterns: NamespacePatterns): string {
  return [...patterns.include, ...patterns.exclude.map((g) => `!${g}`)].join(',');
}

// ---------------------------------------------------------------------------------------------------
// Bot configuration

export type Env = Readonly<Record<string, string | undefined>>;
export type SlackMode = 'socket' | 'http';

export interface BotConfig {
  readonly botToken: string;
  readonly signingSecret?: string;
  readonly appToken?: string;
  readonly mode: SlackMode;
  readonly port: number;
  /** Ends with `/`. */
  readonly slackApiUrl?: string;
  /** `null`: any channel. */
  readonly allowedChannels: readonly string[] | null;
  readonly admins: { readonly users: readonly string[]; readonly groups: readonly string[] };
  readonly namespaces: NamespacePatterns;
  readonly redact: readonly RegExp[];
  readonly auditChannel: string | null;
  readonly maxLoggingMs: number;
  /** Pod log reads in flight across all commands. */
  readonly maxLogReads: number;
  readonly shutdownMs: number;
  readonly reconcileIntervalMs: number;
  readonly kubeconfig?: string;
  readonly kubeContext?: string;
  readonly leaseNamespace?: string;
  readonly identity?: string;
}

export type BotConfigResult = { ok: true; config: BotConfig } | { ok: false; problems: string[] };

export interface ReadConfigOptions {
  /** Reads `MESHBOT_CONFIG_FILE`; throws when it cannot. */
  readonly readFile?: (path: string) => string;
}

export const DEFAULT_PORT = 3000;
export const DEFAULT_MAX_LOG_READS = 10;
export const DEFAULT_SHUTDOWN_MS = 25_000;
export const DEFAULT_RECONCILE_INTERVAL_MS = 60_000;

/** Where each setting may come from: environment variables (first set one wins) and a file key. */
const SOURCES = {
  botToken: { env: ['SLACK_BOT_TOKEN'], file: null },
  signingSecret: { env: ['SLACK_SIGNING_SECRET'], file: null },
  appToken: { env: ['SLACK_APP_TOKEN'], file: null },
  mode: { env: ['SLACK_MODE'], file: 'mode' },
  port: { env: ['PORT'], file: 'port' },
  slackApiUrl: { env: ['SLACK_API_URL'], file: 'slackApiUrl' },
  allowedChannels: { env: ['MESHBOT_ALLOWED_CHANNELS'], file: 'allowedChannels' },
  admins: { env: ['MESHBOT_ADMINS'], file: 'admins' },
  namespaces: { env: ['MESHBOT_NAMESPACES'], file: 'namespaces' },
  redact: { env: ['MESHBOT_REDACT'], file: 'redact' },
  auditChannel: { env: ['MESHBOT_AUDIT_CHANNEL'], file: 'auditChannel' },
  maxLoggingMs: { env: ['MESHBOT_MAX_LOGGING_DURATION'], file: 'maxLoggingDuration' },
  maxLogReads: { env: ['MESHBOT_MAX_LOG_REQUESTS'], file: 'maxLogRequests' },
  shutdownMs: { env: ['MESHBOT_SHUTDOWN_TIMEOUT'], file: 'shutdownTimeout' },
  reconcileIntervalMs: { env: ['MESHBOT_RECONCILE_INTERVAL'], file: 'reconcileInterval' },
  kubeconfig: { env: ['KUBECONFIG'], file: 'kubeconfig' },
  kubeContext: { env: ['MESHBOT_KUBE_CONTEXT'], file: 'kubeContext' },
  leaseNamespace: { env: ['MESHBOT_NAMESPACE', 'POD_NAMESPACE'], file: 'leaseNamespace' },
  identity: { env: ['POD_NAME'], file: null },
} as const satisfies Record<string, { env: readonly string[]; file: string | null }>;

type Field = keyof typeof SOURCES;
const FIELDS = Object.keys(SOURCES) as Field[];

/** File keys that would hold secrets, and where those belong instead. */
const SECRET_FILE_KEYS: Readonly<Record<string, string>> = {
  bottoken: 'SLACK_BOT_TOKEN',
  slackbottoken: 'SLACK_BOT_TOKEN',
  token: 'SLACK_BOT_TOKEN',
  signingsecret: 'SLACK_SIGNING_SECRET',
  slacksigningsecret: 'SLACK_SIGNING_SECRET',
  apptoken: 'SLACK_APP_TOKEN',
  slackapptoken: 'SLACK_APP_TOKEN',
};

interface Raw {
  value: unknown;
  label: string;
}

/** Reads and checks `MESHBOT_CONFIG_FILE`: a mapping of known camelCase keys, no secrets. */
function readConfigFile(
  env: Env,
  readFile: ((path: string) => string) | undefined,
  problems: string[],
): { path: string; values: Record<string, unknown> } | null {
  const path = env.MESHBOT_CONFIG_FILE?.trim();
  if (path === undefined || path === '') return null;
  if (readFile === undefined) {
    problems.push('MESHBOT_CONFIG_FILE is set but this program cannot read files; unset it');
    return null;
  }
  let text: string;
  try {
    text = readFile(path);
  } catch (e) {
    const why = e instanceof Error ? (e.message.split('\n')[0] ?? '') : String(e);
    problems.push(
      `MESHBOT_CONFIG_FILE: cannot read "${printable(path)}" (${why}); check the path and that the file is mounted`,
    );
    return null;
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (e) {
    // Only the first line: the rest quotes the file, which might hold a misplaced secret.
    const why = e instanceof Error ? (e.message.split('\n')[0] ?? '') : 'invalid YAML';
    problems.push(`MESHBOT_CONFIG_FILE "${printable(path)}" is not valid YAML: ${why}`);
    return null;
  }
  if (parsed === null || parsed === undefined) return { path, values: {} };
  const mapping = z.record(z.string(), z.unknown()).safeParse(parsed);
  if (!mapping.success || Array.isArray(parsed)) {
    problems.push(
      `MESHBOT_CONFIG_FILE "${printable(path)}" must be a YAML mapping of settings, e.g. "allowedChannels: [C0123ABC]"`,
    );
    return null;
  }
  const known = new Set<string>(FIELDS.flatMap((f) => (SOURCES[f].file === null ? [] : [SOURCES[f].file])));
  for (const key of Object.keys(mapping.data)) {
    const secretVar = SECRET_FILE_KEYS[key.toLowerCase().replace(/[^a-z]/g, '')];
    if (secretVar !== undefined) {
      problems.push(
        `${printable(key)} in MESHBOT_CONFIG_FILE is not allowed: secrets do not belong in the config file; put ${secretVar} in the environment / a Secret`,
      );
    } else if (!known.has(key)) {
      problems.push(
        `${printable(key)} in MESHBOT_CONFIG_FILE is not a meshbot setting; known settings: ${[...known].join(', ')}`,
      );
    }
  }
  return { path, values: mapping.data };
}

/** Per setting: the environment value (non-empty) or the file value, with a label for messages. */
function collect(
  env: Env,
  file: { path: string; values: Record<string, unknown> } | null,
): Record<Field, Raw> {
  const raw = {} as Record<Field, Raw>;
  for (const field of FIELDS) {
    const source = SOURCES[field];
    const fromEnv = source.env.find((name) => (env[name] ?? '').trim() !== '');
    if (fromEnv !== undefined) {
      raw[field] = { value: env[fromEnv], label: fromEnv };
    } else if (file !== null && source.file !== null && file.values[source.file] != null) {
      raw[field] = { value: file.values[source.file], label: `${source.file} in MESHBOT_CONFIG_FILE` };
    } else {
      raw[field] = { value: undefined, label: source.env[0] ?? field };
    }
  }
  return raw;
}

const scalar = (label: string, what: string) =>
  z
    .union([z.string(), z.number(), z.boolean()], {
      error: `${label} must be ${what}, not a list or mapping`,
    })
    .transform((v) => String(v).trim());

/** A list: comma/space separated text or a YAML sequence. `<…>` Slack forms stay one item. */
const list = (label: string, what: string) =>
  z
    .union([z.string(), z.number(), z.array(z.union([z.string(), z.number()]))], {
      error: `${label} must be ${what}`,
    })
    .transform((v) =>
      (Array.isArray(v) ? v : [v]).flatMap((item) => String(item).match(/<[^>]*>|[^\s,]+/g) ?? []),
    );

const duration = (label: string) =>
  scalar(label, 'a duration such as 30s, 15m, 2h or 1h30m').transform((text, ctx) => {
    try {
      return parseDuration(text, label);
    } catch (e) {
      ctx.addIssue(e instanceof Error ? e.message : `${label} is not a duration`);
      return z.NEVER;
    }
  });

const CHANNEL_ID = /^[CG][A-Z0-9]+$/;
const CHANNEL_FORM = /^<#([CG][A-Z0-9]+)(?:\|[^>]*)?>$/;

function channelId(item: string): string | null {
  if (CHANNEL_ID.test(item)) return item;
  return CHANNEL_FORM.exec(item)?.[1] ?? null;
}

const USER_ID = /^([UW][A-Z0-9]+)$|^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/;
const GROUP_ID = /^(S[A-Z0-9]+)$|^<!subteam\^(S[A-Z0-9]+)(?:\|[^>]*)?>$/;

const channelHint =
  'use channel ids such as C0123ABCD (in Slack: channel name → About → Channel ID), not names';

function secret(label: string, prefix: string | null, what: string) {
  return z
    .string({ error: `${label} is not set: ${what}` })
    .transform((v) => v.trim())
    .refine((v) => prefix === null || v.startsWith(prefix), {
      error: `${label} must start with ${prefix ?? ''}: ${what}`,
    });
}

function maybeSecret(label: string, prefix: string | null, required: boolean, what: string) {
  return required ? secret(label, prefix, what) : secret(label, prefix, what).optional();
}

function redactPatterns(label: string) {
  return z
    .union([z.string(), z.array(z.string())], {
      error: `${label} must be a JSON array of regular expressions, or one per line`,
    })
    .transform((v, ctx) => {
      let sources: string[];
      if (Array.isArray(v)) {
        sources = v;
      } else if (v.trim().startsWith('[')) {
        const json = z.array(z.string()).safeParse(safeJson(v));
        if (!json.success) {
          ctx.addIssue(
            `${label} starts with "[" but is not a JSON array of strings; write e.g. ["acct-[0-9]+", "card=([0-9]{12,19})"] (backslashes doubled), or one pattern per line`,
          );
          return z.NEVER;
        }
        sources = json.data;
      } else {
        sources = v.split(/\r?\n/).map((line) => line.trim());
      }
      const patterns: RegExp[] = [];
      sources.forEach((source, i) => {
        if (source === '') return;
        try {
          patterns.push(new RegExp(source));
        } catch (e) {
          const why =
            e instanceof Error
              ? e.message.replace(/^Invalid regular expression: (?:\/.*\/[a-z]*: )?/, '')
              : '';
          ctx.addIssue(
            `${label}: pattern ${i + 1} ("${printable(source).slice(0, 40)}") is not a valid JavaScript regular expression (${printable(why)}); fix or remove it`,
          );
        }
      });
      return patterns;
    });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function integer(label: string, min: number, max: number, what: string, shownMin = min) {
  return scalar(label, what).transform((text, ctx) => {
    const n = /^\d{1,6}$/.test(text) ? Number(text) : Number.NaN;
    if (!Number.isInteger(n) || n < min || n > max) {
      ctx.addIssue(`${label} must be ${what} (a whole number from ${shownMin} to ${max})`);
      return z.NEVER;
    }
    return n;
  });
}

/** The schema for one start-up, labelled with where each value came from. */
function botSchema(labels: Record<Field, string>, mode: SlackMode | null) {
  const L = labels;
  return z.object({
    botToken: secret(
      L.botToken,
      'xoxb-',
      "use the app's Bot User OAuth Token (OAuth & Permissions page), from a Secret",
    ),
    signingSecret: maybeSecret(
      L.signingSecret,
      null,
      mode === 'http',
      "HTTP mode needs the app's Signing Secret (Basic Information page), from a Secret; or use socket mode with SLACK_APP_TOKEN",
    ),
    appToken: maybeSecret(
      L.appToken,
      'xapp-',
      mode === 'socket',
      'socket mode needs an app-level token with the connections:write scope (Basic Information → App-Level Tokens), from a Secret; or set SLACK_MODE=http',
    ),
    mode: scalar(L.mode, 'socket or http')
      .transform((v) => v.toLowerCase())
      .refine((v) => v === 'socket' || v === 'http', { error: `${L.mode} must be socket or http` })
      .optional(),
    port: integer(L.port, 0, 65535, 'a TCP port', 1).optional(), // 0: any free port, for tests
    slackApiUrl: scalar(L.slackApiUrl, 'a URL')
      .transform((v, ctx) => {
        const url = URL.canParse(v) ? new URL(v) : null;
        if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
          ctx.addIssue(`${L.slackApiUrl} must be an http(s) URL such as https://slack.com/api/`);
          return z.NEVER;
        }
        return url.href.endsWith('/') ? url.href : `${url.href}/`;
      })
      .optional(),
    allowedChannels: list(L.allowedChannels, 'channel ids separated by commas or spaces')
      .transform((items, ctx) => {
        if (items.length === 0 || (items.length === 1 && items[0] === '*')) return null;
        const ids: string[] = [];
        for (const item of items) {
          const id = channelId(item);
          if (id === null)
            ctx.addIssue(`${L.allowedChannels}: "${printable(item)}" is not a channel id; ${channelHint}`);
          else if (!ids.includes(id)) ids.push(id);
        }
        return ids;
      })
      .optional(),
    admins: list(L.admins, 'Slack user ids and user group ids separated by commas or spaces')
      .transform((items, ctx) => {
        const users: string[] = [];
        const groups: string[] = [];
        for (const item of items) {
          const u = USER_ID.exec(item);
          const g = GROUP_ID.exec(item);
          const user = u?.[1] ?? u?.[2];
          const group = g?.[1] ?? g?.[2];
          if (user !== undefined) {
            if (!users.includes(user)) users.push(user);
          } else if (group !== undefined) {
            if (!groups.includes(group)) groups.push(group);
          } else {
            ctx.addIssue(
              `${L.admins}: "${printable(item)}" is not a Slack user id (U… or W…, in Slack: profile → ⋮ → Copy member ID) or user group id (S…); names and emails are not accepted`,
            );
          }
        }
        return { users, groups };
      })
      .optional(),
    namespaces: list(
      L.namespaces,
      'namespace patterns separated by commas or spaces, e.g. shop-*,!kube-system',
    )
      .transform((items, ctx) => {
        const parsed = parseNamespacePatterns(items.join(','));
        if (parsed.ok) return parsed.patterns;
        for (const p of parsed.problems) ctx.addIssue(`${L.namespaces}: ${p}`);
        return z.NEVER;
      })
      .optional(),
    redact: redactPatterns(L.redact).optional(),
    auditChannel: scalar(L.auditChannel, 'one channel id')
      .transform((v, ctx) => {
        const id = channelId(v);
        if (id === null) {
          ctx.addIssue(`${L.auditChannel}: "${printable(v)}" is not a channel id; ${channelHint}`);
          return z.NEVER;
        }
        return id;
      })
      .optional(),
    maxLoggingMs: duration(L.maxLoggingMs).optional(),
    maxLogReads: integer(L.maxLogReads, 1, 100, 'how many pod log reads may run at once').optional(),
    shutdownMs: duration(L.shutdownMs).optional(),
    reconcileIntervalMs: duration(L.reconcileIntervalMs).optional(),
    kubeconfig: scalar(L.kubeconfig, 'a file path (or paths joined with ":")').optional(),
    kubeContext: scalar(L.kubeContext, 'a kubeconfig context name').optional(),
    leaseNamespace: scalar(L.leaseNamespace, 'a namespace name')
      .transform((v, ctx) => {
        try {
          return validateNamespace(v);
        } catch (e) {
          ctx.addIssue(`${L.leaseNamespace}: ${e instanceof Error ? e.message : 'not a namespace name'}`);
          return z.NEVER;
        }
      })
      .optional(),
    identity: scalar(L.identity, 'the pod name').optional(),
  });
}

/** The mode the requirements depend on, or `null` when `SLACK_MODE` is invalid (reported by the schema). */
function effectiveMode(raw: Record<Field, Raw>): SlackMode | null {
  const given = raw.mode.value;
  if (given === undefined) return raw.appToken.value === undefined ? 'http' : 'socket';
  const text = String(given).trim().toLowerCase();
  return text === 'socket' || text === 'http' ? text : null;
}

/**
 * Reads the bot's configuration once, from `env` and the optional `MESHBOT_CONFIG_FILE` (read with
 * `options.readFile`). Returns every problem at once rather than the first.
 */
export function readBotConfig(env: Env, options: ReadConfigOptions = {}): BotConfigResult {
  const problems: string[] = [];
  const file = readConfigFile(env, options.readFile, problems);
  const raw = collect(env, file);
  const mode = effectiveMode(raw);
  const labels = {} as Record<Field, string>;
  const input: Record<string, unknown> = {};
  for (const field of FIELDS) {
    labels[field] = raw[field].label;
    input[field] = raw[field].value;
  }
  const parsed = botSchema(labels, mode).safeParse(input);
  if (!parsed.success) problems.push(...parsed.error.issues.map((issue) => issue.message));
  if (!parsed.success || problems.length > 0 || mode === null) {
    return { ok: false, problems: problems.length > 0 ? problems : ['SLACK_MODE must be socket or http'] };
  }
  const d = parsed.data;
  const config: BotConfig = {
    botToken: d.botToken,
    mode,
    port: d.port ?? DEFAULT_PORT,
    allowedChannels: d.allowedChannels ?? null,
    admins: d.admins ?? { users: [], groups: [] },
    namespaces: d.namespaces ?? defaultNamespacePatterns(),
    redact: d.redact ?? [],
    auditChannel: d.auditChannel ?? null,
    maxLoggingMs: d.maxLoggingMs ?? DEFAULT_MAX_LOGGING_MS,
    maxLogReads: d.maxLogReads ?? DEFAULT_MAX_LOG_READS,
    shutdownMs: d.shutdownMs ?? DEFAULT_SHUTDOWN_MS,
    reconcileIntervalMs: d.reconcileIntervalMs ?? DEFAULT_RECONCILE_INTERVAL_MS,
    ...(d.signingSecret !== undefined && { signingSecret: d.signingSecret }),
    ...(d.appToken !== undefined && { appToken: d.appToken }),
    ...(d.slackApiUrl !== undefined && { slackApiUrl: d.slackApiUrl }),
    ...(d.kubeconfig !== undefined && { kubeconfig: d.kubeconfig }),
    ...(d.kubeContext !== undefined && { kubeContext: d.kubeContext }),
    ...(d.leaseNamespace !== undefined && { leaseNamespace: d.leaseNamespace }),
    ...(d.identity !== undefined && { identity: d.identity }),
  };
  return { ok: true, config };
}

function defaultNamespacePatterns(): NamespacePatterns {
  const parsed = parseNamespacePatterns(DEFAULT_NAMESPACE_PATTERNS);
  return parsed.ok ? parsed.patterns : { include: [], exclude: [] };
}

const setOrNot = (value: string | undefined, prefix: string): string =>
  value === undefined ? '(not set)' : `${prefix}…(set)`;

/** Lines for the start-up log: no secret values, only whether they are set. */
export function describeConfig(config: BotConfig): string[] {
  const { users, groups } = config.admins;
  const lines = [
    `mode: ${config.mode}${config.mode === 'http' ? `, port ${config.port}` : ''}`,
    `bot token: ${setOrNot(config.botToken, 'xoxb-')}`,
    config.mode === 'socket'
      ? `app token: ${setOrNot(config.appToken, 'xapp-')}`
      : `signing secret: ${config.signingSecret === undefined ? '(not set)' : '(set)'}`,
  ];
  if (config.slackApiUrl !== undefined) lines.push(`slack api: ${config.slackApiUrl}`);
  lines.push(
    `allowed channels: ${config.allowedChannels === null ? 'any' : config.allowedChannels.join(', ')}`,
    users.length + groups.length === 0
      ? 'admins: none (nobody can run changing commands; set MESHBOT_ADMINS)'
      : `admins: ${users.length} user(s), ${groups.length} user group(s)`,
    `namespaces: ${formatNamespacePatterns(config.namespaces)}`,
    `redact: built-in rules + ${config.redact.length} pattern(s) from MESHBOT_REDACT`,
    `audit channel: ${config.auditChannel ?? 'none'}`,
    `max logging duration: ${formatDuration(config.maxLoggingMs)}`,
    `max concurrent log reads: ${config.maxLogReads}`,
    `shutdown timeout: ${formatDuration(config.shutdownMs)}, reconcile every ${formatDuration(config.reconcileIntervalMs)}`,
    `kubernetes: ${config.kubeContext === undefined ? 'default context' : `context ${config.kubeContext}`}${config.kubeconfig === undefined ? '' : ` from ${config.kubeconfig}`}`,
  );
  if (config.leaseNamespace !== undefined) lines.push(`lease namespace: ${config.leaseNamespace}`);
  if (config.identity !== undefined) lines.push(`identity: ${config.identity}`);
  return lines;
}
