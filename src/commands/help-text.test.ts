/** Help generated from the command table: the command list and each command's help, per front end. */
import { describe, expect, it } from 'vitest';
import { type CommandSpec, FRONT_ENDS, type FrontEnd, optionsFor, positionalsFor } from './command-spec.js';
import { COMMAND_SPECS, parseTokens, prepareCommand } from './command-table.js';
import { commandHelp, commandPrefix, generalHelp, helpFor, usageLine } from './help-text.js';
import { tokenizeCommandText } from './parse-command-line.js';

const LIMITS = { maxLoggingMs: 4 * 3600_000 };

function specNamed(name: string): CommandSpec {
  const spec = COMMAND_SPECS.find((s) => s.name === name);
  if (spec === undefined) throw new Error(`no command ${name}`);
  return spec;
}

/** The command names listed under "Commands:". */
function listedCommands(help: string): string[] {
  const lines = help.split('\n');
  const start = lines.indexOf('Commands:');
  const names: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line === '') break;
    // A summary wrapped onto more lines continues under its column.
    const m = /^ {2}(\S+) {2}/.exec(line);
    if (m?.[1] !== undefined) names.push(m[1]);
  }
  return names;
}

/** Help with its wrapping undone, to look for a whole description. */
function unwrapped(help: string): string {
  return help.replace(/\s+/g, ' ');
}

/** The example lines of a command's help, without the prefix. */
function examplesOf(help: string, frontEnd: FrontEnd): string[] {
  const lines = help.split('\n');
  const start = lines.indexOf('Examples:');
  if (start < 0) return [];
  const prefix = `  ${commandPrefix(frontEnd)} `;
  return lines
    .slice(start + 1)
    .filter((l) => l.startsWith(prefix))
    .map((l) => l.slice(prefix.length));
}

/** `--name` as a whole flag (not part of `--log-format` or `--all-namespaces`). */
function flagPattern(name: string): RegExp {
  return new RegExp(`(?<![\\w-])--${name.replace(/[-]/g, '\\-')}(?![\\w-])`);
}

describe('generalHelp', () => {
  it('lists every CLI command in table order, each with its summary', () => {
    const help = generalHelp('cli');
    const cli = COMMAND_SPECS.filter((s) => s.frontEnds.includes('cli'));
    expect(listedCommands(help)).toEqual(cli.map((s) => s.name));
    for (const spec of cli) expect(unwrapped(help)).toContain(spec.summary);
    for (const spec of COMMAND_SPECS.filter((s) => !s.frontEnds.includes('cli'))) {
      expect(listedCommands(help)).not.toContain(spec.name);
    }
    expect(help).toContain('Usage: meshbot COMMAND [options]');
    expect(help).toContain('meshbot COMMAND --help');
  });

  it('lists the Slack commands and none of the CLI-only ones', () => {
    const help = generalHelp('slack');
    expect(listedCommands(help)).toEqual([
      'logs',
      'trace',
      'enable-logging',
      'disable-logging',
      'status',
      'help',
    ]);
    for (const name of ['parse', 'reconcile', 'serve', 'version']) {
      expect(help).not.toMatch(new RegExp(`^ {2}${name} `, 'm'));
    }
    expect(help).toContain('Usage: /mesh COMMAND [options]');
    expect(help).toContain('/mesh help COMMAND');
    expect(help).toContain('--share');
    expect(help).not.toContain('meshbot COMMAND');
  });
});

describe('commandHelp', () => {
  it('logs in Slack: /mesh, --share, no CLI-only options or examples', () => {
    const help = commandHelp(specNamed('logs'), 'slack');
    expect(help).toMatch(/^Usage: \/mesh logs \[TARGET\.\.\.\] \[options\]$/m);
    expect(help).toMatch(flagPattern('share'));
    for (const cliOnly of ['kubeconfig', 'context', 'file', 'format', 'no-color', 'max-log-requests']) {
      expect(help).not.toMatch(flagPattern(cliOnly));
    }
    expect(help).not.toContain('-f, ');
    expect(help).not.toContain('-o, ');
    const examples = examplesOf(help, 'slack');
    expect(examples.length).toBeGreaterThan(0);
    for (const e of examples) expect(e).not.toMatch(/--file|-f /);
    expect(help).not.toContain('meshbot logs');
  });

  it('logs on the CLI: meshbot, --kubeconfig and --file, no --share', () => {
    const help = commandHelp(specNamed('logs'), 'cli');
    expect(help).toMatch(/^Usage: meshbot logs \[TARGET\.\.\.\] \[options\]$/m);
    expect(help).toMatch(flagPattern('kubeconfig'));
    expect(help).toContain('-f, --file FILE');
    expect(help).toContain('-o, --format, --output text|json|yaml|wide|slack');
    expect(help).toContain('-n, --namespace NS');
    expect(help).not.toMatch(flagPattern('share'));
    expect(examplesOf(help, 'cli')).toContain('logs --file examples/bookinfo.log');
  });

  it('shows required and optional positionals in the usage line', () => {
    expect(usageLine(specNamed('trace'), 'cli')).toBe('meshbot trace REQUEST_ID [FILE...] [options]');
    expect(usageLine(specNamed('status'), 'slack')).toBe('/mesh status [NS] [options]');
    // The front end's own global options (--no-color, --share) count as options.
    expect(usageLine(specNamed('version'), 'cli')).toBe('meshbot version [options]');
    expect(usageLine(specNamed('help'), 'slack')).toBe('/mesh help [COMMAND] [options]');
  });

  const cases = COMMAND_SPECS.flatMap((spec) =>
    spec.frontEnds.map((frontEnd) => [spec.name, frontEnd] as const),
  );

  it.each(cases)('%s on %s: lists every option it accepts and none it refuses', (name, frontEnd) => {
    const spec = specNamed(name);
    const help = commandHelp(spec, frontEnd);
    const accepted = optionsFor(spec, frontEnd);
    for (const o of accepted) {
      expect(help).toMatch(flagPattern(o.name));
      expect(unwrapped(help)).toContain(o.description);
      if (o.short !== undefined) expect(help).toContain(`-${o.short}, --${o.name}`);
    }
    const refused = spec.options.filter((o) => !accepted.some((a) => a.name === o.name));
    for (const o of refused) expect(unwrapped(help)).not.toContain(o.description);
    for (const p of positionalsFor(spec, frontEnd)) expect(unwrapped(help)).toContain(p.description);
    expect(unwrapped(help)).toContain(spec.summary);
  });

  it.each(cases)('%s on %s: every example shown parses and prepares on that front end', (name, frontEnd) => {
    const examples = examplesOf(commandHelp(specNamed(name), frontEnd), frontEnd);
    for (const example of examples) {
      // A shell pipe is not part of the command.
      const command = example.split(' | ')[0] ?? example;
      const parsed = parseTokens(tokenizeCommandText(command), frontEnd);
      expect(parsed.spec.name).toBe(name);
      expect(() => prepareCommand(parsed, LIMITS)).not.toThrow();
    }
  });

  it('every command has at least one example on each of its front ends', () => {
    for (const spec of COMMAND_SPECS) {
      for (const frontEnd of spec.frontEnds) {
        expect(examplesOf(commandHelp(spec, frontEnd), frontEnd), `${spec.name} on ${frontEnd}`).not.toEqual(
          [],
        );
      }
    }
  });
});

describe('helpFor', () => {
  it.each(FRONT_ENDS)('gives a command its own help on %s', (frontEnd) => {
    expect(helpFor('trace', frontEnd)).toBe(commandHelp(specNamed('trace'), frontEnd));
  });

  it.each<[string | undefined, FrontEnd]>([
    [undefined, 'cli'],
    ['nope', 'cli'],
    ['parse', 'slack'],
    ['version', 'slack'],
  ])('falls back to the command list for %j on %s', (topic, frontEnd) => {
    expect(helpFor(topic, frontEnd)).toBe(generalHelp(frontEnd));
  });
});

describe('help wrapped to the width', () => {
  const helps = (width: number | undefined) =>
    FRONT_ENDS.flatMap((frontEnd) => [
      helpFor(undefined, frontEnd, width),
      ...COMMAND_SPECS.filter((s) => s.frontEnds.includes(frontEnd)).map((s) =>
        helpFor(s.name, frontEnd, width),
      ),
    ]);

  it.each([60, 80, 100, 140])(
    'no line is wider than %i, but for a usage line, an example or one long word',
    (width) => {
      for (const help of helps(width)) {
        let inExamples = false;
        for (const line of help.split('\n')) {
          if (line === 'Examples:') inExamples = true;
          if (inExamples || line.startsWith('Usage: ')) continue;
          if (line.length > width) expect(line.trim(), line).not.toContain(' ');
        }
      }
    },
  );

  it('is 80 columns when the front end gives no width (a pipe, a file)', () => {
    expect(helps(undefined)).toEqual(helps(80));
    expect(generalHelp('cli')).toBe(generalHelp('cli', 80));
  });

  it('uses a wide terminal: a long summary stays on one line', () => {
    const summary = specNamed('enable-logging').summary;
    expect(summary.length).toBeGreaterThan(80);
    expect(generalHelp('cli', 200)).toContain(summary);
    expect(generalHelp('cli', 80)).not.toContain(summary);
  });

  it('wraps an option description under its own column', () => {
    const lines = commandHelp(specNamed('logs'), 'cli', 80).split('\n');
    const at = lines.findIndex((l) => l.startsWith('  -f, --file FILE'));
    const column = lines[at]?.indexOf('Read saved') ?? -1;
    expect(column).toBeGreaterThan(20);
    const next = lines[at + 1] ?? '';
    expect(next.slice(0, column).trim()).toBe('');
    expect(next[column]).not.toBe(' ');
    expect(unwrapped(`${lines[at]} ${next}`)).toContain(specNamed('logs').options[0]?.description ?? '?');
  });

  it('puts the description under a flag too wide for the column', () => {
    const lines = commandHelp(specNamed('logs'), 'cli', 80).split('\n');
    const at = lines.findIndex((l) => l.startsWith('  -o, --format, --output'));
    expect(lines[at]).toBe('  -o, --format, --output text|json|yaml|wide|slack');
    expect(lines[at + 1]).toMatch(/^ {36}Output: text \(default\)/);
  });

  it('lists the global options once in the general help, as they may come before the command', () => {
    const help = generalHelp('cli', 100);
    for (const flag of [
      '--no-color',
      '--wide',
      '--kubeconfig FILE',
      '--context NAME',
      '-o, --format, --output',
    ]) {
      expect(help).toContain(flag);
    }
    expect(help).toContain('meshbot -o json status');
    expect(generalHelp('slack', 100)).toContain('--share');
    expect(generalHelp('slack', 100)).not.toContain('--kubeconfig');
  });
});
