/**
 * @module cli/sniff-content
 * Tells a text log from gzip and from other binary data by the first bytes (magic numbers, then NUL and
 * control bytes), never by the file's name.
 */

export type ContentKind =
  | { kind: 'text' }
  | { kind: 'gzip' }
  /** `what` names the data; `unpack` is the command that turns compressed data into text, if any. */
  | { kind: 'binary'; what: string; unpack?: string | undefined };

interface Magic {
  at: number;
  bytes: readonly number[];
  what: string;
  unpack?: string;
}

const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));

const MAGIC: readonly Magic[] = [
  { at: 0, bytes: [0x28, 0xb5, 0x2f, 0xfd], what: 'zstd-compressed data', unpack: 'zstd -dc' },
  { at: 0, bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], what: 'xz-compressed data', unpack: 'xz -dc' },
  { at: 0, bytes: ascii('BZh'), what: 'bzip2-compressed data', unpack: 'bzip2 -dc' },
  { at: 0, bytes: [0x04, 0x22, 0x4d, 0x18], what: 'lz4-compressed data', unpack: 'lz4 -dc' },
  { at: 0, bytes: [0x50, 0x4b, 0x03, 0x04], what: 'a zip archive', unpack: 'unzip -p' },
  { at: 0, bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], what: 'a 7-Zip archive', unpack: '7z x -so' },
  { at: 257, bytes: ascii('ustar'), what: 'a tar archive', unpack: 'tar -xOf' },
  { at: 0, bytes: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image' },
  { at: 0, bytes: [0xff, 0xd8, 0xff], what: 'a JPEG image' },
  { at: 0, bytes: ascii('GIF8'), what: 'a GIF image' },
  { at: 0, bytes: ascii('%PDF-'), what: 'a PDF document' },
  { at: 0, bytes: [0x7f, 0x45, 0x4c, 0x46], what: 'an executable' },
];

function startsWith(head: Uint8Array, magic: Magic): boolean {
  if (head.length < magic.at + magic.bytes.length) return false;
  return magic.bytes.every((b, i) => head[magic.at + i] === b);
}

/**
 * What `head` (the first bytes of an input, up to a few KiB) is. Text: no NUL byte and under 5% of other
 * control bytes (tab, newlines, form feed and ESC, which coloured tool output uses, are text). Leading NUL
 * bytes are not counted: a log truncated in place by `logrotate copytruncate` starts with them, and the
 * parser counts those lines as binary.
 */
export function sniffContent(head: Uint8Array): ContentKind {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return { kind: 'gzip' };
  for (const magic of MAGIC) {
    if (startsWith(head, magic)) return { kind: 'binary', what: magic.what, unpack: magic.unpack };
  }
  let start = 0;
  while (start < head.length && head[start] === 0) start++;
  let control = 0;
  for (let i = start; i < head.length; i++) {
    const b = head[i] ?? 0;
    if (b === 0) return { kind: 'binary', what: 'binary data' };
    if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0c && b !== 0x0d && b !== 0x1b) || b === 0x7f)
      control++;
  }
  const looked = head.length - start;
  return looked > 0 && control * 20 > looked ? { kind: 'binary', what: 'binary data' } : { kind: 'text' };
}
