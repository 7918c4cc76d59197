/**
 * @module render/render-command-report
 * One entry point for every command's report: terminal text, JSON, or the Slack message. The CLI and
 * the Slack bot both call it; nothing else decides how a report looks.
 */
import { countSkipped, describeSkipped } from '../analysis/skip-reasons.js';
import type { CommandReport } from '../commands/command-report.js';
import type { FrontEnd } from '../commands/command-spec.js';
import { completionScript } from '../commands/completion.js';
import { helpFor } from '../commands/help-text.js';
import { escapeMrkdwn } from './escape-mrkdwn.js';
import { renderJson } from './render-json.js';
import { renderLoggingSlack, renderLoggingText } from './render-logging.js';
import { renderReport, renderSlackMessage } from './render-report.js';
import type { TextRenderOptions } from './render-summary-text.js';
import { type SlackMessage, SlackMessageBuilder } from './slack-message.js';
import { toYaml } from './yaml.js';

export const OUTPUT_FORMATS = ['text', 'json', 'yaml', 'slack'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface RenderOptions extends TextRenderOptions {
  nowMs: number;
  frontEnd: FrontEnd;
}

/** The report as terminal text (always ends with a newline). */
export function renderCommandText(report: CommandReport, options: RenderOptions): string {
  if ('command' in report)
    return renderLoggingText(report, options.nowMs, options.frontEnd === 'cli' ? 'meshbot' : '/mesh');
  switch (report.kind) {
    case 'summary':
    case 'trace':
      return renderReport(report, 'text', options);
    case 'help':
      return helpFor(report.topic, options.frontEnd, options.width);
    case 'completion':
      return completionScript(report.shell);
    case 'version':
      return `meshbot ${report.version}\n`;
    case 'parse': {
      const { total } = countSkipped(report.skipped);
      const parts = describeSkipped(report.skipped);
      const stopped =
        report.interrupted === true
          ? `meshbot: interrupted: partial input (${report.lines} lines read)\n`
          : '';
      if (total === 0) return stopped;
      return `${stopped}meshbot: skipped ${total} of ${report.lines} lines${parts === '' ? '' : ` (${parts})`}\n`;
    }
    case 'stopped':
      return '';
    default: {
      const never: never = report;
      return String(never);
    }
  }
}

/** The message the bot posts for a report. */
export function renderCommandSlack(report: CommandReport, nowMs: number): SlackMessage {
  if ('command' in report) return renderLoggingSlack(report, nowMs);
  switch (report.kind) {
    case 'summary':
    case 'trace':
      return renderSlackMessage(report);
    default: {
      const text = renderCommandText(report, { nowMs, frontEnd: 'slack', color: false, width: 100 });
      // One code block, cut inside the fence so it stays closed within Slack's 3000-character section.
      const body = escapeMrkdwn(text.trimEnd()).replaceAll('```', '`ˋ`');
      const b = new SlackMessageBuilder();
      b.section(`\`\`\`${body.length > 2900 ? `${body.slice(0, 2900)}…` : body}\`\`\``);
      b.fallback(text.split('\n')[0] ?? 'meshbot');
      return b.build();
    }
  }
}

/** The report in an output format (`--format`); always ends with a newline. */
export function renderCommandReport(
  report: CommandReport,
  format: OutputFormat,
  options: RenderOptions,
): string {
  switch (format) {
    case 'text':
      return renderCommandText(report, options);
    case 'json':
      return renderJson(report);
    case 'yaml':
      // The same document as json, as YAML (kubectl's -o yaml).
      return toYaml(JSON.parse(renderCommandReport(report, 'json', options)));
    case 'slack':
      return `${JSON.stringify(renderCommandSlack(report, options.nowMs), null, 2)}\n`;
    default: {
      const never: never = format;
      return String(never);
    }
  }
}
