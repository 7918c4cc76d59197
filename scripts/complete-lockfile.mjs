// The npm mirror this project is built against serves only the Linux builds of Biome's platform
// binaries, so `npm install` leaves the other platforms out of package-lock.json and `npm ci` then
// refuses the lock as out of sync. This adds the missing optional, platform-gated entries (npm skips
// them without downloading on other platforms). Run after any `npm install` that rewrites the lock:
//   node scripts/complete-lockfile.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const packages = lock.packages;
const biome = packages['node_modules/@biomejs/biome'];
const template = packages['node_modules/@biomejs/cli-linux-x64'];
if (!biome || !template) throw new Error('package-lock.json has no @biomejs/biome with its linux-x64 binary');

let added = 0;
for (const name of Object.keys(biome.optionalDependencies ?? {})) {
  const key = `node_modules/${name}`;
  if (packages[key]) continue;
  const [, os, cpu, libc] = /@biomejs\/cli-([a-z0-9]+)-([a-z0-9]+)(?:-(musl))?$/.exec(name) ?? [];
  if (!os || !cpu) continue;
  packages[key] = {
    version: biome.optionalDependencies[name],
    cpu: [cpu],
    dev: true,
    ...(libc ? { libc: [libc] } : {}),
    license: template.license,
    optional: true,
    os: [os],
    ...(template.engines ? { engines: template.engines } : {}),
  };
  added++;
}
lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package-lock.json: added ${added} missing optional platform entries`);
