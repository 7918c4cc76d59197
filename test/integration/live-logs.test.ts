/**
 * `meshbot logs TARGET` with the real @kubernetes/client-node against the fake API server: resolution,
 * bounded concurrent reads, partial failures, and the CLI wiring.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SummaryReport } from '../../src/analysis/report.js';
import { runCli } from '../../src/cli/run-cli.js';
import { liveLogs } from '../../src/commands/live-logs.js';
import { type FakeApiServer, startFakeApiServer } from '../../src/kube-sim/index.js';
import { kubeconfigFor } from '../../src/kube-sim/kubeconfig.js';
import { createClusterReader } from '../../src/kubernetes/cluster-reader.js';
import { runMeshbot } from '../support/run-meshbot.js';
import { spawnMeshbot } from '../support/spawn-meshbot.js';
import { accessLine, captureIo, kubeconfigFile, NOW, podIp } from './live-fixtures.js';

const clock = () => NOW.getTime();

function readerFor(server: FakeApiServer, namespace = 'shop', limitBytes?: number) {
  const kc = new k8s.KubeConfig();
  kc.loadFromString(server.kubeconfigYaml(namespace));
  return createClusterReader(kc, limitBytes === undefined ? {} : { limitBytes });
}

const logReads = (server: FakeApiServer) =>
  server.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/log'));

describe('live logs against the fake API server', () => {
  let server: FakeApiServer;
  let clientIp: string;

  beforeEach(async () => {
    server = await startFakeApiServer({ now: () => NOW, namespaces: ['default', 'shop', 'istio-system'] });
    server.addNamespace('shop', { 'istio-injection': 'enabled' });
    server.addDeployment({ namespace: 'shop', name: 'web', replicas: 3, istio: 'sidecar', createPods: true });
    server.addPod({ namespace: 'shop', name: 'client-1', labels: { app: 'client' }, istio: 'sidecar' });
    clientIp = podIp(server, 'shop', 'client-1');
    const pods = server
      .listObjects('v1', 'pods', 'shop')
      .filter((p) => String(p.metadata && (p.metadata as { name?: string }).name).startsWith('web-'));
    pods.forEach((p, i) => {
      const name = String((p.metadata as { name: string }).name);
      const ip = podIp(server, 'shop', name);
      const lines = Array.from({ length: i + 2 }, (_, n) =>
        accessLine({
          secondsAgo: 60 + n,
          direction: 'inbound',
          path: `/items/${n}`,
          id: `req-${i}-${n}`,
          service: 'web.shop.svc.cluster.local',
          serverIp: ip,
          clientIp,
        }),
      );
      server.setPodLog('shop', name, 'istio-proxy', lines);
      server.setPodLog('shop', name, 'app', [{ time: NOW, text: 'app log, not an access log' }]);
    });
  });

  afterEach(async () => {
    await server.close();
  });

  it('summarises every replica together with per-pod counts and callers shown as pods', async () => {
    const report = await liveLogs(readerFor(server), 'web', {}, clock);
    expect(report.totals.entries).toBe(2 + 3 + 4);
    expect(report.sources.map((s) => s.entries).sort()).toEqual([2, 3, 4]);
    expect(report.sources.every((s) => /^shop\/web-[a-z0-9]+-[a-z0-9]+$/.test(s.name))).toBe(true);
    expect(report.notes[0]).toBe('deploy/web in shop: 3 pods read');
    expect(report.flows.every((f) => f.direction === 'inbound' && f.peer === 'client-1')).toBe(true);
    const reads = logReads(server);
    expect(reads).toHaveLength(3);
    for (const r of reads) {
      expect(r.query).toMatchObject({
        container: 'istio-proxy',
        sinceSeconds: '900',
        limitBytes: String(8 * 1024 * 1024),
      });
      expect(r.query.follow ?? 'false').toBe('false');
    }
  });

  it('passes --since and --tail through as sinceSeconds and tailLines', async () => {
    await liveLogs(
      readerFor(server),
      'deploy/web',
      { namespace: 'shop', sinceMs: 2 * 3600_000, tailLines: 2 },
      clock,
    );
    for (const r of logReads(server)) expect(r.query).toMatchObject({ sinceSeconds: '7200', tailLines: '2' });
  });

  it('reports a forbidden log and a waiting proxy as notes, and summarises the rest', async () => {
    const [first, second] = server
      .listObjects('v1', 'pods', 'shop')
      .map((p) => String((p.metadata as { name: string }).name))
      .filter((n) => n.startsWith('web-'));
    if (first === undefined || second === undefined) throw new Error('seed');
    server.deny({ verb: 'get', resource: 'pods', subresource: 'log', namespace: 'shop', name: first });
    server.addPod({
      namespace: 'shop',
      name: 'web-crashing',
      labels: { app: 'web' },
      istio: 'sidecar',
      proxy: { state: { waiting: 'CrashLoopBackOff' } },
    });
    const report = await liveLogs(readerFor(server), 'deploy/web', {}, clock);
    expect(report.sources).toHaveLength(2);
    const notes = report.notes.join('\n');
    expect(notes).toContain(
      `shop/${first} not read: meshbot (as system:serviceaccount:meshbot:meshbot) may not get pods/log in namespace shop (403 Forbidden)`,
    );
    expect(notes).toMatch(/shop\/web-crashing not read: .*waiting to start: CrashLoopBackOff/);
    expect(notes).toContain('(istio-proxy waiting: CrashLoopBackOff)');
    expect(report.totals.entries).toBeGreaterThan(0);
  });

  it('fails with every reason when no pod could be read', async () => {
    server.deny({ verb: 'get', resource: 'pods', subresource: 'log', namespace: 'shop' });
    const error = await liveLogs(readerFor(server), 'web', {}, clock).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'k8s_forbidden' });
    expect((error as Error).message).toContain(
      'could not read the istio-proxy log of any pod of deploy/web in shop',
    );
  });

  it('drops the line cut by limitBytes', async () => {
    const reader = readerFor(server, 'shop', 300);
    const [name] = server
      .listObjects('v1', 'pods', 'shop')
      .map((p) => String((p.metadata as { name: string }).name))
      .filter((n) => n.startsWith('web-'));
    if (name === undefined) throw new Error('seed');
    const text = await reader.readProxyLog('shop', name, {});
    expect(text.endsWith('\n')).toBe(true);
    expect(text.split('\n')).toHaveLength(2); // one whole line of ~290 bytes, the cut one dropped
    expect(logReads(server).at(-1)?.query.limitBytes).toBe('300');
    const report = await liveLogs(reader, 'web', { limitBytes: 300 }, clock);
    expect(report.totals.skipped_lines).toBe(0);
    expect(report.totals.entries).toBe(3);
  });

  it('reads a native sidecar through container=istio-proxy', async () => {
    server.addPod({ namespace: 'shop', name: 'native-0', labels: { app: 'native' }, istio: 'native' });
    server.setPodLog('shop', 'native-0', 'istio-proxy', [
      accessLine({
        secondsAgo: 5,
        direction: 'inbound',
        id: 'n1',
        service: 'native.shop.svc.cluster.local',
        serverIp: '10.0.0.9',
        clientIp,
      }),
    ]);
    const report = await liveLogs(readerFor(server), 'native', {}, clock);
    expect(report.sources).toEqual([{ name: 'shop/native-0', entries: 1, skipped_lines: 0 }]);
    expect(logReads(server).at(-1)?.query.container).toBe('istio-proxy');
  });

  it('keeps at most --max-log-requests reads in flight', async () => {
    for (let i = 0; i < 9; i++)
      server.addPod({ namespace: 'shop', name: `many-${i}`, labels: { app: 'many' }, istio: 'sidecar' });
    server.delayLogs(15);
    server.resetCounters();
    const report = await liveLogs(readerFor(server), 'many', { maxLogRequests: 2 }, clock);
    expect(report.sources).toHaveLength(9);
    expect(server.maxInFlight).toBeLessThanOrEqual(2);
  });

  const until = async (what: string, done: () => boolean, ms = 5000): Promise<void> => {
    const deadline = Date.now() + ms;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  const webPods = () =>
    server
      .listObjects('v1', 'pods', 'shop')
      .map((p) => String((p.metadata as { name: string }).name))
      .filter((n) => n.startsWith('web-'))
      .sort();
  const follows = () => logReads(server).filter((r) => r.query.follow === 'true');
  const newLine = (id: string, ip: string, code = 200, flags?: string) =>
    accessLine({
      secondsAgo: 0,
      direction: 'inbound',
      path: `/new/${id}`,
      id,
      code,
      ...(flags === undefined ? {} : { flags }),
      service: 'web.shop.svc.cluster.local',
      serverIp: ip,
      clientIp,
    });

  describe('-l / --selector', () => {
    it('reads the pods of a label selector, sent as labelSelector', async () => {
      server.addPod({
        namespace: 'shop',
        name: 'web-canary',
        labels: { app: 'web', track: 'canary' },
        istio: 'sidecar',
      });
      const io = captureIo();
      const code = await runCli(
        [
          'logs',
          '-l',
          'app=web,track!=canary',
          '-n',
          'shop',
          '--kubeconfig',
          kubeconfigFile(server, 'default'),
          '-o',
          'json',
        ],
        io,
      );
      expect(io.err()).toBe('');
      expect(code).toBe(0);
      const report = JSON.parse(io.out()) as SummaryReport;
      expect(report.sources).toHaveLength(3);
      expect(report.notes[0]).toBe('-l app=web,track notin (canary) in shop: 3 pods read');
      const list = server.requests.find(
        (r) => r.path === '/api/v1/namespaces/shop/pods' && r.query.labelSelector,
      );
      expect(list?.query.labelSelector).toBe('app=web,track notin (canary)');
    });

    it.each([
      [['logs', 'web', '-l', 'app=web'], 'give a TARGET or -l SELECTOR, not both'],
      [
        ['logs', '-l', 'app=web;x'],
        '-l "app=web;x" is not a label selector: "web;x" is not a valid label value',
      ],
      [['logs', '-l', 'app in (a'], 'is not a label selector'],
    ])('%j is refused before any API call', async (argv, message) => {
      server.clearRequests();
      const io = captureIo();
      const code = await runCli([...argv, '--kubeconfig', kubeconfigFile(server, 'shop')], io);
      expect(code).toBe(2);
      expect(io.err()).toContain(message);
      expect(server.requests).toHaveLength(0);
    });

    it('names where pods match when none do in the namespace', async () => {
      const io = captureIo();
      const code = await runCli(
        ['logs', '-l', 'app=client', '--kubeconfig', kubeconfigFile(server, 'default')],
        io,
      );
      expect(code).toBe(1);
      expect(io.err()).toBe(
        'meshbot: no running pods match -l app=client in namespace default; pods match in shop: pass -n shop\n',
      );
    });
  });

  describe('--follow', () => {
    it('prints new entries as they arrive, and the summary with exit 0 on Ctrl-C', async () => {
      const stop = new AbortController();
      const io = { ...captureIo(), signal: stop.signal };
      const running = runCli(
        ['logs', 'web', '-n', 'shop', '--follow', '--kubeconfig', kubeconfigFile(server, 'default')],
        io,
      );
      await until('three open streams', () => server.inFlight === 3);
      for (const r of follows()) expect(r.query).toMatchObject({ container: 'istio-proxy', tailLines: '0' });
      expect(io.err()).toBe(
        'meshbot: following the istio-proxy logs of 3 pods of deploy/web in shop (new entries only); Ctrl-C stops and prints the summary\n',
      );
      const [first, second] = webPods();
      if (first === undefined || second === undefined) throw new Error('seed');
      server.appendPodLog('shop', first, 'istio-proxy', [newLine('n1', podIp(server, 'shop', first))]);
      await until('the first line', () => io.out().includes('/new/n1'));
      expect(io.out()).toBe(`12:00:00.000Z ${first} in  GET web:9080/new/n1 200 - 5ms\n`);
      server.appendPodLog('shop', second, 'istio-proxy', [
        newLine('n2', podIp(server, 'shop', second), 503, 'UF'),
        newLine('n3', podIp(server, 'shop', second)),
      ]);
      await until('the next lines', () => io.out().includes('/new/n3'));
      expect(io.out()).toContain(`12:00:00.000Z ${second} in  GET web:9080/new/n2 503 UF 5ms\n`);
      stop.abort();
      const code = await running;
      expect(io.err()).toContain('Ctrl-C stops');
      expect(io.err()).not.toContain('interrupted');
      expect(code).toBe(0);
      const summary = io.out().slice(io.out().indexOf('/new/n3') + 30);
      expect(summary).toContain('deploy/web in shop: 3 pods followed for 0s (stopped)');
      expect(summary).toMatch(/3 entries .*· (✗ )?1 error/);
      await until('the streams to close', () => server.inFlight === 0);
    });

    it('writes NDJSON with -o json, then the summary as JSON', async () => {
      const stop = new AbortController();
      const io = { ...captureIo(), signal: stop.signal };
      const running = runCli(
        [
          'logs',
          '-l',
          'app=web',
          '-n',
          'shop',
          '--follow',
          '-o',
          'json',
          '--kubeconfig',
          kubeconfigFile(server, 'default'),
        ],
        io,
      );
      await until('three open streams', () => server.inFlight === 3);
      const [first] = webPods();
      if (first === undefined) throw new Error('seed');
      server.appendPodLog('shop', first, 'istio-proxy', [newLine('j1', podIp(server, 'shop', first))]);
      await until('the entry', () => io.out().includes('j1'));
      stop.abort();
      expect(await running).toBe(0);
      const [line, ...rest] = io.out().split('\n');
      expect(JSON.parse(line ?? '')).toMatchObject({
        pod: first,
        request_id: 'j1',
        path: '/new/j1',
        response_code: 200,
      });
      const report = JSON.parse(rest.join('\n')) as SummaryReport;
      expect(report.totals.entries).toBe(1);
    });

    it('with --since, starts with the window; returns when every stream ends (pods deleted)', async () => {
      const io = captureIo();
      const running = runCli(
        [
          'logs',
          'web',
          '-n',
          'shop',
          '--follow',
          '--since',
          '5m',
          '--kubeconfig',
          kubeconfigFile(server, 'default'),
        ],
        io,
      );
      await until('three open streams', () => server.inFlight === 3);
      for (const r of follows()) {
        expect(r.query.sinceSeconds).toBe('300');
        expect(r.query.tailLines).toBeUndefined();
      }
      await until('the seeded lines', () => io.out().split('\n').length > 9);
      for (const pod of webPods()) server.deleteObject('v1', 'pods', 'shop', pod);
      expect(await running).toBe(0);
      expect(io.out()).toContain('deploy/web in shop: 3 pods followed for 0s (every stream ended)');
      expect(io.out()).toContain(`shop/${webPods()[0] ?? ''}`);
      expect(io.out()).toContain('stream ended (pod deleted or proxy restarted)');
      expect(io.out()).not.toContain('Pods created after following started are not followed.');
      expect(io.out().match(/ in {2}GET web:9080\/items\//g)).toHaveLength(9);
    });

    it('prints the summary so far every --summary-every', async () => {
      const stop = new AbortController();
      const io = { ...captureIo(), signal: stop.signal };
      const running = runCli(
        [
          'logs',
          'web',
          '-n',
          'shop',
          '--follow',
          '--summary-every',
          '1s',
          '--kubeconfig',
          kubeconfigFile(server, 'default'),
        ],
        io,
      );
      await until('a summary', () => io.out().includes('following 3 pods for'), 4000);
      stop.abort();
      expect(await running).toBe(0);
      expect(io.out()).toContain('deploy/web in shop: following 3 pods for 0s');
    });

    it('notes a pod whose stream cannot start, and follows the rest', async () => {
      const [first] = webPods();
      if (first === undefined) throw new Error('seed');
      server.deny({ verb: 'get', resource: 'pods', subresource: 'log', namespace: 'shop', name: first });
      const stop = new AbortController();
      const io = { ...captureIo(), signal: stop.signal };
      const running = runCli(
        [
          'logs',
          'web',
          '-n',
          'shop',
          '--follow',
          '-o',
          'json',
          '--kubeconfig',
          kubeconfigFile(server, 'default'),
        ],
        io,
      );
      await until('two open streams', () => server.inFlight === 2 && follows().length === 3);
      stop.abort();
      expect(await running).toBe(0);
      const report = JSON.parse(io.out()) as SummaryReport;
      expect(report.sources).toHaveLength(2);
      expect(report.notes.join('\n')).toContain(
        `shop/${first} not followed: meshbot (as system:serviceaccount:meshbot:meshbot) may not get pods/log in namespace shop (403 Forbidden)`,
      );
    });

    it.each([
      [['logs', 'web', '--follow', '--previous'], 'drop --follow or --previous'],
      [['logs', 'web', '--summary-every', '1m'], '--summary-every applies to --follow'],
      [
        ['logs', '--file', 'x.log', '--follow'],
        '--follow, --kubeconfig apply to reading a cluster, not saved files',
      ],
      [
        ['logs', 'web', '-f'],
        '--file needs a value; -f is --file in meshbot (saved logs, - for stdin); to stream new entries from a cluster use --follow',
      ],
    ])('%j is a usage error', async (argv, message) => {
      const io = captureIo();
      const code = await runCli([...argv, '--kubeconfig', kubeconfigFile(server, 'shop')], io);
      expect(code).toBe(2);
      expect(io.err()).toContain(message);
    });

    it('says what -f means when kubectl habits name a TARGET as a file', async () => {
      const io = captureIo();
      const code = await runCli(['logs', '-f', 'web'], io);
      expect(code).toBe(1);
      expect(io.err()).toBe(
        'meshbot: cannot read web: no such file. -f is --file in meshbot; to follow web in a cluster: meshbot logs web --follow\n',
      );
    });
  });

  describe('messages a user can act on', () => {
    const run = async (argv: string[], namespace = 'shop') => {
      const io = captureIo();
      const code = await runCli([...argv, '--kubeconfig', kubeconfigFile(server, namespace)], io);
      return { code, err: io.err() };
    };

    it('a TARGET missing from the namespace names where it exists', async () => {
      server.addNamespace('istio-testing');
      server.addDeployment({
        namespace: 'istio-testing',
        name: 'sleep',
        replicas: 1,
        istio: 'sidecar',
        createPods: true,
      });
      expect(await run(['logs', 'sleep', '-n', 'shop'])).toEqual({
        code: 1,
        err: 'meshbot: sleep not found in namespace shop (no pod, workload, service or app label of that name); it exists in istio-testing: pass -n istio-testing\n',
      });
    });

    it.each([403, 404])(
      'without -n, a cross-namespace list answered %i says pass -n, not the API error',
      async (status) => {
        server.fail({ method: 'GET', pathPattern: /^\/api\/v1\/services(\?|$)/, status });
        const { code, err } = await run(['logs', 'sleep'], 'default');
        expect(code).toBe(1);
        expect(err).toBe(
          'meshbot: sleep not found in namespace default (no pod, workload, service or app label of that name); pass -n NAMESPACE (meshbot may not list services across namespaces to find it)\n',
        );
      },
    );

    it.each([
      [['logs', 'deploy/wbe', '-n', 'shop'], 'no deployment wbe in namespace shop; did you mean deploy/web?'],
      [['logs', 'sts/web', '-n', 'shop'], 'no statefulset web in namespace shop'],
      [['logs', 'ds/web', '-n', 'shop'], 'no daemonset web in namespace shop'],
      [['logs', 'svc/web', '-n', 'shop'], 'no service web in namespace shop'],
      [['logs', 'pod/client', '-n', 'shop'], 'no pod client in namespace shop; did you mean pod/client-1?'],
    ])('%j: %s', async (argv, message) => {
      expect(await run(argv)).toEqual({ code: 1, err: `meshbot: ${message}\n` });
    });

    it('--previous on a proxy that never restarted says there are no previous logs', async () => {
      const [first] = webPods();
      if (first === undefined) throw new Error('seed');
      server.clearRequests();
      const error = await liveLogs(
        readerFor(server),
        { selector: { matchLabels: { app: 'web' }, matchExpressions: [] } },
        { previous: true },
        clock,
      ).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'k8s_not_found' });
      expect((error as Error).message).toContain(
        `shop/${first}: istio-proxy in pod ${first} has not restarted: there are no previous logs (drop --previous)`,
      );
      expect(logReads(server)).toHaveLength(0);
      // The kubelet's own answer (a status that does not show the restart yet) is worded the same.
      const direct = await readerFor(server)
        .readProxyLog('shop', first, { previous: true })
        .catch((e: unknown) => e);
      expect(direct).toMatchObject({
        code: 'k8s_not_found',
        message: `istio-proxy in pod ${first} has not restarted: there are no previous logs (drop --previous)`,
      });
    });

    it('--previous reads the pods that restarted and notes the others', async () => {
      const [first] = webPods();
      if (first === undefined) throw new Error('seed');
      server.setPodLog('shop', first, 'istio-proxy', [newLine('old', podIp(server, 'shop', first))], {
        previous: true,
      });
      const report = await liveLogs(readerFor(server), 'web', { previous: true }, clock);
      expect(report.sources.map((s) => s.name)).toEqual([`shop/${first}`]);
      expect(report.notes.filter((n) => n.includes('has not restarted'))).toHaveLength(2);
    });
  });

  describe('a kubeconfig server that is not a Kubernetes API', () => {
    const serve = async (answer: (path: string) => { status: number; type: string; body: string }) => {
      const other = createServer((req, res) => {
        const { status, type, body } = answer(req.url ?? '/');
        res.writeHead(status, { 'content-type': type });
        res.end(body);
      });
      await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
      const dir = mkdtempSync(join(tmpdir(), 'meshbot-kc-'));
      writeFileSync(join(dir, 'config'), kubeconfigFor(url, 'token', 'shop'));
      return { url, file: join(dir, 'config'), close: () => new Promise((r) => other.close(r)) };
    };

    it.each([
      [
        'a 404 page',
        () => ({ status: 404, type: 'text/html', body: '<html><h1>Not Found</h1></html>' }),
        '404',
      ],
      [
        'JSON of another shape',
        () => ({ status: 200, type: 'application/json', body: '{"hello":"world"}' }),
        '200 without a Kubernetes version',
      ],
      [
        'a web page on every path',
        () => ({ status: 200, type: 'text/html', body: '<html>welcome</html>' }),
        '200 without a Kubernetes version',
      ],
      [
        'a 404 in JSON that is not a Status',
        () => ({ status: 404, type: 'application/json', body: '{"error":"no route"}' }),
        '404',
      ],
    ])('%s: names the URL and what GET /version answered', async (_, answer, how) => {
      const other = await serve(answer);
      try {
        const io = captureIo();
        const code = await runCli(['logs', 'web', '-n', 'shop', '--kubeconfig', other.file], io);
        expect(io.err()).toBe(
          `meshbot: ${other.url} does not look like a Kubernetes API server: GET /version answered ${how}; check the server URL of the kubeconfig context (--kubeconfig, --context)\n`,
        );
        expect(code).toBe(1);
      } finally {
        await other.close();
      }
    });

    it('a real API server answering 404 keeps its own message', async () => {
      const error = await readerFor(server)
        .readProxyLog('shop', 'ghost', {})
        .catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: 'k8s_not_found',
        message: 'pods/log "ghost" not found in namespace shop',
      });
      expect(server.requests.some((r) => r.path === '/version')).toBe(false);
    });
  });

  describe('the built CLI', () => {
    it('logs --follow: Ctrl-C (SIGINT) prints the summary after the lines and exits 0', async () => {
      const child = spawnMeshbot([
        'logs',
        'web',
        '-n',
        'shop',
        '--follow',
        '--kubeconfig',
        kubeconfigFile(server, 'default'),
      ]);
      try {
        await until('three open streams', () => server.inFlight === 3, 15_000);
        const [first] = webPods();
        if (first === undefined) throw new Error('seed');
        server.appendPodLog('shop', first, 'istio-proxy', [
          newLine('b1', podIp(server, 'shop', first), 503, 'UF'),
        ]);
        await until('the line', () => child.stdout.includes('/new/b1'));
        child.signal('SIGINT');
        const exit = await child.waitForExit(10_000);
        expect(exit.code).toBe(0);
        expect(child.stdout.startsWith(`12:00:00.000Z ${first} in  GET web:9080/new/b1 503 UF 5ms\n`)).toBe(
          true,
        );
        expect(child.stdout).toContain('deploy/web in shop: 3 pods followed for');
        expect(child.stderr).toContain('Ctrl-C stops and prints the summary');
      } finally {
        await child.kill();
      }
    });

    it('names a kubeconfig server that is not a Kubernetes API, and says what -f is', async () => {
      const other = createServer((_, res) => {
        res.writeHead(404, { 'content-type': 'text/html' });
        res.end('<html>404</html>');
      });
      await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
      const dir = mkdtempSync(join(tmpdir(), 'meshbot-kc-'));
      writeFileSync(join(dir, 'config'), kubeconfigFor(url, 'token', 'shop'));
      try {
        const result = await runMeshbot(['logs', 'web', '--kubeconfig', join(dir, 'config')]);
        expect(result).toMatchObject({
          code: 1,
          stderr: `meshbot: ${url} does not look like a Kubernetes API server: GET /version answered 404; check the server URL of the kubeconfig context (--kubeconfig, --context)\n`,
        });
      } finally {
        await new Promise((r) => other.close(r));
      }
      const misuse = await runMeshbot(['logs', 'web', '-f']);
      expect(misuse.code).toBe(2);
      expect(misuse.stderr).toContain(
        '-f is --file in meshbot (saved logs, - for stdin); to stream new entries from a cluster use --follow',
      );
    });
  });

  describe('CLI', () => {
    it('the first Ctrl-C aborts reads waiting on the API server: "interrupted", exit 130, at once', async () => {
      server.delayLogs(20_000);
      const stop = new AbortController();
      const io = { ...captureIo(), signal: stop.signal };
      const started = Date.now();
      setTimeout(() => stop.abort(), 300);
      const code = await runCli(
        ['logs', 'web', '-n', 'shop', '--kubeconfig', kubeconfigFile(server, 'default')],
        io,
      );
      expect(code).toBe(130);
      expect(io.err()).toBe('meshbot: interrupted\n');
      expect(io.out()).toBe('');
      expect(Date.now() - started).toBeLessThan(5000);
    });

    it('meshbot logs web -n shop --kubeconfig FILE -o json', async () => {
      const io = captureIo();
      const code = await runCli(
        ['logs', 'web', '-n', 'shop', '--kubeconfig', kubeconfigFile(server, 'default'), '-o', 'json'],
        io,
      );
      expect(io.err()).toBe('');
      expect(code).toBe(0);
      const report = JSON.parse(io.out()) as SummaryReport;
      expect(report.totals.entries).toBe(9);
      expect(report.sources).toHaveLength(3);
    });

    it('uses KUBECONFIG and --context from the environment like kubectl', async () => {
      const io = captureIo({ KUBECONFIG: kubeconfigFile(server, 'shop') });
      const code = await runCli(['logs', 'web', '--context', 'fake', '--tail', '1'], io);
      expect(io.err()).toBe('');
      expect(code).toBe(0);
      expect(io.out()).toContain('web');
      expect(logReads(server).every((r) => r.query.tailLines === '1')).toBe(true);
    });

    it('names the server address when the API is unreachable', async () => {
      const file = kubeconfigFile(server, 'shop');
      const url = server.url;
      await server.close();
      const io = captureIo();
      const code = await runCli(['logs', 'web', '--kubeconfig', file], io);
      expect(code).toBe(1);
      expect(io.err()).toContain(`cannot reach the Kubernetes API at ${url} (ECONNREFUSED)`);
    });

    it('names the verb, resource, namespace and ClusterRole when listing pods is forbidden', async () => {
      server.deny({ verb: 'list', resource: 'pods', namespace: 'shop' });
      const io = captureIo();
      const code = await runCli(
        ['logs', 'web', '-n', 'shop', '--kubeconfig', kubeconfigFile(server, 'shop')],
        io,
      );
      expect(code).toBe(1);
      expect(io.err()).toBe(
        'meshbot: meshbot (as system:serviceaccount:meshbot:meshbot) may not list pods in namespace shop (403 Forbidden); grant it with the ClusterRole in deploy/rbac.yaml\n',
      );
    });

    it('rejects an invalid TARGET before calling the API', async () => {
      const io = captureIo();
      server.clearRequests();
      const code = await runCli(['logs', 'a,b=c', '--kubeconfig', kubeconfigFile(server, 'shop')], io);
      expect(code).toBe(2);
      expect(io.err()).toContain('is not a valid TARGET');
      expect(server.requests).toHaveLength(0);
    });
  });
});
