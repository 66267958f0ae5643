import { extractText, getDocumentProxy } from 'unpdf';

/**
 * The text of a PDF, to scan for card data; null when it cannot be read (corrupt, encrypted): the
 * caller then treats the file as unscannable. PDF.js recovers what it can from a damaged file (as
 * a viewer would), runs in-process without a worker and with eval off, on a copy of the bytes
 * (PDF.js may take ownership of the buffer it is given).
 */
export async function extractPdfText(bytes: Uint8Array): Promise<string | null> {
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>> | null = null;
  try {
    pdf = await getDocumentProxy(new Uint8Array(bytes), {
      verbosity: 0,
      isEvalSupported: false,
      useSystemFonts: false,
    });
    const { text } = await extractText(pdf, { mergePages: true });
    return text;
  } catch {
    return null;
  } finally {
    await pdf?.destroy().catch(() => undefined);
  }
}
