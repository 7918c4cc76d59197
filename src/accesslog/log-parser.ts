/**
 * @module accesslog/log-parser
 * Turns a stream of text chunks into parse results, one per record, in input order. Handles line
 * splitting across chunks, `\r\n`, prefixes, CRI partial lines, JSON pretty-printed across many lines,
 * lines longer than the limit (dropped without buffering them), binary data and a truncated last line.
 * Pure and push-based: the caller feeds chunks (from a file, stdin or a pod log) and reads the sink.
 */
import type { RecordParser } from './custom-format.js';
import type { ParseResult, SkipReason } from './entry.js';
import { parseJsonObjectRecord, parseJsonRecord } from './parse-json.js';
import { parseTextRecord } from './parse-text.js';
import { stripPrefixes } from './strip-prefix.js';
import { parseZtunnelText } from './ztunnel.js';

export interface LogParserOptions {
  /** A compiled `--log-format`; tried first on every record, the built-in formats after it. */
  customParser?: RecordParser | undefined;
  /** Records for which this returns false are dropped before parsing (cheap request-id filtering). */
  prefilter?: ((text: string) => boolean) | undefined;
  /** Longest physical line kept, in UTF-16 code units (default 1 MiB). */
  maxLineLength?: number | undefined;
  /** Longest pretty-printed JSON record, in lines (default 2000). */
  maxRecordLines?: number | undefined;
  /**
   * Read every line the general way (for the test that holds the two ways to the same results): each
   * line sliced out of its chunk first, and JSON records through `JSON.parse` instead of the scanner.
   */
  general?: boolean | undefined;
}

export type ResultSink = (result: ParseResult) => void;

export interface ParseStats {
  lines: number;
  entries: number;
  /** ztunnel connection records (issue 14): neither entries nor skipped. */
  connections: number;
  /** Dropped by the prefilter (not skipped: they were never looked at). */
  filtered: number;
  skipped: Record<SkipReason, number>;
  /**
   * Of the `not_access_log` lines, those that are a log's lines all the same (a time or a level first: the
   * proxy's own log). With none of these and no entry, the input is not a proxy log at all.
   */
  log_lines: number;
}

const DEFAULT_MAX_LINE = 1 << 20;
const DEFAULT_MAX_RECORD_LINES = 2000;
// biome-ignore lint/suspicious/noControlCharactersInRegex: detecting binary input is the point.
const BINARY = /[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]|\uFFFD/;
/**
 * The start of a log line that is not an access-log entry: an ISO time (istio-agent's `2026-…Z\tinfo\t…`,
 * Emissary diagd's `2021-01-07 14:41:12 diagd …`), klog's `I1121 08:59:58`, a level and a tab, or logrus's
 * `time="2021-01-07 14:40:12" level=error …` / `level=info …`.
 */
const LOG_LINE =
  /^(?:\d{4}-\d\d-\d\d[T ]\d\d:\d\d|[IWEF]\d{4} \d\d:\d\d:\d\d|(?:info|warn|warning|error|debug|critical)\t|time="\d{4}-\d\d-\d\d|level=[a-z])/i;

interface PendingJson {
  parts: string[];
  length: number;
  line: number;
  origin: string | null;
  depth: number;
  inString: boolean;
  escaped: boolean;
}

export class LogParser {
  readonly stats: ParseStats = {
    lines: 0,
    entries: 0,
    connections: 0,
    filtered: 0,
    skipped: { blank: 0, not_access_log: 0, malformed: 0, too_long: 0, binary: 0, truncated: 0 },
    log_lines: 0,
  };
  private carry = '';
  private dropping = false;
  private criPartial: { text: string; line: number; origin: string | null } | null = null;
  private json: PendingJson | null = null;
  private readonly maxLine: number;
  private readonly maxRecordLines: number;

  constructor(
    private readonly source: string,
    private readonly sink: ResultSink,
    private readonly options: LogParserOptions = {},
  ) {
    this.maxLine = options.maxLineLength ?? DEFAULT_MAX_LINE;
    this.maxRecordLines = options.maxRecordLines ?? DEFAULT_MAX_RECORD_LINES;
  }

  /** Feeds the next chunk of text. */
  push(chunk: string): void {
    const general = this.options.general === true;
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf('\n', start);
      if (nl < 0) break;
      if (this.dropping) {
        this.dropping = false;
        this.carry = '';
      } else if (this.carry !== '') {
        const line = this.carry + chunk.slice(start, nl);
        this.carry = '';
        this.physicalLine(line, 0, line.length, false);
      } else if (general) {
        const line = chunk.slice(start, nl);
        this.physicalLine(line, 0, line.length, false);
      } else {
        // Read in place: a line is a range of the chunk until something needs it as a string.
        this.physicalLine(chunk, start, nl, false);
      }
      start = nl + 1;
    }
    if (start < chunk.length && !this.dropping) {
      this.carry = this.carry === '' ? chunk.slice(start) : this.carry + chunk.slice(start);
      if (this.carry.length > this.maxLine) {
        this.carry = '';
        this.dropping = true;
        this.stats.lines++;
        this.skip('too_long');
      }
    }
  }

  /** Ends the input: flushes a last line without newline and any unfinished record. */
  end(): void {
    if (!this.dropping && this.carry !== '') {
      const line = this.carry;
      this.carry = '';
      this.physicalLine(line, 0, line.length, true);
    }
    this.dropping = false;
    if (this.criPartial !== null) {
      const { text, line, origin } = this.criPartial;
      this.criPartial = null;
      this.logicalLine(text, 0, text.length, line, origin, true);
    }
    if (this.json !== null) {
      this.json = null;
      this.skip('truncated');
    }
  }

  private skip(reason: SkipReason): void {
    this.stats.skipped[reason]++;
    this.sink({ ok: false, reason });
  }

  /** The physical line `text[start, end)` (without its newline). */
  private physicalLine(text: string, start: number, end: number, last: boolean): void {
    const lineNo = ++this.stats.lines;
    const to = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    // Fast path: a bare TEXT record (`[2…`) has no prefix to strip; most lines are one.
    if (
      this.criPartial === null &&
      this.json === null &&
      text.charCodeAt(start) === 91 &&
      isDigit(text.charCodeAt(start + 1)) &&
      start + 1 < to
    ) {
      this.logicalLine(text, start, to, lineNo, null, last);
      return;
    }
    const line = start === 0 && to === text.length ? text : text.slice(start, to);
    const stripped = stripPrefixes(line);
    if (stripped.partial || this.criPartial !== null) {
      // CRI splits long lines into `P` parts ended by an `F` part.
      const prev = this.criPartial;
      const joined = prev === null ? stripped.text : prev.text + stripped.text;
      if (joined.length > this.maxLine) {
        this.criPartial = null;
        this.skip('too_long');
        return;
      }
      if (stripped.partial) {
        this.criPartial = {
          text: joined,
          line: prev?.line ?? lineNo,
          origin: prev?.origin ?? stripped.origin,
        };
        return;
      }
      this.criPartial = null;
      this.logicalLine(joined, 0, joined.length, prev?.line ?? lineNo, prev?.origin ?? stripped.origin, last);
      return;
    }
    const rest = stripped.text;
    this.logicalLine(rest, 0, rest.length, lineNo, stripped.origin, last);
  }

  /** The record `text[start, end)`: the whole of `text`, or a line of the chunk read in place. */
  private logicalLine(
    text: string,
    start: number,
    end: number,
    lineNo: number,
    origin: string | null,
    last: boolean,
  ): void {
    const whole = start === 0 && end === text.length;
    if (this.json !== null) {
      const line = whole ? text : text.slice(start, end);
      if (startsTextRecord(line)) {
        // A new record began before the JSON object closed: the object was cut.
        this.json = null;
        this.skip('malformed');
      } else {
        this.continueJson(line);
        return;
      }
    }
    const c0 = text.charCodeAt(start);
    const custom = this.options.customParser;
    // The custom format recognised the line but found it damaged: that wins over "not an access log".
    let customMalformed = false;
    if (custom !== undefined && c0 !== 123) {
      const line = whole ? text : text.slice(start, end);
      if (!this.passes(line)) return;
      const result = custom(line, this.source, lineNo, origin);
      if (result.ok) {
        this.emit(result);
        return;
      }
      customMalformed = result.reason === 'malformed';
    }
    if (c0 === 91 /* [ */) {
      if (this.options.prefilter !== undefined && !this.passes(whole ? text : text.slice(start, end))) return;
      const result = parseTextRecord(text, this.source, lineNo, origin, start, end);
      if (!result.ok && customMalformed) {
        this.emit({ ok: false, reason: 'malformed' });
        return;
      }
      this.emit(
        result.ok || !last || result.reason !== 'malformed' ? result : { ok: false, reason: 'truncated' },
      );
      return;
    }
    if (c0 === 123 /* { */) {
      const close = lastNonSpace(text, start, end);
      if (text.charCodeAt(close) === 125 /* } */) {
        const result = this.parseJson(text, start, end, lineNo, origin);
        if (result === null) return;
        this.emit(
          result.ok || !last || result.reason !== 'malformed' ? result : { ok: false, reason: 'truncated' },
        );
        return;
      }
      const line = whole ? text : text.slice(start, end);
      this.json = { parts: [], length: 0, line: lineNo, origin, depth: 0, inString: false, escaped: false };
      this.continueJson(line);
      if (last && this.json !== null) {
        this.json = null;
        this.skip('truncated');
      }
      return;
    }
    const line = whole ? text : text.slice(start, end);
    if (line.trim() === '') {
      this.skip('blank');
      return;
    }
    // ztunnel's access records (issue 14): `<time>\t<level>\taccess\t…`, decided from the first words.
    const connection = parseZtunnelText(line, this.source, lineNo, origin);
    if (connection !== null) {
      if (!this.passes(line)) return;
      this.emit(connection.ok || !last ? connection : { ok: false, reason: 'truncated' });
      return;
    }
    const reason = BINARY.test(line) ? 'binary' : customMalformed ? 'malformed' : 'not_access_log';
    if (reason === 'not_access_log' && LOG_LINE.test(line)) this.stats.log_lines++;
    this.skip(reason);
  }

  /**
   * The JSON record `text[start, end)`, read in place unless something needs it as a string (a custom
   * format, the prefilter, the general way); null when the prefilter dropped it.
   */
  private parseJson(
    text: string,
    start: number,
    end: number,
    lineNo: number,
    origin: string | null,
  ): ParseResult | null {
    const { customParser: custom, prefilter, general } = this.options;
    if (custom === undefined && prefilter === undefined && general !== true) {
      return parseJsonRecord(text, this.source, lineNo, origin, undefined, start, end);
    }
    const record = start === 0 && end === text.length ? text : text.slice(start, end);
    if (!this.passes(record)) return null;
    if (custom !== undefined) {
      const result = custom(record, this.source, lineNo, origin);
      if (result.ok) return result;
    }
    if (general === true) return parseJsonObjectRecord(record, this.source, lineNo, origin);
    return parseJsonRecord(record, this.source, lineNo, origin);
  }

  private continueJson(text: string): void {
    const json = this.json;
    if (json === null) return;
    json.parts.push(text);
    json.length += text.length + 1;
    if (json.length > this.maxLine || json.parts.length > this.maxRecordLines) {
      this.json = null;
      this.skip('too_long');
      return;
    }
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (json.inString) {
        if (json.escaped) json.escaped = false;
        else if (c === 92 /* \ */) json.escaped = true;
        else if (c === 34) json.inString = false;
      } else if (c === 34) json.inString = true;
      else if (c === 123) json.depth++;
      else if (c === 125) {
        json.depth--;
        if (json.depth === 0) {
          this.json = null;
          const record = json.parts.join('\n');
          const result = this.parseJson(record, 0, record.length, json.line, json.origin);
          if (result !== null) this.emit(result);
          return;
        }
      }
    }
  }

  private passes(text: string): boolean {
    const prefilter = this.options.prefilter;
    if (prefilter === undefined || prefilter(text)) return true;
    this.stats.filtered++;
    return false;
  }

  private emit(result: ParseResult): void {
    if (result.ok) {
      if (result.connection !== undefined) this.stats.connections++;
      else this.stats.entries++;
      this.sink(result);
    } else {
      this.skip(result.reason);
    }
  }
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function startsTextRecord(text: string): boolean {
  const c1 = text.charCodeAt(1);
  return text.charCodeAt(0) === 91 && c1 >= 48 && c1 <= 57;
}

/** The last character of `text[start, end)` that is not a space or a tab (`start` when there is none). */
function lastNonSpace(text: string, start: number, end: number): number {
  let i = end - 1;
  while (i > start) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9) break;
    i--;
  }
  return i;
}

/** Total of the skipped counts. */
export function skippedTotal(stats: ParseStats): number {
  let total = 0;
  for (const n of Object.values(stats.skipped)) total += n;
  return total;
}
