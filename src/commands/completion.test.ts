/**
 * Completion scripts generated from the command table: the bash one is checked by bash itself (`bash -n`)
 * and run in a real bash the way `complete -F` calls it; the zsh one by `zsh -n` when zsh is installed,
 * and by its structure always.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CommandSpec, flagNames, optionsFor } from './command-spec.js';
import { COMMAND_SPECS, commandsFor } from './command-table.js';
import { COMPLETE_FILES, COMPLETE_NO_FILES, completeCommandLine, completionScript } from './completion.js';

const dir = mkdtempSync(join(tmpdir(), 'meshbot-completion-'));
const bashFile = join(dir, 'meshbot.bash');
writeFileSync(bashFile, completionScript('bash'));
writeFileSync(join(dir, 'saved-istio-proxy.log'), '');

/** What bash offers for a command line; a trailing space means a new, empty word is being completed. */
function complete(line: string): string[] {
  const words = line.split(' ');
  const script = [
    `source ${JSON.stringify(bashFile)}`,
    `COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')})`,
    `COMP_CWORD=${words.length - 1}`,
    '_meshbot',
    `printf "%s\\n" "\${COMPREPLY[@]}"`,
  ].join('\n');
  const out = execFileSync('bash', ['--norc', '-c', script], { cwd: dir, encoding: 'utf8' });
  return out.split('\n').filter((l) => l !== '');
}

function spec(name: string): CommandSpec {
  const found = COMMAND_SPECS.find((s) => s.name === name);
  if (found === undefined) throw new Error(`no command ${name}`);
  return found;
}

describe('completion bash', () => {
  it('is valid bash (bash -n)', () => {
    const result = spawnSync('bash', ['-n', bashFile], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it.each<[string, string[]]>([
    ['meshbot lo', ['logs']],
    ['meshbot ', commandsFor('cli').map((c) => c.name)],
    ['meshbot s', ['status', 'serve']],
    [
      'meshbot logs --fo',
      ['--follow', '--format'].filter((f) =>
        optionsFor(spec('logs'), 'cli').some((o) => flagNames(o).includes(f)),
      ),
    ],
    ['meshbot logs -o ', ['text', 'json', 'yaml', 'wide', 'slack']],
    ['meshbot logs --output y', ['yaml']],
    ['meshbot enable-logging shop --mode ', ['client', 'server', 'both']],
    ['meshbot enable-logging shop --dry', ['--dry-run']],
    ['meshbot help ', commandsFor('cli').map((c) => c.name)],
    ['meshbot help tr', ['trace']],
    ['meshbot completion ', ['bash', 'zsh']],
    // Values nothing can list complete to nothing, not to file names.
    ['meshbot logs -n ', []],
    ['meshbot logs --since ', []],
    // Options before the command, and their values.
    ['meshbot -o ', ['text', 'json', 'yaml', 'wide', 'slack']],
    ['meshbot -o json st', ['status']],
    ['meshbot --kubeconfig k.yaml lo', ['logs']],
    ['meshbot --no', ['--no-color']],
    // File-valued options and positionals complete files.
    ['meshbot logs --file saved', ['saved-istio-proxy.log']],
    ['meshbot --kubeconfig saved', ['saved-istio-proxy.log']],
    ['meshbot parse saved', ['saved-istio-proxy.log']],
  ])('%j → %j', (line, expected) => {
    expect(complete(line).sort()).toEqual([...expected].sort());
  });

  it('offers every option of every CLI command, and none of the Slack-only ones', () => {
    for (const s of commandsFor('cli')) {
      const offered = complete(`meshbot ${s.name} -`);
      for (const o of optionsFor(s, 'cli')) expect(offered).toEqual(expect.arrayContaining(flagNames(o)));
      expect(offered).not.toContain('--share');
      expect(offered).not.toContain('--yes');
    }
  });

  it('leaves out options a command only recognises to refuse', () => {
    expect(complete('meshbot enable-logging -')).not.toContain('-A');
    expect(complete('meshbot reconcile -')).not.toContain('-n');
    expect(complete('meshbot reconcile -')).toContain('-A');
  });

  it('refuses a table word a shell would read as code, instead of writing it', () => {
    const bad: CommandSpec = { ...spec('version'), name: 'v$(id)' };
    expect(() => completionScript('bash', [bad])).toThrow(/not a plain word/);
  });
});

describe('completeCommandLine (kubectl mesh …, through kubectl_complete-mesh)', () => {
  const answer = (line: string) => {
    const words = line.split(' ').slice(1);
    const result = completeCommandLine(words.slice(0, -1), words.at(-1) ?? '');
    return { words: result.candidates.map((c) => c.split('\t')[0] ?? ''), directive: result.directive };
  };

  it.each([
    'meshbot lo',
    'meshbot ',
    'meshbot s',
    'meshbot logs --fo',
    'meshbot logs -o ',
    'meshbot logs --output y',
    'meshbot enable-logging shop --mode ',
    'meshbot enable-logging shop --dry',
    'meshbot help tr',
    'meshbot completion ',
    'meshbot logs -n ',
    'meshbot logs --since ',
    'meshbot -o ',
    'meshbot -o json st',
    'meshbot --kubeconfig k.yaml lo',
    'meshbot --no',
    'meshbot enable-logging -',
    'meshbot reconcile -',
    'meshbot trace -',
  ])('%j: the words the bash script offers, and no file names', (line) => {
    expect(answer(line)).toEqual({ words: complete(line), directive: COMPLETE_NO_FILES });
  });

  it.each(['meshbot logs --file saved', 'meshbot --kubeconfig saved', 'meshbot parse saved'])(
    '%j: leaves file names to the shell (cobra directive 0)',
    (line) => {
      expect(answer(line)).toEqual({ words: [], directive: COMPLETE_FILES });
    },
  );

  it('completes --name=value spellings, and nothing after an unknown command', () => {
    expect(answer('meshbot logs --format=y').words).toEqual(['--format=yaml']);
    expect(answer('meshbot enable-logging --mode=').words).toEqual([
      '--mode=client',
      '--mode=server',
      '--mode=both',
    ]);
    expect(answer('meshbot nosuch -')).toEqual({ words: [], directive: COMPLETE_NO_FILES });
  });

  it('describes commands and options on the same line, after a tab, without other tabs or newlines', () => {
    const commands = completeCommandLine([], '').candidates;
    expect(commands).toContain('logs\tSummarise access-log entries');
    const flags = completeCommandLine(['logs'], '--fi').candidates;
    expect(flags).toEqual(['--file\tRead saved istio-proxy logs instead of a cluster']);
    for (const c of [...commands, ...completeCommandLine(['enable-logging'], '-').candidates]) {
      expect(c.split('\t')).toHaveLength(2);
      expect(c).not.toContain('\n');
    }
  });
});

describe('completion zsh', () => {
  const script = completionScript('zsh');

  it('is a #compdef function that registers itself when sourced', () => {
    expect(script.startsWith('#compdef meshbot\n')).toBe(true);
    expect(script).toContain('_meshbot() {');
    expect(script).toContain('compdef _meshbot meshbot');
  });

  it('describes every CLI command and none of the Slack-only ones', () => {
    for (const c of commandsFor('cli')) expect(script).toMatch(new RegExp(`^ {4}'${c.name}:`, 'm'));
    for (const c of commandsFor('cli')) expect(script).toMatch(new RegExp(`^ {8}${c.name}\\)$`, 'm'));
    expect(script).not.toContain('--share');
  });

  it('spells each option with its short, long and alias names and completes values', () => {
    expect(script).toContain(
      "'(-o --format --output)'{-o,--format,--output}'[Output]:format:(text json yaml wide slack)'",
    );
    expect(script).toContain(
      "'*'{-f,--file}'[Read saved istio-proxy logs instead of a cluster]:file:_files'",
    );
    expect(script).toContain("'(--kubeconfig)'--kubeconfig'[Kubeconfig file]:kubeconfig:_files'");
    expect(script).toContain("'1: :->command'");
  });

  it('keeps quotes balanced on every line (descriptions never end a quoted spec early)', () => {
    for (const line of script.split('\n')) {
      const quotes = line.replaceAll("'\\''", '').match(/'/g)?.length ?? 0;
      expect(quotes % 2, line).toBe(0);
    }
  });

  it.runIf(spawnSync('zsh', ['--version']).status === 0)('is valid zsh (zsh -n)', () => {
    const file = join(dir, '_meshbot');
    writeFileSync(file, script);
    const result = spawnSync('zsh', ['-n', file], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
