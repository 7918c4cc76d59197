/**
 * `meshbot demo` as a new user runs it: the built CLI as a process against the demo's own HTTPS Kubernetes API.
 * The tour's transcript (every command's heading and its real output), `demo --serve` used by meshbot and by a
 * real kubectl while traffic keeps flowing, and `demo --slack` printing Block Kit (or posting it to the Slack
 * Web API stand-in).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_PODS } from '../../src/demo/demo-mesh.js';
import { runMeshbot } from '../support/run-meshbot.js';
import { type SlackApiStandIn, startSlackApiStandIn } from '../support/slack/index.js';
import { type SpawnedMeshbot, spawnMeshbot } from '../support/spawn-meshbot.js';

const STACK_FRAME = /^\s+at /m;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

/** The transcript cut at each `$ meshbot …` heading: the heading's command → what it printed. */
function sections(stdout: string): Map<string, string> {
  const map = new Map<string, string>();
  const parts = stdout.split(/^\$ meshbot /m).slice(1);
  for (const part of parts) {
    const newline = part.indexOf('\n');
    map.set(part.slice(0, newline), part.slice(newline + 1));
  }
  return map;
}

function sectionOf(all: Map<string, string>, prefix: string): string {
  const found = [...all].find(([command]) => command.startsWith(prefix));
  if (found === undefined) throw new Error(`no "$ meshbot ${prefix}…" in the transcript: ${[...all.keys()]}`);
  return found[1];
}

describe('meshbot demo (the tour)', () => {
  it('runs the real commands against the simulated mesh and says what to try next', async () => {
    const result = await runMeshbot(['demo'], { env: { COLUMNS: '160' } });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const out = result.stdout;
    expect(out).toMatch(
      /^meshbot demo: a simulated Istio mesh behind a Kubernetes API server on https:\/\/127\.0\.0\.1:\d+/,
    );
    const all = sections(out);
    expect([...all.keys()].map((c) => c.split(' ')[0])).toEqual([
      'logs',
      'trace',
      'logs',
      'trace',
      'enable-logging',
      'status',
      'disable-logging',
      'logs',
      'trace',
    ]);

    const logs = sectionOf(all, 'logs helloworld -n istio-testing');
    expect(logs).toMatch(/^meshbot · logs/);
    expect(logs).toContain('INBOUND FLOWS');
    expect(logs).toContain(DEMO_PODS.helloworldV1.name);
    expect(logs).toContain(DEMO_PODS.helloworldV2.name);
    expect(logs).toMatch(/ frontend +GET \/hello +\d+/);

    // The trace crosses the gateway, the frontend's sidecar (in and out) and a helloworld sidecar.
    const [okCommand, ok] = [...all].find(([c]) => c.startsWith('trace') && c.endsWith('-A')) ?? ['', ''];
    expect(okCommand).toMatch(new RegExp(`^trace ${UUID.source} -A$`));
    expect(ok).toMatch(/^4 hops/m);
    expect(ok).toMatch(
      /out istio-ingressgateway-5d9c7f6b8d-x2klm → frontend\.istio-testing:8080 +GET \/ +200/,
    );
    expect(ok).toMatch(
      /in {2}frontend-6c8d9f7b5-kq4vn ← (10\.244\.1\.9|istio-ingressgateway-\S+) +GET \/ +200/,
    );
    expect(ok).toMatch(/out frontend-6c8d9f7b5-kq4vn → helloworld\.istio-testing:5000 +GET \/hello +200/);
    expect(ok).toMatch(
      /in {2}helloworld-v[12]-\S+ ← (10\.244\.2\.15|frontend-6c8d9f7b5-kq4vn) +GET \/hello +200/,
    );
    expect(ok).toContain('WATERFALL');

    // A failure explained: the causes and the next command, from sleep's proxy.
    const failing = sectionOf(all, 'logs sleep -n istio-testing --since 5m');
    expect(failing).toMatch(/503 UH no_healthy_upstream → helloworld-canary\.istio-testing:5000/);
    expect(failing).toContain('Envoy had no healthy endpoint');
    expect(failing).toContain(
      'kubectl get endpointslices -n istio-testing -l kubernetes.io/service-name=helloworld-canary',
    );
    expect(failing).toMatch(/503 UF .*TLS/);
    expect(failing).toContain('UO');
    // …and one failed request traced from the gateway (504 UT) to helloworld (DC).
    const slow = [...all].filter(([c]) => c.startsWith('trace'))[1]?.[1] ?? '';
    expect(slow).toMatch(/^2 hops · 15\.0s/m);
    expect(slow).toMatch(/504 UT/);
    expect(slow).toMatch(/0 DC/);

    expect(sectionOf(all, 'enable-logging istio-testing --for 10m')).toMatch(
      /access logging is on for namespace istio-testing until .* \(in 10m\)\n\s+created Telemetry istio-testing\/meshbot-access-logging/,
    );
    expect(sectionOf(all, 'status istio-testing')).toMatch(
      /istio-testing: Telemetry meshbot-access-logging .* until .* \(expires in (10m|9m\d{1,2}s)\)/,
    );
    expect(sectionOf(all, 'disable-logging istio-testing')).toMatch(
      /Switched off meshbot's access logging in istio-testing\n\s+deleted Telemetry istio-testing\/meshbot-access-logging/,
    );
    // The ambient namespace: ztunnel and the waypoint read for a Service with no sidecar, and one request traced.
    const ambient = sectionOf(all, 'logs svc/reviews -n ambient-demo');
    expect(ambient).toMatch(/3 ambient pods \(no sidecar\), read through 2 of 2 ztunnels/);
    expect(ambient).toContain('L4 CONNECTIONS (ztunnel)');
    expect(ambient).toContain('L4 connections refused → reviews.ambient-demo');
    expect(ambient).toContain('explicitly denied by: ambient-demo/deny-curl');
    const through =
      [...all].filter(([c]) => c.startsWith('trace') && c.endsWith('-n ambient-demo'))[0]?.[1] ?? '';
    expect(through).toMatch(/^2 hops/m);
    expect(through).toContain('L4 callee');
    expect(through).toContain('Connection refused (os error 111)');
    expect(out).toMatch(/\nWhat next\n {2}meshbot demo --serve .*\n {2}meshbot demo --slack /);
    // The temporary kubeconfig is gone.
    const kubeconfig = /KUBECONFIG=(\S+):/.exec(out)?.[1] ?? '';
    expect(kubeconfig).toMatch(/meshbot-demo-.*\/kubeconfig$/);
    expect(existsSync(kubeconfig)).toBe(false);
  }, 90_000);

  it('refuses options that do not go together, with the fix', async () => {
    const both = await runMeshbot(['demo', '--serve', '--slack']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--serve and --slack do not go together/);
    const channel = await runMeshbot(['demo', '--channel', 'C0123ABC']);
    expect(channel.code).toBe(2);
    expect(channel.stderr).toContain('--channel goes with --slack');
    const noToken = await runMeshbot(['demo', '--slack', '--channel', 'C0123ABC']);
    expect(noToken.code).not.toBe(0);
    expect(noToken.stderr).toContain('$SLACK_BOT_TOKEN');
    for (const r of [both, channel, noToken]) expect(r.stderr).not.toMatch(STACK_FRAME);
  });
});

describe('meshbot demo --serve', () => {
  let demo: SpawnedMeshbot | undefined;

  afterEach(async () => {
    await demo?.kill();
    demo = undefined;
  });

  it('serves the mesh to meshbot and kubectl while traffic flows, then stops on Ctrl-C and removes the kubeconfig', async () => {
    demo = spawnMeshbot(['demo', '--serve']);
    const started = demo;
    await waitFor(
      () => /Ctrl-C stops the cluster/.test(started.stdout),
      30_000,
      () => started.stdout,
    );
    const kubeconfig = /export KUBECONFIG=(\S+)/.exec(started.stdout)?.[1] ?? '';
    expect(existsSync(kubeconfig)).toBe(true);
    expect(readFileSync(kubeconfig, 'utf8')).toContain('certificate-authority-data');
    const id = /meshbot trace (\S+) -A/.exec(started.stdout)?.[1] ?? '';
    expect(id).toMatch(UUID);
    const env = { KUBECONFIG: kubeconfig, COLUMNS: '200' };

    const total = (stdout: string) =>
      Number(/^([\d,]+) entries/m.exec(stdout)?.[1]?.replaceAll(',', '') ?? 0);
    const first = await runMeshbot(['logs', 'helloworld', '-n', 'istio-testing', '--since', '1m'], { env });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const trace = await runMeshbot(['trace', id, '-A'], { env });
    expect(trace.code).toBe(0);
    expect(trace.stdout).toMatch(/^4 hops/m);
    // Traffic keeps flowing: entries written after the first read show up in a later one.
    const after = new Date().toISOString();
    await sleep(4_000);
    const second = await runMeshbot(['logs', 'helloworld', '-n', 'istio-testing', '--since-time', after], {
      env,
    });
    expect(second.code).toBe(0);
    expect(total(first.stdout)).toBeGreaterThan(0);
    expect(total(second.stdout)).toBeGreaterThan(0);
    const whole = await runMeshbot(['logs', 'helloworld', '-n', 'istio-testing', '--since', '20m'], { env });
    expect(total(whole.stdout)).toBeGreaterThan(total(second.stdout));

    const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
    if (kubectl.error !== undefined) {
      console.warn(`kubectl checks skipped: kubectl is not on PATH (${kubectl.error.message})`);
    } else {
      const run = (...args: string[]) =>
        spawnSync('kubectl', args, { encoding: 'utf8', env: { ...process.env, KUBECONFIG: kubeconfig } });
      const pods = run('get', 'pods', '-A');
      expect(pods.stderr).toBe('');
      expect(pods.status).toBe(0);
      for (const pod of Object.values(DEMO_PODS)) expect(pods.stdout).toContain(pod.name);
      const log = run(
        'logs',
        '-n',
        'istio-testing',
        DEMO_PODS.helloworldV2.name,
        '-c',
        'istio-proxy',
        '--tail',
        '5',
      );
      expect(log.status).toBe(0);
      expect(log.stdout.trim().split('\n')).toHaveLength(5);
      expect(log.stdout).toMatch(/^\[\d{4}-\d\d-\d\dT/m);
      const deploy = run(
        'logs',
        '-n',
        'istio-testing',
        'deploy/helloworld-v1',
        '-c',
        'istio-proxy',
        '--tail',
        '1',
      );
      expect(deploy.status).toBe(0);
      expect(JSON.parse(deploy.stdout)).toHaveProperty('request_id');
      const telemetries = run('get', 'telemetries', '-A');
      expect(telemetries.status).toBe(0);
      expect(telemetries.stderr).toContain('No resources found');
    }

    started.signal('SIGINT');
    const exit = await started.waitForExit(15_000);
    expect(exit.code).toBe(0);
    expect(started.stdout).toContain('meshbot demo: stopped');
    expect(existsSync(kubeconfig)).toBe(false);
    expect(started.stderr).toBe('');
  }, 120_000);
});

describe('meshbot demo --slack', () => {
  let slack: SlackApiStandIn | undefined;

  afterEach(async () => {
    await slack?.close();
    slack = undefined;
  });

  it('prints each answer as Block Kit within Slack limits, with a Block Kit Builder link', async () => {
    const result = await runMeshbot(['demo', '--slack']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const parts = result.stdout.split(/^(\/mesh .*)$/m).slice(1);
    const commands = parts.filter((_, i) => i % 2 === 0);
    expect(commands.map((c) => c.split(' ')[1])).toEqual([
      'logs',
      'trace',
      'logs',
      'trace',
      'enable-logging',
      'status',
      'disable-logging',
      'logs',
      'trace',
    ]);
    for (let i = 1; i < parts.length; i += 2) {
      const body = parts[i] ?? '';
      const link = /^Block Kit Builder: (\S+)$/m.exec(body)?.[1] ?? '';
      const json = body.slice(0, body.indexOf('Block Kit Builder:')).trim();
      const message = JSON.parse(json) as { text: string; blocks: Record<string, unknown>[] };
      expect(message.text.length).toBeGreaterThan(0);
      expect(message.blocks.length).toBeGreaterThan(0);
      expect(message.blocks.length).toBeLessThanOrEqual(50);
      for (const block of message.blocks) {
        const text = (block.text as { text?: string } | undefined)?.text ?? '';
        if (block.type === 'header') expect(text.length).toBeLessThanOrEqual(150);
        if (block.type === 'section') expect(text.length).toBeLessThanOrEqual(3000);
      }
      expect(link.startsWith('https://app.slack.com/block-kit-builder#')).toBe(true);
      const linked = JSON.parse(decodeURIComponent(link.slice(link.indexOf('#') + 1))) as { blocks: unknown };
      expect(linked).toEqual({ blocks: message.blocks });
    }
    expect(result.stdout).toMatch(/gateway|istio-ingressgateway/);
  }, 90_000);

  it('posts the answers with chat.postMessage when a token and a channel are given', async () => {
    slack = await startSlackApiStandIn();
    const result = await runMeshbot(['demo', '--slack', '--channel', 'C0DEMO123'], {
      env: { SLACK_BOT_TOKEN: 'xoxb-demo', SLACK_API_URL: slack.apiUrl },
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const posts = slack.callsTo('chat.postMessage');
    expect(posts).toHaveLength(9);
    for (const post of posts) {
      expect(post.token).toBe('xoxb-demo');
      expect(post.args.channel).toBe('C0DEMO123');
      expect(Array.isArray(post.args.blocks)).toBe(true);
    }
    expect(result.stdout.match(/^posted to C0DEMO123 \(ts /gm)).toHaveLength(9);
    expect(JSON.stringify(posts[0]?.args.blocks)).toContain('helloworld');
  }, 90_000);
});

async function waitFor(check: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`gave up after ${timeoutMs} ms: ${describe()}`);
    await sleep(50);
  }
}
