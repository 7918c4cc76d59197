/**
 * @module render/render-report
 * One entry point for the CLI: a report in the chosen output format. `slack` prints the JSON of the
 * message that would be posted, so what the bot sends can be checked without Slack.
 */
import type { Report } from '../analysis/report.js';
import { renderJson } from './render-json.js';
import { renderSummarySlack } from './render-summary-slack.js';
import { renderSummaryText, type TextRenderOptions } from './render-summary-text.js';
import { renderTraceSlack } from './render-trace-slack.js';
import { renderTraceText } from './render-trace-text.js';
import type { SlackMessage } from './slack-message.js';

export const OUTPUT_FORMATS = ['text', 'json', 'slack'] as const;

export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** True when `value` names an output format (for argv validation). */
export function isOutputFormat(value: string): value is OutputFormat {
  return (OUTPUT_FORMATS as readonly string[]).includes(value);
}

/** The Slack message for any report. */
export function renderSlackMessage(report: Report): SlackMessage {
  return report.kind === 'summary' ? renderSummarySlack(report) : renderTraceSlack(report);
}

/** Renders `report` as `text`, `json` or `slack` (the message JSON); always ends with a newline. */
export function renderReport(report: Report, format: OutputFormat, options: TextRenderOptions): string {
  switch (format) {
    case 'text':
      return report.kind === 'summary'
        ? renderSummaryText(report, options)
        : renderTraceText(report, options);
    case 'json':
      return renderJson(report);
    case 'slack':
      return `${JSON.stringify(renderSlackMessage(report), null, 2)}\n`;
    default: {
      const unknown: never = format;
      throw new Error(`unknown output format: ${String(unknown)}`);
    }
  }
}
