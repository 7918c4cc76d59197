/**
 * `runCli` in-process: stdin, the output width, kubectl's conventions (global options before the command,
 * -o yaml/wide, --version), completion, and one casing for every message.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { captureIo } from '../../test/support/capture-io.js';
import { toUserMessage } from '../core/user-message.js';
import { outputWidth, runCli } from './run-cli.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

function stdinWith(text: string, isTTY: boolean): PassThrough {
  const stdin = new PassThrough();
  Object.assign(stdin, { isTTY });
  stdin.end(text);
  return stdin;
}

describe('runCli with stdin', () => {
  it.each([
    [true, 'meshbot: reading access-log lines from stdin (Ctrl-D to end)\n'],
    [false, ''],
  ])('isTTY %s: says it is waiting for input only on a terminal', async (isTTY, notice) => {
    const io = { ...captureIo(), stdin: stdinWith('', isTTY) };
    const code = await runCli(['logs', '-f', '-', '-o', 'json'], io);
    expect(code).toBe(0);
    expect(io.err()).toBe(notice);
    expect(JSON.parse(io.out()).sources).toEqual([{ name: 'stdin', entries: 0, skipped_lines: 0 }]);
  });

  it('reads a file given twice once, and says so', async () => {
    const io = captureIo();
    const code = await runCli(
      ['logs', '-f', 'examples/bookinfo.log', '-f', 'examples/bookinfo.log', '-o', 'json'],
      io,
    );
    expect(code).toBe(0);
    expect(io.err()).toBe('meshbot: examples/bookinfo.log was given more than once; it is read once\n');
    expect(JSON.parse(io.out()).sources).toHaveLength(1);
  });

  it('trace a b: says trace takes one id when the short second id is no file either', async () => {
    const io = captureIo();
    expect(await runCli(['trace', 'a1b2', 'c3d4'], io)).toBe(2);
    expect(io.out()).toBe('');
    expect(io.err()).toMatch(
      /^meshbot: trace takes one request id \(got 2: "a1b2", "c3d4"\), and c3d4 is not a saved log either \(no such file\): trace them one at a time; saved logs go after the id or with -f FILE/,
    );
    // A missing file given with -f is only that.
    const io2 = captureIo();
    expect(await runCli(['trace', 'a1b2', '-f', 'c3d4'], io2)).toBe(1);
    expect(io2.err()).toBe('meshbot: cannot read c3d4: no such file\n');
    // A saved log after the id is read as one.
    const io3 = captureIo();
    expect(await runCli(['trace', '2fe6df3f', 'examples/bookinfo.log', '-o', 'json'], io3)).toBe(0);
    expect(JSON.parse(io3.out()).hops.length).toBeGreaterThan(0);
  });

  it('reads a file spelled two ways (./x and x, a symlink) once, and says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshbot-same-'));
    const link = join(dir, 'link.log');
    symlinkSync(resolve('examples/bookinfo.log'), link);
    const io = captureIo();
    const code = await runCli(
      ['logs', '-f', 'examples/bookinfo.log', '-f', './examples/bookinfo.log', '-f', link, '-o', 'json'],
      io,
    );
    expect(code).toBe(0);
    expect(io.err()).toBe(
      `meshbot: ./examples/bookinfo.log is the same file as examples/bookinfo.log; it is read once\nmeshbot: ${link} is the same file as examples/bookinfo.log; it is read once\n`,
    );
    expect(JSON.parse(io.out()).sources).toEqual([
      expect.objectContaining({ name: 'examples/bookinfo.log' }),
    ]);
  });

  it('parse prints nothing on stderr when nothing was skipped', async () => {
    const line =
      '[2024-05-01T12:00:00.000Z] "GET / HTTP/1.1" 200 - via_upstream - "-" 0 12 3 2 "-" "curl/8" "id-1" "svc:80" "10.0.0.1:80" outbound|80||svc.ns.svc.cluster.local 10.0.0.2:5000 10.96.0.1:80 10.0.0.2:5001 - default\n';
    const io = { ...captureIo(), stdin: stdinWith(line, false) };
    expect(await runCli(['parse', '-'], io)).toBe(0);
    expect(io.err()).toBe('');
    expect(JSON.parse(io.out())).toMatchObject({ source: 'stdin', response_code: 200 });
  });

  it('honours COLUMNS for the text width', async () => {
    const widest = async (env: Record<string, string>) => {
      const io = captureIo({ env });
      expect(await runCli(['logs', '-f', 'examples/bookinfo.log', '--no-color'], io)).toBe(0);
      return Math.max(
        ...io
          .out()
          .split('\n')
          .map((l) => [...l].length),
      );
    };
    expect(await widest({ COLUMNS: '80' })).toBeLessThanOrEqual(80);
    expect(await widest({ COLUMNS: '160' })).toBeGreaterThan(100);
  });
});

/** Text output of `meshbot ARGS` on an in-process io. */
async function textOf(argv: string[], options: { env?: Record<string, string>; tty?: number } = {}) {
  const io = captureIo({ env: options.env ?? {} });
  if (options.tty !== undefined) Object.assign(io.stdout, { isTTY: true, columns: options.tty });
  const code = await runCli(argv, io);
  return { code, out: io.out(), err: io.err() };
}

const SAMPLE = ['logs', '-f', 'examples/bookinfo.log', '--no-color'];

describe('runCli: the output width', () => {
  it.each<
    [string, { tty?: boolean; columns?: number; COLUMNS?: string; wide?: boolean }, number | undefined]
  >([
    ['a pipe without COLUMNS: never cut', {}, undefined],
    ['a pipe with COLUMNS', { COLUMNS: '120' }, 120],
    ['COLUMNS below 60', { COLUMNS: '30' }, 60],
    ['COLUMNS that is not a number', { COLUMNS: 'wide' }, undefined],
    ['a terminal', { tty: true, columns: 90 }, 90],
    ['a terminal that says no width', { tty: true }, 100],
    ['COLUMNS over the terminal', { tty: true, columns: 90, COLUMNS: '132' }, 132],
    ['--wide / -o wide on a terminal', { tty: true, columns: 90, wide: true }, undefined],
    ['--wide / -o wide with COLUMNS', { COLUMNS: '80', wide: true }, undefined],
  ])('%s → %s', (_name, given, width) => {
    const io = {
      env: given.COLUMNS === undefined ? {} : { COLUMNS: given.COLUMNS },
      stdout: { write: () => true, isTTY: given.tty, columns: given.columns },
    };
    expect(outputWidth(io, given.wide === true)).toBe(width);
  });

  it('lays text out for the terminal, and cuts nothing for -o wide or --wide', async () => {
    const narrow = await textOf(SAMPLE, { tty: 70 });
    expect(narrow.code).toBe(0);
    for (const line of narrow.out.split('\n')) expect([...line].length).toBeLessThanOrEqual(70);
    const wide = await textOf([...SAMPLE, '-o', 'wide'], { tty: 70 });
    const wideFlag = await textOf(['--wide', ...SAMPLE], { tty: 70 });
    const pipe = await textOf(SAMPLE);
    expect(wide.out).not.toBe(narrow.out);
    expect(wideFlag.out).toBe(wide.out);
    // A pipe without COLUMNS gets the same uncut text as -o wide.
    expect(pipe.out).toBe(wide.out);
  });
});

describe('runCli: kubectl conventions', () => {
  it('takes global options before the command, with the same answer as after it', async () => {
    const after = await textOf(['logs', '-f', 'examples/bookinfo.log', '-o', 'json']);
    const before = await textOf(['-o', 'json', 'logs', '-f', 'examples/bookinfo.log']);
    const output = await textOf(['--output=json', '--no-color', 'logs', '-f', 'examples/bookinfo.log']);
    expect(after.code).toBe(0);
    expect(before).toEqual(after);
    expect(output).toEqual(after);
  });

  it('-o yaml is the JSON document as YAML', async () => {
    const json = await textOf(['logs', '-f', 'examples/bookinfo.log', '-o', 'json']);
    const yaml = await textOf(['logs', '-f', 'examples/bookinfo.log', '-o', 'yaml']);
    expect(yaml.code).toBe(0);
    expect(yaml.out.trimStart().startsWith('{')).toBe(false);
    expect(parseYaml(yaml.out)).toEqual(JSON.parse(json.out));
    const version = await textOf(['version', '-o', 'yaml']);
    expect(version.out).toBe('kind: version\nversion: test\n');
  });

  it.each([['--version'], ['-v'], ['version']])('%s prints the version', async (flag) => {
    expect(await textOf([flag])).toEqual({ code: 0, out: 'meshbot test\n', err: '' });
  });

  it('refuses words after --version instead of ignoring them', async () => {
    const result = await textOf(['-v', 'logs']);
    expect(result.code).toBe(2);
    expect(result.err).toBe('meshbot: version takes no arguments (got "logs") (meshbot version --help)\n');
  });

  it.each([[['--help']], [['-h']], [['--no-color', '--help']], [['help']]])(
    '%j prints the list of commands',
    async (argv) => {
      const result = await textOf(argv);
      expect(result.code).toBe(0);
      expect(result.out).toContain('Usage: meshbot COMMAND [options]');
      expect(result.out).toContain('Global options');
    },
  );

  it('wraps help to the terminal, and to 80 columns on a pipe', async () => {
    const widest = (text: string) => Math.max(...text.split('\n').map((l) => l.length));
    const pipe = await textOf(['logs', '--help']);
    const terminal = await textOf(['logs', '--help'], { tty: 150 });
    const viaHelp = await textOf(['help', 'logs'], { tty: 150 });
    expect(widest(pipe.out.split('Examples:')[0] ?? '')).toBeLessThanOrEqual(80);
    expect(widest(terminal.out.split('Examples:')[0] ?? '')).toBeGreaterThan(80);
    expect(viaHelp.out).toBe(terminal.out);
  });

  it('prints a completion script', async () => {
    const bash = await textOf(['completion', 'bash']);
    expect(bash.code).toBe(0);
    expect(bash.out).toContain('complete -F _meshbot meshbot');
    const zsh = await textOf(['completion', 'zsh']);
    expect(zsh.out.startsWith('#compdef meshbot')).toBe(true);
    const fish = await textOf(['completion', 'fish']);
    expect(fish.code).toBe(2);
    expect(fish.err).toBe(
      'meshbot: SHELL must be one of bash, zsh (got "fish") (meshbot completion --help)\n',
    );
  });

  it.each<[string[], string]>([
    [['--bogus', 'logs'], 'meshbot: unknown option --bogus: before the command name only'],
    [['logs', '--namspace', 'x'], 'meshbot: unknown option --namspace for logs (did you mean --namespace?)'],
    [['enable-logging', 'shop', '--dry-run=server'], 'meshbot: --dry-run=server is not supported'],
  ])('%j is a usage error (exit 2) in one line', async (argv, message) => {
    const result = await textOf(argv);
    expect(result.code).toBe(2);
    expect(result.err.startsWith(message)).toBe(true);
    expect(result.err.split('\n')).toHaveLength(2);
  });
});

describe('messages', () => {
  /** The first words of every coded error and warning written in the source. */
  function messageStarts(): { file: string; start: string }[] {
    const found: { file: string; start: string }[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (path.endsWith('.ts') && !path.endsWith('.test.ts') && !path.includes('test-helper')) {
          const code = readFileSync(path, 'utf8');
          const patterns = [
            /new MeshbotError\(\s*'[a-z_0-9]+',\s*[`'"]([^`'"$]{0,30})/g,
            /(?:warn\??\.?\(|stderr\.write\()\s*`meshbot: ([^`$]{0,30})/g,
            /warn\??\.?\(\s*[`'"]([^`'"$]{0,30})/g,
          ];
          for (const pattern of patterns) {
            for (const m of code.matchAll(pattern)) found.push({ file: path, start: m[1] ?? '' });
          }
        }
      }
    };
    walk(join(REPO_ROOT, 'src'));
    return found;
  }

  // Names that keep their capital: kinds, products and environment variables.
  const PROPER =
    /^(Istio|Telemetry|EnvoyFilter|Kubernetes|Slack|KUBECONFIG|\$?MESHBOT_|\$?SLACK_|NO_COLOR|COLUMNS|Lease)/;

  it('start lower-case after "meshbot: " (one casing for every message)', () => {
    const starts = messageStarts();
    expect(starts.length).toBeGreaterThan(50);
    const capitalised = starts.filter(({ start }) => /^[A-Z]/.test(start) && !PROPER.test(start));
    expect(capitalised).toEqual([]);
  });

  it('an unexpected error reads the same way', async () => {
    expect(toUserMessage(new Error('boom'))).toMatch(/^unexpected error: boom\./);
  });
});
