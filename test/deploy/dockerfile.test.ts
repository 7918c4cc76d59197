/**
 * The Dockerfile, without a Docker engine: its lint rules (test/deploy/dockerfile.ts), then what the image
 * would run. The production-dependencies stage's own COPY and RUN lines are carried out in a clean directory
 * (its `npm ci --omit=dev`), the runtime stage is assembled from its COPY lines (dist/ from the build stage is
 * the one `npm run build` made), and its ENTRYPOINT runs `version`, `serve --check` and `serve` itself — as
 * the image's USER when the tests run as root, and under Node's permission model with no file-system write
 * allowed (the read-only root filesystem) — and the HEALTHCHECK command passes against it.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeApiServer, startFakeApiServer } from '../../src/kube-sim/index.js';
import { type SlackApiStandIn, startSlackApiStandIn } from '../support/slack/index.js';
import { freePort, pollHttp } from '../support/spawn-meshbot.js';
import { REPO, readRepoFile } from './deploy-files.js';
import { type Dockerfile, execForm, expand, lintDockerfile, parseDockerfile } from './dockerfile.js';

const dockerfile = parseDockerfile(readRepoFile('Dockerfile'));
const pkg = JSON.parse(readRepoFile('package.json')) as {
  version: string;
  devDependencies: Record<string, string>;
};

describe('Dockerfile lint', () => {
  it('passes every rule', () => {
    expect(lintDockerfile(dockerfile)).toEqual([]);
  });

  const variant = (from: string, to: string): Dockerfile => {
    const text = readRepoFile('Dockerfile');
    if (!text.includes(from)) throw new Error(`the Dockerfile no longer has ${from}`);
    return parseDockerfile(text.replace(from, to));
  };
  it.each([
    ['node:24.22.3-bookworm-slim', 'node:latest', 'DL3007'],
    ['node:24.22.3-bookworm-slim', 'node:24-bookworm-slim', 'exact version'],
    ['node:24.22.3-bookworm-slim', 'node:23.11.0-bookworm-slim', 'Node 22 or 24'],
    ['USER 1000:1000', 'USER root', 'DL3002'],
    ['USER 1000:1000', 'USER node', 'numeric id'],
    ['COPY src ./src', 'ADD src ./src', 'DL3020'],
    ['RUN npm ci --omit=dev --ignore-scripts', 'RUN npm install --omit=dev --ignore-scripts', 'DL3016'],
    ['RUN npm ci --omit=dev --ignore-scripts', 'RUN npm ci --omit=dev', '--ignore-scripts'],
    ['CMD ["serve"]', 'CMD meshbot serve', 'DL3025'],
    ['HEALTHCHECK', 'LABEL x=y\n#', 'HEALTHCHECK'],
    ['ENV NODE_ENV=production', 'ENV SLACK_BOT_TOKEN=xoxb-1', 'no secrets'],
    ['WORKDIR /app\n# Owned', 'WORKDIR app\n# Owned', 'DL3000'],
  ])('fails when %s becomes %s (%s)', (from, to, code) => {
    expect(lintDockerfile(variant(from, to)).join('\n')).toContain(code);
  });

  it('.dockerignore keeps local dependencies, builds, git, tests and env files out of the context', () => {
    const rules = readRepoFile('.dockerignore')
      .split('\n')
      .filter((l) => l.trim() !== '' && !l.startsWith('#'));
    expect(rules[0]).toBe('*');
    const allowed = rules.filter((r) => r.startsWith('!')).map((r) => r.slice(1).replace(/\/$/, ''));
    const copied = dockerfile.stages
      .flatMap((s) => s.instructions)
      .filter((i) => i.keyword === 'COPY' && !i.args.startsWith('--from'))
      .flatMap((i) =>
        i.args
          .replace(/^(--\S+\s+)*/, '')
          .split(/\s+/)
          .slice(0, -1),
      );
    expect([...new Set(copied)].sort()).toEqual([...allowed].sort());
    expect(rules).toEqual(expect.arrayContaining(['src/**/*.test.ts', 'src/**/*.test-helper.ts']));
  });
});

/** The image's file system: one directory per stage, `/` of that stage. */
interface Image {
  roots: Map<string, string>;
  final: string;
  env: Record<string, string>;
  workdir: string;
  user: { uid: number; gid: number };
  entrypoint: string[];
  cmd: string[];
  healthcheck: string[];
}

const inRoot = (root: string, path: string) => join(root, path);

/** Carries out a stage's WORKDIR / COPY / RUN / ENV / USER lines in `root`. */
function runStage(file: Dockerfile, index: number, root: string, roots: Map<string, string>) {
  const stage = file.stages[index];
  if (stage === undefined) throw new Error(`no stage ${index}`);
  let workdir = '/';
  const env: Record<string, string> = {};
  let user = '0:0';
  for (const i of stage.instructions) {
    const args = expand(i.args, file.args);
    if (i.keyword === 'WORKDIR') {
      workdir = args;
      mkdirSync(inRoot(root, workdir), { recursive: true });
    } else if (i.keyword === 'COPY') {
      const from = /--from=(\S+)/.exec(args)?.[1];
      const parts = args.replace(/^(--\S+\s+)*/, '').split(/\s+/);
      const target = parts.pop() ?? '.';
      for (const source of parts) {
        const sourcePath = from === undefined ? join(REPO, source) : inRoot(roots.get(from) ?? '', source);
        const dest =
          target.endsWith('/') || target === '.'
            ? join(inRoot(root, workdir), target, source.split('/').at(-1) ?? '')
            : join(inRoot(root, workdir), target);
        mkdirSync(dirname(dest), { recursive: true });
        // From an earlier stage, a move: that stage is not used again (and node_modules is thousands of files).
        if (from === undefined) cpSync(sourcePath, dest, { recursive: true, dereference: true });
        else renameSync(sourcePath, dest);
      }
    } else if (i.keyword === 'RUN') {
      execFileSync('sh', ['-c', args], {
        cwd: inRoot(root, workdir),
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '/root',
          npm_config_prefer_offline: 'true',
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } else if (i.keyword === 'ENV') {
      const [key = '', value = ''] = args.split('=', 2);
      env[key] = value;
    } else if (i.keyword === 'USER') user = args;
  }
  return { workdir, env, user, stage };
}

async function assembleImage(dir: string): Promise<Image> {
  const roots = new Map<string, string>();
  const stages = dockerfile.stages;
  let finalInfo: ReturnType<typeof runStage> | undefined;
  for (const [index, stage] of stages.entries()) {
    const root = join(dir, stage.name ?? `stage-${index}`);
    mkdirSync(root, { recursive: true });
    roots.set(stage.name ?? String(index), root);
    if (stage.name === 'build') {
      // The build stage's result is the repository's own `npm run build` (its last RUN): dist/ as built.
      expect(stage.instructions.at(-1)?.args).toBe('npm run build');
      expect(existsSync(join(REPO, 'dist/cli/main.js'))).toBe(true);
      mkdirSync(join(root, 'app'), { recursive: true });
      cpSync(join(REPO, 'dist'), join(root, 'app/dist'), { recursive: true });
    } else {
      const info = runStage(dockerfile, index, root, roots);
      if (index === stages.length - 1) finalInfo = info;
    }
  }
  if (finalInfo === undefined) throw new Error('no runtime stage');
  const last = (keyword: string) =>
    finalInfo?.stage.instructions.filter((i) => i.keyword === keyword).at(-1)?.args ?? '';
  const [uid = 0, gid = 0] = finalInfo.user.split(':').map(Number);
  return {
    roots,
    final: roots.get(stages.at(-1)?.name ?? String(stages.length - 1)) ?? '',
    env: finalInfo.env,
    workdir: finalInfo.workdir,
    user: { uid, gid },
    entrypoint: execForm(last('ENTRYPOINT')) ?? [],
    cmd: execForm(last('CMD')) ?? [],
    healthcheck: execForm(last('HEALTHCHECK').replace(/^(--\S+\s+)*CMD\s+/, '')) ?? [],
  };
}

/** node's flags for "no file-system writes": Node's permission model, reads allowed. */
const NO_WRITES = [
  process.allowedNodeEnvironmentFlags.has('--permission') ? '--permission' : '--experimental-permission',
  '--allow-fs-read=*',
];

describe('the runtime image, assembled outside Docker', () => {
  let dir: string;
  let image: Image;
  let kube: FakeApiServer;
  let slack: SlackApiStandIn;
  let kubeconfig: string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'meshbot-image-'));
    chmodSync(dir, 0o755);
    image = await assembleImage(dir);
    kube = await startFakeApiServer({ now: () => new Date() });
    kube.addNamespace('meshbot');
    slack = await startSlackApiStandIn();
    kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, kube.kubeconfigYaml('meshbot'), { mode: 0o644 });
  }, 300_000);

  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await kube?.close();
    await slack?.close();
    // Thousands of small files: removing them can take a minute on a busy disk, so it is not waited for.
    if (dir !== undefined) spawn('rm', ['-rf', dir], { detached: true, stdio: 'ignore' }).unref();
  });

  /** ENTRYPOINT + args as the image would run them: its user (when we may switch), no writes, its env and workdir. */
  function start(
    args: readonly string[],
    env: Record<string, string>,
    command = image.entrypoint,
  ): ChildProcess {
    const [program, ...rest] = command;
    expect(program).toBe('node');
    const mapped = rest.map((a) => (a.startsWith('/') ? inRoot(image.final, a) : a));
    const child = spawn(process.execPath, [...NO_WRITES, ...mapped, ...args], {
      cwd: inRoot(image.final, image.workdir),
      env: { PATH: '/usr/bin:/bin', HOME: '/nonexistent', ...image.env, ...env },
      ...(process.getuid?.() === 0 ? { uid: image.user.uid, gid: image.user.gid } : {}),
    });
    children.push(child);
    return child;
  }

  function run(args: readonly string[], env: Record<string, string> = {}, command?: string[]) {
    return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = start(args, env, command);
      let stdout = '';
      let stderr = '';
      child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  /** stderr without Node's one-time "permission model is experimental" warning. */
  const errors = (stderr: string) =>
    stderr
      .split('\n')
      .filter((l) => l !== '' && !/ExperimentalWarning|--trace-warnings/.test(l))
      .join('\n');

  it('holds production dependencies only: no dev dependency (direct or transitive) is installed or reachable', () => {
    const modules = join(image.final, image.workdir, 'node_modules');
    const lock = JSON.parse(readRepoFile('package-lock.json')) as {
      packages: Record<string, { dev?: boolean }>;
    };
    const devOnly = Object.entries(lock.packages).filter(([path, p]) => path !== '' && p.dev === true);
    expect(devOnly.length).toBeGreaterThan(0);
    expect(
      devOnly.map(([path]) => path).filter((path) => existsSync(join(image.final, image.workdir, path))),
    ).toEqual([]);
    // Dev dependencies that production ones also need (ws, @types/node) are not dev-only in the lock.
    const devDirect = Object.keys(pkg.devDependencies).filter(
      (n) => lock.packages[`node_modules/${n}`]?.dev === true,
    );
    expect(devDirect).toEqual(expect.arrayContaining(['typescript', 'vitest', 'kubernetes-models']));
    expect(devDirect.filter((name) => existsSync(join(modules, name)))).toEqual([]);
    expect(existsSync(join(modules, '@kubernetes/client-node'))).toBe(true);
    // Nothing above the image's /app could supply a package either.
    for (let up = dirname(image.final); up !== dirname(up); up = dirname(up))
      expect(existsSync(join(up, 'node_modules'))).toBe(false);
    expect(readdirSync(join(image.final, image.workdir)).sort()).toEqual([
      'dist',
      'node_modules',
      'package.json',
    ]);
  });

  it('`version` prints the package version', async () => {
    const result = await run(['version']);
    expect({ code: result.code, errors: errors(result.stderr) }).toEqual({ code: 0, errors: '' });
    expect(result.stdout).toContain(pkg.version);
  });

  it("`serve --check` accepts the install's configuration", async () => {
    const result = await run(['serve', '--check'], {
      SLACK_BOT_TOKEN: 'xoxb-1-2-placeholder',
      SLACK_APP_TOKEN: 'xapp-1-placeholder',
      SLACK_MODE: 'socket',
      KUBECONFIG: kubeconfig,
    });
    expect({ code: result.code, errors: errors(result.stderr) }).toEqual({ code: 0, errors: '' });
    expect(result.stdout).toContain('configuration ok');
  });

  it('the default command serves: the HEALTHCHECK passes, /readyz is 200, SIGTERM exits 0', async () => {
    const port = await freePort();
    const env = {
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: 'signing-secret',
      SLACK_MODE: 'http',
      SLACK_API_URL: slack.apiUrl,
      PORT: String(port),
      KUBECONFIG: kubeconfig,
      POD_NAMESPACE: 'meshbot',
      POD_NAME: 'meshbot-0',
    };
    expect(image.cmd).toEqual(['serve']);
    const bot = start(image.cmd, env);
    let stderr = '';
    bot.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => bot.on('close', resolve));
    await pollHttp(`http://127.0.0.1:${port}/readyz`, (r) => 'status' in r && r.status === 200, {
      timeoutMs: 15_000,
    });
    const [program, ...flags] = image.healthcheck;
    expect(program).toBe('node');
    const health = await run([], { PORT: String(port) }, ['node', ...flags]);
    expect(health.code).toBe(0);
    const unhealthy = await run([], { PORT: String(await freePort()) }, ['node', ...flags]);
    expect(unhealthy.code).toBe(1);
    bot.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(errors(stderr)).toBe('');
  }, 30_000);
});
