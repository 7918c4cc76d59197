/**
 * @module commands/ports
 * What commands need from the outside world, as small interfaces. The CLI gives files and stdin; the
 * Kubernetes adapter gives pod logs; tests give arrays. Commands never import an SDK or `node:fs`.
 */

/** Somewhere log text comes from: a file, stdin, or one pod's `istio-proxy` container. */
export interface LogSource {
  /** Shown to the user and used as the entries' `source` (a file name, `-`, or `namespace/pod`). */
  readonly name: string;
  /** The pod this source is, when known (live cluster reads); becomes the entries' `origin`. */
  readonly origin?: string | undefined;
  /** The text, in chunks of any size. May reject with a MeshbotError. */
  read(): AsyncIterable<string>;
}

/** Milliseconds since the epoch. Injected so tests and `--since` are deterministic. */
export type Clock = () => number;

/** A source that yields fixed text (tests, Slack file uploads). */
export function textSource(name: string, text: string, origin?: string): LogSource {
  return {
    name,
    origin,
    async *read() {
      yield text;
    },
  };
}
