import { describe, expect, it } from 'vitest';
import { workloadOfPod, workloadOfReplicaSet } from './workload-name.js';

describe('workloadOfPod', () => {
  it.each([
    ['reviews-v1-7d4b9c8f5-x2x9z', 'reviews-v1'],
    ['productpage-v1-6b746f74dc-9stfs', 'productpage-v1'],
    ['istio-ingressgateway-5c8b7d9f4-k7q2w', 'istio-ingressgateway'],
    ['postgres-0', 'postgres'],
    ['kafka-12', 'kafka'],
    ['fluentd-x2x9z', 'fluentd'],
    ['web', 'web'],
    ['my-pod', 'my-pod'],
    ['ratings-v1', 'ratings-v1'],
    // `hello` is no generated suffix (vowels): a hand-named pod keeps its name.
    ['say-hello', 'say-hello'],
    ['api-v2-hello-world', 'api-v2-hello-world'],
  ])('%s → %s', (pod, workload) => {
    expect(workloadOfPod(pod)).toBe(workload);
  });

  it('strips a replica set hash', () => {
    expect(workloadOfReplicaSet('reviews-v1-7d4b9c8f5')).toBe('reviews-v1');
    expect(workloadOfReplicaSet('hand-made')).toBe('hand-made');
  });
});
