import { describe, expect, it } from 'vitest';
import { parseMeshConfig } from './parse-mesh-config.js';

describe('parseMeshConfig', () => {
  it('reads the root namespace, accessLogFile and the extension providers with their kinds', () => {
    const mesh = parseMeshConfig(
      [
        'rootNamespace: istio-config',
        'accessLogFile: /dev/stdout',
        'extensionProviders:',
        '- name: otel',
        '  envoyOtelAls: {service: otel.observability.svc.cluster.local, port: 4317}',
        '- name: zipkin',
        '  zipkin: {service: zipkin.istio-system.svc.cluster.local, port: 9411}',
        '- {envoyFileAccessLog: {path: /dev/stdout}}',
        '- not-a-map',
      ].join('\n'),
      'istio-system/istio',
    );
    expect(mesh).toEqual({
      found: true,
      source: 'istio-system/istio',
      rootNamespace: 'istio-config',
      accessLogFile: '/dev/stdout',
      accessLogEncoding: undefined,
      extensionProviders: [
        { name: 'otel', kind: 'envoyOtelAls' },
        { name: 'zipkin', kind: 'zipkin' },
      ],
    });
  });

  it('treats a missing or unreadable config as Istio defaults', () => {
    expect(parseMeshConfig(undefined)).toMatchObject({
      found: false,
      rootNamespace: 'istio-system',
      extensionProviders: [],
    });
    expect(parseMeshConfig('{{{')).toMatchObject({
      found: true,
      rootNamespace: 'istio-system',
      extensionProviders: [],
    });
  });
});
