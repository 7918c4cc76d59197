/**
 * `meshbot logs` on an ambient namespace (issue 14): no sidecars, so the ztunnel on each pod's node and the
 * namespace's waypoint are read, over the real @kubernetes/client-node against the kube-sim demo cluster
 * with its ambient world (src/demo/ambient-mesh). The expected numbers come from the generator's own
 * records, not from parsing their lines.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { liveLogs } from '../../src/commands/live-logs.js';
import { liveTrace } from '../../src/commands/live-trace.js';
import {
  AMBIENT_NAMESPACE,
  AMBIENT_PODS,
  ambientExample,
  ambientRequests,
  lineOf,
  ZTUNNEL_ERRORS,
  ZTUNNEL_PODS,
  type ZtunnelRecord,
} from '../../src/demo/ambient-mesh.js';
import { type DemoCluster, startDemoCluster } from '../../src/kube-sim/demo-cluster.js';
import { createClusterReader } from '../../src/kubernetes/cluster-reader.js';
import { renderSummarySlack } from '../../src/render/render-summary-slack.js';
import { renderSummaryText } from '../../src/render/render-summary-text.js';
import { renderTraceSlack } from '../../src/render/render-trace-slack.js';
import { renderTraceText } from '../../src/render/render-trace-text.js';
import { captureIo } from '../support/capture-io.js';

const NOW = Date.parse('2026-12-04T10:00:00.000Z');
const HISTORY = 10 * 60_000;
const ipOf = (addr: string) => addr.slice(0, addr.lastIndexOf(':'));

/** The ztunnel records of `pods` a reader must keep: outbound from them, inbound to them. */
function expectedRecords(podNames: readonly string[]): ZtunnelRecord[] {
  const pods = Object.values(AMBIENT_PODS).filter((p) => podNames.includes(p.name));
  const ips = new Set(pods.map((p) => p.ip));
  return ambientRequests(NOW - HISTORY, NOW)
    .flatMap((r) => r.records)
    .filter((r): r is ZtunnelRecord => r.kind === 'ztunnel' && lineOf(r).timeMs <= NOW)
    .filter((r) =>
      r.direction === 'outbound'
        ? ips.has(ipOf(r.src.addr))
        : ips.has(ipOf(r.dst.addr)) || (r.dst.hboneAddr !== undefined && ips.has(ipOf(r.dst.hboneAddr))),
    );
}

describe('live logs on an ambient namespace (ztunnel + waypoint)', () => {
  let cluster: DemoCluster;
  let reader: ReturnType<typeof createClusterReader>;

  beforeAll(async () => {
    cluster = await startDemoCluster({
      now: () => new Date(NOW),
      historyMs: HISTORY,
      tls: true,
      ambient: true,
    });
    const kc = new k8s.KubeConfig();
    kc.loadFromString(cluster.kubeconfigYaml());
    reader = createClusterReader(kc);
  });
  afterAll(async () => {
    await cluster.close();
  });

  it("reads the ztunnels of the pods' nodes and the waypoint, keeping only the records of the target", async () => {
    const reviews = Object.values(AMBIENT_PODS)
      .filter((p) => p.name.startsWith('reviews-'))
      .map((p) => p.name);
    const expected = expectedRecords(reviews);
    const report = await liveLogs(reader, 'svc/reviews', { namespace: AMBIENT_NAMESPACE }, () => NOW);
    const l4 = report.connections;
    expect(l4?.totals.connections).toBe(expected.length);
    expect(l4?.totals.failed).toBe(expected.filter((r) => r.error !== undefined).length);
    expect(l4?.flows.reduce((a, f) => a + f.count, 0)).toBe(expected.length);
    // Every ztunnel read once: two nodes, two ztunnels, plus the waypoint.
    expect(report.sources.map((s) => s.name).sort()).toEqual(
      [
        ...Object.values(ZTUNNEL_PODS).map((z) => `${z.namespace}/${z.name}`),
        `${AMBIENT_NAMESPACE}/${AMBIENT_PODS.waypoint.name}`,
      ].sort(),
    );
    expect(report.notes[0]).toMatch(
      /3 ambient pods \(no sidecar\), read through 2 of 2 ztunnels .* waypoint ambient-demo\/waypoint/,
    );
    // The refused connections to reviews-v3 and the denied ones to reviews-v1, explained.
    const refused = expected.filter((r) => r.error === ZTUNNEL_ERRORS.refused).length;
    const denied = expected.filter((r) =>
      r.error?.startsWith('connection closed due to policy rejection'),
    ).length;
    expect(refused).toBeGreaterThan(0);
    expect(denied).toBeGreaterThan(0);
    const l4Findings = report.findings.filter((f) => f.layer === 'l4');
    expect(l4Findings.find((f) => f.title.startsWith('L4 connections refused'))?.count).toBe(refused);
    const policy = l4Findings.find((f) => f.title.startsWith('L4 connections denied by policy'));
    expect(policy?.count).toBe(denied);
    expect(policy?.next_steps).toContain('kubectl get authorizationpolicy -n ambient-demo deny-curl -o yaml');
    // The waypoint's HTTP entries for reviews are inbound flows, callers named by workload.
    expect(report.totals.inbound).toBeGreaterThan(0);
    expect(report.flows.some((f) => f.direction === 'inbound' && f.peer === 'productpage-v1')).toBe(true);
    const text = renderSummaryText(report, { color: false, width: 120 });
    expect(text).toContain('L4 CONNECTIONS (ztunnel)');
    expect(text).not.toContain('not injected');
    const slack = JSON.stringify(renderSummarySlack(report));
    expect(slack).toContain('L4 connections (ztunnel)');
    expect(slack).toContain('ztunnel error:');
  });

  it("keeps a client pod's outbound records and nothing of the pods it shares a node with", async () => {
    const expected = expectedRecords([AMBIENT_PODS.curl.name]);
    const report = await liveLogs(reader, 'curl', { namespace: AMBIENT_NAMESPACE }, () => NOW);
    expect(report.connections?.totals.connections).toBe(expected.length);
    expect(
      report.connections?.flows.every((f) => f.direction === 'outbound' && f.source === 'ambient-demo/curl'),
    ).toBe(true);
    const timedOut = expected.filter((r) => r.error === ZTUNNEL_ERRORS.hboneTimeout).length;
    expect(timedOut).toBeGreaterThan(0);
    expect(report.findings.find((f) => f.title.startsWith('L4 connections timed out'))?.count).toBe(timedOut);
  });

  it('traces a request through the waypoint: hops linked through the pod, ztunnel records beside them', async () => {
    const request = ambientExample('reviews-refused', NOW - HISTORY, NOW - 60_000);
    const id = request?.requestId;
    if (id === null || id === undefined) throw new Error('no reviews-refused request in the window');
    const report = await liveTrace(reader, id, { namespaces: [AMBIENT_NAMESPACE], nowMs: NOW });
    expect(report.hops).toHaveLength(2);
    // The waypoint's call to reviews was made by productpage while serving the first hop: linked, not two roots.
    expect(report.hops.map((h) => h.parent)).toEqual([null, 0]);
    expect(report.notes.some((n) => n.kind === 'broken_chain')).toBe(false);
    expect(report.notes.some((n) => n.kind === 'missing_hop')).toBe(false);
    const callee = report.connections?.find((c) => c.hop === 1 && c.side === 'callee');
    expect(callee).toMatchObject({
      direction: 'inbound',
      dst_workload: AMBIENT_PODS.reviewsV3.name,
      error: ZTUNNEL_ERRORS.refused,
    });
    expect(report.connections?.find((c) => c.hop === 0 && c.side === 'caller')?.src_workload).toBe(
      AMBIENT_PODS.curl.name,
    );
    const text = renderTraceText(report, { color: false, width: 160 });
    expect(text).toContain('L4 callee');
    expect(text).toContain('could not get an answer from pod');
    expect(JSON.stringify(renderTraceSlack(report))).toContain('L4 callee');
  });

  it('says why when an ambient pod\'s node has no ztunnel, instead of "not injected"', async () => {
    const fake = {
      ...reader,
      listPods: async (ns: string | null, selector?: Parameters<typeof reader.listPods>[1]) =>
        selector?.matchLabels.app === 'ztunnel' ? [] : reader.listPods(ns, selector),
    };
    const report = liveLogs(fake, AMBIENT_PODS.curl.name, { namespace: AMBIENT_NAMESPACE }, () => NOW);
    await expect(report).resolves.toMatchObject({
      notes: expect.arrayContaining([expect.stringMatching(/no ztunnel pod found on the node of curl-/)]),
    });
  });
});

describe('logs --follow on an ambient target', () => {
  it('says --follow streams sidecars only and how to read the ambient pods, exit 2, no stack', async () => {
    const cluster = await startDemoCluster({
      now: () => new Date(NOW),
      historyMs: 60_000,
      tls: false,
      ambient: true,
    });
    const dir = mkdtempSync(join(tmpdir(), 'meshbot-ambient-'));
    try {
      const kubeconfig = join(dir, 'kubeconfig');
      writeFileSync(kubeconfig, cluster.kubeconfigYaml());
      const io = captureIo({ now: () => NOW });
      const code = await runCli(
        ['logs', 'svc/reviews', '-n', AMBIENT_NAMESPACE, '--follow', '--kubeconfig', kubeconfig],
        io,
      );
      expect(code).toBe(2);
      expect(io.err()).toMatch(
        /is in ambient mode \(no sidecar\): --follow streams sidecar logs only; run without --follow/,
      );
      expect(io.err()).not.toMatch(/\n\s+at /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await cluster.close();
    }
  });
});
