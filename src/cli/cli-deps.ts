/**
 * @module cli/cli-deps
 * The CLI's `CommandDeps`: the cluster reached like kubectl (`--kubeconfig`, `--context`, `$KUBECONFIG`,
 * in-cluster), files and stdin, NDJSON to stdout, the requester from `$USER`. The Kubernetes client
 * (~0.7 s to load) and the Slack bot are loaded only by the commands that use them.
 */
import { statSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { resolve } from 'node:path';
import type { CommandDeps, Connection, FileSummaryJob } from '../commands/command-deps.js';
import { MeshbotError } from '../core/errors.js';
import { validateNamespace } from '../core/kubernetes-names.js';
import { renderCommandReport } from '../render/render-command-report.js';
import type { CliIo } from './cli-io.js';
import { checkFiles, fileSource } from './file-source.js';
import { podNamespace } from './pod-namespace.js';
import { summarizeFilesInWorker, workerScript } from './summarize-files.js';

const summarizeFilesScript = workerScript();

function isRegularFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** What tells files apart: device and inode (the path itself for stdin, or when it cannot be read). */
function fileIdentity(path: string): string {
  if (path === '-') return '-';
  try {
    const info = statSync(path);
    return `${info.dev}:${info.ino}`;
  } catch {
    return resolve(path);
  }
}

function requester(env: CliIo['env']): string {
  const given = env.USER ?? env.USERNAME;
  if (given !== undefined && given !== '') return given.slice(0, 200);
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

function leaseNamespace(env: CliIo['env']): string {
  const given = env.MESHBOT_NAMESPACE ?? env.POD_NAMESPACE;
  return given !== undefined && given !== '' ? validateNamespace(given) : podNamespace();
}

async function kubeConfigFor(connection: Connection, io: CliIo) {
  const { loadKubeConfig } = await import('../kubernetes/kube-config.js');
  return loadKubeConfig({ ...connection, env: io.env, signal: io.signal });
}

export function cliDeps(
  io: CliIo,
  options: { maxLoggingMs: number; format: string; color: boolean; width?: number | undefined },
): CommandDeps {
  return {
    clock: io.now,
    requester: requester(io.env),
    maxLoggingMs: options.maxLoggingMs,
    version: io.version,
    signal: io.signal,
    async cluster(connection) {
      const connect = io.connect ?? (await import('./connect-cluster.js')).connectCluster;
      return connect({ ...connection, env: io.env, signal: io.signal });
    },
    async istio(connection) {
      const { IstioConfigClient } = await import('../kubernetes/istio-config-client.js');
      return new IstioConfigClient(await kubeConfigFor(connection, io));
    },
    async leases(connection) {
      const { LeaseClient } = await import('../kubernetes/lease-client.js');
      return new LeaseClient(await kubeConfigFor(connection, io));
    },
    // From the built CLI, `logs --file` summarises in a worker with a small young generation (peak RSS).
    ...(summarizeFilesScript === undefined
      ? {}
      : {
          // Regular files only: a FIFO or a device is read as a stream, on the main thread.
          summarizeFiles: (job: FileSummaryJob, signal: AbortSignal | undefined) =>
            job.paths.every(isRegularFile)
              ? summarizeFilesInWorker(summarizeFilesScript, job, signal)
              : undefined,
        }),
    async files(given) {
      if (given.filter((p) => p === '-').length > 1) {
        throw new MeshbotError('usage', 'stdin (-) can be read only once');
      }
      const spelled = [...new Set(given)];
      for (const twice of new Set(given.filter((p, i) => given.indexOf(p) !== i))) {
        io.stderr.write(`meshbot: ${twice} was given more than once; it is read once\n`);
      }
      await checkFiles(spelled);
      // The same file spelled two ways (./x and x, a symlink, a hard link) is read once too.
      const paths: string[] = [];
      const firstOf = new Map<string, string>();
      for (const path of spelled) {
        const key = fileIdentity(path);
        const first = firstOf.get(key);
        if (first === undefined) {
          firstOf.set(key, path);
          paths.push(path);
        } else {
          io.stderr.write(`meshbot: ${path} is the same file as ${first}; it is read once\n`);
        }
      }
      if (paths.includes('-') && (io.stdin as { isTTY?: boolean }).isTTY === true) {
        io.stderr.write('meshbot: reading access-log lines from stdin (Ctrl-D to end)\n');
      }
      return paths.map((p) => fileSource(p, io.stdin, io.signal));
    },
    async ndjson(chunk) {
      const ok = io.stdout.write(chunk);
      if (!ok && io.stdout.once) await new Promise<void>((resolve) => io.stdout.once?.('drain', resolve));
    },
    async lines(chunk) {
      const ok = io.stdout.write(chunk);
      if (!ok && io.stdout.once) await new Promise<void>((resolve) => io.stdout.once?.('drain', resolve));
    },
    emit(report) {
      const format =
        options.format === 'json' || options.format === 'yaml' || options.format === 'slack'
          ? options.format
          : 'text';
      io.stdout.write(
        renderCommandReport(report, format, {
          nowMs: io.now(),
          frontEnd: 'cli',
          color: options.color,
          width: options.width,
        }),
      );
    },
    warn: (message) => io.stderr.write(`meshbot: ${message}\n`),
    watchDefaults: () => ({
      leaseNamespace: leaseNamespace(io.env),
      identity: (io.env.POD_NAME ?? `${hostname()}-${process.pid}`).slice(0, 128),
    }),
    async serve(request) {
      const { serveFromCli } = await import('../slack/serve.js');
      return serveFromCli(request, io);
    },
    async demo(request) {
      const { runDemo } = await import('./demo.js');
      return runDemo(request, io);
    },
  };
}
