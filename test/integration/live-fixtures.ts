/** Access-log lines (Istio's default TEXT format) and a CLI io for the live integration tests. */

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FakeApiServer, LogLine } from '../../src/kube-sim/index.js';
import { type CapturedIo, captureIo as captureWith } from '../support/capture-io.js';

export const NOW = new Date('2024-05-01T12:00:00.000Z');

export interface LineSpec {
  secondsAgo: number;
  direction: 'inbound' | 'outbound';
  path?: string;
  code?: number;
  flags?: string;
  id: string;
  /** `reviews.shop.svc.cluster.local:9080`-style host of the called service. */
  service: string;
  port?: number;
  /** Server pod IP (upstream host). */
  serverIp: string;
  /** Client pod IP. */
  clientIp: string;
  durationMs?: number;
}

/** One line as a sidecar writes it, inbound (server side) or outbound (client side). */
export function accessLine(s: LineSpec): LogLine {
  const time = new Date(NOW.getTime() - s.secondsAgo * 1000);
  const port = s.port ?? 9080;
  const code = s.code ?? 200;
  const duration = s.durationMs ?? 5;
  const short = s.service.split('.')[0] ?? s.service;
  const head = `[${time.toISOString()}] "GET ${s.path ?? '/'} HTTP/1.1" ${code} ${s.flags ?? '-'} via_upstream - "-" 0 120 ${duration} ${duration - 1} "-" "curl/8.5.0" "${s.id}" "${short}:${port}" "${s.serverIp}:${port}"`;
  const text =
    s.direction === 'inbound'
      ? `${head} inbound|${port}|| 127.0.0.6:41000 ${s.serverIp}:${port} ${s.clientIp}:52000 outbound_.${port}_._.${s.service} default`
      : `${head} outbound|${port}||${s.service} ${s.clientIp}:52000 10.96.0.50:${port} ${s.clientIp}:51000 - default`;
  return { time, text };
}

export function podIp(server: FakeApiServer, namespace: string, name: string): string {
  const pod = server.getObject('v1', 'pods', namespace, name);
  const status = pod?.status;
  const ip = status && typeof status === 'object' && !Array.isArray(status) ? status.podIP : undefined;
  if (typeof ip !== 'string') throw new Error(`pod ${namespace}/${name} has no IP`);
  return ip;
}

export function kubeconfigFile(server: FakeApiServer, namespace: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'meshbot-kc-'));
  const file = join(dir, 'config');
  writeFileSync(file, server.kubeconfigYaml(namespace));
  return file;
}

export type { CapturedIo } from '../support/capture-io.js';

/** A captured CLI I/O whose clock is the fixtures' NOW. */
export function captureIo(env: Record<string, string | undefined> = {}): CapturedIo {
  return captureWith({ env, now: () => NOW.getTime() });
}
