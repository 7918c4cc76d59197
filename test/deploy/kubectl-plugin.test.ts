/**
 * `kubectl mesh …`: the package's `kubectl-mesh` bin is meshbot itself, and kubectl, finding it on PATH as
 * npm links it, runs it as a plugin with the arguments unchanged.
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
  it('is a bin of the package, the same program as meshbot', () => {
    expect(pkg.bin['kubectl-mesh']).toBe(pkg.bin.meshbot);
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
});
