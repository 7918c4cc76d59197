/**
 * @module accesslog/strip-prefix
 * Removes what log tools put in front of a proxy's line: `kubectl logs --timestamps` / `timestamps=true`
 * (`<RFC3339Nano> `), the CRI node-log format (`<ts> stdout F `), `kubectl logs --prefix`
 * (`[pod/NAME/CONTAINER] `), stern/kubetail (`[NAME CONTAINER] `, `NAME CONTAINER `), ANSI colours, and the
 * literal `ACCESS ` Emissary-ingress (Ambassador) writes before Envoy's default format.
 */

export interface StrippedLine {
  /** The line without prefixes. */
  text: string;
  /** The pod named by a tool prefix, if any. */
  origin: string | null;
  /** True for a CRI partial line (`P`): the record continues on the next line. */
  partial: boolean;
}

const MAX_PREFIXES = 4;

/** Strips any number (up to 4) of known prefixes, in any order. Cheap when there is none. */
export function stripPrefixes(line: string): StrippedLine {
  let text = line;
  let origin: string | null = null;
  let partial = false;
  // Colour codes come from tools that print a coloured prefix (stern): only look at the start.
  if (text.charCodeAt(0) === 27) text = stripAnsi(text);
  for (let round = 0; round < MAX_PREFIXES; round++) {
    const c0 = text.charCodeAt(0);
    // Access-log starts: `[2020-…` or `{`. Nothing to strip.
    if (c0 === 123 /* { */) break;
    if (c0 === 91 /* [ */) {
      if (isDigit(text.charCodeAt(1))) break;
      const tool = toolPrefix(text);
      if (tool === null) break;
      origin ??= tool.origin;
      text = tool.rest;
      continue;
    }
    if (isDigit(c0)) {
      const ts = timestampPrefix(text);
      if (ts === null) break;
      text = ts.rest;
      if (ts.partial) partial = true;
      continue;
    }
    if (c0 === 32 /* space */ || c0 === 9 /* tab */) {
      const trimmed = text.trimStart();
      const t0 = trimmed.charCodeAt(0);
      // Indented JSON (pretty-printed) keeps its indentation; only trim before records.
      if (t0 === 91 || t0 === 123) text = trimmed;
      break;
    }
    if (c0 === 65 /* A */ && isAccessPrefix(text)) {
      text = text.slice(ACCESS_PREFIX.length);
      continue;
    }
    const bare = barePodPrefix(text);
    if (bare === null) break;
    origin ??= bare.origin;
    text = bare.rest;
  }
  return { text, origin, partial };
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * Emissary-ingress (Ambassador) writes Envoy's default format behind a literal `ACCESS ` (its `envoy_log_format`
 * default, python/ambassador/src/ambassador/envoy/v3/v3listener.py). Taken off only before a bracketed time.
 */
const ACCESS_PREFIX = 'ACCESS ';

function isAccessPrefix(text: string): boolean {
  return text.startsWith('ACCESS [', 0) && isDigit(text.charCodeAt(ACCESS_PREFIX.length + 1));
}

// 2020-11-22T20:04:54.223086877Z, 2020-11-22T20:04:54Z, 2020-11-22T20:04:54.22+01:00
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:\d\d) /;
const CRI_STREAM = /^(?:stdout|stderr) ([FP]) /;
/**
 * A level word after the time: the time is the line's own (`<time> info    access …`, ztunnel's tabs pasted
 * as runs of spaces; Rust tracing's `<time>  INFO access: …`), not a tool's prefix, and is kept (issue 14).
 */
const OWN_TIME = /^[ \t]{0,8}(?:trace|debug|info|warn|error|TRACE|DEBUG|INFO|WARN|ERROR)[ \t]/;

function timestampPrefix(text: string): { rest: string; partial: boolean } | null {
  const m = TIMESTAMP.exec(text);
  if (m === null) return null;
  const rest = text.slice(m[0].length);
  if (OWN_TIME.test(rest)) return null;
  const cri = CRI_STREAM.exec(rest);
  if (cri !== null) return { rest: rest.slice(cri[0].length), partial: cri[1] === 'P' };
  return { rest, partial: false };
}

// [pod/sleep-abc/istio-proxy] , [sleep-abc istio-proxy] , [sleep-abc]
const BRACKET_PREFIX = /^\[([A-Za-z0-9][-A-Za-z0-9_.]*(?:\/[-A-Za-z0-9_.]+){0,2})(?: ([-A-Za-z0-9_.]+))?\] /;

function toolPrefix(text: string): { rest: string; origin: string } | null {
  const m = BRACKET_PREFIX.exec(text);
  if (m === null) return null;
  const name = m[1] ?? '';
  const parts = name.split('/');
  // pod/NAME/CONTAINER (kubectl --prefix) or NAME/CONTAINER or NAME.
  const origin = parts[0] === 'pod' || parts[0] === 'pods' ? (parts[1] ?? name) : (parts[0] ?? name);
  return { rest: text.slice(m[0].length), origin };
}

// stern's default output: `NAME CONTAINER <line>`; only accepted when a record follows.
const BARE_PREFIX = /^([a-z0-9][-a-z0-9.]*) ([-a-z0-9_.]+) (?=\[\d|\{|\d{4}-|ACCESS \[\d)/;

function barePodPrefix(text: string): { rest: string; origin: string } | null {
  const m = BARE_PREFIX.exec(text);
  if (m === null) return null;
  return { rest: text.slice(m[0].length), origin: m[1] ?? '' };
}

// CSI sequences and two-character escapes.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escapes is the point.
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-Z\\-_]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}
