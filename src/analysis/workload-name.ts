/**
 * @module analysis/workload-name
 * The workload a pod belongs to, from its name alone: a Deployment's pod `reviews-v1-7d4b9c8f5-x2x9z`
 * (`NAME-<replica-set hash>-<pod hash>`) → `reviews-v1`; a StatefulSet's `postgres-0` → `postgres`; a
 * DaemonSet's or bare ReplicaSet's `fluentd-x2x9z` → `fluentd`. Names that fit none of these shapes are
 * their own workload. Used to group inbound callers by what called, not by which replica or address.
 */

/** Kubernetes' generated suffixes draw from these characters (no vowels, no look-alikes). */
function isSuffixChar(c: number): boolean {
  // bcdfghjklmnpqrstvwxz2456789
  if (c >= 50 && c <= 57) return c !== 51; // 2 4-9 (not 3)
  if (c < 98 || c > 122) return false;
  return c !== 101 && c !== 105 && c !== 111 && c !== 117 && c !== 121; // not e i o u y
}

function isGenerated(name: string, start: number, end: number, min: number, max: number): boolean {
  const n = end - start;
  if (n < min || n > max) return false;
  for (let i = start; i < end; i++) if (!isSuffixChar(name.charCodeAt(i))) return false;
  return true;
}

function isDigits(name: string, start: number, end: number): boolean {
  if (end <= start || end - start > 6) return false;
  for (let i = start; i < end; i++) {
    const c = name.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** The workload of a pod, by its name (see the module). */
export function workloadOfPod(pod: string): string {
  const last = pod.lastIndexOf('-');
  if (last <= 0) return pod;
  if (isDigits(pod, last + 1, pod.length)) return pod.slice(0, last);
  if (!isGenerated(pod, last + 1, pod.length, 5, 5)) return pod;
  const before = pod.lastIndexOf('-', last - 1);
  if (before > 0 && isGenerated(pod, before + 1, last, 6, 10)) return pod.slice(0, before);
  return pod.slice(0, last);
}

/** The workload of a replica set (`reviews-v1-7d4b9c8f5` → `reviews-v1`), for pods whose owner is known. */
export function workloadOfReplicaSet(replicaSet: string): string {
  const last = replicaSet.lastIndexOf('-');
  return last > 0 && isGenerated(replicaSet, last + 1, replicaSet.length, 6, 10)
    ? replicaSet.slice(0, last)
    : replicaSet;
}
