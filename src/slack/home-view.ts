/**
 * @module slack/home-view
 * The App Home tab: where access logging is on right now (the `status` report of every namespace the bot
 * may show), with "Extend" and "Disable" buttons on what meshbot manages, for admins. Pure.
 */
import { formatRelativeTime } from '../core/duration.js';
import type { LoggingStatusEntry, LoggingStatusResult } from '../istio-logging/logging-result.js';
import { codeSpan, escapeMrkdwn, mrkdwnText, truncateMrkdwn } from '../render/escape-mrkdwn.js';
import { statusEntryWhere } from '../render/render-logging.js';
import type { SlackBlock } from '../render/slack-message.js';
import { statusEntryButtons } from './reply-buttons.js';
import type { HomeView } from './slack-outbox.js';

/** Slack allows 100 blocks in a Home tab; entries beyond what fits are counted. */
const MAX_ENTRIES = 30;

function entryLine(e: LoggingStatusEntry, nowMs: number): string {
  const where = statusEntryWhere(e);
  const what = e.disabled ? 'disabled' : `mode ${e.mode}${e.filter ? `, filter ${e.filter}` : ''}`;
  const until =
    e.untilMs === undefined
      ? ''
      : e.untilMs <= nowMs
        ? `, expired ${formatRelativeTime(e.untilMs, nowMs)}`
        : `, expires ${formatRelativeTime(e.untilMs, nowMs)}`;
  const who = e.managed === 'none' ? 'not managed by meshbot' : `by ${e.requestedBy ?? 'unknown'}${until}`;
  const line = `${codeSpan(where)} ${escapeMrkdwn(e.kind)} ${codeSpan(e.name)}: ${mrkdwnText(what)}; ${mrkdwnText(who)}${e.ignored ? ' — *ignored by Istio*' : ''}`;
  return truncateMrkdwn(line, 2900);
}

export function homeView(
  status: LoggingStatusResult | { error: string },
  options: { nowMs: number; isAdmin: (namespace: string) => boolean },
): HomeView {
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'Istio access logging right now' } },
  ];
  if ('error' in status) {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: `:warning: ${escapeMrkdwn(status.error)}` },
    });
  } else {
    const meshWide = status.mesh?.accessLogFile;
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text:
          meshWide !== undefined
            ? `*The mesh config logs every proxy already* (accessLogFile ${codeSpan(meshWide)}).`
            : status.entries.length === 0
              ? 'No Telemetry or EnvoyFilter switches access logging on in the namespaces meshbot may show.'
              : `Access logging is configured in ${status.entries.length} place${status.entries.length === 1 ? '' : 's'}:`,
      },
    });
    status.entries.slice(0, MAX_ENTRIES).forEach((entry, i) => {
      blocks.push({ type: 'section', text: { type: 'mrkdwn', text: entryLine(entry, options.nowMs) } });
      const buttons = options.isAdmin(entry.namespace) ? statusEntryButtons(entry, i) : [];
      if (buttons.length > 0) blocks.push({ type: 'actions', elements: buttons });
    });
    if (status.entries.length > MAX_ENTRIES) {
      blocks.push({
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: `_…and ${status.entries.length - MAX_ENTRIES} more: /mesh status NAMESPACE_`,
          },
        ],
      });
    }
  }
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `Updated ${new Date(options.nowMs).toISOString().replace(/\.\d+Z$/, 'Z')}. \`/mesh help\` lists the commands; \`/mesh enable-logging NAMESPACE --for 1h\` switches logging on.`,
      },
    ],
  });
  return { type: 'home', blocks };
}
