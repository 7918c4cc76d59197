/**
 * @module slack/response-budget — how many more posts one slash command's `response_url` accepts
 * Slack accepts at most 5 posts to a `response_url`, within 30 minutes of the invocation. This counts
 * them, so a long command degrades to "no more updates" instead of failed API calls. Memory is bounded:
 * URLs are forgotten once their window has passed (after a grace period, default one more window, so a
 * late post to an expired URL is still refused rather than given a fresh budget), and at most
 * `maxEntries` are remembered (oldest evicted).
 */

export interface ResponseBudgetOptions {
  /** Milliseconds clock. */
  now: () => number;
  /** Posts allowed per URL. Default 5. */
  maxPosts?: number;
  /** How long after the invocation the URL accepts posts. Default 30 minutes. */
  windowMs?: number;
  /** URLs remembered at once; the oldest are evicted beyond this. Default 10,000. */
  maxEntries?: number;
  /** How long past its window an expired URL is still remembered (and refused). Default `windowMs`. */
  graceMs?: number;
}

export interface ResponseBudget {
  /**
   * Claims one post to `responseUrl`: true if it may be made, false when its posts are spent or its window
   * has passed. `invokedAt` (ms, the slash command's arrival) starts the window on first sight; default now.
   */
  take(responseUrl: string, invokedAt?: number): boolean;
  /** Posts still allowed to `responseUrl` (the full budget for one never seen). */
  remaining(responseUrl: string): number;
  /** URLs currently remembered. */
  size(): number;
}

interface Entry {
  startedAt: number;
  posts: number;
}

export function createResponseBudget({
  now,
  maxPosts = 5,
  windowMs = 30 * 60_000,
  maxEntries = 10_000,
  graceMs = windowMs,
}: ResponseBudgetOptions): ResponseBudget {
  // Insertion order is first-sight order, so the oldest windows sit at the front.
  const entries = new Map<string, Entry>();

  const expired = (entry: Entry, at: number): boolean => at - entry.startedAt >= windowMs;
  const forgettable = (entry: Entry, at: number): boolean => at - entry.startedAt >= windowMs + graceMs;

  function prune(at: number): void {
    for (const [url, entry] of entries) {
      if (!forgettable(entry, at)) break;
      entries.delete(url);
    }
  }

  return {
    take(responseUrl, invokedAt) {
      const at = now();
      prune(at);
      let entry = entries.get(responseUrl);
      if (entry === undefined) {
        entry = { startedAt: invokedAt ?? at, posts: 0 };
        entries.set(responseUrl, entry);
        while (entries.size > maxEntries) {
          const oldest = entries.keys().next();
          if (oldest.done === true) break;
          entries.delete(oldest.value);
        }
      }
      if (expired(entry, at) || entry.posts >= maxPosts) return false;
      entry.posts += 1;
      return true;
    },
    remaining(responseUrl) {
      const entry = entries.get(responseUrl);
      if (entry === undefined) return maxPosts;
      if (expired(entry, now())) return 0;
      return Math.max(0, maxPosts - entry.posts);
    },
    size: () => entries.size,
  };
}
