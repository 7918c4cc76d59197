import { describe, expect, it } from 'vitest';
import { envoyFamilyFixture } from '../../test/support/envoy-family-fixtures.js';
import { type ConnectionInput, ConnectionSummaryBuilder } from './connections.js';
import { connectionCause, denyingPolicy, explainConnection } from './explain-connection.js';
import { SummaryBuilder, summarizeEntries } from './summarize.js';

/** The expected records of the real ztunnel lines in test/fixtures/envoy-family (sources in SOURCE.md). */
function fixtureRecords(file: string): ConnectionInput[] {
  return envoyFamilyFixture(file).map(
    (r) => ({ ...r.expected, origin: null, source: file }) as unknown as ConnectionInput,
  );
}

function record(overrides: Partial<ConnectionInput> = {}): ConnectionInput {
  return {
    timestamp: '2026-12-05T10:00:00.000Z',
    message: 'connection complete',
    src_addr: '10.244.1.5:40000',
    src_workload: 'productpage-v1-87d54dd59-fzflt',
    src_namespace: 'bookinfo',
    src_identity: 'spiffe://cluster.local/ns/bookinfo/sa/bookinfo-productpage',
    dst_addr: '10.244.2.7:15008',
    dst_hbone_addr: '10.244.2.7:9080',
    dst_service: 'reviews.bookinfo.svc.cluster.local',
    dst_workload: 'reviews-v2-6f9b55c5db-vnpzr',
    dst_namespace: 'bookinfo',
    dst_identity: 'spiffe://cluster.local/ns/bookinfo/sa/bookinfo-reviews',
    direction: 'outbound',
    bytes_sent: 200,
    bytes_recv: 600,
    duration_ms: 2,
    error: null,
    origin: 'ztunnel-abcde',
    source: 'istio-system/ztunnel-abcde',
    ...overrides,
  };
}

describe('connectionCause (ztunnel error texts, istio/ztunnel src/proxy.rs)', () => {
  it.each([
    ['connection closed due to policy rejection: allow policies exist, but none allowed', 'policy_rejection'],
    [
      'connection closed due to policy rejection: explicitly denied by: bookinfo/deny-all',
      'policy_rejection',
    ],
    ['http status: 401 Unauthorized', 'policy_rejection'],
    ['connection failed: Connection refused (os error 111)', 'refused'],
    ['io error: Connection refused (os error 111)', 'refused'],
    [
      'connection timed out, maybe a NetworkPolicy is blocking HBONE port 15008: deadline has elapsed',
      'timeout',
    ],
    ['no healthy upstream: 10.96.0.12:9080', 'no_healthy_upstream'],
    [
      'requested service reviews.bookinfo.svc.cluster.local found, but has no IP addresses',
      'no_healthy_upstream',
    ],
    ['identity error: did not find expected SAN: spiffe://cluster.local/ns/a/sa/b', 'identity'],
    ['tls error: tls: invalid peer certificate: UnknownIssuer', 'identity'],
    ['unknown waypoint: bookinfo/waypoint', 'unknown_waypoint'],
    ['failed to fetch information about local workload: ns/pod', 'unknown_workload'],
    ['client disconnected before all data was written', 'disconnected'],
    ['connection closed due to connection drain', 'drain'],
    ['something new in a later ztunnel', 'other'],
  ])('%s → %s', (error, cause) => {
    expect(connectionCause(error)).toBe(cause);
  });

  it('names the denying policy only when its names are valid', () => {
    expect(
      denyingPolicy('connection closed due to policy rejection: explicitly denied by: bookinfo/deny-all'),
    ).toEqual({
      namespace: 'bookinfo',
      name: 'deny-all',
    });
    expect(denyingPolicy('explicitly denied by: Bad_NS/$(reboot)')).toBeNull();
  });

  it('never puts log text into commands', () => {
    const e = explainConnection(
      'connection closed due to policy rejection: explicitly denied by: x/$(rm -rf ~)',
      {
        namespace: '$(id)',
        destination: 'a;b',
        ztunnel: { namespace: 'istio-system', name: 'ztunnel`x`' },
      },
    );
    for (const step of e.next_steps) expect(step).not.toMatch(/[$`;]/);
  });
});

describe('ConnectionSummaryBuilder', () => {
  it('summarises the real fixture records: one row per direction, source, destination and outcome', () => {
    const builder = new ConnectionSummaryBuilder();
    const records = [...fixtureRecords('ztunnel-text.jsonl'), ...fixtureRecords('ztunnel-json.jsonl')];
    for (const r of records) builder.add(r);
    const summary = builder.result();
    const opened = records.filter((r) => r.message === 'connection opened').length;
    expect(summary.totals.opened).toBe(opened);
    expect(summary.totals.connections).toBe(records.length - opened);
    // Rows add up to the totals.
    expect(summary.flows.reduce((a, f) => a + f.count, 0)).toBe(summary.totals.connections);
    expect(summary.flows.reduce((a, f) => a + f.failed, 0)).toBe(summary.totals.failed);
    expect(summary.totals.failed).toBe(records.filter((r) => r.error !== null).length);
    const denied = summary.flows.find((f) => f.errors.some((e) => e.cause === 'policy_rejection'));
    expect(denied).toMatchObject({
      direction: 'inbound',
      source: 'default/reviews-v1',
      destination: 'productpage.default',
      outcome: 'error',
    });
    const findings = builder.findingsResult();
    expect(findings.map((f) => f.title)).toContain('L4 connections denied by policy → productpage.default');
    for (const f of findings) {
      expect(f.layer).toBe('l4');
      expect(f.connection_errors?.length).toBeGreaterThan(0);
    }
  });

  it('counts a connection once: opened records apart, complete and failed ones in rows', () => {
    const builder = new ConnectionSummaryBuilder();
    builder.add(
      record({ message: 'connection opened', bytes_sent: null, bytes_recv: null, duration_ms: null }),
    );
    builder.add(record());
    builder.add(
      record({
        message: 'connection failed',
        error: 'connection failed: Connection refused (os error 111)',
        duration_ms: null,
        bytes_sent: null,
        bytes_recv: null,
      }),
    );
    const summary = builder.result();
    expect(summary.totals).toMatchObject({
      connections: 2,
      failed: 1,
      opened: 1,
      bytes_sent: 200,
      bytes_recv: 600,
    });
    expect(summary.flows.map((f) => [f.outcome, f.count])).toEqual([
      ['error', 1],
      ['ok', 1],
    ]);
    expect(summary.flows[1]).toMatchObject({
      source: 'bookinfo/productpage-v1',
      destination: 'reviews.bookinfo',
      destination_workload: 'bookinfo/reviews-v2',
      reported_by: ['ztunnel-abcde'],
      duration_ms: { p50: 2, max: 2 },
    });
    const [finding] = builder.findingsResult();
    expect(finding).toMatchObject({
      title: 'L4 connections refused → reviews.bookinfo',
      count: 1,
      severity: 'error',
    });
    expect(finding?.next_steps.join('\n')).toContain('kubectl logs -n istio-system ztunnel-abcde');
  });

  it('leaves out records before --since and stays bounded with hostile cardinality', () => {
    const builder = new ConnectionSummaryBuilder({
      sinceMs: Date.parse('2026-12-05T10:00:00Z'),
      maxFlows: 10,
    });
    builder.add(record({ timestamp: '2026-12-05T09:59:59.000Z' }));
    for (let i = 0; i < 1000; i++)
      builder.add(record({ src_workload: `client${i}-app`, error: `weird ${i}` }));
    const summary = builder.result();
    expect(summary.totals.filtered_out).toBe(1);
    expect(summary.flows.length).toBeLessThanOrEqual(11);
    expect(summary.flows.reduce((a, f) => a + f.count, 0)).toBe(1000);
    expect(summary.flows_truncated).toBe(990);
    expect(
      builder.findingsResult().reduce((a, f) => a + (f.connection_errors?.length ?? 0), 0),
    ).toBeLessThanOrEqual(3);
  });
});

describe('SummaryBuilder with connection records', () => {
  it('adds the connections and their findings to the report, with no "logging off" note', () => {
    const builder = new SummaryBuilder();
    builder.addConnection(record());
    builder.addConnection(record({ error: 'http status: 401 Unauthorized' }));
    const report = builder.result();
    expect(report.connections?.totals.connections).toBe(2);
    expect(report.findings.map((f) => f.layer)).toEqual(['l4']);
    expect(report.notes.join(' ')).not.toContain('Is access logging on');
  });

  it('has no connections key without connection records', () => {
    expect(summarizeEntries([])).not.toHaveProperty('connections');
  });
});
