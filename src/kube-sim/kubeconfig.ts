/** A kubeconfig for the fake server: plain HTTP, bearer token (see libraries.md §4.1). */
import { stringify } from 'yaml';

export function kubeconfigFor(server: string, token: string, namespace: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'fake', cluster: { server, 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'meshbot', user: { token } }],
    contexts: [{ name: 'fake', context: { cluster: 'fake', user: 'meshbot', namespace } }],
    'current-context': 'fake',
  });
}
