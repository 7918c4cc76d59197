import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contextNamespace, loadKubeConfig, serverOf } from './kube-config.js';

const dir = mkdtempSync(join(tmpdir(), 'meshbot-kubeconfig-'));

function kubeconfig(
  name: string,
  contexts: { name: string; server: string; namespace?: string }[],
  current: string,
): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      ...contexts.flatMap((c) => [`- name: ${c.name}`, '  cluster:', `    server: ${c.server}`]),
      'users:',
      '- name: u',
      '  user:',
      '    token: t',
      'contexts:',
      ...contexts.flatMap((c) => [
        `- name: ${c.name}`,
        '  context:',
        `    cluster: ${c.name}`,
        '    user: u',
        ...(c.namespace ? [`    namespace: ${c.namespace}`] : []),
      ]),
      `current-context: ${current}`,
    ].join('\n'),
  );
  return path;
}

const a = kubeconfig('a.yaml', [{ name: 'a', server: 'https://a.example:6443', namespace: 'shop' }], 'a');
const b = kubeconfig('b.yaml', [{ name: 'b', server: 'https://b.example:6443' }], 'b');
const noHome = join(dir, 'empty-home');
mkdirSync(noHome);

describe('loadKubeConfig', () => {
  it('uses --kubeconfig first, and the context namespace as the default', () => {
    const kc = loadKubeConfig({ kubeconfig: a, env: { KUBECONFIG: b, HOME: noHome } });
    expect(serverOf(kc)).toBe('https://a.example:6443');
    expect(contextNamespace(kc)).toBe('shop');
  });

  it('merges $KUBECONFIG files like kubectl: both define user u, the first wins; the first file sets the context', () => {
    const env = { KUBECONFIG: `${a}:${b}`, HOME: noHome };
    expect(serverOf(loadKubeConfig({ env }))).toBe('https://a.example:6443');
    const kc = loadKubeConfig({ env, context: 'b' });
    expect(serverOf(kc)).toBe('https://b.example:6443');
    expect(contextNamespace(kc)).toBe('default');
  });

  it('falls back to ~/.kube/config', () => {
    const home = join(dir, 'home');
    mkdirSync(join(home, '.kube'), { recursive: true });
    kubeconfig(join('home', '.kube', 'config'), [{ name: 'h', server: 'https://home.example' }], 'h');
    expect(serverOf(loadKubeConfig({ env: { HOME: home } }))).toBe('https://home.example');
  });

  it.each([
    [{ kubeconfig: join(dir, 'missing.yaml'), env: { HOME: noHome } }, 'no such file'],
    [{ env: { KUBECONFIG: join(dir, 'nope'), HOME: noHome } }, 'names no file that exists'],
    [{ env: { HOME: noHome } }, 'no Kubernetes credentials found'],
    [
      { kubeconfig: a, context: 'prod', env: { HOME: noHome } },
      '--context prod is not in the kubeconfig (contexts: a)',
    ],
  ])('fails with one clear sentence: %j', (options, message) => {
    expect(() => loadKubeConfig(options)).toThrow(message);
  });

  it('never falls back silently to localhost:8080', () => {
    expect(() => loadKubeConfig({ env: { HOME: noHome } })).toThrow(/--file to read saved logs/);
  });
});

describe('request deadline', () => {
  it('turns an API that never answers into a clear error instead of a hang', async () => {
    const { startFakeApiServer } = await import('../kube-sim/index.js');
    const { IstioConfigClient } = await import('./istio-config-client.js');
    const server = await startFakeApiServer();
    try {
      server.fail({ pathPattern: /telemetries/, timeout: true });
      const file = join(dir, 'fake.yaml');
      writeFileSync(file, server.kubeconfigYaml('default'));
      const client = new IstioConfigClient(
        loadKubeConfig({ kubeconfig: file, env: { HOME: noHome }, requestTimeoutMs: 300 }),
      );
      const api = { kind: 'Telemetry', version: 'v1' } as const;
      await expect(client.list(api, 'default')).rejects.toMatchObject({ code: 'k8s_unreachable' });
      await expect(client.list(api, 'default')).rejects.toThrow(
        `cannot reach the Kubernetes API at ${server.url}`,
      );
    } finally {
      await server.close();
    }
  });
});
