import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { sniffContent } from './sniff-content.js';

const TEXT_LINE =
  '[2026-11-21T09:00:00.009Z] "GET /details/0 HTTP/1.1" 200 - via_upstream - "-" 0 178 2 2 "-" "curl" "id" "details:9080" "10.0.0.1:9080" inbound|9080|| 127.0.0.6:1 10.0.0.1:9080 10.0.0.2:2 - default\n';

function tarHeader(): Buffer {
  const header = Buffer.alloc(512);
  header.write('access.log', 0);
  header.write('ustar', 257);
  return header;
}

describe('sniffContent', () => {
  it.each<[string, Uint8Array, string]>([
    ['an access log', Buffer.from(TEXT_LINE.repeat(20)), 'text'],
    ['coloured stern output (ESC)', Buffer.from(`\x1b[32msleep-1 istio-proxy\x1b[0m ${TEXT_LINE}`), 'text'],
    ['CRLF lines with tabs and a form feed', Buffer.from('a\tb\r\n\fc\r\n'), 'text'],
    ['UTF-8 text', Buffer.from('2026-11-21T08:59:58Z\tinfo\tEnvoy prêt ✓\n'), 'text'],
    [
      'a log truncated in place (leading NULs)',
      Buffer.concat([Buffer.alloc(4096), Buffer.from(TEXT_LINE)]),
      'text',
    ],
    ['nothing', Buffer.alloc(0), 'text'],
    ['gzip', gzipSync(TEXT_LINE), 'gzip'],
    ['zstd', Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0, 1]), 'zstd-compressed data'],
    ['xz', Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0]), 'xz-compressed data'],
    ['bzip2', Buffer.from('BZh91AY&SY'), 'bzip2-compressed data'],
    ['zip', Buffer.from([0x50, 0x4b, 0x03, 0x04, 20, 0]), 'a zip archive'],
    ['tar', tarHeader(), 'a tar archive'],
    ['PNG', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), 'a PNG image'],
    ['an ELF executable', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]), 'an executable'],
    ['a NUL after text', Buffer.from('abc\x00def'), 'binary data'],
    ['mostly control bytes', Buffer.from('\x01\x02\x03\x04abcdefghijklmn'), 'binary data'],
  ])('%s', (_, head, expected) => {
    const kind = sniffContent(head);
    expect(kind.kind === 'binary' ? kind.what : kind.kind).toBe(expected);
  });

  it('names the command that decompresses what it can', () => {
    expect(sniffContent(Buffer.from([0x28, 0xb5, 0x2f, 0xfd]))).toMatchObject({ unpack: 'zstd -dc' });
    expect(sniffContent(tarHeader())).toMatchObject({ unpack: 'tar -xOf' });
    expect(sniffContent(Buffer.from([0x89, 0x50, 0x4e, 0x47]))).toEqual({
      kind: 'binary',
      what: 'a PNG image',
      unpack: undefined,
    });
  });
});
