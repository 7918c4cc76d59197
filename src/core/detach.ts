/**
 * @module core/detach
 * Strings that outlive the chunk of input they were read from. V8 implements `slice` (of 13 or more
 * characters) as a view on the parent string, so one request id kept in a summary would keep its whole
 * 64 KiB chunk of log text alive; two thousand flows, each first seen in a different chunk, would keep
 * 128 MB. Whatever a summary keeps past the entry it came from goes through `detach`.
 */

/** `text` in memory of its own (short strings are copies already). */
export function detach(text: string): string {
  if (text.length < 13) return text;
  // Concatenation makes a rope; slicing a rope flattens it into a new string, then views that.
  return ` ${text}`.slice(1);
}
