/**
 * @module commands/table/require-files
 * Saved-log sources from the front end (the CLI's files and stdin).
 */
import { MeshbotError } from '../../core/errors.js';
import type { CommandDeps } from '../command-deps.js';
import type { LogSource } from '../ports.js';

export async function requireFiles(deps: CommandDeps, paths: readonly string[]): Promise<LogSource[]> {
  if (deps.files === undefined)
    throw new MeshbotError('usage', 'reading files is only possible from the CLI');
  return deps.files(paths);
}
