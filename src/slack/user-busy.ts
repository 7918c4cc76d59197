/**
 * @module slack/user-busy — one heavy command of each kind per user at a time
 * A user who repeats a heavy command (`logs`, `trace`) while the first is still running is told to wait
 * rather than starting a second cluster-wide read. Pure bookkeeping; the caller decides what is heavy.
 */

export interface BusyTracker {
  /**
   * Marks `key` running for `userId` and returns its release function (safe to call more than once), or
   * null when that user already has a `key` command running.
   */
  tryStart(userId: string, key: string): (() => void) | null;
  /** Whether `userId` has a `key` command running. */
  isBusy(userId: string, key: string): boolean;
  /** Heavy commands running across all users. */
  runningCount(): number;
}

export function createBusyTracker(): BusyTracker {
  const running = new Map<string, Set<string>>();
  let count = 0;

  return {
    tryStart(userId, key) {
      let keys = running.get(userId);
      if (keys?.has(key) === true) return null;
      if (keys === undefined) {
        keys = new Set();
        running.set(userId, keys);
      }
      keys.add(key);
      count += 1;
      const held = keys;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        held.delete(key);
        count -= 1;
        if (held.size === 0 && running.get(userId) === held) running.delete(userId);
      };
    },
    isBusy: (userId, key) => running.get(userId)?.has(key) === true,
    runningCount: () => count,
  };
}
