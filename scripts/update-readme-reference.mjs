// Rewrites README.md's "Command reference" from the command table (src/commands/command-table.ts), between
// its BEGIN/END GENERATED markers, then lets Biome lay its tables out. Run by `npm run docs`, which builds
// dist/ first; test/docs.test.ts fails while README.md and the table differ.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const { normalizeMarkdownTables, withCommandReference } = await import(
  '../dist/commands/command-reference.js'
);
const path = new URL('../README.md', import.meta.url);
const before = readFileSync(path, 'utf8');
const after = withCommandReference(before);
const changed = normalizeMarkdownTables(after) !== normalizeMarkdownTables(before);
writeFileSync(path, after);
execFileSync(
  new URL('../node_modules/.bin/biome', import.meta.url).pathname,
  ['format', '--write', 'README.md'],
  {
    cwd: new URL('..', import.meta.url).pathname,
    stdio: ['ignore', 'ignore', 'inherit'],
  },
);
console.log(
  changed
    ? 'README.md: command reference rewritten from src/commands/command-table.ts'
    : 'README.md: the command reference is up to date',
);
