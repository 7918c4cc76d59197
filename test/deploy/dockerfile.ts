/**
 * A small reader and linter for the Dockerfile (there is no Docker engine on the machines that test this):
 * instructions by stage, and the hadolint-style rules meshbot's image keeps, each with its hadolint code
 * where there is one.
 */

export interface Instruction {
  keyword: string;
  args: string;
  line: number;
}
export interface Stage {
  from: string;
  name?: string;
  instructions: Instruction[];
}
export interface Dockerfile {
  args: Record<string, string>;
  stages: Stage[];
}

export function parseDockerfile(text: string): Dockerfile {
  const args: Record<string, string> = {};
  const stages: Stage[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let line = lines[i] ?? '';
    if (/^\s*(#|$)/.test(line)) continue;
    while (line.endsWith('\\') && i + 1 < lines.length) {
      i += 1;
      line = `${line.slice(0, -1)} ${(lines[i] ?? '').trim()}`;
    }
    const m = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line);
    if (m === null) throw new Error(`Dockerfile line ${start + 1}: not an instruction: ${line}`);
    const instruction = {
      keyword: (m[1] as string).toUpperCase(),
      args: (m[2] as string).trim(),
      line: start + 1,
    };
    if (instruction.keyword === 'FROM') {
      const [from = '', , name] = instruction.args.split(/\s+/);
      stages.push({ from, ...(name ? { name } : {}), instructions: [] });
    } else if (stages.length === 0 && instruction.keyword === 'ARG') {
      const [key = '', value = ''] = instruction.args.split('=', 2);
      args[key] = value;
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return { args, stages };
}

/** `${NAME}` and `$NAME` from the global ARGs. */
export function expand(text: string, args: Record<string, string>): string {
  return text.replace(
    /\$\{(\w+)\}|\$(\w+)/g,
    (_, a: string | undefined, b: string | undefined) => args[a ?? b ?? ''] ?? '',
  );
}

/** Exec form (`["node", "x"]`) as an array, or null for shell form. */
export function execForm(args: string): string[] | null {
  if (!args.startsWith('[')) return null;
  const parsed: unknown = JSON.parse(args);
  return Array.isArray(parsed) && parsed.every((p) => typeof p === 'string') ? parsed : null;
}

const SECRET_NAME = /TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|PRIVATE/i;

/** The rules, as problems (empty: clean). */
export function lintDockerfile(file: Dockerfile): string[] {
  const problems: string[] = [];
  const final = file.stages.at(-1);
  if (final === undefined || file.stages.length < 2)
    problems.push('multi-stage: build and runtime stages apart');
  for (const stage of file.stages) {
    const image = expand(stage.from, file.args);
    const tag = /^[^:@]+(?::([^@]+))?(?:@(sha256:[0-9a-f]{64}))?$/.exec(image);
    if (tag === null || (tag[2] === undefined && (tag[1] === undefined || tag[1] === 'latest')))
      problems.push(
        `DL3006/DL3007: FROM ${image}: pin the base image by exact version or digest, never latest`,
      );
    else if (tag[2] === undefined && !/^\d+\.\d+\.\d+(-|$)/.test(tag[1] ?? ''))
      problems.push(`FROM ${image}: pin an exact version (MAJOR.MINOR.PATCH), not a moving tag`);
    const node = /^node:(\d+)\./.exec(image);
    if (node === null || !['22', '24'].includes(node[1] ?? ''))
      problems.push(`FROM ${image}: use Node 22 or 24 LTS`);
    for (const i of stage.instructions) {
      if (i.keyword === 'ADD') problems.push(`DL3020 line ${i.line}: use COPY, not ADD`);
      if (i.keyword === 'WORKDIR' && !i.args.startsWith('/'))
        problems.push(`DL3000 line ${i.line}: WORKDIR must be absolute`);
      if (i.keyword === 'RUN' && /\bnpm\s+(install|i)\b/.test(i.args))
        problems.push(`DL3016 line ${i.line}: use npm ci (the lockfile), not npm install`);
      if (i.keyword === 'RUN' && /\bnpm\s+ci\b/.test(i.args) && !i.args.includes('--ignore-scripts'))
        problems.push(
          `line ${i.line}: npm ci --ignore-scripts (the prepare script builds with the dev dependencies)`,
        );
      if ((i.keyword === 'ENV' || i.keyword === 'ARG') && SECRET_NAME.test(i.args.split(/[=\s]/)[0] ?? ''))
        problems.push(
          `line ${i.line}: no secrets in ${i.keyword}; they come from the environment at run time`,
        );
      if (i.keyword === 'RUN' && /\bsudo\b/.test(i.args)) problems.push(`DL3004 line ${i.line}: no sudo`);
      if (i.keyword === 'RUN' && /\bcurl\b.*\|\s*(ba)?sh/.test(i.args))
        problems.push(`line ${i.line}: no curl | sh`);
    }
  }
  if (final === undefined) return problems;
  const last = (keyword: string) => final.instructions.filter((i) => i.keyword === keyword).at(-1);
  const user = last('USER')?.args;
  if (user === undefined || /^(root|0)(:|$)/.test(user))
    problems.push('DL3002: the runtime stage must end as a non-root USER');
  else if (!/^\d+(:\d+)?$/.test(user))
    problems.push('USER by numeric id, so Kubernetes can check runAsNonRoot without running the image');
  for (const keyword of ['CMD', 'ENTRYPOINT']) {
    const i = last(keyword);
    if (i === undefined) problems.push(`the runtime stage needs ${keyword}`);
    else if (execForm(i.args) === null)
      problems.push(`DL3025 line ${i.line}: ${keyword} in exec form (JSON array)`);
  }
  const health = last('HEALTHCHECK');
  const healthCmd = health === undefined ? null : execForm(health.args.replace(/^(--\S+\s+)*CMD\s+/, ''));
  if (healthCmd === null || !healthCmd.join(' ').includes('/healthz'))
    problems.push('the runtime stage needs a HEALTHCHECK on /healthz, in exec form');
  if (final.instructions.some((i) => i.keyword === 'RUN' && /\bnpm\b/.test(i.args)))
    problems.push('the runtime stage runs no npm: it copies what the other stages built');
  return problems;
}
