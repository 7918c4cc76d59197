import { X509Certificate } from 'node:crypto';
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type FakeApiServer, generateServingCertificate, startFakeApiServer } from './index.js';

const NOW = new Date('2024-05-01T12:00:00.000Z');

function coreApi(kubeconfig: string): k8s.CoreV1Api {
  const kc = new k8s.KubeConfig();
  kc.loadFromString(kubeconfig);
  return kc.makeApiClient(k8s.CoreV1Api);
}

/** The kubeconfig with its cluster entry replaced. */
function withCluster(kubeconfig: string, cluster: Record<string, unknown>): string {
  const doc = parse(kubeconfig) as { clusters: { cluster: Record<string, unknown> }[] };
  const first = doc.clusters[0];
  if (first === undefined) throw new Error('no cluster');
  first.cluster = cluster;
  return JSON.stringify(doc);
}

async function failureOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    const e = error as { message?: string; code?: string; cause?: { code?: string } };
    return `${e.code ?? e.cause?.code ?? ''} ${e.message ?? ''}`;
  }
  return 'no error';
}

describe('fake API server over HTTPS', () => {
  let server: FakeApiServer;

  beforeAll(async () => {
    server = await startFakeApiServer({ now: () => NOW, tls: true });
    server.addNamespace('shop');
    server.addPod({ namespace: 'shop', name: 'web-1', labels: { app: 'web' }, istio: 'sidecar' });
    server.setPodLog('shop', 'web-1', 'istio-proxy', [{ time: NOW, text: 'a line over TLS' }]);
  });

  afterAll(async () => {
    await server.close();
  });

  it('serves the API on https://127.0.0.1 to client-node trusting the CA from the kubeconfig', async () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const kubeconfig = server.kubeconfigYaml('shop', 'meshbot-demo');
    const doc = parse(kubeconfig) as {
      clusters: { name: string; cluster: Record<string, unknown> }[];
      'current-context': string;
    };
    expect(doc['current-context']).toBe('meshbot-demo');
    expect(doc.clusters[0]?.name).toBe('meshbot-demo');
    expect(doc.clusters[0]?.cluster).not.toHaveProperty('insecure-skip-tls-verify');
    const caData = String(doc.clusters[0]?.cluster['certificate-authority-data']);
    expect(Buffer.from(caData, 'base64').toString('utf8')).toBe(server.certificate?.caPem);

    const core = coreApi(kubeconfig);
    const pods = await core.listNamespacedPod({ namespace: 'shop' });
    expect(pods.items.map((p) => p.metadata?.name)).toEqual(['web-1']);
    const log = await core.readNamespacedPodLog({
      namespace: 'shop',
      name: 'web-1',
      container: 'istio-proxy',
    });
    expect(log).toBe('a line over TLS\n');
  });

  it('is refused by a client that does not trust its CA, and by one trusting another CA', async () => {
    const kubeconfig = server.kubeconfigYaml('shop');
    const noCa = await failureOf(
      coreApi(withCluster(kubeconfig, { server: server.url })).listNamespacedPod({ namespace: 'shop' }),
    );
    expect(noCa).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE.*unable to verify the first certificate/);

    const other = await generateServingCertificate({ now: new Date() });
    const wrongCa = await failureOf(
      coreApi(
        withCluster(kubeconfig, {
          server: server.url,
          'certificate-authority-data': Buffer.from(other.caPem).toString('base64'),
        }),
      ).listNamespacedPod({ namespace: 'shop' }),
    );
    expect(wrongCa).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|certificate signature failure/);
  });

  it('answers /api with its https address like a real server', async () => {
    const kc = new k8s.KubeConfig();
    kc.loadFromString(server.kubeconfigYaml());
    const versions = await kc.makeApiClient(k8s.CoreApi).getAPIVersions();
    expect(versions.serverAddressByClientCIDRs[0]?.serverAddress).toBe(server.url.replace('https://', ''));
  });
});

describe('generateServingCertificate', () => {
  it('issues a server certificate for 127.0.0.1 and localhost from a fresh CA, valid around now', async () => {
    const { caPem, certPem, keyPem } = await generateServingCertificate({ now: NOW, validDays: 2 });
    const ca = new X509Certificate(caPem);
    const cert = new X509Certificate(certPem);
    expect(ca.ca).toBe(true);
    expect(cert.ca).toBe(false);
    expect(cert.checkIssued(ca)).toBe(true);
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(cert.checkHost('example.com')).toBeUndefined();
    expect(Date.parse(cert.validFrom)).toBeLessThan(NOW.getTime());
    expect(Date.parse(cert.validTo)).toBe(NOW.getTime() + 2 * 86_400_000);
    expect(keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(cert.checkPrivateKey((await import('node:crypto')).createPrivateKey(keyPem))).toBe(true);
    // Each call makes a new CA: nothing is shared between servers.
    const again = await generateServingCertificate({ now: NOW });
    expect(again.caPem).not.toBe(caPem);
  });
});
