/**
 * @module render/render-json
 * A report as pretty JSON: the objects as they are (snake_case keys), two-space indent, trailing newline.
 * `JSON.stringify` escapes control characters and lone surrogates, so log-derived text is inert.
 */
import type { Report } from '../analysis/report.js';

export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
