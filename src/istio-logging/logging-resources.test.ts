import { describe, expect, it } from 'vitest';
import { ISTIO_CRD_DIR, validateAgainstCrd } from '../kube-sim/index.js';
import {
  ABSENT,
  applyOps,
  buildEnvoyFilter,
  buildTelemetry,
  enableOps,
  type LoggingRequest,
  managementOf,
  resourceName,
  restoreOps,
} from './logging-resources.js';

const TEL = `${ISTIO_CRD_DIR}telemetries.telemetry.istio.io.yaml`;
const EF = `${ISTIO_CRD_DIR}envoyfilters.networking.istio.io.yaml`;
const T0 = Date.parse('2024-05-01T12:00:00Z');

const requests: Record<string, LoggingRequest> = {
  plain: {
    namespace: 'shop',
    mode: 'both',
    provider: 'envoy',
    requestedBy: 'alice',
    sinceMs: T0,
    untilMs: T0 + 3_600_000,
  },
  workload: {
    namespace: 'shop',
    workload: { label: 'app.kubernetes.io/name', value: 'Cart_v2' },
    mode: 'server',
    filter: "response.code >= 400 && request.url_path.startsWith('/api')",
    provider: 'otel',
    requestedBy: 'U123 (slack)',
    sinceMs: T0,
    untilMs: T0 + 60_000,
  },
  client: {
    namespace: 'shop',
    mode: 'client',
    provider: 'envoy',
    requestedBy: 'bob',
    sinceMs: T0,
    untilMs: T0 + 1,
  },
};

describe('logging resource builders', () => {
  for (const [name, request] of Object.entries(requests)) {
    it(`${name}: Telemetry v1, v1alpha1 and EnvoyFilter validate against the real CRDs`, () => {
      expect(validateAgainstCrd(TEL, 'v1', buildTelemetry('v1', request))).toEqual([]);
      expect(validateAgainstCrd(TEL, 'v1alpha1', buildTelemetry('v1alpha1', request))).toEqual([]);
      expect(validateAgainstCrd(EF, 'v1alpha3', buildEnvoyFilter(request))).toEqual([]);
    });
  }

  it('names are DNS-1123 and distinct per selector', () => {
    const a = resourceName({ label: 'app.kubernetes.io/name', value: 'Cart_v2' });
    const b = resourceName({ label: 'app', value: 'cart' });
    expect(a).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    expect(a.length).toBeLessThanOrEqual(63);
    expect(a).not.toBe(b);
    expect(resourceName(undefined)).toBe('meshbot-access-logging');
  });

  it('enable then restore gives back the object exactly (present, absent, no annotations)', () => {
    const objects = [
      {
        apiVersion: 'telemetry.istio.io/v1',
        kind: 'Telemetry',
        metadata: { name: 't', namespace: 'shop', resourceVersion: '7' },
        spec: { tracing: [{}] },
      },
      {
        apiVersion: 'telemetry.istio.io/v1',
        kind: 'Telemetry',
        metadata: { name: 't', namespace: 'shop', resourceVersion: '7', annotations: { 'x/y': 'z' } },
        spec: { accessLogging: [{ disabled: true }], metrics: [{}] },
      },
    ];
    for (const original of objects) {
      const enabled = applyOps(
        original,
        enableOps(original, { kind: 'Telemetry', version: 'v1' }, requests.plain as LoggingRequest),
      );
      expect(validateAgainstCrd(TEL, 'v1', enabled)).toEqual([]);
      const management = managementOf(enabled);
      expect(management.kind).toBe('patched');
      if (management.kind !== 'patched') continue;
      expect(management.previous === ABSENT).toBe(!('accessLogging' in original.spec));
      expect(applyOps(enabled, restoreOps(enabled, management.previous))).toEqual(original);
    }
  });
});
