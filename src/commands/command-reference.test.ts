import { describe, expect, it } from 'vitest';
import {
  commandReference,
  describedDefault,
  normalizeMarkdownTables,
  REFERENCE_BEGIN,
  REFERENCE_END,
  valueKindText,
  withCommandReference,
} from './command-reference.js';
import type { CommandSpec } from './command-spec.js';

describe('describedDefault', () => {
  it.each([
    ['How far back to read pod logs (default 1h)', 'How far back to read pod logs', '1h'],
    ['Namespace of TARGET (default: the context namespace)', 'Namespace of TARGET', 'the context namespace'],
    [
      'Namespace to search (repeatable; default: the context namespace); gateways are always searched',
      'Namespace to search (repeatable); gateways are always searched',
      'the context namespace',
    ],
    ['How long, e.g. 30m (default and maximum: 4h)', 'How long, e.g. 30m', '4h'],
    ['Every namespace (the default)', 'Every namespace', 'on'],
    ['Output: text (default), json or yaml', 'Output: text, json or yaml', 'text'],
    ['Kubeconfig context to use', 'Kubeconfig context to use', undefined],
  ])('%s', (text, description, value) => {
    expect(describedDefault(text)).toEqual({ description, default: value });
  });
});

describe('valueKindText', () => {
  it('says what each kind of value is', () => {
    expect(valueKindText({ name: 'tail', kind: 'count', min: 0, unlimited: -1, description: '' })).toBe(
      'count ≥ 0 (-1: no limit)',
    );
    expect(valueKindText({ name: 'n', kind: 'count', min: 1, max: 100, description: '' })).toBe(
      'count 1–100',
    );
    expect(valueKindText({ name: 'm', kind: 'enum', choices: ['a', 'b'], description: '' })).toBe(
      'one of a, b',
    );
    expect(
      valueKindText({
        name: 'dry-run',
        kind: 'boolean',
        values: { client: true, none: false, server: 'refused' },
        description: '',
      }),
    ).toBe('flag, or =client, =none');
  });
});

const SPEC: CommandSpec = {
  name: 'demo',
  summary: 'Do a thing',
  positionals: [{ name: 'FILE', kind: 'file', required: false, variadic: true, description: 'saved logs' }],
  options: [
    { name: 'mode', kind: 'enum', choices: ['a', 'b'], description: 'Which (default b)' },
    { name: 'share', kind: 'boolean', description: 'Post it', frontEnds: ['slack'] },
    { name: 'all-namespaces', short: 'A', kind: 'boolean', description: 'x', refused: 'it reads one' },
  ],
  examples: ['demo x.log'],
  frontEnds: ['cli'],
  mutating: true,
  heavy: false,
};

describe('commandReference', () => {
  const text = commandReference([SPEC]);

  it('lists each option with its value, default, description and front ends, pipes escaped', () => {
    expect(text).toContain('### demo\n\nDo a thing. CLI only; changes the cluster.');
    expect(text).toContain('| `--mode a\\|b` | one of a, b | b | Which | CLI |');
    expect(text).toContain('| `FILE...` | file path, optional | — | saved logs | CLI |');
    expect(text).toContain('Examples: `meshbot demo x.log`');
  });

  it('leaves out refused options and what the command cannot take on its front ends', () => {
    const section = text.slice(text.indexOf('### demo'));
    expect(section).toContain('--mode');
    expect(section).not.toContain('--all-namespaces');
    expect(section).not.toContain('--share');
  });

  it('goes between the README markers, and says where they are missing', () => {
    const readme = `# x\n${REFERENCE_BEGIN}\nold\n${REFERENCE_END}\nrest\n`;
    expect(withCommandReference(readme, 'new\n')).toBe(
      `# x\n${REFERENCE_BEGIN}\nnew\n${REFERENCE_END}\nrest\n`,
    );
    expect(() => withCommandReference('# x\n', 'new\n')).toThrow(/BEGIN GENERATED/);
  });
});

describe('normalizeMarkdownTables', () => {
  it('ignores the padding Biome puts in table rows, escaped pipes kept, and nothing else', () => {
    const aligned = '| name   | value |\n| ------ | ----- |\n| `a\\|b` | x     |\ntext  with  spaces';
    expect(normalizeMarkdownTables(aligned)).toBe(
      '| name | value |\n| --- | --- |\n| `a\\|b` | x |\ntext  with  spaces',
    );
    expect(normalizeMarkdownTables('| a | b |')).not.toBe(normalizeMarkdownTables('| a | c |'));
  });
});
