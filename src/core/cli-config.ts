/**
 * @module core/cli-config
 * What the CLI reads from the environment. Apart from core/config (the bot's settings, with zod and YAML)
 * so that a CLI command loads neither.
 */
import { parseDuration } from './duration.js';
import { MeshbotError } from './errors.js';

/** Default and ceiling of `enable-logging --for` (`MESHBOT_MAX_LOGGING_DURATION`), for the CLI and the bot. */
export const DEFAULT_MAX_LOGGING_MS = 4 * 3_600_000;

type Env = Readonly<Record<string, string | undefined>>;

export interface CliConfig {
  readonly maxLoggingMs: number;
}

/** What the CLI reads from the environment; throws `config_invalid` naming the variable. */
export function readCliConfig(env: Env): CliConfig {
  const text = env.MESHBOT_MAX_LOGGING_DURATION;
  if (text === undefined || text === '') return { maxLoggingMs: DEFAULT_MAX_LOGGING_MS };
  try {
    return { maxLoggingMs: parseDuration(text, 'MESHBOT_MAX_LOGGING_DURATION') };
  } catch (e) {
    const message = e instanceof Error ? e.message : 'MESHBOT_MAX_LOGGING_DURATION is not a duration';
    throw new MeshbotError(
      'config_invalid',
      message,
      { variable: 'MESHBOT_MAX_LOGGING_DURATION' },
      { cause: e },
    );
  }
}
