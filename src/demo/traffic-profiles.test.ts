import { describe, expect, it } from 'vitest';
import { parseAll } from '../../test/support/parse-all.js';
import type { AccessLogEntry } from '../accesslog/entry.js';
import type { Hop } from './access-line.js';
import { SCANNER_PATHS } from './traffic/gateway.js';
import { NOISE_KINDS, PREFIX_KINDS } from './traffic/noise.js';
import { NON_ASCII_AGENTS } from './traffic/values.js';
import {
  PROFILE_NAMES,
  type ProfileName,
  type ProfileRecord,
  profileLines,
  profileRecords,
  renderRecord,
} from './traffic-profiles.js';

/** The property checks' sample: big enough for shares to settle, small enough to stay fast. */
const SAMPLE = 12_000;
/** How many lines of each profile go through the real parser. */
const PARSED = 1_500;

const records = new Map<ProfileName, ProfileRecord[]>();
function sample(profile: ProfileName): ProfileRecord[] {
  let list = records.get(profile);
  if (list === undefined) {
    list = [...profileRecords(profile, { lines: SAMPLE, format: 'text' })];
    records.set(profile, list);
  }
  return list;
}
const hopsOf = (profile: ProfileName): Hop[] =>
  sample(profile).flatMap((r) => (r.kind === 'access' ? [r.hop] : []));

const isHttp = (h: Hop) => h.method !== '-';
const failing = (h: Hop) => h.code >= 500 || h.flags !== '-';
const flagsOf = (hops: Hop[]) => new Set(hops.flatMap((h) => (h.flags === '-' ? [] : h.flags.split(','))));
const share = (hops: Hop[], test: (h: Hop) => boolean) => hops.filter(test).length / hops.length;
const ipOf = (address: string) => address.slice(0, address.lastIndexOf(':'));

/** What the parser must read back from the line a hop was rendered to. */
function expected(h: Hop): Partial<AccessLogEntry> {
  const v = (s: string) => (s === '-' ? null : s);
  return {
    start_time: new Date(h.startMs).toISOString(),
    method: v(h.method),
    path: v(h.path),
    response_code: h.code,
    response_flags: h.flags === '-' ? [] : h.flags.split(','),
    response_code_details: v(h.details),
    upstream_transport_failure_reason: v(h.utfr),
    bytes_sent: h.bytesSent,
    duration_ms: h.durationMs,
    upstream_service_time_ms: h.upstreamMs,
    x_forwarded_for: v(h.xff),
    user_agent: v(h.ua),
    request_id: v(h.requestId),
    authority: v(h.authority),
    upstream_host: v(h.upstreamHost),
    upstream_cluster: v(h.cluster),
    upstream_local_address: v(h.ula),
    downstream_local_address: v(h.dla),
    downstream_remote_address: v(h.dra),
    requested_server_name: v(h.sni),
    route_name: v(h.route),
    // A line with no upstream cluster (NR) does not say which way it went.
    direction: h.cluster === '-' ? 'unknown' : h.direction,
  };
}

function parsed(profile: ProfileName, format: 'text' | 'json') {
  const list = [...profileRecords(profile, { lines: PARSED, format })];
  const text = list.map((r) => `${renderRecord(r, format)}\n`).join('');
  return { list, ...parseAll(text) };
}

describe('profileLines', () => {
  it.each(PROFILE_NAMES)('%s: the same seed gives the same lines, another seed other lines', (profile) => {
    const a = [...profileLines(profile, { lines: 1000, seed: 5, format: 'text' })];
    const b = [...profileLines(profile, { lines: 1000, seed: 5, format: 'text' })];
    const c = [...profileLines(profile, { lines: 1000, seed: 6, format: 'text' })];
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    // Most lines differ, not just one.
    expect(c.filter((line, i) => line !== a[i]).length).toBeGreaterThan(500);
  });

  it.each(PROFILE_NAMES)('%s: writes exactly the lines asked for, each without a newline', (profile) => {
    for (const lines of [0, 1, 7, 1234]) {
      for (const format of ['text', 'json'] as const) {
        const out = [...profileLines(profile, { lines, format })];
        expect(out).toHaveLength(lines);
        expect(out.some((l) => l.includes('\n'))).toBe(false);
      }
    }
  });

  it('starts at startMs', () => {
    const startMs = Date.parse('2024-05-01T12:00:00.000Z');
    const [first] = [...profileLines('high-cardinality', { lines: 1, format: 'json', startMs })];
    expect(JSON.parse(first ?? '{}').start_time.slice(0, 13)).toBe('2024-05-01T12');
  });
});

describe('every access line parses into what the generator meant', () => {
  it.each(PROFILE_NAMES.filter((p) => p !== 'bookinfo'))('%s, TEXT and JSON', (profile) => {
    for (const format of ['text', 'json'] as const) {
      const { list, results } = parsed(profile, format);
      expect(results).toHaveLength(list.length);
      list.forEach((record, i) => {
        const result = results[i];
        if (record.kind === 'noise') {
          expect(result).toEqual({
            ok: false,
            reason: record.noise === 'blank' ? 'blank' : 'not_access_log',
          });
          return;
        }
        if (!result?.ok || result.entry === undefined) {
          throw new Error(`line ${i + 1} did not parse: ${renderRecord(record, format)}`);
        }
        expect(result.entry.format).toBe(format);
        if (record.kind === 'access') {
          expect(result.entry).toMatchObject(expected(record.hop));
          expect(result.entry.origin).toBe(record.prefixKind === 'pod' ? record.hop.pod.name : null);
        }
      });
    }
  });

  it.each(PROFILE_NAMES)('%s: JSON and TEXT carry the same entries', (profile) => {
    const strip = (e: AccessLogEntry) => {
      const { format: _f, protocol: _p, bytes_received: _b, connection_termination_details: _c, ...rest } = e;
      return rest;
    };
    const text = parsed(profile, 'text');
    const json = parsed(profile, 'json');
    expect(text.entries.length).toBeGreaterThan(PARSED * 0.7);
    expect(json.entries.map(strip)).toEqual(text.entries.map(strip));
    expect(json.stats.skipped).toEqual(text.stats.skipped);
  });
});

describe('high-cardinality', () => {
  const hops = () => hopsOf('high-cardinality');

  it('has 30+ services in 6+ namespaces and ~1,000 caller addresses', () => {
    const services = new Set<string>();
    const namespaces = new Set<string>();
    for (const h of hops()) {
      const m = /^outbound\|\d+\|\|([^.]+)\.([^.]+)\.svc/.exec(h.cluster);
      if (m) {
        services.add(m[1] ?? '');
        namespaces.add(m[2] ?? '');
      }
    }
    expect(services.size).toBeGreaterThanOrEqual(30);
    expect(namespaces.size).toBeGreaterThanOrEqual(6);
    const callers = new Set(
      hops()
        .filter((h) => h.direction === 'inbound')
        .map((h) => ipOf(h.dra)),
    );
    expect(callers.size).toBeGreaterThan(800);
    expect(callers.size).toBeLessThan(1300);
    // Callers are pods of services: several replicas per service.
    const pods = new Set(hops().map((h) => h.pod.name));
    expect(pods.size).toBeGreaterThan(3 * services.size);
  });

  it('fails about half the entries, with mixed flags and TLS reasons', () => {
    expect(share(hops(), failing)).toBeGreaterThan(0.4);
    expect(share(hops(), failing)).toBeLessThan(0.6);
    const flags = flagsOf(hops());
    for (const flag of ['UH', 'UF', 'UO', 'NR', 'URX', 'UT', 'DC']) expect(flags).toContain(flag);
    expect(hops().some((h) => h.utfr.startsWith('TLS_error'))).toBe(true);
    expect(hops().some((h) => h.flags === '-' && h.code >= 500 && h.details === 'via_upstream')).toBe(true);
  });

  it('puts ids of every kind in paths, and a query string in ~20%', () => {
    const http = hops().filter(isHttp);
    const paths = http.map((h) => h.path.split('?')[0] ?? '');
    const kinds: Record<string, RegExp> = {
      number: /\/\d+(\/|$)/,
      uuid: /\/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}(\/|$)/,
      hex: /\/(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{24,40}(\/|$)/,
      token: /\/(?=[-\w]*[A-Z])(?=[-\w]*[a-z])(?=[-\w]*\d)[-\w]{16,43}(\/|$)/,
      email: /\/[a-z.]+\d*@[a-z.]+(\/|$)/,
    };
    for (const [kind, re] of Object.entries(kinds)) {
      expect(paths.filter((p) => re.test(p)).length / paths.length, kind).toBeGreaterThan(0.02);
    }
    const distinctPaths = new Set(paths).size;
    expect(distinctPaths / paths.length).toBeGreaterThan(0.3);
    const withQuery = share(http, (h) => h.path.includes('?'));
    expect(withQuery).toBeGreaterThan(0.15);
    expect(withQuery).toBeLessThan(0.25);
  });

  it('has browser and non-ASCII user agents, and links hops by request id', () => {
    expect(hops().some((h) => h.ua.startsWith('Mozilla/5.0'))).toBe(true);
    expect(share(hops(), (h) => NON_ASCII_AGENTS.includes(h.ua))).toBeGreaterThan(0.03);
    // A call that reached the server is logged by both sidecars with one request id.
    const inbound = hops().filter((h) => h.direction === 'inbound');
    const outboundIds = new Set(
      hops()
        .filter((h) => h.direction === 'outbound')
        .map((h) => h.requestId),
    );
    // (but the sample's last request, cut after its server's entry)
    expect(inbound.filter((h) => !outboundIds.has(h.requestId)).length).toBeLessThan(5);
    const perRequest = new Map<string, number>();
    for (const h of hops()) perRequest.set(h.requestId, (perRequest.get(h.requestId) ?? 0) + 1);
    expect([...perRequest.values()].some((n) => n >= 4)).toBe(true);
  });
});

describe('incident', () => {
  const hops = () => hopsOf('incident');

  it('fails about half the requests, each failure with its true details', () => {
    expect(share(hops(), failing)).toBeGreaterThan(0.45);
    expect(share(hops(), failing)).toBeLessThan(0.7);
    const has = (test: (h: Hop) => boolean) => expect(hops().some(test)).toBe(true);
    has((h) => h.flags === 'UH' && h.code === 503 && h.details === 'no_healthy_upstream');
    has((h) => h.flags === 'UF' && h.utfr.startsWith('TLS_error') && h.details.includes(h.utfr));
    has((h) => h.flags === 'UF' && h.utfr === 'delayed_connect_error:_111');
    has((h) => h.flags === 'UT' && h.code === 504 && h.details === 'response_timeout');
    has((h) => h.flags === 'NR' && h.code === 404 && h.details === 'route_not_found');
    has((h) => h.flags === 'DC' && h.code === 0 && h.details === 'downstream_remote_disconnect');
    has(
      (h) =>
        h.flags === 'UO' &&
        h.code === 503 &&
        h.details === 'upstream_reset_before_response_started{overflow}',
    );
    has((h) => h.flags === 'URX' && h.details === 'via_upstream');
    has((h) => /^(UF,URX|URX,UF)$/.test(h.flags));
    // TCP: "- - -" with code 0, served and failed.
    const tcp = hops().filter((h) => !isHttp(h));
    expect(tcp.every((h) => h.code === 0 && h.requestId === '-')).toBe(true);
    expect(flagsOf(tcp)).toEqual(new Set(['UF', 'UH', 'NR']));
    expect(tcp.some((h) => h.flags === '-')).toBe(true);
    expect(tcp.some((h) => h.details === 'filter_chain_not_found')).toBe(true);
  });
});

describe('gateway', () => {
  const hops = () => hopsOf('gateway');
  const edge = () => hops().filter((h) => h.pod.service === 'istio-ingressgateway');

  it('serves many internet clients, some through XFF chains', () => {
    expect(edge().length / hops().length).toBeGreaterThan(0.45);
    const clients = new Set(edge().map((h) => h.xff.split(',')[0]));
    expect(clients.size).toBeGreaterThan(3000);
    const chains = share(edge(), (h) => h.xff.includes(','));
    expect(chains).toBeGreaterThan(0.4);
    expect(edge().some((h) => h.xff.split(',').length === 4)).toBe(true);
    // Behind a balancer, the peer is the balancer (the last address of the chain).
    for (const h of edge()) expect(ipOf(h.dra)).toBe(h.xff.split(',').at(-1));
  });

  it('answers scanners 404 NR, and has long URLs and user agents', () => {
    const scans = edge().filter((h) => SCANNER_PATHS.includes(h.path));
    expect(scans.length / edge().length).toBeGreaterThan(0.05);
    expect(scans.every((h) => h.code === 404 && h.flags === 'NR' && h.cluster === '-')).toBe(true);
    const longest = Math.max(...hops().map((h) => h.path.length));
    expect(longest).toBeGreaterThan(6000);
    expect(longest).toBeLessThanOrEqual(8192);
    expect(share(edge(), (h) => h.path.length > 1024)).toBeGreaterThan(0.005);
    expect(Math.max(...hops().map((h) => h.ua.length))).toBeGreaterThan(600);
  });
});

describe('noise', () => {
  it('mixes access lines of every other profile with proxy log lines, blank lines and prefixes', () => {
    const list = sample('noise');
    const noise = list.filter((r) => r.kind === 'noise');
    expect(noise.length / list.length).toBeGreaterThan(0.15);
    expect(noise.length / list.length).toBeLessThan(0.25);
    expect(new Set(noise.map((r) => (r.kind === 'noise' ? r.noise : '')))).toEqual(new Set(NOISE_KINDS));
    const texts = noise.map((r) => renderRecord(r, 'text'));
    expect(texts.some((t) => /^\d{4}-\d\d-\d\dT[\d:.]+Z\t(info|warn|warning|error)\t/.test(t))).toBe(true);
    expect(texts.some((t) => /^\[\d{4}-\d\d-\d\d [\d:.]+\]\[\d+\]\[\w+\]\[[\w ]+\] /.test(t))).toBe(true);
    const prefixes = new Set(list.flatMap((r) => (r.kind === 'noise' ? [] : [r.prefixKind])));
    expect(prefixes).toEqual(new Set(PREFIX_KINDS));
    const lines = list.map((r) => renderRecord(r, 'text'));
    expect(lines.some((l) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z \[/.test(l))).toBe(true);
    expect(lines.some((l) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z stdout F \[/.test(l))).toBe(true);
    expect(lines.some((l) => /^\[pod\/[-a-z0-9]+\/istio-proxy\] \[/.test(l))).toBe(true);
    // Entries of every other profile: Bookinfo's, the gateway's, incident's and high-cardinality's pods.
    const pods = list.flatMap((r) =>
      r.kind === 'access' ? [r.hop.pod.service] : r.kind === 'sample' ? ['bookinfo'] : [],
    );
    for (const s of ['bookinfo', 'istio-ingressgateway', 'storefront', 'frontend']) expect(pods).toContain(s);
  });

  it('the parser counts its noise as skipped lines, not entries', () => {
    const { list, stats } = parsed('noise', 'text');
    const noise = list.filter((r) => r.kind === 'noise');
    expect(stats.entries).toBe(list.length - noise.length);
    expect(stats.skipped.blank).toBe(noise.filter((r) => r.kind === 'noise' && r.noise === 'blank').length);
    expect(stats.skipped.not_access_log).toBe(noise.length - stats.skipped.blank);
  });
});
