/**
 * A kubeconfig for the fake server: a bearer token, and over HTTPS the CA that signed the server's certificate
 * as `certificate-authority-data`, so clients verify it like a real cluster's. Plain HTTP has no TLS to verify
 * (see libraries.md §4.1).
 */
import { stringify } from 'yaml';

export function kubeconfigFor(
  server: string,
  token: string,
  namespace: string,
  caPem?: string,
  name = 'fake',
): string {
  const cluster =
    caPem === undefined
      ? { server, 'insecure-skip-tls-verify': true }
      : { server, 'certificate-authority-data': Buffer.from(caPem, 'utf8').toString('base64') };
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster }],
    users: [{ name: 'meshbot', user: { token } }],
    contexts: [{ name, context: { cluster: name, user: 'meshbot', namespace } }],
    'current-context': name,
  });
}
