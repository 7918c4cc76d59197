/**
 * @module cli/connect-cluster
 * The real cluster connector: kubeconfig like kubectl (`--kubeconfig`, `$KUBECONFIG`, `~/.kube/config`,
 * in-cluster). Its own module so the CLI loads the Kubernetes client only when a command needs a cluster.
 */
import { createClusterReader } from '../kubernetes/cluster-reader.js';
import { loadKubeConfig } from '../kubernetes/kube-config.js';
import type { ClusterConnector } from './cli-io.js';

export const connectCluster: ClusterConnector = (options) =>
  createClusterReader(loadKubeConfig(options), { signal: options.signal });
