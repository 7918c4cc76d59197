/**
 * @module analysis/trace
 * Rebuilds one request's path through the mesh from every access-log entry carrying its `x-request-id`:
 * gateway → client sidecar (outbound) → server sidecar (inbound) → that server's own calls → …
 * (../shared/notes/istio-access-logs.md §7). Linking lives in `trace-link.ts`, notes in `trace-notes.ts`;
 * this module filters, orders the hops causally and lays them out on one time axis.
 */
import type { AccessLogEntry } from '../accesslog/entry.js';
import { outcomeOf } from './classify.js';
import { describePeer } from './peer.js';
import type { SourceStats, TraceHop, TraceNote, TraceReport } from './report.js';
import { isoOfTimeKey, timeKey } from './time-key.js';
import { type Link, linkNodes, SAME_PROXY_TOLERANCE_MS, type TraceNode, toNode } from './trace-link.js';
import {
  brokenChainNote,
  errorNotes,
  fanOutNotes,
  missingHopNotes,
  type PlacedHop,
  retryNotes,
} from './trace-notes.js';

/** Entries beyond this many (same id) are left out: linking is quadratic and no real request has more hops. */
export const MAX_TRACE_ENTRIES = 1000;

export interface TraceContext {
  /**
   * What was read. Each source's `entries` becomes the number of hops drawn from it, so that the sources
   * and the hops never disagree (what was left out is said in a note). Derived from `entries` when absent.
   */
  sources?: SourceStats[];
  /** How many logs were searched (default: the sources, else the distinct sources of the entries). */
  logs_searched?: number;
  skipped_lines?: number;
  /** Entries that started before this instant (epoch ms) are left out (`--since`); entries without a time stay. */
  sinceMs?: number | null | undefined;
}

/** `logs/sleep.log` → `sleep`; `-` (stdin) stays `-`. */
export function hopSourceName(file: string): string {
  if (file === '-') return file;
  const base = file.split(/[\\/]/).pop() ?? file;
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

function byStart(a: TraceNode, b: TraceNode): number {
  if (a.start === null || b.start === null) {
    if (a.start !== b.start) return a.start === null ? 1 : -1;
  } else if (a.start !== b.start) {
    return a.start - b.start;
  }
  return a.index - b.index;
}

function deriveSources(entries: readonly AccessLogEntry[]): SourceStats[] {
  const counts = new Map<string, number>();
  for (const e of entries) counts.set(e.source, (counts.get(e.source) ?? 0) + 1);
  return [...counts].map(([name, n]) => ({ name, entries: n, skipped_lines: 0 }));
}

interface Selection {
  kept: AccessLogEntry[];
  duplicates: number;
  dropped: number;
  /** Entries of the request that started before `--since`, and the newest of their start times. */
  outside: number;
  newestOutside: string | null;
}

/** Entries of this request within the window, without duplicates (same pod, file and line read twice), capped. */
function select(requestId: string, entries: readonly AccessLogEntry[], sinceMs: number | null): Selection {
  const wanted = requestId.trim().toLowerCase();
  const seen = new Set<string>();
  let kept: AccessLogEntry[] = [];
  let duplicates = 0;
  let outside = 0;
  let newestOutside: string | null = null;
  if (wanted === '') return { kept, duplicates, dropped: 0, outside, newestOutside };
  for (const e of entries) {
    if (e.request_id === null || e.request_id.length !== wanted.length) continue;
    if (e.request_id.toLowerCase() !== wanted) continue;
    const start = e.start_time;
    if (sinceMs !== null && start !== null && timeKey(start) < sinceMs) {
      outside++;
      if (newestOutside === null || start > newestOutside) newestOutside = start;
      continue;
    }
    const key = `${e.origin ?? ''}\u0000${e.source}\u0000${e.line}`;
    if (seen.has(key)) {
      duplicates++;
      continue;
    }
    seen.add(key);
    kept.push(e);
  }
  let dropped = 0;
  if (kept.length > MAX_TRACE_ENTRIES) {
    dropped = kept.length - MAX_TRACE_ENTRIES;
    const order = kept.map((e, i) => toNode(e, i)).sort(byStart);
    const keep = new Set(order.slice(0, MAX_TRACE_ENTRIES).map((n) => n.index));
    kept = kept.filter((_, i) => keep.has(i));
  }
  return { kept, duplicates, dropped, outside, newestOutside };
}

/**
 * The sources that hold hops, each counting the hops drawn from it, in the order of their first hops (how
 * many were searched is `logs_searched`: a trace across 1,000 pods names the few that matter).
 */
function matchedSources(sources: readonly SourceStats[], hops: readonly TraceHop[]): SourceStats[] {
  const drawn = new Map<string, { first: number; count: number }>();
  hops.forEach((hop, i) => {
    const seen = drawn.get(hop.file);
    if (seen === undefined) drawn.set(hop.file, { first: i, count: 1 });
    else seen.count++;
  });
  return sources
    .filter((s) => drawn.has(s.name))
    .map((s) => ({ ...s, entries: drawn.get(s.name)?.count ?? 0 }))
    .sort((a, b) => (drawn.get(a.name)?.first ?? 0) - (drawn.get(b.name)?.first ?? 0));
}

/**
 * An inbound hop called by a hop of this trace is named after that hop's proxy (the pod, or the file of
 * saved logs) rather than the caller's address: the trace knows who called.
 */
function nameCallers(placed: readonly PlacedHop[], links: readonly (Link | null)[]): void {
  for (const p of placed) {
    if (p.hop.direction !== 'inbound' || p.hop.parent === null) continue;
    const caller = placed[p.hop.parent];
    if (links[p.node.index]?.cross !== true || caller === undefined) continue;
    if (caller.hop.source !== p.hop.source) p.hop.peer = caller.hop.source;
  }
}

/** Parents before children, siblings (and roots) by start time; entries without a time last. */
function causalOrder(nodes: readonly TraceNode[], links: readonly (Link | null)[]): number[] {
  const children: number[][] = nodes.map(() => []);
  const roots: number[] = [];
  nodes.forEach((n) => {
    const parent = links[n.index]?.parent;
    if (parent === undefined) roots.push(n.index);
    else children[parent]?.push(n.index);
  });
  const cmp = (a: number, b: number): number => {
    const na = nodes[a];
    const nb = nodes[b];
    return na === undefined || nb === undefined ? a - b : byStart(na, nb);
  };
  roots.sort(cmp);
  for (const list of children) list.sort(cmp);
  const order: number[] = [];
  const stack = [...roots].reverse();
  while (stack.length > 0) {
    const at = stack.pop();
    if (at === undefined) break;
    order.push(at);
    const kids = children[at] ?? [];
    for (let k = kids.length - 1; k >= 0; k--) {
      const kid = kids[k];
      if (kid !== undefined) stack.push(kid);
    }
  }
  return order;
}

/** A child further off than this from its parent's span is put down to clock skew. */
const SKEW_NOTE_MS = SAME_PROXY_TOLERANCE_MS;

interface Timeline {
  /** Per hop: start shifted to undo clock skew, or null. */
  starts: (number | null)[];
  notes: TraceNote[];
}

/**
 * Puts every hop on the root's clock: when a server entry starts before its client's (or ends after it),
 * the server's clock is off; its whole subtree is shifted to sit inside the client's span.
 */
function timeline(placed: readonly PlacedHop[], links: readonly (Link | null)[]): Timeline {
  const shift: number[] = placed.map(() => 0);
  const starts: (number | null)[] = [];
  const notes: TraceNote[] = [];
  placed.forEach((p, i) => {
    const parentIndex = p.hop.parent;
    const parent = parentIndex === null ? undefined : placed[parentIndex];
    let s = parentIndex === null ? 0 : (shift[parentIndex] ?? 0);
    const link = links[p.node.index];
    const c = p.node;
    if (parent !== undefined && link?.cross === true && c.start !== null && parent.node.start !== null) {
      const pStart = parent.node.start + s;
      const cStart = c.start + s;
      const pEnd = pStart + (parent.node.duration ?? 0);
      const cEnd = cStart + (c.duration ?? 0);
      const early = pStart - cStart;
      const late = parent.node.abandoned || c.abandoned ? 0 : cEnd - pEnd;
      if (early > SKEW_NOTE_MS || late > SKEW_NOTE_MS) {
        const pDur = parent.node.duration ?? 0;
        const cDur = c.duration ?? 0;
        const target = cDur <= pDur ? pStart + Math.floor((pDur - cDur) / 2) : pStart;
        s += target - cStart;
        const skew = Math.round(early > SKEW_NOTE_MS ? early : late);
        const where = early > SKEW_NOTE_MS ? `starts ${skew} ms before` : `ends ${skew} ms after`;
        notes.push({
          kind: 'clock_skew',
          hop: i,
          message: `clock skew? child ${where} its parent (${parent.hop.source} → ${p.hop.source}): a server cannot outlast the call that caused it, so their clocks differ; the waterfall shifts it into its parent's span`,
        });
      }
    }
    shift[i] = s;
    starts.push(c.start === null ? null : c.start + s);
  });
  return { starts, notes };
}

/** Notes on own calls that started after the inbound request they belong to had ended. */
function lateCallNotes(placed: readonly PlacedHop[], links: readonly (Link | null)[]): TraceNote[] {
  const notes: TraceNote[] = [];
  placed.forEach((p, i) => {
    const link = links[p.node.index];
    const parent = p.hop.parent === null ? undefined : placed[p.hop.parent];
    if (link === null || link === undefined || link.cross || parent === undefined) return;
    const pEnd = parent.node.end;
    if (p.node.start === null || pEnd === null || parent.node.duration === null) return;
    const after = p.node.start - pEnd;
    if (p.node.end === null || p.node.end <= pEnd + SAME_PROXY_TOLERANCE_MS) return;
    const why = parent.node.abandoned
      ? `its caller had gone (${parent.hop.response_flags.join(',')}) and the app kept working`
      : 'the app kept working after it answered';
    const belongs = `the inbound request it belongs to (${parent.hop.source})`;
    const when =
      after > 0
        ? `started ${after} ms after ${belongs} had ended`
        : `ended ${p.node.end - pEnd} ms after ${belongs}`;
    notes.push({
      kind: 'info',
      hop: i,
      message: `${when}: ${why}`,
    });
  });
  return notes;
}

/**
 * The trace of one request id: every entry carrying it (compared case-insensitively and in full), linked
 * into hops in causal order with notes on retries, fan-out, missing hops, clock skew and errors.
 * Never throws; entries of other requests are ignored.
 */
export function buildTrace(
  requestId: string,
  entries: readonly AccessLogEntry[],
  context: TraceContext = {},
): TraceReport {
  const sinceMs = context.sinceMs ?? null;
  const { kept, duplicates, dropped, outside, newestOutside } = select(requestId, entries, sinceMs);
  const nodes = kept.map((e, i) => toNode(e, i));
  const links = linkNodes(nodes);
  const order = causalOrder(nodes, links);

  const hopOf = new Map<number, number>();
  for (const [hopIndex, nodeIndex] of order.entries()) hopOf.set(nodeIndex, hopIndex);
  const placed: PlacedHop[] = [];
  for (const nodeIndex of order) {
    const node = nodes[nodeIndex];
    if (node === undefined) continue;
    const link = links[nodeIndex] ?? null;
    const parent = link === null ? null : (hopOf.get(link.parent) ?? null);
    const parentHop = parent === null ? undefined : placed[parent];
    const e = node.entry;
    const hop: TraceHop = {
      source: e.origin ?? hopSourceName(e.source),
      direction: e.direction,
      start_time: e.start_time,
      duration_ms: e.duration_ms,
      response_code: e.response_code,
      response_flags: [...e.response_flags],
      outcome: outcomeOf(e),
      method: e.method,
      path: e.path,
      authority: e.authority,
      upstream_cluster: e.upstream_cluster,
      parent,
      link: link === null || parent === null ? 'root' : link.kind,
      depth: parentHop === undefined ? 0 : parentHop.hop.depth + 1,
      offset_ms: null,
      attempt: null,
      peer: describePeer(e),
      upstream_service_time_ms: e.upstream_service_time_ms,
      upstream_local_address: e.upstream_local_address,
      downstream_remote_address: e.downstream_remote_address,
      upstream_host: e.upstream_host,
      line: e.line,
      file: e.source,
    };
    const me = placed.length;
    placed.push({ node, hop, children: [] });
    parentHop?.children.push(me);
  }

  nameCallers(placed, links);

  // Retries: number the server-side attempts under one client call (children are in start order).
  for (const p of placed) {
    if (p.node.server) continue;
    const attempts = p.children.filter((c) => placed[c]?.node.server === true);
    if (attempts.length < 2) continue;
    attempts.forEach((c, k) => {
      const child = placed[c];
      if (child !== undefined) child.hop.attempt = k + 1;
    });
  }

  const { starts, notes: skewNotes } = timeline(placed, links);
  let first: number | null = null;
  let last: number | null = null;
  placed.forEach((p, i) => {
    const s = starts[i] ?? null;
    if (s === null) return;
    const end = s + (p.node.duration ?? 0);
    if (first === null || s < first) first = s;
    if (last === null || end > last) last = end;
  });
  const origin: number | null = first;
  if (origin !== null) {
    placed.forEach((p, i) => {
      const s = starts[i] ?? null;
      p.hop.offset_ms = s === null ? null : s - origin;
    });
  }

  const notes: TraceNote[] = [];
  if (outside > 0) {
    notes.push({
      kind: 'info',
      hop: null,
      message: `${outside} entr${outside === 1 ? 'y' : 'ies'} of this request started before the --since window (${isoOfTimeKey(sinceMs ?? Number.NaN) ?? '?'}; the newest at ${newestOutside ?? '?'}) and ${outside === 1 ? 'is' : 'are'} left out`,
    });
  }
  if (duplicates > 0) {
    notes.push({
      kind: 'info',
      hop: null,
      message: `${duplicates} duplicate entr${duplicates === 1 ? 'y' : 'ies'} (same file and line read twice) ignored`,
    });
  }
  if (dropped > 0) {
    notes.push({
      kind: 'info',
      hop: null,
      message: `${kept.length + dropped} entries carry this id; only the first ${MAX_TRACE_ENTRIES} by start time were traced`,
    });
  }
  const perHop = [
    ...retryNotes(placed),
    ...fanOutNotes(placed),
    ...missingHopNotes(placed),
    ...skewNotes,
    ...lateCallNotes(placed, links),
    ...errorNotes(placed),
  ];
  perHop.sort((a, b) => (a.hop ?? -1) - (b.hop ?? -1));
  notes.push(...perHop, ...brokenChainNote(placed));

  const read = context.sources ?? deriveSources(entries);
  const hops = placed.map((p) => p.hop);
  return {
    kind: 'trace',
    request_id: requestId,
    hops,
    notes,
    start_time: origin === null ? null : new Date(origin).toISOString(),
    total_duration_ms: origin === null || last === null ? null : last - origin,
    sources: matchedSources(read, hops),
    logs_searched:
      context.logs_searched ?? (context.sources === undefined ? read.length : context.sources.length),
    skipped_lines: context.skipped_lines ?? read.reduce((n, s) => n + s.skipped_lines, 0),
  };
}
