/**
 * `kubectl mesh …`: the package's `kubectl-mesh` bin is meshbot itself, and kubectl, finding it on PATH as
 * npm links it, runs it as a plugin with the arguments unchanged; its `kubectl_complete-mesh` bin (meshbot
 * again) answers kubectl's own shell completion for `kubectl mesh …<TAB>` (kubectl 1.26+).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { kustomizeVersion, REPO, readRepoFile } from './deploy-files.js';

const pkg = JSON.parse(readRepoFile('package.json')) as { version: string; bin: Record<string, string> };
const bin = mkdtempSync(join(tmpdir(), 'meshbot-bin-'));

afterAll(() => rmSync(bin, { recursive: true, force: true }));

describe('kubectl mesh', () => {
  it('is a bin of the package, the same program as meshbot, and so is its completion', () => {
    expect(pkg.bin['kubectl-mesh']).toBe(pkg.bin.meshbot);
    expect(pkg.bin['kubectl_complete-mesh']).toBe(pkg.bin.meshbot);
  });

  it('runs as a kubectl plugin with the arguments unchanged', () => {
    kustomizeVersion(); // kubectl is there
    mkdirSync(bin, { recursive: true });
    // As `npm install -g` links it.
    symlinkSync(join(REPO, pkg.bin['kubectl-mesh'] ?? ''), join(bin, 'kubectl-mesh'));
    const env = { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` };
    expect(execFileSync('kubectl', ['plugin', 'list', '--name-only'], { env, encoding: 'utf8' })).toContain(
      'kubectl-mesh',
    );
    expect(execFileSync('kubectl', ['mesh', 'version'], { env, encoding: 'utf8' })).toContain(pkg.version);
    const parsed = execFileSync('kubectl', ['mesh', 'parse', '-'], {
      env,
      encoding: 'utf8',
      input: readRepoFile('examples/bookinfo.log').split('\n').slice(0, 5).join('\n'),
    });
    expect(JSON.parse(parsed.split('\n')[0] ?? '')).toMatchObject({ direction: expect.any(String) });
  });

  it("completes `kubectl mesh …<TAB>` through kubectl's own completion", () => {
    kustomizeVersion(); // kubectl is there
    mkdirSync(bin, { recursive: true });
    symlinkSync(join(REPO, pkg.bin['kubectl_complete-mesh'] ?? ''), join(bin, 'kubectl_complete-mesh'));
    const env = { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` };
    // What `source <(kubectl completion bash)` runs on TAB: `kubectl __complete WORD... CURRENT`.
    const complete = (...words: string[]) =>
      execFileSync('kubectl', ['__complete', 'mesh', ...words], { env, encoding: 'utf8', stdio: 'pipe' })
        .split('\n')
        .filter((l) => l !== '');
    expect(complete('lo')).toEqual(['logs\tSummarise access-log entries', ':4']);
    expect(complete('logs', '-o', 'y')).toEqual(['yaml', ':4']);
    expect(complete('enable-logging', 'shop', '--dry')).toEqual([
      expect.stringMatching(/^--dry-run\t/),
      ':4',
    ]);
    // A file-valued option lets the shell complete file names (cobra's default directive).
    expect(complete('logs', '--file', '')).toEqual([':0']);
  });
});
