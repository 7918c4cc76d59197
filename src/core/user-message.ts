/**
 * @module core/user-message
 * The one place coded errors become words for people, for each front end. Messages are written to be
 * actionable where they are raised, in terms both front ends share (the same grammar and flags); this
 * adds the pointer to help that differs (`meshbot logs --help` or `/mesh help logs`), rewords what only
 * the bot's operator can fix in Slack (credentials), and hides internals of unknown errors.
 */
import { asMeshbotError, type MeshbotError } from './errors.js';

/** Who reads the message: a terminal user or a Slack user. */
export type Audience = 'cli' | 'slack';

/** The command whose help a usage error should point to, if any. */
export function helpTopicOf(error: unknown): string | undefined {
  const e = asMeshbotError(error);
  const command = e.details.command;
  return typeof command === 'string' ? command : undefined;
}

/** One or two sentences, never a stack trace. */
export function toUserMessage(error: unknown, audience: Audience = 'cli'): string {
  const e: MeshbotError = asMeshbotError(error);
  if (e.code === 'internal') {
    return `${e.message}. This is a bug in meshbot; please report it with the command you ran.`;
  }
  if (audience === 'slack' && e.code === 'kubeconfig_invalid') {
    return `meshbot cannot use its Kubernetes credentials (${e.message}); ask whoever runs the bot to check its kubeconfig or service account`;
  }
  if (e.code === 'usage' || e.code === 'invalid_argument' || e.code === 'invalid_duration') {
    const topic = helpTopicOf(e);
    if (audience === 'cli') {
      if (topic !== undefined) return `${e.message} (meshbot ${topic} --help)`;
      if (e.details.unknownCommand !== undefined || e.details.noCommand === true)
        return `${e.message} (meshbot --help)`;
    }
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
