/** `errorLines`: the raw lines of error entries inside the window, for the bot's attachment. */
import { describe, expect, it } from 'vitest';
import { MeshbotError } from '../core/errors.js';
import { fakeCluster, pod } from './fake-cluster.test-helper.js';
import { parseLabelSelector } from './label-selector.js';
import { errorLines, liveLogs, podsReadText } from './live-logs.js';

const at = (iso: string, code: number, flags = '-', path = '/x') =>
  `[${iso}] "GET ${path} HTTP/1.1" ${code} ${flags} via_upstream - "-" 0 12 3 2 "-" "curl/8" "id-${code}" "svc:80" "10.0.0.1:80" outbound|80||svc.ns.svc.cluster.local 10.0.0.2:5000 10.96.0.1:80 10.0.0.2:5001 - default`;

describe('errorLines', () => {
  const from = Date.parse('2024-05-01T12:00:00.000Z');

  it('keeps 5xx, code 0 and failure-flag lines in the window, as written', () => {
    const text = [
      at('2024-05-01T12:00:01.000Z', 200),
      at('2024-05-01T12:00:02.000Z', 503, 'UH', '/a?token=x'),
      'not an access log line',
      at('2024-05-01T12:00:03.000Z', 404),
      at('2024-05-01T12:00:04.000Z', 0, 'UF'),
      // The client going away is a warning (analysis/classify), not an error line.
      at('2024-05-01T12:00:05.000Z', 0, 'DC'),
      at('2024-05-01T11:59:00.000Z', 500),
      '',
    ].join('\n');
    expect(errorLines(text, from).split('\n').filter(Boolean)).toEqual([
      at('2024-05-01T12:00:02.000Z', 503, 'UH', '/a?token=x'),
      at('2024-05-01T12:00:04.000Z', 0, 'UF'),
    ]);
  });

  it('is empty when nothing failed', () => {
    expect(errorLines(`${at('2024-05-01T12:00:01.000Z', 200)}\n`, from)).toBe('');
  });
});

describe('liveLogs', () => {
  const restarted = { present: true, native: false, state: 'running' as const, restarts: 2 };
  const seed = {
    defaultNamespace: 'shop',
    pods: [
      pod('shop', 'web-1', { app: 'web', track: 'stable' }),
      pod('shop', 'web-2', { app: 'web', track: 'canary' }, { proxy: restarted }),
    ],
    logs: { 'shop/web-1': '', 'shop/web-2': '' },
  };
  const clock = () => Date.parse('2024-05-01T12:00:00Z');

  it('reads the pods of a -l selector', async () => {
    const cluster = fakeCluster(seed);
    const report = await liveLogs(cluster, { selector: parseLabelSelector('track=canary') }, {}, clock);
    expect(report.notes[0]).toBe('-l track=canary in shop: 1 pod read');
    expect(cluster.reads.map((r) => r.pod)).toEqual(['shop/web-2']);
  });

  it('counts only the pods actually read; a refused one is listed apart', async () => {
    const refused = new MeshbotError('k8s_forbidden', 'may not get pods/log in namespace shop');
    const cluster = fakeCluster({ ...seed, logs: { 'shop/web-1': '', 'shop/web-2': refused } });
    const report = await liveLogs(cluster, { selector: parseLabelSelector('app=web') }, {}, clock);
    expect(report.notes[0]).toBe('-l app=web in shop: 1 of 2 pods read (1 not read)');
    expect(report.notes).toContain('shop/web-2 not read: may not get pods/log in namespace shop');
    expect(podsReadText(3, 3)).toBe('3 pods read');
  });

  it('--previous asks only for proxies that restarted and notes the others', async () => {
    const cluster = fakeCluster(seed);
    const report = await liveLogs(
      cluster,
      { selector: parseLabelSelector('app=web') },
      { previous: true },
      clock,
    );
    expect(cluster.reads).toEqual([
      { pod: 'shop/web-2', options: expect.objectContaining({ previous: true }) },
    ]);
    expect(report.notes).toContain(
      'shop/web-1 not read: istio-proxy in pod web-1 has not restarted: there are no previous logs (drop --previous)',
    );
    const none = await liveLogs(fakeCluster(seed), 'web-1', { previous: true }, clock).catch(
      (e: unknown) => e,
    );
    expect(none).toMatchObject({
      code: 'k8s_not_found',
      message: 'istio-proxy in pod web-1 has not restarted: there are no previous logs (drop --previous)',
    });
  });
});
