/**
 * @module commands/limits
 * Defaults that command specs show in their help and the use cases apply, in a module of their own: the
 * command table is loaded at every start-up, the use cases only by the command that runs (they import
 * the parser, the summary, the trace).
 */

/** Streams `logs --follow` keeps open at once, unless --max-log-requests says otherwise. */
export const DEFAULT_MAX_FOLLOW_STREAMS = 50;
