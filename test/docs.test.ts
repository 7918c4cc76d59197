/** The README stays true: every command the grammar knows is documented, and the quickstart is two commands. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commandsFor } from '../src/commands/command-table.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it.each(commandsFor('cli').map((c) => c.name))('documents `meshbot %s`', (name) => {
    expect(readme).toContain(`meshbot ${name}`);
  });

  it('has a two-command quickstart: the main job on the bundled sample, then npm test', () => {
    const quickstart = readme.slice(readme.indexOf('## Quickstart'));
    const block = /```sh\n([\s\S]*?)```/.exec(quickstart)?.[1] ?? '';
    expect(block.trim().split('\n')).toEqual([
      'npm ci && npx meshbot logs --file examples/bookinfo.log',
      'npm test',
    ]);
  });
});
