/**
 * @module demo/traffic-profiles
 * Named, seeded traffic profiles: the access-log lines of kinds of traffic the engine must stay fast and
 * true on, in Istio's default TEXT format or typed JSON. Used by `npm run bench`, `scripts/gen-traffic.mjs`
 * and tests. The same (profile, seed, format) always gives the same lines; TEXT and JSON of one seed carry
 * the same entries.
 *
 * - `bookinfo`: the Bookinfo sample (demo/synthetic-mesh).
 * - `high-cardinality`: 34 services and 4 databases in 7 namespaces, ~1,000 pod addresses, ids in paths,
 *   query strings, browser and non-ASCII user agents, half the entries failing with mixed flags.
 * - `incident`: half the calls failing with UH, UF (connect and TLS reasons), UT, NR, DC, UO, URX, and TCP.
 * - `gateway`: internet traffic through an ingress gateway: XFF chains, scanners, long URLs and agents.
 * - `noise`: the others' lines mixed with pilot-agent and Envoy lines, blank lines, and tool prefixes.
 */
import { type Hop, renderJson, renderText } from './access-line.js';
import { pick, seeded } from './random.js';
import { bookinfo } from './traffic/bookinfo.js';
import { gateway } from './traffic/gateway.js';
import { highCardinality } from './traffic/high-cardinality.js';
import { incident } from './traffic/incident.js';
import { type NoiseKind, noiseLine, type PrefixKind, prefixFor } from './traffic/noise.js';
import { weighted } from './traffic/values.js';

export type ProfileName = 'bookinfo' | 'high-cardinality' | 'incident' | 'gateway' | 'noise';
export const PROFILE_NAMES: readonly ProfileName[] = [
  'bookinfo',
  'high-cardinality',
  'incident',
  'gateway',
  'noise',
];

export type TrafficFormat = 'text' | 'json';

export interface ProfileOptions {
  lines: number;
  seed?: number;
  format: TrafficFormat;
  /** Epoch ms of the first request (default 2026-11-21T09:00:00Z). */
  startMs?: number;
}

export type { NoiseKind, PrefixKind };

/**
 * One generated line, with what it means: an access entry (`hop`, or for `bookinfo` the sample's rendered
 * line) behind a tool prefix, or a line that is not an access entry.
 */
export type ProfileRecord =
  | { kind: 'access'; hop: Hop; prefix: string; prefixKind: PrefixKind }
  | { kind: 'sample'; text: string; pod: string; prefix: string; prefixKind: PrefixKind }
  | { kind: 'noise'; noise: NoiseKind; text: string };

const DEFAULT_START_MS = Date.parse('2026-11-21T09:00:00.000Z');

export function isProfileName(name: string): name is ProfileName {
  return (PROFILE_NAMES as readonly string[]).includes(name);
}

/** Exactly `lines` lines (no trailing newline in each), deterministic for (profile, seed, format). */
export function* profileLines(profile: ProfileName, options: ProfileOptions): Generator<string> {
  for (const record of profileRecords(profile, options)) yield renderRecord(record, options.format);
}

/** The line `record` is in `format`. */
export function renderRecord(record: ProfileRecord, format: TrafficFormat): string {
  switch (record.kind) {
    case 'access':
      return record.prefix + (format === 'json' ? renderJson(record.hop) : renderText(record.hop));
    case 'sample':
      return record.prefix + record.text;
    case 'noise':
      return record.text;
  }
}

/** The records behind `profileLines`: exactly `options.lines` of them. */
export function* profileRecords(profile: ProfileName, options: ProfileOptions): Generator<ProfileRecord> {
  const lines = Math.max(0, Math.floor(options.lines));
  if (lines === 0) return;
  let n = 0;
  for (const record of endless(profile, options)) {
    yield record;
    if (++n >= lines) return;
  }
}

function endless(profile: ProfileName, options: ProfileOptions): Generator<ProfileRecord> {
  const seed = options.seed ?? 1;
  const startMs = options.startMs ?? DEFAULT_START_MS;
  switch (profile) {
    case 'bookinfo':
      return samples(bookinfo(seed, startMs, options.format));
    case 'high-cardinality':
      return bare(highCardinality(seeded(seed * 7 + 1), startMs));
    case 'incident':
      return bare(incident(seeded(seed * 7 + 2), startMs));
    case 'gateway':
      return bare(gateway(seeded(seed * 7 + 3), startMs));
    case 'noise':
      return noise(seed, startMs, options.format);
  }
}

function* bare(hops: Generator<Hop>): Generator<ProfileRecord> {
  for (const hop of hops) yield { kind: 'access', hop, prefix: '', prefixKind: 'none' };
}

function* samples(lines: Generator<{ pod: string; text: string }>): Generator<ProfileRecord> {
  for (const { pod, text } of lines) yield { kind: 'sample', text, pod, prefix: '', prefixKind: 'none' };
}

/** Share of `noise` lines that are not access entries, and how those split. */
const NOISE_SHARE = 0.2;
const NOISE_MIX: readonly (readonly [NoiseKind, number])[] = [
  ['agent', 9],
  ['envoy', 7],
  ['blank', 4],
];
const PREFIX_MIX: readonly (readonly [PrefixKind, number])[] = [
  ['none', 40],
  ['timestamps', 25],
  ['cri', 25],
  ['pod', 10],
];

function* noise(seed: number, startMs: number, format: TrafficFormat): Generator<ProfileRecord> {
  const random = seeded(seed * 7 + 5);
  const sources: (readonly [Generator<ProfileRecord>, number])[] = [
    [bare(highCardinality(seeded(seed * 7 + 1), startMs)), 35],
    [bare(incident(seeded(seed * 7 + 2), startMs)), 25],
    [bare(gateway(seeded(seed * 7 + 3), startMs)), 25],
    [samples(bookinfo(seed, startMs, format)), 15],
  ];
  let now = startMs;
  for (;;) {
    if (random() < NOISE_SHARE) {
      const kind = weighted(random, NOISE_MIX);
      const prefixKind = kind === 'blank' ? 'none' : weighted(random, PREFIX_MIX);
      const text = noiseLine(random, kind, now);
      const pod = prefixKind === 'pod' ? pick(random, PODS) : '';
      yield { kind: 'noise', noise: kind, text: prefixFor(random, prefixKind, now, pod) + text };
      continue;
    }
    const source = weighted(random, sources);
    const next = source.next();
    if (next.done) continue;
    const record = next.value;
    const prefixKind = weighted(random, PREFIX_MIX);
    if (record.kind === 'access') {
      now = Math.max(now, record.hop.startMs + record.hop.durationMs);
      yield {
        ...record,
        prefixKind,
        prefix: prefixFor(
          random,
          prefixKind,
          record.hop.startMs + record.hop.durationMs,
          record.hop.pod.name,
        ),
      };
    } else if (record.kind === 'sample') {
      yield { ...record, prefixKind, prefix: prefixFor(random, prefixKind, now, record.pod) };
    }
  }
}

const PODS = [
  'checkout-v1-7f9c8d6b5d-x2x9q',
  'istio-ingressgateway-6fb59c6cc4-7plvb',
  'orders-v1-5b4f8c9d7-2kx8p',
];
