import { describe, expect, it } from 'vitest';
import { parseAll } from '../../test/support/parse-all.js';
import { buildTrace } from '../analysis/trace.js';
import {
  DEMO_PODS,
  DEMO_REQUEST_GAP_MS,
  type DemoLine,
  type DemoScenario,
  demoTraffic,
  exampleRequest,
  requestHops,
} from './demo-mesh.js';

const T0 = Date.parse('2026-12-04T10:00:00.000Z');
const parseLines = (lines: readonly DemoLine[]) =>
  parseAll(lines.map((l) => `[pod/${l.pod}/istio-proxy] ${l.text}\n`).join(''));

describe('demoTraffic', () => {
  it('writes lines every proxy parses fully, in end-time order', () => {
    const lines = demoTraffic(T0, T0 + 10 * 60_000);
    const { entries, stats } = parseLines(lines);
    expect(entries).toHaveLength(lines.length);
    expect(stats.entries).toBe(lines.length);
    expect(lines.map((l) => l.timeMs)).toEqual([...lines.map((l) => l.timeMs)].sort((a, b) => a - b));
    // helloworld-v1 logs JSON, as the seed's EnvoyFilter did; the others the default TEXT format.
    const formats = new Map(entries.map((e) => [e.origin, e.format]));
    expect(formats.get(DEMO_PODS.helloworldV1.name)).toBe('json');
    expect(formats.get(DEMO_PODS.helloworldV2.name)).toBe('text');
    expect(formats.get(DEMO_PODS.gateway.name)).toBe('text');
  });

  it('contiguous windows neither repeat nor miss a request', () => {
    const whole = demoTraffic(T0, T0 + 60_000).map((l) => l.text);
    const parts = [...demoTraffic(T0, T0 + 25_000), ...demoTraffic(T0 + 25_000, T0 + 60_000)].map(
      (l) => l.text,
    );
    expect(new Set(parts)).toEqual(new Set(whole));
    expect(parts).toHaveLength(whole.length);
    expect(whole.length).toBeGreaterThan(60_000 / DEMO_REQUEST_GAP_MS);
  });

  it('carries every failure with the flags and details real proxies write', () => {
    const { entries } = parseLines(demoTraffic(T0, T0 + 10 * 60_000));
    const seen = (flag: string, code: number, details: RegExp) =>
      entries.some(
        (e) =>
          e.response_flags.includes(flag) &&
          e.response_code === code &&
          details.test(e.response_code_details ?? ''),
      );
    expect(seen('UH', 503, /^no_healthy_upstream$/)).toBe(true);
    expect(seen('NR', 404, /^route_not_found$/)).toBe(true);
    expect(seen('UF', 503, /TLS_error/)).toBe(true);
    expect(seen('NR', 0, /^filter_chain_not_found$/)).toBe(true);
    expect(seen('UT', 504, /^response_timeout$/)).toBe(true);
    expect(seen('DC', 0, /^downstream_remote_disconnect$/)).toBe(true);
    expect(seen('UO', 503, /overflow/)).toBe(true);
    const tls = entries.find((e) => e.response_flags.includes('UF'));
    expect(tls?.upstream_transport_failure_reason).toMatch(/^TLS_error:/);
  });
});

describe('a request through the gateway', () => {
  it('links into gateway → frontend (in, out) → helloworld', () => {
    const example = exampleRequest('gateway-ok', T0, T0 + 60_000);
    expect(example).toBeDefined();
    const { entries } = parseLines(demoTraffic(T0, T0 + 60_000));
    const trace = buildTrace(example?.requestId ?? '', entries);
    expect(trace.hops.map((h) => [h.source, h.direction])).toEqual([
      [DEMO_PODS.gateway.name, 'outbound'],
      [DEMO_PODS.frontend.name, 'inbound'],
      [DEMO_PODS.frontend.name, 'outbound'],
      [expect.stringMatching(/^helloworld-v[12]-/), 'inbound'],
    ]);
    expect(trace.hops.map((h) => h.parent)).toEqual([null, 0, 1, 2]);
  });

  it.each<DemoScenario>([
    'gateway-ok',
    'sleep-ok',
    'no-endpoints',
    'no-route',
    'mtls-mismatch',
    'slow-upstream',
    'client-gave-up',
    'circuit-breaker',
  ])('%s is reproducible from its seed', (scenario) => {
    expect(requestHops(scenario, T0, 7)).toEqual(requestHops(scenario, T0, 7));
    expect(requestHops(scenario, T0, 7).length).toBeGreaterThan(0);
  });
});
