/**
 * The README stays true: every command and option the grammar knows is in its reference (generated, and
 * checked for drift), the quickstart is two commands, and its command lines work as written after `npm ci`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  commandReference,
  normalizeMarkdownTables,
  REFERENCE_BEGIN,
  REFERENCE_END,
} from '../src/commands/command-reference.js';
import { flagNames, GLOBAL_OPTIONS } from '../src/commands/command-spec.js';
import { COMMAND_SPECS, commandsFor, parseTokens, prepareCommand } from '../src/commands/command-table.js';
import { runMeshbot } from './support/run-meshbot.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** The generated section as README.md has it, markers excluded. */
function readmeReference(): string {
  const begin = readme.indexOf(REFERENCE_BEGIN);
  const end = readme.indexOf(REFERENCE_END);
  return begin < 0 || end < begin ? '' : readme.slice(begin + REFERENCE_BEGIN.length + 1, end);
}

/** `--filter 'response.code >= 500'` → its words, as a shell splits them (quotes, no expansion). */
function shellWords(line: string): string[] {
  return [...line.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
}

/** The lines of the README's ```sh blocks: what a reader pastes. */
const shellLines = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) =>
  (m[1] ?? '').split('\n').filter((l) => l.trim() !== ''),
);

/**
 * Every meshbot invocation the README shows without placeholders: in ```sh blocks and in `inline code`
 * (`kubectl logs … | meshbot logs -f -` counts from `meshbot`). Usage lines (`meshbot logs TARGET [-n NS]`,
 * `meshbot …`) have placeholders and are left out.
 */
function meshbotExamples(): string[] {
  const spans = [...readme.matchAll(/`([^`\n]+(?:\n[^`\n]+)?)`/g)].map((m) =>
    (m[1] ?? '').replace(/\s+/g, ' '),
  );
  const found = new Set<string>();
  for (const text of [...shellLines, ...spans]) {
    for (const part of text.split(/&&|\||<\(|\)/)) {
      const at = part.search(/(?:^|\s)(?:npx )?meshbot(?:\s|$)/);
      if (at < 0) continue;
      const line = part
        .slice(at)
        .replace(/^\s*(?:npx )?/, '')
        .trim();
      const words = shellWords(line);
      // `meshbot` alone names the program; placeholders (`TARGET`, `FILE...`, `[options]`, `…`) are usage.
      if (words.length < 2) continue;
      if (words.some((w) => /^[A-Z][A-Z_]+(?:\.\.\.)?$/.test(w) || /[…[\]\\]/.test(w))) continue;
      found.add(line);
    }
  }
  return [...found];
}

/** The words after `meshbot` as the grammar sees them (`meshbot --help` is `help`, `--version` is `version`). */
function commandWords(line: string): string[] {
  const words = shellWords(line).slice(1);
  const [first, ...rest] = words;
  if (first === undefined || ((first === '--help' || first === '-h') && rest.length === 0)) return ['help'];
  return first === '--version' || first === '-v' ? ['version', ...rest] : words;
}

const LIMITS = { maxLoggingMs: 4 * 3_600_000 };

describe('README', () => {
  it.each(commandsFor('cli').map((c) => c.name))('documents `meshbot %s`', (name) => {
    expect(readme).toContain(`meshbot ${name}`);
  });

  it('has a two-command quickstart: the demo (the main job on a simulated mesh), then npm test', () => {
    const quickstart = readme.slice(readme.indexOf('## Quickstart'));
    const block = /```sh\n([\s\S]*?)```/.exec(quickstart)?.[1] ?? '';
    expect(block.trim().split('\n')).toEqual(['npm ci && npm run demo', 'npm test']);
  });

  it('says how `meshbot` gets on PATH before it uses a bare `meshbot` command', () => {
    const firstBare = shellLines.findIndex((l) => /^meshbot /.test(l));
    const link = shellLines.indexOf('npm link');
    expect(link).toBeGreaterThanOrEqual(0);
    expect(firstBare).toBeGreaterThan(link);
    // No ```sh line runs a bare `meshbot` before that: the ones above say `npx meshbot`.
    expect(shellLines.slice(0, link).filter((l) => /(?:^|&& )meshbot /.test(l))).toEqual([]);
  });
});

describe('README command reference', () => {
  it('is what `npm run docs` generates from the command table (run it after changing a command)', () => {
    const generated = commandReference();
    // On a difference: `npm run docs` rewrites the section between the GENERATED markers in README.md.
    // Biome aligns the README's table columns: the padding is not compared, the words are.
    expect(
      normalizeMarkdownTables(readmeReference()),
      'README.md is out of date with the command table: run `npm run docs`',
    ).toBe(normalizeMarkdownTables(generated));
  });

  it.each(COMMAND_SPECS.map((s) => [s.name, s] as const))(
    'lists every option and argument of %s',
    (name, spec) => {
      const reference = readmeReference();
      const section = reference.slice(reference.indexOf(`### ${name}\n`)).split('\n### ')[0] ?? '';
      expect(section).toContain(`### ${name}`);
      for (const o of spec.options.filter((x) => x.refused === undefined)) {
        expect(section).toContain(`\`${flagNames(o).join(', ')}`);
      }
      for (const p of spec.positionals) expect(section).toContain(`\`${p.name}`);
    },
  );

  it('lists the options every command takes', () => {
    for (const o of GLOBAL_OPTIONS.filter((x) => x.refused === undefined)) {
      expect(readmeReference()).toContain(`| \`${flagNames(o).join(', ')}`);
    }
  });
});

describe('README command lines', () => {
  const examples = meshbotExamples();

  it('finds the examples (the quickstart, the trace examples, the generated ones)', () => {
    expect(examples).toContain('meshbot logs --file examples/bookinfo.log');
    expect(examples).toContain(
      'meshbot trace 2fe6df3f-f4f1-999e-bfe9-8bad15484355 --file examples/bookinfo.log',
    );
    expect(examples).toContain('meshbot version');
    expect(examples.length).toBeGreaterThan(20);
  });

  it.each(examples)('`%s` is valid for the grammar', (line) => {
    expect(() => prepareCommand(parseTokens(commandWords(line), 'cli'), LIMITS)).not.toThrow();
  });

  // What runs without a cluster: the ```sh lines, and the examples over files in this repository.
  const runnable = examples.filter((line) => {
    const words = commandWords(line);
    let prepared: ReturnType<typeof prepareCommand>;
    try {
      prepared = prepareCommand(parseTokens(words, 'cli'), LIMITS);
    } catch {
      return false; // the test above names it
    }
    // serve and demo --serve run until stopped; the demo has its own test (test/integration/demo.test.ts).
    if (prepared.scope.kind !== 'none' || ['serve', 'demo'].includes(prepared.spec.name)) return false;
    const files = words.filter((w, i) => /\.log$/.test(w) && (i === 0 || !w.startsWith('-')));
    return files.every((f) => existsSync(new URL(`../${f}`, import.meta.url)));
  });

  it('runs the ones that need no cluster: the sample, the seed, help and version', () => {
    expect(runnable).toEqual(
      expect.arrayContaining([
        'meshbot logs --file examples/bookinfo.log',
        'meshbot trace be5acb4a-9e3e-4540-814d-07c2c7dcf7f1 -f test/fixtures/seed/sleep.log -f test/fixtures/seed/helloworld.log',
        'meshbot version',
      ]),
    );
  });

  it.each(runnable)('`%s` works as written (the built CLI, exit 0)', async (line) => {
    const { code, stdout, stderr } = await runMeshbot(shellWords(line).slice(1), {
      env: { KUBECONFIG: '/nonexistent' },
    });
    expect({ code, stderr: stderr.split('\n')[0] }).toEqual({ code: 0, stderr: expect.any(String) });
    if (!/^meshbot parse$/.test(line)) expect(stdout.length).toBeGreaterThan(0);
  });
});
