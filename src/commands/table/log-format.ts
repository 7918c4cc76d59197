/**
 * @module commands/table/log-format
 * `--log-format`: compiled while the request is built, so a bad format string is a usage error before
 * any file or pod is read.
 */
import { compileLogFormat, type RecordParser } from '../../accesslog/custom-format.js';
import { MeshbotError } from '../../core/errors.js';
import type { ParsedCommand } from '../command-spec.js';
import { text } from './define-command.js';

export function customParserOf(parsed: ParsedCommand): RecordParser | undefined {
  const format = text(parsed, 'log-format');
  if (format === undefined) return undefined;
  const compiled = compileLogFormat(format);
  if (!compiled.ok) throw new MeshbotError('invalid_format_string', `--log-format: ${compiled.message}`);
  return compiled.parser;
}
