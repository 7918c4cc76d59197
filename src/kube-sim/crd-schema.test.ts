import { describe, expect, it } from 'vitest';
import { ISTIO_CRD_DIR, validateAgainstCrd } from './index.js';

const TELEMETRY = `${ISTIO_CRD_DIR}telemetries.telemetry.istio.io.yaml`;
const ENVOY_FILTER = `${ISTIO_CRD_DIR}envoyfilters.networking.istio.io.yaml`;

const telemetry = (spec: unknown, version = 'v1') => ({
  apiVersion: `telemetry.istio.io/${version}`,
  kind: 'Telemetry',
  metadata: { name: 'access-logging', namespace: 'shop' },
  spec,
});

describe('validateAgainstCrd', () => {
  it('accepts the namespace-wide access logging Telemetry in both versions', () => {
    const spec = {
      accessLogging: [
        {
          providers: [{ name: 'envoy' }],
          match: { mode: 'SERVER' },
          filter: { expression: 'response.code >= 400' },
        },
      ],
    };
    expect(validateAgainstCrd(TELEMETRY, 'v1', telemetry(spec))).toEqual([]);
    expect(validateAgainstCrd(TELEMETRY, 'v1alpha1', telemetry(spec, 'v1alpha1'))).toEqual([]);
  });

  it.each<[string, unknown, string]>([
    ['an unknown field', { accessLogs: [] }, 'spec.accessLogs: unknown field "spec.accessLogs"'],
    [
      'a bad enum',
      { accessLogging: [{ match: { mode: 'INBOUND' } }] },
      'spec.accessLogging[0].match.mode: Unsupported value: "INBOUND": supported values: "CLIENT_AND_SERVER", "CLIENT", "SERVER"',
    ],
    [
      'a missing provider name',
      { accessLogging: [{ providers: [{}] }] },
      'spec.accessLogging[0].providers[0].name: Required value',
    ],
    [
      'a wrong type',
      { accessLogging: [{ disabled: 'true' }] },
      'spec.accessLogging[0].disabled: Invalid value: "string": spec.accessLogging[0].disabled in body must be of type boolean: "string"',
    ],
    [
      'an empty provider name',
      { accessLogging: [{ providers: [{ name: '' }] }] },
      'spec.accessLogging[0].providers[0].name: Invalid value: "": spec.accessLogging[0].providers[0].name in body should be at least 1 chars long',
    ],
    [
      'too many targetRefs',
      { targetRefs: Array.from({ length: 17 }, () => ({ kind: 'Gateway', name: 'g' })) },
      'spec.targetRefs: Too many: 17: must have at most 16 items',
    ],
  ])('reports %s', (_name, spec, message) => {
    expect(validateAgainstCrd(TELEMETRY, 'v1', telemetry(spec))).toEqual([message]);
  });

  it('checks apiVersion, kind and metadata.name', () => {
    const problems = validateAgainstCrd(TELEMETRY, 'v1', {
      apiVersion: 'telemetry.istio.io/v1alpha1',
      kind: 'Telemetri',
      metadata: { name: 'Bad_Name' },
      spec: {},
    });
    expect(problems).toHaveLength(3);
    expect(problems[0]).toBe(
      'apiVersion: Invalid value: "telemetry.istio.io/v1alpha1": must be telemetry.istio.io/v1',
    );
    expect(problems[2]).toMatch(/^metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/);
    expect(validateAgainstCrd(TELEMETRY, 'v2', telemetry({}))).toEqual([
      `version v2 is not defined by ${TELEMETRY}`,
    ]);
  });

  it('honours x-kubernetes-preserve-unknown-fields in EnvoyFilter patches', () => {
    const filter = {
      apiVersion: 'networking.istio.io/v1alpha3',
      kind: 'EnvoyFilter',
      metadata: { name: 'json-logs', namespace: 'istio-system' },
      spec: {
        configPatches: [
          {
            applyTo: 'NETWORK_FILTER',
            match: {
              context: 'ANY',
              listener: {
                filterChain: { filter: { name: 'envoy.filters.network.http_connection_manager' } },
              },
            },
            patch: {
              operation: 'MERGE',
              value: {
                typed_config: {
                  '@type': 'type.googleapis.com/x',
                  access_log: [{ name: 'envoy.access_loggers.file' }],
                },
              },
            },
          },
        ],
      },
    };
    expect(validateAgainstCrd(ENVOY_FILTER, 'v1alpha3', filter)).toEqual([]);
    const bad = structuredClone(filter);
    const patch = bad.spec.configPatches[0];
    if (patch) patch.applyTo = 'LISTENERS';
    expect(validateAgainstCrd(ENVOY_FILTER, 'v1alpha3', bad)[0]).toMatch(
      /^spec\.configPatches\[0\]\.applyTo: Unsupported value: "LISTENERS"/,
    );
  });
});
