// Writes a traffic profile's lines to stdout, for ad-hoc runs (after `npm run build`):
//   node scripts/gen-traffic.mjs PROFILE FORMAT LINES [SEED]
//   node scripts/gen-traffic.mjs high-cardinality text 1000000 > /tmp/hc.log
// PROFILE: bookinfo | high-cardinality | incident | gateway | noise; FORMAT: text | json.
import { isProfileName, PROFILE_NAMES, profileLines } from '../dist/demo/traffic-profiles.js';

const [profile, format, lines, seed = '1'] = process.argv.slice(2);
const usage = `usage: node scripts/gen-traffic.mjs PROFILE FORMAT LINES [SEED]
  PROFILE  one of ${PROFILE_NAMES.join(', ')}
  FORMAT   text or json
  LINES    how many lines (a whole number)
  SEED     a whole number (default 1); the same seed gives the same lines`;
const fail = (message) => {
  process.stderr.write(`gen-traffic: ${message}\n${usage}\n`);
  process.exit(2);
};
if (profile === undefined || profile === '--help' || profile === '-h') fail('missing PROFILE');
if (!isProfileName(profile)) fail(`unknown profile "${profile}"`);
if (format !== 'text' && format !== 'json') fail(`FORMAT must be text or json, not "${format ?? ''}"`);
if (!/^\d+$/.test(lines ?? '')) fail(`LINES must be a whole number, not "${lines ?? ''}"`);
if (!/^\d+$/.test(seed)) fail(`SEED must be a whole number, not "${seed}"`);

await writeLines(process.stdout, profileLines(profile, { lines: Number(lines), seed: Number(seed), format }));

/** Writes lines in blocks, waiting for the stream to drain (so a pipe to `head` ends it cleanly). */
export async function writeLines(out, iterable) {
  out.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  let block = [];
  for (const line of iterable) {
    block.push(line);
    if (block.length === 4096) {
      if (!out.write(`${block.join('\n')}\n`)) await new Promise((r) => out.once('drain', r));
      block = [];
    }
  }
  if (block.length > 0) out.write(`${block.join('\n')}\n`);
}
