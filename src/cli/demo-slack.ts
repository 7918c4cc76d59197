/**
 * @module cli/demo-slack
 * `meshbot demo --slack`: the tour's commands as Slack users type them (`/mesh …`, parsed with the Slack
 * front end's grammar), run against the demo cluster, and rendered by the bot's renderer with the bot's reply
 * buttons. Without Slack credentials each message is printed as Block Kit JSON with a link that opens it in
 * Slack's Block Kit Builder; with `$SLACK_BOT_TOKEN` and `--channel` it is posted with `chat.postMessage`
 * through the bot's Slack adapter (`$SLACK_API_URL` is honoured, as by `meshbot serve`).
 */
import { parseTokens, prepareCommand } from '../commands/command-table.js';
import { readCliConfig } from '../core/cli-config.js';
import { MeshbotError } from '../core/errors.js';
import { toUserMessage } from '../core/user-message.js';
import { renderCommandSlack } from '../render/render-command-report.js';
import type { SlackBlock, SlackMessage } from '../render/slack-message.js';
import { buttonsFor } from '../slack/reply-buttons.js';
import type { SlackOutbox } from '../slack/slack-outbox.js';
import { cliDeps } from './cli-deps.js';
import type { CliIo } from './cli-io.js';
import { commandLine, type DemoSession, demoSteps } from './demo.js';

export const BLOCK_KIT_BUILDER = 'https://app.slack.com/block-kit-builder#';

/** A link that opens `blocks` in Slack's Block Kit Builder (the message as a workspace would show it). */
export function blockKitBuilderUrl(blocks: readonly SlackBlock[]): string {
  return `${BLOCK_KIT_BUILDER}${encodeURIComponent(JSON.stringify({ blocks }))}`;
}

/** The message as the bot posts it: the report's blocks, then its buttons (at most 50 blocks in all). */
export function botMessage(
  message: SlackMessage,
  buttons: SlackBlock[],
): { text: string; blocks: SlackBlock[] } {
  const blocks = [...message.blocks];
  for (const block of buttons) {
    if (blocks.length >= 50) blocks.splice(49 - buttons.length, 1);
    blocks.push(block);
  }
  return { text: message.text, blocks };
}

interface SlackTarget {
  outbox: SlackOutbox;
  channel: string;
}

function slackApiUrl(env: CliIo['env']): string | undefined {
  const given = env.SLACK_API_URL?.trim();
  if (given === undefined || given === '') return undefined;
  const url = URL.canParse(given) ? new URL(given) : null;
  if (url === null || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new MeshbotError(
      'config_invalid',
      '$SLACK_API_URL must be an http(s) URL such as https://slack.com/api/',
    );
  }
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

async function slackTarget(io: CliIo, channel: string | undefined): Promise<SlackTarget | undefined> {
  const token = io.env.SLACK_BOT_TOKEN?.trim() ?? '';
  if (channel === undefined) return undefined;
  if (token === '') {
    throw new MeshbotError(
      'config_invalid',
      '--channel needs the bot token in $SLACK_BOT_TOKEN (xoxb-…, from the Slack app\'s "OAuth & Permissions" page); without --channel the messages are printed instead',
    );
  }
  const apiUrl = slackApiUrl(io.env);
  const [{ WebClient, LogLevel }, { webOutbox }, { createMetrics }] = await Promise.all([
    import('@slack/web-api'),
    import('../slack/web-outbox.js'),
    import('../slack/metrics.js'),
  ]);
  const client = new WebClient(token, {
    ...(apiUrl === undefined ? {} : { slackApiUrl: apiUrl }),
    timeout: 10_000,
    retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 2000 },
    rejectRateLimitedCalls: true,
    logLevel: LogLevel.ERROR,
  });
  return { outbox: webOutbox(client, { metrics: createMetrics() }), channel };
}

export async function slackTour(
  session: DemoSession,
  io: CliIo,
  channel: string | undefined,
): Promise<number> {
  const out = (text: string) => io.stdout.write(`${text}\n`);
  const target = await slackTarget(io, channel);
  const childIo: CliIo = { ...io, env: session.env };
  const config = readCliConfig(session.env);
  out(
    `meshbot demo --slack: the demo's commands as /mesh in Slack, rendered by the bot (a simulated mesh on ${session.cluster.server.url}).`,
  );
  out(
    target === undefined
      ? 'Each message is printed as Block Kit JSON, with a link that opens it in Block Kit Builder.'
      : `Each message is posted to ${target.channel}.`,
  );
  let failures = 0;
  for (const step of demoSteps(io.now(), session.cluster.trafficStartMs)) {
    out('');
    out(commandLine('/mesh', step.args));
    let message: { text: string; blocks: SlackBlock[] };
    try {
      const prepared = prepareCommand(parseTokens(step.args, 'slack'), config);
      const report = await prepared.run(
        cliDeps(childIo, { ...config, format: 'slack', color: false, width: undefined }),
      );
      const buttons = buttonsFor(report, step.args);
      message = botMessage(
        renderCommandSlack(report, io.now()),
        buttons.length > 0 ? [{ type: 'actions', elements: buttons }] : [],
      );
    } catch (e) {
      if (io.signal?.aborted === true) return 130;
      failures++;
      io.stderr.write(`meshbot demo: ${commandLine('/mesh', step.args)}: ${toUserMessage(e, 'cli')}\n`);
      continue;
    }
    if (target === undefined) {
      out(JSON.stringify(message, null, 2));
      out(`Block Kit Builder: ${blockKitBuilderUrl(message.blocks)}`);
      continue;
    }
    try {
      const ts = await target.outbox.postMessage(target.channel, message);
      out(`posted to ${target.channel} (ts ${ts}, ${message.blocks.length} blocks)`);
    } catch (e) {
      failures++;
      io.stderr.write(
        `meshbot demo: chat.postMessage to ${target.channel} failed: ${toUserMessage(e, 'cli')}\n`,
      );
    }
  }
  if (target === undefined && (io.env.SLACK_BOT_TOKEN ?? '') !== '') {
    out('');
    out('SLACK_BOT_TOKEN is set: add --channel C0123ABC to post these messages there instead.');
  }
  return failures > 0 ? 1 : 0;
}
