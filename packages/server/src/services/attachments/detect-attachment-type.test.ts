import { describe, expect, it } from 'vitest';
import { detectAttachmentType } from './detect-attachment-type.js';
import {
  ELF,
  EXE,
  GIF,
  GIF_WITH_HTML,
  PNG,
  PNG_WITH_ZIP,
  pdfWithText,
} from './testing/sample-files.js';

const text = (s: string) => new TextEncoder().encode(s);

async function refusal(bytes: Uint8Array, name: string, declared: string) {
  return detectAttachmentType(bytes, name, declared).then(
    () => null,
    (error: { code: string; message: string }) => error,
  );
}

describe('detectAttachmentType', () => {
  it('finds an image by its signature, whatever it is called', async () => {
    expect(await detectAttachmentType(PNG, 'scan', 'application/octet-stream')).toEqual({
      contentType: 'image/png',
      scan: 'none',
    });
  });

  it('scans PDFs by their text', async () => {
    expect(await detectAttachmentType(pdfWithText('hi'), 'a.pdf', 'application/pdf')).toEqual({
      contentType: 'application/pdf',
      scan: 'pdf',
    });
  });

  it.each([
    ['notes.txt', 'text/plain'],
    ['table.csv', 'text/csv'],
    ['data.json', 'application/json'],
    ['feed.xml', 'application/xml'],
    ['page.html', 'text/html'],
    ['README.md', 'text/markdown'],
    ['no-extension', 'text/plain'],
  ])('types text named %s as %s, to be scanned', async (name, type) => {
    expect(await detectAttachmentType(text('hello, world'), name, 'text/plain')).toEqual({
      contentType: type,
      scan: 'text',
    });
  });

  it('accepts the types clients commonly declare for text (a CSV as an Excel file)', async () => {
    const csv = await detectAttachmentType(text('a,b\n1,2'), 'x.csv', 'application/vnd.ms-excel');
    expect(csv.contentType).toBe('text/csv');
  });

  it('accepts the aliases clients use for an image type', async () => {
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1]);
    expect((await detectAttachmentType(jpeg, 'me.jpeg', 'image/jpg')).contentType).toBe(
      'image/jpeg',
    );
  });

  it('treats bytes that are not UTF-8 as binary, not text', async () => {
    expect((await refusal(new Uint8Array([0xc3, 0x28, 0xa0]), 'x.txt', 'text/plain'))?.code).toBe(
      'attachment/type-not-allowed',
    );
    expect((await refusal(text('a\u0000b'), 'x.txt', 'text/plain'))?.code).toBe(
      'attachment/type-not-allowed',
    );
  });

  it('refuses executables', async () => {
    expect((await refusal(EXE, 'setup.exe', 'application/x-msdownload'))?.code).toBe(
      'attachment/type-not-allowed',
    );
    expect((await refusal(ELF, 'tool', 'application/octet-stream'))?.code).toBe(
      'attachment/type-not-allowed',
    );
  });

  it('refuses text with an extension it does not take (scripts, SVG)', async () => {
    for (const name of ['run.sh', 'app.js', 'logo.svg', 'macro.vbs']) {
      expect((await refusal(text('code'), name, 'text/plain'))?.code, name).toBe(
        'attachment/type-not-allowed',
      );
    }
  });

  it('refuses a file whose extension names another type', async () => {
    const error = await refusal(PNG, 'invoice.pdf', 'application/pdf');
    expect(error?.code).toBe('attachment/type-mismatch');
    expect(error?.message).toContain('.pdf');
    expect(error?.message).toContain('image/png');
  });

  it('refuses text named as an image, naming what it found', async () => {
    const error = await refusal(text('<html><body>hi</body></html>'), 'photo.png', 'image/png');
    expect(error?.code).toBe('attachment/type-mismatch');
    expect(error?.message).toContain('text/html');
  });

  it('refuses a file whose declared type names another type', async () => {
    expect((await refusal(PNG, 'pixel.png', 'image/gif'))?.code).toBe('attachment/type-mismatch');
    expect((await refusal(text('hello'), 'a.txt', 'image/png'))?.code).toBe(
      'attachment/type-mismatch',
    );
  });

  it('never repeats card digits sent in a declared type', async () => {
    const error = await refusal(PNG, 'pixel.png', 'image/4111111111111111');
    expect(error?.message).not.toContain('4111111111111111');
  });

  it('refuses images and PDFs that also carry HTML, script or SVG (polyglots)', async () => {
    expect((await refusal(GIF_WITH_HTML, 'a.gif', 'image/gif'))?.code).toBe('attachment/polyglot');
    for (const marker of ['<svg onload=x>', '<IFRAME src=x>', 'JavaScript:alert(1)']) {
      const bytes = new Uint8Array(Buffer.concat([GIF, Buffer.from(marker)]));
      expect((await refusal(bytes, 'a.gif', 'image/gif'))?.code, marker).toBe(
        'attachment/polyglot',
      );
    }
    const pdf = new Uint8Array(Buffer.concat([pdfWithText('x'), Buffer.from('<script>')]));
    expect((await refusal(pdf, 'a.pdf', 'application/pdf'))?.code).toBe('attachment/polyglot');
  });

  it('refuses an image with an archive after its start (a polyglot)', async () => {
    expect((await refusal(PNG_WITH_ZIP, 'a.png', 'image/png'))?.code).toBe('attachment/polyglot');
  });

  it('accepts a ZIP archive, unscanned', async () => {
    const zip = new Uint8Array(
      Buffer.concat([Buffer.from('PK\u0003\u0004\u0014\u0000\u0000\u0000'), Buffer.alloc(30)]),
    );
    expect(await detectAttachmentType(zip, 'files.zip', 'application/zip')).toEqual({
      contentType: 'application/zip',
      scan: 'none',
    });
  });
});
