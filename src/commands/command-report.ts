/**
 * @module commands/command-report
 * What every command returns: one union, rendered for text, JSON or Slack by `render/render-command-report`.
 */
import type { SkipReason } from '../accesslog/entry.js';
import type { Report } from '../analysis/report.js';
import type { LoggingResult } from '../istio-logging/logging-result.js';

/** `help [COMMAND]`: which help to show; the text is generated per front end by the renderer. */
export interface HelpReport {
  kind: 'help';
  /** The command to explain; undefined for the list of commands. */
  topic?: string | undefined;
}

/** `parse`: the entries went to the NDJSON sink; this counts what was skipped. */
export interface ParseReport {
  kind: 'parse';
  lines: number;
  skipped: Partial<Record<SkipReason, number>>;
  /** Set when a signal stopped the reading: the entries written are those of part of the input. */
  interrupted?: true | undefined;
}

/** `completion SHELL`: which script to print; the renderer generates it from the command table. */
export interface CompletionReport {
  kind: 'completion';
  shell: 'bash' | 'zsh';
}

export interface VersionReport {
  kind: 'version';
  version: string;
}

/** `reconcile --watch` or `serve` ended (stopped by a signal). */
export interface StoppedReport {
  kind: 'stopped';
  what: string;
  exitCode: number;
}

export type CommandReport =
  | Report
  | LoggingResult
  | HelpReport
  | CompletionReport
  | ParseReport
  | VersionReport
  | StoppedReport;

/** The discriminant of any report: `summary`, `trace`, `enable-logging`, … */
export function reportKind(report: CommandReport): string {
  return 'kind' in report ? report.kind : report.command;
}

/**
 * 1 when the command ran but something in it failed (a reconcile that could not revert everything); 130
 * for a summary, parse or trace cut short by a signal.
 */
export function exitCodeOfReport(report: CommandReport): number {
  if ('command' in report && report.command === 'reconcile') return report.failures.length > 0 ? 1 : 0;
  if ('kind' in report && report.kind === 'stopped') return report.exitCode;
  // Ctrl-C while reading: the summary of what was read is printed, and the status says it is partial.
  if (
    'kind' in report &&
    (report.kind === 'summary' || report.kind === 'parse' || report.kind === 'trace') &&
    report.interrupted === true
  )
    return 130;
  // A trace that found nothing is an answer, but scripts must be able to tell.
  if ('kind' in report && report.kind === 'trace') return report.hops.length === 0 ? 1 : 0;
  return 0;
}
