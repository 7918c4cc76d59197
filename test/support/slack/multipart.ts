/** A small multipart/form-data parser for what undici's `FormData` sends (file uploads to the stand-in). */

export interface MultipartPart {
  /** The `name` in Content-Disposition. */
  name: string | undefined;
  /** The `filename` in Content-Disposition (file parts only). */
  filename: string | undefined;
  contentType: string | undefined;
  data: Buffer;
}

/** The boundary named by a `multipart/form-data; boundary=…` content type, if it is one. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (contentType === undefined || !/^multipart\/form-data\b/i.test(contentType)) return undefined;
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

/** Splits a multipart body into its parts; throws on a body that does not use `boundary`. */
export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let at = body.indexOf(delimiter);
  if (at === -1) throw new Error(`multipart body without boundary ${boundary}`);
  for (;;) {
    let start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString('latin1') === '--') break;
    if (body.subarray(start, start + 2).toString('latin1') === '\r\n') start += 2;
    const next = body.indexOf(delimiter, start);
    if (next === -1) throw new Error('multipart body without a closing boundary');
    const end = body.subarray(next - 2, next).toString('latin1') === '\r\n' ? next - 2 : next;
    parts.push(parsePart(body.subarray(start, end)));
    at = next;
  }
  return parts;
}

function parsePart(part: Buffer): MultipartPart {
  const headerEnd = part.indexOf('\r\n\r\n');
  const headerText = headerEnd === -1 ? '' : part.subarray(0, headerEnd).toString('utf8');
  const data = headerEnd === -1 ? part : part.subarray(headerEnd + 4);
  let name: string | undefined;
  let filename: string | undefined;
  let contentType: string | undefined;
  for (const line of headerText.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon === -1) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === 'content-type') contentType = value;
    if (key === 'content-disposition') {
      name = /\bname="([^"]*)"/i.exec(value)?.[1];
      filename = /\bfilename="([^"]*)"/i.exec(value)?.[1];
    }
  }
  return { name, filename, contentType, data: Buffer.from(data) };
}
