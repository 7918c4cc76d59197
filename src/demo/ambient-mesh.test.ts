import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAll } from '../../test/support/parse-all.js';
import {
  AMBIENT_PODS,
  AMBIENT_REQUEST_GAP_MS,
  AMBIENT_SERVICES,
  type AmbientPod,
  type AmbientScenario,
  ambientExample,
  ambientRequest,
  ambientRequests,
  ambientTraffic,
  renderZtunnelRecord,
  ZTUNNEL_ERRORS,
  ZTUNNEL_PODS,
  type ZtunnelRecord,
  ztunnelPodReceivedLine,
} from './ambient-mesh.js';

const T0 = Date.parse('2026-12-04T10:00:00.000Z');
const WINDOW = 10 * 60_000;
const SCENARIOS: AmbientScenario[] = [
  'page-ok',
  'reviews-refused',
  'no-endpoints',
  'policy-denied',
  'hbone-blocked',
];

/** Real ztunnel 1.23+ lines (names quoted), published; see test/fixtures/envoy-family/SOURCE.md. */
const REAL_LINES: string[] = readFileSync(
  new URL('../../test/fixtures/envoy-family/ztunnel-text.jsonl', import.meta.url),
  'utf8',
)
  .trim()
  .split('\n')
  .map((l) => (JSON.parse(l) as { line: string }).line)
  .filter((l) => /^\d{4}-\d\d-\d\dT[\d:.]+Z\t/.test(l) && l.includes('src.workload="'));

interface Layout {
  time: string;
  level: string;
  target: string;
  message: string;
  keys: string[];
  /** Per key: how the value is written (bare, or quoted with `"`). */
  quoting: Map<string, 'bare' | 'quoted'>;
  values: Map<string, string>;
}

/** Splits a tab-separated ztunnel line into its parts, without regular expressions over the values. */
function layoutOf(line: string): Layout {
  const check = (ok: boolean, what: string) => {
    if (!ok) throw new Error(`${what}: ${line}`);
  };
  const parts = line.split('\t');
  check(parts.length === 5, 'not five tab-separated parts');
  const [time = '', level = '', target = '', message = '', rest = ''] = parts;
  const keys: string[] = [];
  const quoting = new Map<string, 'bare' | 'quoted'>();
  const values = new Map<string, string>();
  let i = 0;
  while (i < rest.length) {
    const eq = rest.indexOf('=', i);
    check(eq > i, 'a field without key=');
    const key = rest.slice(i, eq);
    let value: string;
    if (rest[eq + 1] === '"') {
      let j = eq + 2;
      value = '';
      while (j < rest.length && rest[j] !== '"') {
        if (rest[j] === '\\') j++;
        value += rest[j];
        j++;
      }
      check(rest[j] === '"', 'an unterminated quote');
      quoting.set(key, 'quoted');
      i = j + 1;
    } else {
      const space = rest.indexOf(' ', eq);
      const end = space === -1 ? rest.length : space;
      value = rest.slice(eq + 1, end);
      quoting.set(key, 'bare');
      i = end;
    }
    keys.push(key);
    values.set(key, value);
    if (i < rest.length) {
      check(rest[i] === ' ', 'fields not separated by one space');
      i++;
    }
  }
  return { time, level, target, message, keys, quoting, values };
}

/** The key order and quoting of the real lines, merged (one real line has every key but `error`). */
function realLayout(): { order: string[]; quoting: Map<string, 'bare' | 'quoted'> } {
  const order: string[] = [];
  const quoting = new Map<string, 'bare' | 'quoted'>();
  for (const line of REAL_LINES) {
    const layout = layoutOf(line);
    for (const key of layout.keys) {
      if (key === 'src.protocol' || key === 'dst.protocol') continue; // an unmerged PR's build
      if (!order.includes(key)) {
        // insert after the key that precedes it on this line
        const before = layout.keys[layout.keys.indexOf(key) - 1];
        order.splice(before === undefined ? 0 : order.indexOf(before) + 1, 0, key);
      }
      const q = layout.quoting.get(key);
      if (q !== undefined && key !== 'dst.hbone_addr') quoting.set(key, q);
    }
  }
  quoting.set('dst.hbone_addr', 'bare'); // 1.23+: bare (the quoted form is the early 1.22 builds')
  return { order, quoting };
}

const ztunnelRecords = (from: number, to: number) =>
  ambientRequests(from, to).flatMap((r) => r.records.filter((x): x is ZtunnelRecord => x.kind === 'ztunnel'));

const podAt = (addr: string | undefined): AmbientPod | undefined =>
  Object.values(AMBIENT_PODS).find((p) => addr?.startsWith(`${p.ip}:`));

describe('ambientTraffic', () => {
  it('is deterministic, in write order, and contiguous windows neither repeat nor miss a request', () => {
    const whole = ambientTraffic(T0, T0 + 60_000);
    expect(ambientTraffic(T0, T0 + 60_000)).toEqual(whole);
    expect(ambientTraffic(T0, T0 + 60_000, 7)).not.toEqual(whole);
    expect(whole.map((l) => l.timeMs)).toEqual([...whole.map((l) => l.timeMs)].sort((a, b) => a - b));
    const parts = [...ambientTraffic(T0, T0 + 25_000), ...ambientTraffic(T0 + 25_000, T0 + 60_000)];
    expect(parts.map((l) => l.text).sort()).toEqual(whole.map((l) => l.text).sort());
    expect(ambientRequests(T0, T0 + 60_000)).toHaveLength(60_000 / AMBIENT_REQUEST_GAP_MS);
  });

  it('writes only to the two ztunnels and the waypoint, never to an app pod', () => {
    const writers = new Set(ambientTraffic(T0, T0 + WINDOW).map((l) => `${l.namespace}/${l.pod}`));
    expect([...writers].sort()).toEqual(
      [
        `istio-system/${ZTUNNEL_PODS['demo-worker-1']?.name}`,
        `istio-system/${ZTUNNEL_PODS['demo-worker-2']?.name}`,
        `ambient-demo/${AMBIENT_PODS.waypoint.name}`,
      ].sort(),
    );
  });

  it('lays every ztunnel line out as real ztunnel 1.23+ lines are: keys, order, quoting, time, level', () => {
    expect(REAL_LINES.length).toBeGreaterThanOrEqual(4);
    const real = realLayout();
    expect(real.order.slice(0, 2)).toEqual(['src.addr', 'src.workload']);
    const ztunnelNames = new Set(Object.values(ZTUNNEL_PODS).map((p) => p.name));
    const lines = ambientTraffic(T0, T0 + 3 * 60_000).filter((l) => ztunnelNames.has(l.pod));
    expect(lines.length).toBeGreaterThan(800);
    const known = [...real.order, 'error'];
    const problems = new Set<string>();
    const levels = new Set<string>();
    for (const line of lines) {
      const layout = layoutOf(line.text);
      levels.add(layout.level);
      if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/.test(layout.time)) problems.add(`time ${layout.time}`);
      if (Date.parse(layout.time) !== line.timeMs) problems.add(`time ${layout.time} is not the write time`);
      if (layout.target !== 'access' || layout.message !== 'connection complete')
        problems.add(`${layout.target}\t${layout.message}`);
      // Every key is one real lines have, in their order, quoted as they quote it.
      const positions = layout.keys.map((k) => known.indexOf(k));
      if (positions.some((p) => p < 0)) problems.add(`unknown key in ${layout.keys.join(' ')}`);
      if (positions.some((p, i) => i > 0 && p <= (positions[i - 1] ?? -1)))
        problems.add(`order ${layout.keys.join(' ')}`);
      for (const key of layout.keys) {
        const want = key === 'error' ? 'quoted' : real.quoting.get(key);
        if (layout.quoting.get(key) !== want)
          problems.add(`${key} is ${layout.quoting.get(key)}, not ${want}`);
      }
      // Always there; error only (and always) at level error.
      for (const key of ['src.addr', 'dst.addr', 'direction', 'bytes_sent', 'bytes_recv', 'duration']) {
        if (!layout.keys.includes(key)) problems.add(`no ${key}`);
      }
      if (layout.keys.includes('error') !== (layout.level === 'error'))
        problems.add(`error at ${layout.level}`);
      if (!/^\d+ms$/.test(layout.values.get('duration') ?? '')) problems.add('duration');
      if (!/^\d+$/.test(layout.values.get('bytes_sent') ?? '')) problems.add('bytes_sent');
    }
    expect([...problems]).toEqual([]);
    expect([...levels].sort()).toEqual(['error', 'info']);
  });

  it('renders a record with keys absent rather than "-", and escapes as Rust Debug does', () => {
    const record: ZtunnelRecord = {
      kind: 'ztunnel',
      node: 'demo-worker-1',
      endMs: T0,
      micros: 7,
      level: 'error',
      src: { addr: '10.244.1.21:40000' },
      dst: { addr: '10.32.40.10:9080' },
      direction: 'outbound',
      bytesSent: 0,
      bytesRecv: 0,
      durationMs: 3,
      error: 'a "quoted" \\ word',
    };
    expect(renderZtunnelRecord(record)).toBe(
      '2026-12-04T10:00:00.000007Z\terror\taccess\tconnection complete\tsrc.addr=10.244.1.21:40000 dst.addr=10.32.40.10:9080 direction="outbound" bytes_sent=0 bytes_recv=0 duration="3ms" error="a \\"quoted\\" \\\\ word"',
    );
  });

  it('each ztunnel log holds only records of pods on its node, and both nodes log', () => {
    const records = ztunnelRecords(T0, T0 + WINDOW);
    const byNode = new Map<string, number>();
    for (const r of records) {
      // The pod a ztunnel speaks for: the source when outbound, the destination when inbound.
      const own = r.direction === 'outbound' ? podAt(r.src.addr) : podAt(r.dst.hboneAddr);
      expect(own?.node).toBe(r.node);
      expect(own?.role).toBe('app');
      byNode.set(r.node, (byNode.get(r.node) ?? 0) + 1);
    }
    expect([...byNode.keys()].sort()).toEqual(['demo-worker-1', 'demo-worker-2']);
    // Both directions meet in one node's log: curl → reviews-v1 (denied) and productpage → … on worker-1.
    const w1 = records.filter((r) => r.node === 'demo-worker-1');
    expect(new Set(w1.map((r) => r.direction))).toEqual(new Set(['inbound', 'outbound']));
  });

  it('logs both ends of every request through the waypoint, with the waypoint between them', () => {
    const request = ambientExample('page-ok', T0, T0 + WINDOW);
    if (request === undefined) throw new Error('no page-ok request');
    const waypoint = AMBIENT_PODS.waypoint;
    const hops = request.records.flatMap((r) => (r.kind === 'waypoint' ? [r.hop] : []));
    const ztunnel = request.records.filter((r): r is ZtunnelRecord => r.kind === 'ztunnel');
    expect(hops.length).toBeGreaterThanOrEqual(2);
    expect(new Set(hops.map((h) => h.requestId))).toEqual(new Set([request.requestId]));
    for (const hop of hops) {
      const service = AMBIENT_SERVICES.find((s) =>
        hop.cluster.endsWith(`|${s.name}.ambient-demo.svc.cluster.local`),
      );
      expect(hop.cluster).toMatch(/^inbound-vip\|9080\|http\|/);
      expect(hop.dla).toBe(`${service?.clusterIp}:9080`);
      expect(hop.ula).toBe('envoy://internal_client_address/');
      const server = podAt(hop.upstreamHost.replace('envoy://connect_originate/', ''));
      const client = podAt(hop.dra);
      // the client's ztunnel: outbound to the waypoint's HBONE port, the Service VIP inside
      const out = ztunnel.find((r) => r.direction === 'outbound' && r.src.addr === hop.dra);
      expect(out).toMatchObject({
        node: client?.node,
        dst: {
          addr: `${waypoint.ip}:15008`,
          hboneAddr: hop.dla,
          workload: waypoint.name,
          identity: 'spiffe://cluster.local/ns/ambient-demo/sa/waypoint',
        },
      });
      // the server's ztunnel: inbound from the waypoint pod
      const inbound = ztunnel.find(
        (r) => r.direction === 'inbound' && r.dst.hboneAddr === `${server?.ip}:9080`,
      );
      expect(inbound).toMatchObject({
        node: server?.node,
        level: 'info',
        src: { workload: waypoint.name },
        dst: { addr: `${server?.ip}:15008`, workload: server?.name },
      });
      // the server answered within what the waypoint waited, which is within what the client waited
      expect(inbound?.durationMs).toBeLessThan(hop.durationMs);
      expect(hop.durationMs).toBeLessThan(out?.durationMs ?? 0);
      expect(inbound?.bytesSent).toBeGreaterThan(hop.bytesSent);
    }
  });

  it('carries every failure with its real ztunnel or Envoy text', () => {
    const seen = new Set(ambientRequests(T0, T0 + WINDOW).map((r) => r.scenario));
    expect([...seen].sort()).toEqual([...SCENARIOS].sort());

    const refused = ambientExample('reviews-refused', T0, T0 + WINDOW);
    expect(refused?.records).toContainEqual(
      expect.objectContaining({
        kind: 'ztunnel',
        node: AMBIENT_PODS.reviewsV3.node,
        level: 'error',
        direction: 'inbound',
        error: 'connection failed: Connection refused (os error 111)',
        dst: expect.objectContaining({ workload: AMBIENT_PODS.reviewsV3.name }),
      }),
    );
    expect(refused?.records).toContainEqual(
      expect.objectContaining({
        kind: 'waypoint',
        hop: expect.objectContaining({
          code: 503,
          flags: 'UC',
          details: 'upstream_reset_before_response_started{connection_termination}',
          bytesSent: 95,
        }),
      }),
    );

    const denied = ambientExample('policy-denied', T0, T0 + WINDOW);
    expect(denied?.requestId).toBeNull();
    expect(denied?.records.map((r) => (r.kind === 'ztunnel' ? [r.direction, r.error] : []))).toEqual([
      ['inbound', 'connection closed due to policy rejection: explicitly denied by: ambient-demo/deny-curl'],
      ['outbound', 'http status: 401 Unauthorized'],
    ]);

    const blocked = ambientExample('hbone-blocked', T0, T0 + WINDOW);
    expect(blocked?.records).toHaveLength(1); // nothing reaches ratings' ztunnel
    expect(blocked?.records[0]).toMatchObject({
      kind: 'ztunnel',
      direction: 'outbound',
      error: ZTUNNEL_ERRORS.hboneTimeout,
      dst: { addr: `${AMBIENT_PODS.ratings.ip}:15008`, workload: AMBIENT_PODS.ratings.name },
    });
    const [timeout] = blocked?.records ?? [];
    expect(timeout?.kind === 'ztunnel' && timeout.durationMs > 10_000).toBe(true);

    const none = ambientExample('no-endpoints', T0, T0 + WINDOW);
    expect(none?.records.map((r) => r.kind).sort()).toEqual(['waypoint', 'ztunnel']);
    expect(none?.records).toContainEqual(
      expect.objectContaining({
        kind: 'waypoint',
        hop: expect.objectContaining({ code: 503, flags: 'UH', upstreamHost: '-', bytesSent: 19 }),
      }),
    );
  });

  it('gives the same request for the same seed and a different one for another', () => {
    expect(ambientRequest('page-ok', T0, 1)).toEqual(ambientRequest('page-ok', T0, 1));
    expect(ambientRequest('page-ok', T0, 1).requestId).not.toBe(ambientRequest('page-ok', T0, 2).requestId);
  });

  it("writes ztunnel's pod-received line as the in-pod state manager does", () => {
    expect(
      ztunnelPodReceivedLine(T0, 42, {
        uid: 'u-1',
        name: 'curl-5b549b49b8-mg7nl',
        namespace: 'ambient-demo',
      }),
    ).toBe(
      '2026-12-04T10:00:00.000042Z\tinfo\tinpod::statemanager\tpod received, starting proxy\tuid="u-1" name="curl-5b549b49b8-mg7nl" namespace="ambient-demo"',
    );
  });

  it("reads through meshbot's parser: every waypoint line an entry, every ztunnel line a connection", () => {
    const lines = ambientTraffic(T0, T0 + 60_000);
    const { entries, connections, stats } = parseAll(lines.map((l) => `${l.text}\n`).join(''));
    const waypointLines = lines.filter((l) => l.pod === AMBIENT_PODS.waypoint.name);
    expect(entries).toHaveLength(waypointLines.length);
    expect(connections).toHaveLength(lines.length - waypointLines.length);
    expect(Object.values(stats.skipped).reduce((a, b) => a + b, 0)).toBe(0);
    expect(entries.every((e) => e.upstream_cluster?.startsWith('inbound-vip|9080|http|'))).toBe(true);
  });
});
