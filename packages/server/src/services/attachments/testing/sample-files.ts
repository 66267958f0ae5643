import { randomUUID } from 'node:crypto';

/** Small real files for attachment tests: valid signatures, made by hand. */

const base64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));
const text = (s: string) => new TextEncoder().encode(s);
const join = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));

/** A 1×1 PNG. */
export const PNG = base64(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
);

/** A 1×1 GIF. */
export const GIF = base64('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7');

/** A GIF that is also an HTML page with a script (a polyglot). */
export const GIF_WITH_HTML = join(
  GIF,
  text('<html><script>alert(document.cookie)</script></html>'),
);

/** A PNG with a ZIP archive appended (a polyglot). */
export const PNG_WITH_ZIP = join(PNG, text('PK\u0003\u0004\u0014\u0000\u0000\u0000hidden.exe'));

/** The start of a Windows executable. */
export const EXE = join(
  new Uint8Array([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00]),
  new Uint8Array(64),
);

/** The start of a Linux executable. */
export const ELF = join(
  new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]),
  new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x00, 0x3e, 0x00, 0x01, 0x00, 0x00, 0x00]),
  new Uint8Array(48),
);

/** A Visa test number (Luhn-valid). */
export const VISA = '4111 1111 1111 1111';

/**
 * A minimal valid PDF with one line of text (Helvetica), with a correct cross-reference table.
 */
export function pdfWithText(line: string): Uint8Array {
  const escaped = line.replace(/[\\()]/g, (c) => `\\${c}`);
  const stream = `BT /F1 12 Tf 72 720 Td (${escaped}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  out += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return text(out);
}

/** Looks like a PDF, is not one: PDF.js cannot read it. */
export const BROKEN_PDF = text('%PDF-1.4\nthis is not really a pdf at all\n%%EOF\n');

export interface Part {
  readonly field?: string;
  /** Sent as filename*=UTF-8''… so any character (control, bidi) reaches the server. */
  readonly fileName?: string;
  readonly type?: string;
  readonly data: Uint8Array | string;
}

/** A multipart/form-data body, built by hand as a browser would send it. */
export function multipartBody(parts: readonly Part[]): {
  payload: Buffer;
  headers: Record<string, string>;
} {
  const boundary = `----parlour${randomUUID()}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const name = part.field ?? 'file';
    let disposition = `form-data; name="${name}"`;
    if (part.fileName !== undefined)
      disposition += `; filename*=UTF-8''${encodeURIComponent(part.fileName)}`;
    const headers = [`Content-Disposition: ${disposition}`];
    if (part.type !== undefined) headers.push(`Content-Type: ${part.type}`);
    chunks.push(Buffer.from(`--${boundary}\r\n${headers.join('\r\n')}\r\n\r\n`));
    chunks.push(typeof part.data === 'string' ? Buffer.from(part.data) : Buffer.from(part.data));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}
