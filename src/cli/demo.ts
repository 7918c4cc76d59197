/**
 * @module cli/demo
 * `meshbot demo`: the simulated mesh of `kube-sim/demo-cluster` behind a Kubernetes API on 127.0.0.1
 * (HTTPS, its own CA), a kubeconfig for it in a temporary file, and the real commands run against it through
 * the normal CLI path and the real `@kubernetes/client-node`, exactly as against a cluster:
 *
 * - the tour (default): each command printed like a terminal session, then what to try next;
 * - `--serve`: the cluster keeps running for your own meshbot and kubectl commands until Ctrl-C;
 * - `--slack`: the same commands through the Slack front end's grammar and renderer, as Block Kit JSON with a
 *   Block Kit Builder link, or posted to a channel (`demo-slack.ts`).
 */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DemoRequest } from '../commands/command-deps.js';
import { AMBIENT_NAMESPACE, ambientExample } from '../demo/ambient-mesh.js';
import { DEMO_NAMESPACE, type DemoScenario, exampleRequest } from '../demo/demo-mesh.js';
import { type DemoCluster, startDemoCluster } from '../kube-sim/demo-cluster.js';
import type { CliIo } from './cli-io.js';
import { runCli } from './run-cli.js';

/** One command of the tour: its words after `meshbot` (or `/mesh`), and why it is shown. */
export interface DemoStep {
  args: string[];
  /** One line before the command: what it shows. */
  about: string;
}

/** The id of the newest finished request of `scenario` (searching back from `nowMs`), for `trace`. */
export function recentRequestId(
  scenario: DemoScenario,
  nowMs: number,
  trafficStartMs: number,
  seed?: number,
): string | undefined {
  // Requests of the last minute first, skipping the last 20 s so even a slow one has written all its hops.
  for (let to = nowMs - 20_000; to > trafficStartMs; to -= 60_000) {
    const found = exampleRequest(scenario, Math.max(trafficStartMs, to - 60_000), to, seed);
    if (found !== undefined) return found.requestId;
  }
  return undefined;
}

/** The tour: the main job first, then a failure explained, then access logging switched on and off again. */
export function demoSteps(nowMs: number, trafficStartMs: number): DemoStep[] {
  const ns = DEMO_NAMESPACE;
  const ok = recentRequestId('gateway-ok', nowMs, trafficStartMs);
  const slow = recentRequestId('slow-upstream', nowMs, trafficStartMs);
  const refused = recentAmbientRequestId(nowMs, trafficStartMs);
  return [
    {
      args: ['logs', 'helloworld', '-n', ns],
      about: "helloworld's inbound and outbound flows in the last 15 minutes, errors first",
    },
    ...(ok === undefined
      ? []
      : [
          {
            args: ['trace', ok, '-A'],
            about: 'one request from the internet: gateway → frontend sidecar → helloworld sidecar',
          },
        ]),
    {
      args: ['logs', 'sleep', '-n', ns, '--since', '5m'],
      about: "sleep's calls that fail: no endpoints, an mTLS mismatch, a circuit breaker, a client giving up",
    },
    ...(slow === undefined
      ? []
      : [
          {
            args: ['trace', slow, '-A'],
            about:
              'one request that failed: the gateway gave up after 15 s, and helloworld saw its caller leave',
          },
        ]),
    {
      args: ['enable-logging', ns, '--for', '10m'],
      about:
        'switch access logging on for the namespace, time-boxed, through the Telemetry API (this mesh logs already; a quiet one starts here)',
    },
    { args: ['status', ns], about: 'where access logging is on, and until when' },
    { args: ['disable-logging', ns], about: 'undo it now' },
    {
      args: ['logs', 'svc/reviews', '-n', AMBIENT_NAMESPACE],
      about:
        "an ambient namespace (no sidecars): the ztunnels of the pods' nodes and the waypoint are read; L4 connections beside the HTTP flows, a refused pod and a denied caller explained",
    },
    ...(refused === undefined
      ? []
      : [
          {
            args: ['trace', refused, '-n', AMBIENT_NAMESPACE],
            about: "one request through the waypoint, with ztunnel's records of the same connections (L4)",
          },
        ]),
  ];
}

/** A request of the ambient namespace that reviews-v3 refused, from the last minutes (written in full). */
function recentAmbientRequestId(nowMs: number, trafficStartMs: number): string | undefined {
  for (let to = nowMs - 20_000; to > trafficStartMs; to -= 60_000) {
    const found = ambientExample('reviews-refused', Math.max(trafficStartMs, to - 60_000), to);
    if (found?.requestId != null) return found.requestId;
  }
  return undefined;
}

/** `meshbot logs …` as typed, quoted where a shell would need it. */
export function commandLine(prefix: string, args: readonly string[]): string {
  const quote = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", "'\\''")}'`);
  return [prefix, ...args.map(quote)].join(' ');
}

export interface DemoSession {
  cluster: DemoCluster;
  kubeconfigPath: string;
  /** The environment the demo's commands run with: `KUBECONFIG` pointing at the demo's kubeconfig. */
  env: Readonly<Record<string, string | undefined>>;
  close(): Promise<void>;
}

/** Starts the cluster and writes its kubeconfig (mode 0600) into a new temporary directory. */
export async function openDemoSession(io: Pick<CliIo, 'env' | 'now'>): Promise<DemoSession> {
  const cluster = await startDemoCluster({ now: () => new Date(io.now()), ambient: true });
  let dir: string | undefined;
  try {
    dir = await mkdtemp(join(tmpdir(), 'meshbot-demo-'));
    const kubeconfigPath = join(dir, 'kubeconfig');
    await writeFile(kubeconfigPath, cluster.kubeconfigYaml(), { mode: 0o600 });
    await chmod(kubeconfigPath, 0o600);
    const made = dir;
    return {
      cluster,
      kubeconfigPath,
      env: { ...io.env, KUBECONFIG: kubeconfigPath },
      async close() {
        await cluster.close();
        await rm(made, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await cluster.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    throw e;
  }
}

export async function runDemo(request: DemoRequest, io: CliIo): Promise<number> {
  const session = await openDemoSession(io);
  try {
    switch (request.mode) {
      case 'tour':
        return await tour(session, io);
      case 'serve':
        return await serve(session, io);
      case 'slack': {
        const { slackTour } = await import('./demo-slack.js');
        return await slackTour(session, io, request.channel);
      }
      default: {
        const never: never = request;
        return never;
      }
    }
  } finally {
    await session.close();
  }
}

function intro(session: DemoSession): string {
  return [
    `meshbot demo: a simulated Istio mesh behind a Kubernetes API server on ${session.cluster.server.url} (HTTPS, its own CA).`,
    `Namespace ${DEMO_NAMESPACE}: helloworld v1 (JSON access logs) and v2 (a native sidecar), frontend, sleep; an ingress`,
    'gateway in istio-system. Traffic keeps flowing, and some of it fails the way real meshes do.',
    `The commands below are the real ones, run with KUBECONFIG=${session.kubeconfigPath}: against a cluster of yours`,
    'they work unchanged.',
  ].join('\n');
}

async function tour(session: DemoSession, io: CliIo): Promise<number> {
  const out = (text: string) => io.stdout.write(`${text}\n`);
  out(intro(session));
  const steps = demoSteps(io.now(), session.cluster.trafficStartMs);
  const failed: string[] = [];
  for (const step of steps) {
    out('');
    out(`# ${step.about}`);
    out(`$ ${commandLine('meshbot', step.args)}`);
    const code = await runCli(step.args, { ...io, env: session.env });
    if (io.signal?.aborted === true) return 130;
    if (code !== 0) failed.push(`${commandLine('meshbot', step.args)} (exit ${code})`);
  }
  out('');
  out('What next');
  out(
    '  meshbot demo --serve    keep this cluster running and try your own meshbot and kubectl commands on it',
  );
  out(
    '  meshbot demo --slack    the same answers as the Slack bot posts them (Block Kit, with a Builder link)',
  );
  out('  On a real cluster: the same commands, with your kubeconfig (meshbot logs deploy/NAME -n NS).');
  out('  The Slack bot: meshbot serve, installed with kubectl apply -k deploy/ (see the README).');
  if (failed.length > 0) {
    io.stderr.write(`meshbot demo: ${failed.length} command(s) failed: ${failed.join('; ')}\n`);
    return 1;
  }
  return 0;
}

async function serve(session: DemoSession, io: CliIo): Promise<number> {
  const id = recentRequestId('gateway-ok', io.now(), session.cluster.trafficStartMs) ?? 'REQUEST_ID';
  const lines = [
    `meshbot demo: a simulated Istio mesh is serving the Kubernetes API on ${session.cluster.server.url} (HTTPS, its own CA).`,
    'In another terminal:',
    '',
    `  export KUBECONFIG=${session.kubeconfigPath}`,
    '',
    `  meshbot logs helloworld -n ${DEMO_NAMESPACE}`,
    `  meshbot logs sleep -n ${DEMO_NAMESPACE} --since 2m`,
    `  meshbot trace ${id} -A`,
    `  meshbot enable-logging ${DEMO_NAMESPACE} --for 10m --dry-run`,
    '  meshbot status -A',
    '  kubectl get pods -A',
    `  kubectl logs -n ${DEMO_NAMESPACE} deploy/helloworld-v1 -c istio-proxy`,
    '  kubectl get telemetries -A',
    '',
    'Traffic keeps flowing (about 2 requests a second). Ctrl-C stops the cluster and removes the kubeconfig.',
  ];
  io.stdout.write(`${lines.join('\n')}\n`);
  await new Promise<void>((resolve) => {
    if (io.signal === undefined || io.signal.aborted) return resolve();
    io.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  io.stdout.write('meshbot demo: stopped; the cluster is gone and its kubeconfig removed\n');
  return 0;
}
