/**
 * @module analysis/path-pattern
 * Collapses ids in request paths so flows group by route: `/items/123` → `/items/{id}`,
 * `/orders/5ee694cf-f93b-4064-a677-4e6abf8a82be/lines` → `/orders/{id}/lines`. Query strings are dropped.
 */

import { detach } from '../core/detach.js';

const MAX_SEGMENTS = 12;
const MAX_SEGMENT_LENGTH = 64;
const CACHE_LIMIT = 20_000;
const cache = new Map<string, string>();

/** The route pattern of a path. Memoised (bounded), so repeated paths cost one map lookup. */
export function pathPattern(path: string): string {
  const cached = cache.get(path);
  if (cached !== undefined) return cached;
  const pattern = computePattern(path);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  // Both kept past this entry: copies, not views into the input (see core/detach).
  cache.set(detach(path), detach(pattern));
  return pattern;
}

function computePattern(path: string): string {
  let end = path.length;
  const q = path.indexOf('?');
  if (q >= 0) end = q;
  const hash = path.indexOf('#');
  if (hash >= 0 && hash < end) end = hash;
  const bare = path.slice(0, end);
  if (bare === '' || bare === '/') return bare === '' ? '/' : bare;
  const segments = bare.split('/');
  const out: string[] = [];
  for (let i = 0; i < segments.length; i++) {
    if (i > MAX_SEGMENTS) {
      out.push('…');
      break;
    }
    out.push(collapseSegment(segments[i] ?? ''));
  }
  return out.join('/');
}

const UUID = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/;
const HEX_ID = /^[0-9a-fA-F]{8,}$/;
const NUMERIC = /^\d+$/;

function collapseSegment(segment: string): string {
  if (segment === '') return segment;
  if (NUMERIC.test(segment)) return '{id}';
  if (UUID.test(segment)) return '{id}';
  if (HEX_ID.test(segment) && /\d/.test(segment)) return '{id}';
  // Long tokens that mix letters and digits (base64 ids, hashes, session tokens).
  if (segment.length >= 20 && /\d/.test(segment) && /[A-Za-z]/.test(segment) && !segment.includes('.'))
    return '{id}';
  if (segment.length > MAX_SEGMENT_LENGTH) return `${segment.slice(0, MAX_SEGMENT_LENGTH)}…`;
  return segment;
}
