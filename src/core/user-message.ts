/**
 * @module core/user-message
 * The one place coded errors become words for people. Messages are already written to be actionable
 * where they are raised; this adds nothing for known codes and hides internals of unknown ones.
 */
import { asMeshbotError, type MeshbotError } from './errors.js';

/** One or two sentences, never a stack trace. */
export function toUserMessage(error: unknown): string {
  const e: MeshbotError = asMeshbotError(error);
  if (e.code === 'internal') {
    return `${e.message}. This is a bug in meshbot; please report it with the command you ran.`;
  }
  return e.message;
}

/** Exit code for the CLI: 2 for usage mistakes, 1 for everything else. */
export function exitCodeOf(error: unknown): number {
  const e = asMeshbotError(error);
  switch (e.code) {
    case 'usage':
    case 'invalid_duration':
    case 'invalid_format_string':
    case 'invalid_request_id':
    case 'invalid_argument':
      return 2;
    default:
      return 1;
  }
}
