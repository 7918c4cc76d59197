/**
 * @module slack/serve
 * `meshbot serve` from the CLI: the configuration read once and checked (every problem listed, no secret
 * printed), the real Kubernetes client, the bot started; SIGTERM/SIGINT stop it gracefully (exit 0).
 * `--check` validates the configuration and the kubeconfig, then exits.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { CliIo } from '../cli/cli-io.js';
import { podNamespace } from '../cli/pod-namespace.js';
import type { ServeRequest } from '../commands/command-deps.js';
import { readBotConfig } from '../core/config.js';
import { toUserMessage } from '../core/user-message.js';
import { createClusterReader } from '../kubernetes/cluster-reader.js';
import { IstioConfigClient } from '../kubernetes/istio-config-client.js';
import { loadKubeConfig } from '../kubernetes/kube-config.js';
import { LeaseClient } from '../kubernetes/lease-client.js';
import { startBot } from './start-bot.js';

export async function serveFromCli(request: ServeRequest, io: CliIo): Promise<number> {
  const result = readBotConfig(io.env, { readFile: (path) => readFileSync(path, 'utf8') });
  if (!result.ok) {
    io.stderr.write(
      `meshbot serve: the configuration has ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}:\n${result.problems.map((p) => `  - ${p}\n`).join('')}`,
    );
    return 2;
  }
  const config = result.config;
  let kc: ReturnType<typeof loadKubeConfig>;
  try {
    kc = loadKubeConfig({ kubeconfig: config.kubeconfig, context: config.kubeContext, env: io.env });
  } catch (e) {
    io.stderr.write(`meshbot serve: ${toUserMessage(e)}\n`);
    return 1;
  }
  if (request.check) {
    io.stdout.write(
      `meshbot serve: configuration ok\n${(await import('../core/config.js'))
        .describeConfig(config)
        .map((l) => `  ${l}\n`)
        .join('')}`,
    );
    return 0;
  }
  const signal = io.signal;
  const bot = await startBot({
    config,
    clock: io.now,
    cluster: {
      cluster: createClusterReader(kc),
      istio: new IstioConfigClient(kc),
      leases: new LeaseClient(kc),
    },
    identity: config.identity ?? `${hostname()}-${process.pid}`,
    leaseNamespace: config.leaseNamespace ?? podNamespace(),
    log: (record) => io.stdout.write(`${JSON.stringify(record)}\n`),
  });
  await new Promise<void>((resolve) => {
    if (signal === undefined || signal.aborted) return resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await bot.stop();
  return 0;
}
