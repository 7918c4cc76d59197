/**
 * @module slack/handle-invocation
 * What happens to one `/mesh` command, button click or shortcut after Slack has its ack: Slack's escaping
 * undone, the text parsed by the shared grammar, the request built (all validation), the user authorized
 * (admins for changes, channels, namespaces), heavy commands limited to one per user, the command run over
 * the bot's shared cluster connection, the report redacted, rendered by the engine's Slack renderer, sent
 * (with a progress message first, files in a thread when it does not fit), and one audit line written.
 * No Slack SDK here: replies go through {@link SlackOutbox}. Never throws.
 */
import type { ClusterReader } from '../commands/cluster-port.js';
import type { CommandDeps } from '../commands/command-deps.js';
import type { CommandReport } from '../commands/command-report.js';
import { parseTokens, prepareCommand, wantsHelp } from '../commands/command-table.js';
import { tokenizeCommandText } from '../commands/parse-command-line.js';
import type { Clock } from '../commands/ports.js';
import type { NamespaceScope, PreparedCommand } from '../commands/table/define-command.js';
import { type NamespacePatterns, namespaceAllowed } from '../core/config.js';
import { asMeshbotError } from '../core/errors.js';
import { redactDeep } from '../core/redact.js';
import { helpTopicOf, toUserMessage } from '../core/user-message.js';
import type { IstioConfigPort, LeasePort } from '../istio-logging/logging-port.js';
import type { LoggingChange } from '../istio-logging/logging-result.js';
import { codeSpan, escapeMrkdwn } from '../render/escape-mrkdwn.js';
import { renderCommandSlack, renderCommandText } from '../render/render-command-report.js';
import type { SlackBlock, SlackMessage } from '../render/slack-message.js';
import { type AccessPolicy, checkAccess } from './access-policy.js';
import type { CommandOutcome, Metrics } from './metrics.js';
import { buttonsFor, confirmButtons } from './reply-buttons.js';
import type { ResponseBudget } from './response-budget.js';
import type { ReplyPayload, SlackOutbox, UploadFile } from './slack-outbox.js';
import { unescapeCommandText } from './unescape-command-text.js';
import type { BusyTracker } from './user-busy.js';

export type InvocationSource = 'slash_command' | 'button' | 'shortcut' | 'home';

export interface Invocation {
  source: InvocationSource;
  /** The command text: as Slack sent it for a slash command (escaped), a button's value otherwise. */
  text: string;
  userId: string;
  channelId: string | null;
  /** Null for clicks in the App Home, which have none: replies then go to the user's DM. */
  responseUrl: string | null;
}

/** What the bot shares across invocations. */
export interface BotServices {
  clock: Clock;
  maxLoggingMs: number;
  policy: AccessPolicy;
  auditChannel: string | null;
  redact: (text: string) => string;
  outbox: SlackOutbox;
  metrics: Metrics;
  busy: BusyTracker;
  budget: ResponseBudget;
  /** The cluster, guarded: only allowed namespaces, log reads bounded across all commands. */
  cluster: () => Promise<ClusterReader>;
  istio: () => Promise<IstioConfigPort>;
  leases: () => Promise<LeasePort>;
  /** One structured JSON object per line (audit records and errors). */
  log: (record: Record<string, unknown>) => void;
  isStopping: () => boolean;
}

/** Files larger than this are cut (and the reply says so). */
export const MAX_UPLOAD_BYTES = 1024 * 1024;

const USAGE_CODES = new Set([
  'usage',
  'invalid_argument',
  'invalid_duration',
  'invalid_request_id',
  'invalid_format_string',
]);

function section(text: string): SlackBlock {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

function context(text: string): SlackBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text }] };
}

/** The help of a command (or the list of commands), as the report renderer draws it for Slack. */
function helpBlocks(topic: string | undefined, nowMs: number): SlackBlock[] {
  return renderCommandSlack({ kind: 'help', topic }, nowMs).blocks;
}

/** `text` within {@link MAX_UPLOAD_BYTES}, note included: cut after the last whole line that fits. */
function cap(text: string, what: string): { content: string; cut: boolean } {
  const bytes = Buffer.byteLength(text);
  if (bytes <= MAX_UPLOAD_BYTES) return { content: text, cut: false };
  const note = `\n… ${what} cut at ${MAX_UPLOAD_BYTES / 1024 / 1024} MB\n`;
  const cut = Buffer.from(text)
    .subarray(0, MAX_UPLOAD_BYTES - Buffer.byteLength(note))
    .toString('utf8')
    .replace(/[^\n]*$/, '');
  return { content: `${cut}${note}`, cut: true };
}

function changeText(c: LoggingChange): string {
  return `${c.action} ${c.kind} ${c.namespace}/${c.name}`;
}

function changesOf(report: CommandReport): string[] {
  if (!('command' in report)) return [];
  switch (report.command) {
    case 'enable-logging':
      return report.dryRun || report.change.action === 'none' ? [] : [changeText(report.change)];
    case 'disable-logging':
      return report.dryRun ? [] : report.changes.filter((c) => c.action !== 'none').map(changeText);
    case 'reconcile':
      return report.reverted.map(changeText);
    case 'status':
      return [];
  }
}

/** `status -A` in the bot shows only the namespaces it may show. */
export function onlyAllowed(report: CommandReport, patterns: NamespacePatterns): CommandReport {
  if (!('command' in report) || report.command !== 'status') return report;
  return { ...report, entries: report.entries.filter((e) => namespaceAllowed(patterns, e.namespace)) };
}

function askedNamespaces(scope: NamespaceScope): readonly string[] | 'all' {
  return scope.kind === 'namespaces' ? scope.names : scope.kind === 'none' ? [] : 'all';
}

/** Sends replies for one invocation, within Slack's limits, falling back to a DM when it must. */
class Replier {
  #progress: Promise<void> | null = null;
  #progressShown = false;

  constructor(
    private readonly services: BotServices,
    private readonly invocation: Invocation,
  ) {}

  /** The first progress note of a command; later ones are dropped (each post spends Slack's budget). */
  progress(message: string): void {
    const url = this.invocation.responseUrl;
    if (this.#progress !== null || url === null) return;
    this.#progress = this.#respond(url, {
      response_type: 'ephemeral',
      text: `:hourglass_flowing_sand: ${escapeMrkdwn(message)}`,
    }).then((sent) => {
      this.#progressShown = sent;
    });
  }

  /** The answer: ephemeral (replacing the progress note) or, with `--share`, in the channel. */
  async answer(payload: ReplyPayload, share: boolean): Promise<void> {
    await this.#progress;
    const url = this.invocation.responseUrl;
    if (url !== null) {
      if (share && this.#progressShown) await this.#respond(url, { text: '', delete_original: true });
      const sent = await this.#respond(url, {
        ...payload,
        response_type: share ? 'in_channel' : 'ephemeral',
        replace_original: !share && this.#progressShown,
      });
      if (sent) return;
    }
    await this.#direct(payload);
  }

  /** Removes the progress note (the answer went elsewhere). */
  async clearProgress(): Promise<void> {
    await this.#progress;
    const url = this.invocation.responseUrl;
    if (url !== null && this.#progressShown) await this.#respond(url, { text: '', delete_original: true });
  }

  /** Posts `payload` in the channel (share) or the user's DM and puts `files` in a thread under it. */
  async threadWithFiles(
    payload: ReplyPayload,
    files: readonly UploadFile[],
    share: boolean,
  ): Promise<string> {
    const { outbox } = this.services;
    const channel = share && this.invocation.channelId !== null ? this.invocation.channelId : null;
    let where = 'in the thread of this message';
    let ts: string | undefined;
    let target = channel;
    if (channel !== null) ts = await outbox.postMessage(channel, payload).catch(() => undefined);
    if (ts === undefined) {
      target = await outbox.openDm(this.invocation.userId);
      ts = await outbox.postMessage(target, payload);
      where = 'in your DM with meshbot';
    }
    await outbox.upload(target ?? '', ts, files);
    return where;
  }

  async #respond(url: string, payload: ReplyPayload): Promise<boolean> {
    if (!this.services.budget.take(url)) return false;
    try {
      await this.services.outbox.respond(url, payload);
      return true;
    } catch (e) {
      this.services.metrics.slackApiError('response_url', 'failed');
      this.services.log({ event: 'slack_error', call: 'response_url', error: asMeshbotError(e).message });
      return false;
    }
  }

  async #direct(payload: ReplyPayload): Promise<void> {
    const { outbox } = this.services;
    const { response_type: _t, replace_original: _r, delete_original: _d, ...message } = payload;
    try {
      await outbox.postMessage(await outbox.openDm(this.invocation.userId), message);
    } catch (e) {
      this.services.metrics.slackApiError('chat.postMessage', 'failed');
      this.services.log({ event: 'slack_error', call: 'chat.postMessage', error: asMeshbotError(e).message });
    }
  }
}

function toPayload(message: SlackMessage, extra: readonly SlackBlock[] = []): ReplyPayload {
  const { omitted: _omitted, ...payload } = message;
  const blocks = [...payload.blocks];
  for (const block of extra) {
    if (blocks.length >= 50) blocks.splice(49 - extra.length, 1);
    blocks.push(block);
  }
  return { text: payload.text, blocks };
}

export interface InvocationResult {
  outcome: CommandOutcome;
  command: string;
  /** The command changed the cluster (the App Home is refreshed after such a click). */
  changed: boolean;
}

/** Handles one invocation to the end; never throws. */
export async function handleInvocation(
  services: BotServices,
  invocation: Invocation,
): Promise<InvocationResult> {
  const started = services.clock();
  const replier = new Replier(services, invocation);
  let command = 'unknown';
  let outcome: CommandOutcome = 'ok';
  let changes: string[] = [];
  let errorCode: string | undefined;
  let release: (() => void) | null = null;
  services.metrics.commandsInFlight.inc();
  const text = invocation.source === 'slash_command' ? unescapeCommandText(invocation.text) : invocation.text;
  try {
    if (services.isStopping()) {
      outcome = 'busy';
      await replier.answer({ text: ':warning: meshbot is restarting; try again in a minute.' }, false);
      return { outcome, command, changed: false };
    }
    const tokens = tokenizeCommandText(text);
    const parsed = parseTokens(tokens.length === 0 ? ['help'] : tokens, 'slack');
    command = parsed.spec.name;
    const share = parsed.options.share === true;
    if (wantsHelp(parsed)) {
      await replier.answer(
        { text: `/mesh ${command} help`, blocks: helpBlocks(command, services.clock()) },
        false,
      );
      return { outcome, command, changed: false };
    }
    const prepared: PreparedCommand = prepareCommand(parsed, { maxLoggingMs: services.maxLoggingMs });
    const { spec } = prepared;
    const groups =
      spec.mutating && services.policy.admins.groups.length > 0
        ? await services.outbox
            .userGroups(invocation.userId, services.policy.admins.groups)
            .catch((): string[] => [])
        : [];
    const access = checkAccess(services.policy, {
      userId: invocation.userId,
      userGroups: groups,
      channelId: invocation.channelId,
      mutating: spec.mutating,
      namespaces: askedNamespaces(prepared.scope),
    });
    if (!access.allowed) {
      outcome = 'refused';
      errorCode = `refused_${access.reason}`;
      await replier.answer({ text: `:no_entry: ${escapeMrkdwn(access.message)}` }, false);
      return { outcome, command, changed: false };
    }
    const request = prepared.request as { confirmed?: boolean; dryRun?: boolean };
    if (
      spec.mutating &&
      prepared.scope.kind === 'mesh' &&
      request.confirmed !== true &&
      request.dryRun !== true
    ) {
      const line = `${command} for the whole mesh (every namespace, every proxy)?`;
      await replier.answer(
        {
          text: `Confirm: ${line}`,
          blocks: [
            section(
              `:warning: *${escapeMrkdwn(line)}* Access logs of a whole mesh can be large and cost money.`,
            ),
            { type: 'actions', elements: confirmButtons(tokens) },
          ],
        },
        false,
      );
      return { outcome, command, changed: false };
    }
    if (spec.heavy) {
      release = services.busy.tryStart(invocation.userId, command);
      if (release === null) {
        outcome = 'busy';
        await replier.answer(
          {
            text: `:hourglass: Your \`/mesh ${command}\` is still running; wait for its answer before starting another.`,
          },
          false,
        );
        return { outcome, command, changed: false };
      }
    }
    const lines: string[] = [];
    let lineBytes = 0;
    const deps: CommandDeps = {
      clock: services.clock,
      requester: `slack:${invocation.userId}`,
      maxLoggingMs: services.maxLoggingMs,
      cluster: () => services.cluster(),
      istio: () => services.istio(),
      leases: () => services.leases(),
      progress: (message) => replier.progress(message),
      matchingLines: (source, raw) => {
        if (lineBytes > MAX_UPLOAD_BYTES) return;
        const block = `# ${source}\n${raw}`;
        lineBytes += block.length;
        lines.push(block);
      },
    };
    const report = redactDeep(
      onlyAllowed(await prepared.run(deps), services.policy.namespaces),
      services.redact,
    );
    changes = changesOf(report);
    const nowMs = services.clock();
    const message = renderCommandSlack(report, nowMs);
    const buttons = buttonsFor(report, tokens);
    const actions: SlackBlock[] = buttons.length > 0 ? [{ type: 'actions', elements: buttons }] : [];
    if (
      (message.omitted ?? 0) > 0 &&
      'kind' in report &&
      (report.kind === 'summary' || report.kind === 'trace')
    ) {
      const full = cap(
        renderCommandText(report, {
          nowMs,
          frontEnd: 'slack',
          color: false,
          width: 160,
          maxFlows: Number.POSITIVE_INFINITY,
        }),
        'report',
      );
      const files: UploadFile[] = [
        { filename: `meshbot-${command}.txt`, title: `/mesh ${text}`.slice(0, 200), content: full.content },
      ];
      let cut = full.cut;
      const linesWhat =
        report.kind === 'trace' ? 'the lines of this request id' : 'the raw lines of the errors';
      if (lines.length > 0) {
        const raw = cap(services.redact(lines.join('')), 'lines');
        cut ||= raw.cut;
        files.push({
          filename: `meshbot-${command}-lines.log`,
          title: linesWhat.replace(/^the /, 'The '),
          content: raw.content,
        });
      }
      const sizes = files
        .map((f) => `${f.filename} (${Math.ceil(Buffer.byteLength(f.content) / 1024)} KB)`)
        .join(', ');
      const note = `Too big for one message: the full report${lines.length > 0 ? ` and ${linesWhat}` : ''} are attached as ${sizes}${cut ? ', cut at 1 MB each' : ''}`;
      try {
        const where = await replier.threadWithFiles(
          toPayload(message, [context(`_${escapeMrkdwn(note)}, in the thread below._`), ...actions]),
          files,
          share,
        );
        if (where.startsWith('in the thread')) await replier.clearProgress();
        else {
          await replier.answer(
            toPayload(message, [context(`_${escapeMrkdwn(note)}, ${where}._`), ...actions]),
            share,
          );
        }
      } catch (e) {
        services.log({ event: 'slack_error', call: 'files.uploadV2', error: asMeshbotError(e).message });
        services.metrics.slackApiError('files.uploadV2', 'failed');
        await replier.answer(
          toPayload(message, [
            context('_The full report could not be uploaded; run the command in a terminal for everything._'),
            ...actions,
          ]),
          share,
        );
      }
    } else {
      await replier.answer(toPayload(message, actions), share);
    }
    return { outcome, command, changed: changes.length > 0 };
  } catch (error) {
    const e = asMeshbotError(error);
    errorCode = e.code;
    outcome = USAGE_CODES.has(e.code) ? 'usage_error' : 'error';
    if (e.code.startsWith('k8s_')) services.metrics.kubernetesError(e.code);
    if (e.code === 'internal') services.log({ event: 'error', command, error: e.message, stack: e.stack });
    const message = services.redact(toUserMessage(e, 'slack'));
    const blocks = [section(`:warning: ${escapeMrkdwn(message)}`)];
    if (outcome === 'usage_error') blocks.push(...helpBlocks(helpTopicOf(e), services.clock()));
    await replier.answer({ text: `meshbot: ${message}`.slice(0, 2900), blocks }, false);
    return { outcome, command, changed: false };
  } finally {
    release?.();
    services.metrics.commandsInFlight.dec();
    const seconds = (services.clock() - started) / 1000;
    services.metrics.commandFinished(command, outcome, seconds);
    const record = {
      event: 'audit',
      time: new Date(services.clock()).toISOString(),
      source: invocation.source,
      user: invocation.userId,
      channel: invocation.channelId,
      command,
      text: services.redact(text).slice(0, 500),
      outcome,
      ...(errorCode === undefined ? {} : { error: errorCode }),
      changes,
      duration_ms: Math.round(seconds * 1000),
    };
    services.log(record);
    if (services.auditChannel !== null) {
      const who = /^[UW][A-Z0-9]{1,30}$/.test(invocation.userId)
        ? `<@${invocation.userId}>`
        : codeSpan(invocation.userId, 40);
      const summary = `${outcome === 'ok' ? ':white_check_mark:' : ':x:'} ${who} ${codeSpan(`/mesh ${record.text}`, 300)} → ${outcome}${changes.length > 0 ? `; ${escapeMrkdwn(changes.join('; '))}` : ''}`;
      services.outbox
        .postMessage(services.auditChannel, { text: summary })
        .catch(() => services.metrics.slackApiError('chat.postMessage', 'audit'));
    }
  }
}
