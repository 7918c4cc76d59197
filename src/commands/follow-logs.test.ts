/** `logs --follow`: the line per entry (log content is attacker-controlled), and the follow loop over a fake reader. */
import { describe, expect, it } from 'vitest';
import { parseAll, parseOne as parseLine } from '../../test/support/parse-all.js';
import type { ClusterReader, LogReadOptions } from './cluster-port.js';
import { parseTokens, prepareCommand } from './command-table.js';
import { fakeCluster, pod } from './fake-cluster.test-helper.js';
import { followConnectionLine, followJson, followLine, followLogs } from './follow-logs.js';
import { resolveTarget } from './resolve-target.js';

const text = (time: string, path: string, code: number, flags = '-', authority = 'reviews:9080') =>
  `[${time}] "GET ${path} HTTP/1.1" ${code} ${flags} via_upstream - "-" 0 12 7 6 "-" "curl/8" "id-1" "${authority}" "10.0.0.1:9080" outbound|9080||reviews.shop.svc.cluster.local 10.0.0.2:5000 10.96.0.1:9080 10.0.0.2:5001 - default`;

describe('followLine', () => {
  it.each([
    [
      text('2024-05-01T12:00:01.250Z', '/items/1', 200),
      '12:00:01.250Z web-1 out GET reviews:9080/items/1 200 - 7ms',
    ],
    [
      text('2024-05-01T12:00:02.000Z', '/a', 503, 'UF,URX'),
      '12:00:02.000Z web-1 out GET reviews:9080/a 503 UF,URX 7ms',
    ],
    [
      text('2024-05-01T12:00:03.000Z', '/\u001b[31mred\u001b[0m', 200, '-', 'evil\u0007:80'),
      '12:00:03.000Z web-1 out GET evil:80/red 200 - 7ms',
    ],
  ])('%#', (line, expected) => {
    const entry = { ...parseLine(line), origin: 'web-1' };
    expect(followLine(entry)).toBe(expected);
    expect(JSON.parse(followJson(entry))).toMatchObject({ pod: 'web-1', response_code: entry.response_code });
  });

  it('cuts a huge path, keeping one line', () => {
    const entry = {
      ...parseLine(text('2024-05-01T12:00:01.000Z', `/${'x'.repeat(5000)}`, 200)),
      origin: 'p',
    };
    const line = followLine(entry);
    expect(line.length).toBeLessThan(400);
    expect(line).not.toContain('\n');
  });
});

describe('followConnectionLine (ztunnel connection records, issue 14)', () => {
  const connection = (line: string) => {
    const record = parseAll(`${line}\n`).connections[0];
    if (record === undefined) throw new Error(`not a connection record: ${line}`);
    return { ...record, origin: 'ztunnel-x7k2p' };
  };

  it.each([
    [
      // kiali/kiali tests/data/logs/ztunnel.log line 1 (test/fixtures/envoy-family/ztunnel-text.jsonl)
      '2024-04-12T10:17:44.080629Z\tinfo\taccess\tconnection complete\tsrc.addr=10.244.0.16:52008 src.workload=productpage-v1-87d54dd59-fzflt src.namespace=bookinfo dst.addr=10.244.0.14:15008 dst.service=reviews.bookinfo.svc.cluster.local direction="outbound" bytes_sent=200 bytes_recv=603 duration="2ms"',
      '10:17:44.080Z ztunnel-x7k2p out L4 productpage-v1-87d54dd59-fzflt -> reviews.bookinfo.svc.cluster.local 200/603B 2ms',
    ],
    [
      // synthetic: connection failed (no workloads, no bytes) with an escape sequence in its error
      '2026-11-30T08:00:00.000001Z\twarn\taccess\tconnection failed\tsrc.addr=10.0.0.1:1 dst.addr=10.0.0.2:443 direction="inbound" error="denied \\u{1b}[31mred"',
      '08:00:00.000Z ztunnel-x7k2p in  L4 10.0.0.1:1 -> 10.0.0.2:443 - - connection failed error: denied red',
    ],
  ])('%#', (line, expected) => {
    const record = connection(line);
    expect(followConnectionLine(record)).toBe(expected);
    expect(JSON.parse(followJson(record))).toMatchObject({ kind: 'connection', pod: 'ztunnel-x7k2p' });
  });
});

describe('followLogs', () => {
  const cluster = fakeCluster({
    defaultNamespace: 'shop',
    pods: [pod('shop', 'web-1', { app: 'web' }), pod('shop', 'web-2', { app: 'web' })],
  });

  /** A reader whose streams are fed by the test: `push(pod, text)`, `end(pod)`. */
  function streaming(base: ClusterReader) {
    const feeds = new Map<string, { push: (t: string) => Promise<void>; end: () => void }>();
    const reads: LogReadOptions[] = [];
    const reader: ClusterReader = {
      ...base,
      async followProxyLog(_ns, name, read, onText, signal) {
        reads.push(read);
        await new Promise<void>((resolve) => {
          signal.addEventListener('abort', () => resolve(), { once: true });
          feeds.set(name, { push: async (t) => onText(t), end: resolve });
        });
      },
    };
    return { reader, feeds, reads };
  }

  it('prints entries in arrival order, sends tailLines 0, and summarises when every stream ends', async () => {
    const { reader, feeds, reads } = streaming(cluster);
    const out: string[] = [];
    const resolved = await resolveTarget(reader, 'web');
    const running = followLogs(
      reader,
      resolved,
      { format: 'text' },
      { lines: async (c) => void out.push(c) },
      () => Date.parse('2024-05-01T12:00:10Z'),
    );
    await new Promise((r) => setTimeout(r, 0));
    expect(reads).toEqual([{ tailLines: 0 }, { tailLines: 0 }]);
    await feeds.get('web-2')?.push(`${text('2024-05-01T12:00:05.000Z', '/b', 503, 'UF')}\n`);
    // A line split across chunks is printed once it is whole.
    await feeds.get('web-1')?.push(text('2024-05-01T12:00:06.000Z', '/c', 200).slice(0, 40));
    expect(out).toHaveLength(1);
    await feeds.get('web-1')?.push(`${text('2024-05-01T12:00:06.000Z', '/c', 200).slice(40)}\n`);
    feeds.get('web-1')?.end();
    feeds.get('web-2')?.end();
    const report = await running;
    expect(out.join('')).toBe(
      '12:00:05.000Z web-2 out GET reviews:9080/b 503 UF 7ms\n12:00:06.000Z web-1 out GET reviews:9080/c 200 - 7ms\n',
    );
    expect(report.totals.entries).toBe(2);
    expect(report.sources).toEqual([
      { name: 'shop/web-1', entries: 1, skipped_lines: 0 },
      { name: 'shop/web-2', entries: 1, skipped_lines: 0 },
    ]);
    expect(report.notes[0]).toBe('app=web in shop: 2 pods followed for 0s (every stream ended)');
  });

  it('stops on the signal and returns the summary', async () => {
    const { reader } = streaming(cluster);
    const stop = new AbortController();
    const resolved = await resolveTarget(reader, 'web');
    const running = followLogs(
      reader,
      resolved,
      { format: 'json', signal: stop.signal },
      { lines: async () => {} },
      Date.now,
    );
    stop.abort();
    expect((await running).notes[0]).toMatch(/2 pods followed for 0s \(stopped\)$/);
  });

  it('refuses more pods than streams it may open, and a reader that cannot follow', async () => {
    const { reader } = streaming(cluster);
    const resolved = await resolveTarget(reader, 'web');
    await expect(
      followLogs(reader, resolved, { format: 'text', maxStreams: 1 }, { lines: async () => {} }, Date.now),
    ).rejects.toMatchObject({
      code: 'invalid_argument',
      message:
        'app=web in shop has 2 pods and --follow keeps one stream open per pod (at most 1): narrow it with -l SELECTOR or a workload, or raise --max-log-requests (up to 100)',
    });
    await expect(
      followLogs(cluster, resolved, { format: 'text' }, { lines: async () => {} }, Date.now),
    ).rejects.toMatchObject({ code: 'usage' });
  });
});

describe('followLogs: pods that appear while following (stern picks up new replicas)', () => {
  /** Waits for a condition the follow loop makes true; no timing is asserted. */
  async function until(what: string, check: () => boolean): Promise<void> {
    for (let i = 0; i < 2000; i++) {
      if (check()) return;
      await new Promise((r) => setTimeout(r, 2));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  function growingCluster() {
    const pods = [pod('shop', 'web-1', { app: 'web' })];
    const base = fakeCluster({ defaultNamespace: 'shop', pods });
    const feeds = new Map<string, { push: (t: string) => Promise<void>; end: () => void }>();
    const reads = new Map<string, LogReadOptions>();
    const reader: ClusterReader = {
      ...base,
      async followProxyLog(_ns, name, read, onText, signal) {
        reads.set(name, read);
        await new Promise<void>((resolve) => {
          signal.addEventListener('abort', () => resolve(), { once: true });
          feeds.set(name, { push: async (t) => onText(t), end: resolve });
        });
      },
    };
    return { pods, reader, feeds, reads };
  }

  it('follows a new replica from when it appeared, prints and counts its entries, and says so', async () => {
    const { pods, reader, feeds, reads } = growingCluster();
    const stop = new AbortController();
    const out: string[] = [];
    const progress: string[] = [];
    const resolved = await resolveTarget(reader, 'web');
    let now = Date.parse('2024-05-01T12:00:10Z');
    const running = followLogs(
      reader,
      resolved,
      { format: 'text', signal: stop.signal },
      { lines: async (c) => void out.push(c), progress: (m) => void progress.push(m) },
      () => now,
      { resolve: () => resolveTarget(reader, 'web'), everyMs: 1 },
    );
    await until('the first stream', () => feeds.has('web-1'));
    expect(reads.get('web-1')).toEqual({ tailLines: 0 });
    now += 4_000;
    pods.push(pod('shop', 'web-2', { app: 'web' }));
    await until('the new pod followed', () => feeds.has('web-2'));
    // What the new pod wrote since following started, not only what comes after it was found.
    expect(reads.get('web-2')).toEqual({ sinceSeconds: 5 });
    expect(progress).toContain('now also following shop/web-2 (it appeared while following)');
    await feeds.get('web-2')?.push(`${text('2024-05-01T12:00:12.000Z', '/new', 200)}\n`);
    stop.abort();
    const report = await running;
    expect(out.join('')).toBe('12:00:12.000Z web-2 out GET reviews:9080/new 200 - 7ms\n');
    expect(report.totals.entries).toBe(1);
    expect(report.sources.map((s) => s.name)).toEqual(['shop/web-1', 'shop/web-2']);
    expect(report.notes[0]).toBe(
      'app=web in shop: 2 pods followed for 4s (stopped), 1 of them appeared while following',
    );
    expect(report.notes).toContain('shop/web-2: followed from when it appeared');
    expect(report.notes.join('\n')).not.toContain('not followed');
  });

  it('ends when every stream has ended and no pod is left to follow', async () => {
    const { pods, reader, feeds } = growingCluster();
    const resolved = await resolveTarget(reader, 'web');
    const running = followLogs(
      reader,
      resolved,
      { format: 'text' },
      { lines: async () => {} },
      () => Date.parse('2024-05-01T12:00:10Z'),
      { resolve: () => resolveTarget(reader, 'web'), everyMs: 60_000 },
    );
    await until('the stream', () => feeds.has('web-1'));
    pods.length = 0;
    feeds.get('web-1')?.end();
    const report = await running;
    expect(report.notes[0]).toBe('app=web in shop: 1 pod followed for 0s (every stream ended)');
    expect(report.notes).toContain('shop/web-1: stream ended (pod deleted or proxy restarted)');
  });

  it('names the new pods it could not follow within --max-log-requests', async () => {
    const { pods, reader, feeds } = growingCluster();
    const stop = new AbortController();
    const resolved = await resolveTarget(reader, 'web');
    const running = followLogs(
      reader,
      resolved,
      { format: 'text', maxStreams: 1, signal: stop.signal },
      { lines: async () => {} },
      () => Date.parse('2024-05-01T12:00:10Z'),
      { resolve: () => resolveTarget(reader, 'web'), everyMs: 1 },
    );
    await until('the stream', () => feeds.has('web-1'));
    let lists = 0;
    const listPods = reader.listPods.bind(reader);
    reader.listPods = async (...args) => {
      lists += 1;
      return listPods(...args);
    };
    pods.push(pod('shop', 'web-2', { app: 'web' }));
    await until('two more looks for pods', () => lists >= 2);
    stop.abort();
    const report = await running;
    expect(feeds.has('web-2')).toBe(false);
    expect(report.notes).toContain(
      '1 pod that appeared while following not followed: shop/web-2 (at most 1 stream at once; raise --max-log-requests)',
    );
  });
});

describe('logs --follow on each front end', () => {
  it('is refused in Slack, where a reply cannot stream', () => {
    expect(() => parseTokens(['logs', 'web', '--follow'], 'slack')).toThrow(
      '--follow is not available in Slack',
    );
    expect(() => parseTokens(['logs', 'web', '--summary-every', '1m'], 'slack')).toThrow(
      'not available in Slack',
    );
  });

  it('-l works in Slack and is validated there too', () => {
    const prepared = prepareCommand(parseTokens(['logs', '-l', 'app=web', '-n', 'shop'], 'slack'), {
      maxLoggingMs: 3600_000,
    });
    expect(prepared.scope).toEqual({ kind: 'namespaces', names: ['shop'] });
    expect(() =>
      prepareCommand(parseTokens(['logs', '-l', 'app=$(x)'], 'slack'), { maxLoggingMs: 3600_000 }),
    ).toThrow('is not a label selector');
  });
});
