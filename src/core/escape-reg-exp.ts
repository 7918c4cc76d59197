/**
 * @module core/escape-reg-exp
 * Text to match literally inside a regular expression (format literals, request ids).
 */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
