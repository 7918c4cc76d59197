/** The MeshbotError `fn` throws; fails the test when it throws something else or nothing. */
import { MeshbotError } from '../../src/core/errors.js';

export function errorOf(fn: () => unknown): MeshbotError {
  try {
    fn();
  } catch (e) {
    if (e instanceof MeshbotError) return e;
    throw e;
  }
  throw new Error('expected a MeshbotError, nothing was thrown');
}
