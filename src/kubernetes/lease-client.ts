/**
 * @module kubernetes/lease-client
 * {@link LeasePort} over client-node's CoordinationV1Api. Times go out as MicroTime (`…000Z`, 6 digits).
 */
import * as k8s from '@kubernetes/client-node';
import type { LeasePort, LeaseRecord, LeaseSpecInput } from '../istio-logging/logging-port.js';
import { k8sError } from './k8s-error.js';
import { serverOf } from './kube-config.js';

const RESOURCE = 'leases.coordination.k8s.io';

function toMs(value: Date | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? undefined : ms;
}

function record(lease: k8s.V1Lease): LeaseRecord {
  return {
    holderIdentity: lease.spec?.holderIdentity,
    leaseDurationSeconds: lease.spec?.leaseDurationSeconds ?? 0,
    renewTimeMs: toMs(lease.spec?.renewTime),
    acquireTimeMs: toMs(lease.spec?.acquireTime),
    leaseTransitions: lease.spec?.leaseTransitions ?? 0,
    resourceVersion: lease.metadata?.resourceVersion ?? '',
  };
}

function body(namespace: string, name: string, spec: LeaseSpecInput, resourceVersion?: string): k8s.V1Lease {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name,
      namespace,
      labels: { 'app.kubernetes.io/managed-by': 'meshbot' },
      ...(resourceVersion === undefined ? {} : { resourceVersion }),
    },
    spec: {
      holderIdentity: spec.holderIdentity,
      leaseDurationSeconds: spec.leaseDurationSeconds,
      renewTime: new k8s.V1MicroTime(spec.renewTimeMs),
      acquireTime: new k8s.V1MicroTime(spec.acquireTimeMs),
      leaseTransitions: spec.leaseTransitions,
    },
  };
}

export class LeaseClient implements LeasePort {
  private readonly api: k8s.CoordinationV1Api;
  private readonly server: string;

  constructor(kc: k8s.KubeConfig) {
    this.api = kc.makeApiClient(k8s.CoordinationV1Api);
    this.server = serverOf(kc);
  }

  async get(namespace: string, name: string): Promise<LeaseRecord | null> {
    try {
      return record(await this.api.readNamespacedLease({ namespace, name }));
    } catch (e) {
      if (e instanceof k8s.ApiException && e.code === 404) return null;
      throw k8sError(e, { verb: 'get', resource: RESOURCE, namespace, name, server: this.server });
    }
  }

  async create(namespace: string, name: string, spec: LeaseSpecInput): Promise<LeaseRecord> {
    try {
      return record(await this.api.createNamespacedLease({ namespace, body: body(namespace, name, spec) }));
    } catch (e) {
      throw k8sError(e, { verb: 'create', resource: RESOURCE, namespace, name, server: this.server });
    }
  }

  async replace(
    namespace: string,
    name: string,
    spec: LeaseSpecInput,
    resourceVersion: string,
  ): Promise<LeaseRecord> {
    try {
      return record(
        await this.api.replaceNamespacedLease({
          namespace,
          name,
          body: body(namespace, name, spec, resourceVersion),
        }),
      );
    } catch (e) {
      throw k8sError(e, { verb: 'update', resource: RESOURCE, namespace, name, server: this.server });
    }
  }
}
