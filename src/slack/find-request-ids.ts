/**
 * @module slack/find-request-ids
 * Pulls x-request-id values out of whatever people paste: an alert, a JSON or TEXT access-log line,
 * Slack-escaped text (`&lt;…&gt;`), a URL. UUID-shaped (8-4-4-4-12 hex) of any version: Envoy's are v4,
 * but ids forwarded from clients need not be.
 */

// Not inside a longer alphanumeric run on either side (`-`, `/`, `"`, `;`, `=` and spaces may border it).
const UUID = /(?<![0-9A-Za-z])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![0-9A-Za-z])/gi;
const NIL = '00000000-0000-0000-0000-000000000000';

/**
 * Up to `max` request ids in the order they appear, as written, duplicates (in any case) dropped. The nil
 * UUID is never a real request id and is skipped.
 */
export function findRequestIds(text: string, max = 5): string[] {
  const found: string[] = [];
  if (max <= 0) return found;
  const seen = new Set<string>();
  for (const match of text.matchAll(UUID)) {
    const id = match[0];
    const key = id.toLowerCase();
    if (key === NIL || seen.has(key)) continue;
    seen.add(key);
    found.push(id);
    if (found.length >= max) break;
  }
  return found;
}
