// Keeps the layers pointing inward (see README, Architecture): the pure core never imports an SDK,
// node I/O, or an adapter. Run by `npm run lint`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const PURE = [
  'src/accesslog',
  'src/analysis',
  'src/render',
  'src/commands',
  'src/core',
  'src/demo',
  'src/istio-logging',
];
const FORBIDDEN = [
  [/from ['"]@slack\//, 'a Slack SDK'],
  [/from ['"]@kubernetes\//, 'the Kubernetes client'],
  [/from ['"](node:)?(fs|fs\/promises|net|http|https|child_process|os)['"]/, 'node I/O'],
  [/from ['"]\.\.\/(cli|kubernetes|slack|kube-sim)\//, 'an adapter'],
];

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory()
      ? files(path)
      : path.endsWith('.ts') && !path.endsWith('.test.ts')
        ? [path]
        : [];
  });
}

const problems = [];
for (const dir of PURE) {
  let list = [];
  try {
    list = files(join(root, dir));
  } catch {
    continue;
  }
  for (const file of list) {
    const text = readFileSync(file, 'utf8');
    for (const [pattern, what] of FORBIDDEN) {
      if (pattern.test(text)) problems.push(`${relative(root, file)} imports ${what}; ${dir} must stay pure`);
    }
  }
}
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`layers: ${PURE.join(', ')} are pure`);
