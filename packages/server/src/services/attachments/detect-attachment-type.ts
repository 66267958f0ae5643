import { DomainError, redactSensitiveData } from '@parlour/core';
import { fileTypeFromBuffer } from 'file-type';
import { extensionOf } from './sanitize-file-name.js';

/** How the content of an accepted type is scanned for card data. */
export type ScanMethod = 'text' | 'pdf' | 'none';

export interface DetectedType {
  /** The type the bytes are, whatever the client said. */
  readonly contentType: string;
  readonly scan: ScanMethod;
}

interface AllowedType {
  readonly extensions: readonly string[];
  /** What clients call it besides the type itself. */
  readonly aliases: readonly string[];
  readonly scan: ScanMethod;
}

const OOXML = 'application/vnd.openxmlformats-officedocument';

/** Binary types accepted, found by file-type from their signature. */
const BINARY: Readonly<Record<string, AllowedType>> = {
  'image/png': { extensions: ['png'], aliases: ['image/x-png'], scan: 'none' },
  'image/jpeg': {
    extensions: ['jpg', 'jpeg', 'jpe', 'jfif'],
    aliases: ['image/jpg', 'image/pjpeg'],
    scan: 'none',
  },
  'image/gif': { extensions: ['gif'], aliases: [], scan: 'none' },
  'image/webp': { extensions: ['webp'], aliases: [], scan: 'none' },
  'application/pdf': { extensions: ['pdf'], aliases: ['application/x-pdf'], scan: 'pdf' },
  [`${OOXML}.wordprocessingml.document`]: { extensions: ['docx'], aliases: [], scan: 'none' },
  [`${OOXML}.spreadsheetml.sheet`]: { extensions: ['xlsx'], aliases: [], scan: 'none' },
  'application/zip': {
    extensions: ['zip'],
    aliases: ['application/x-zip-compressed', 'application/x-zip', 'multipart/x-zip'],
    scan: 'none',
  },
};

/** Text types accepted: the content is text, the extension says which. */
const TEXT_BY_EXTENSION: Readonly<Record<string, string>> = {
  txt: 'text/plain',
  text: 'text/plain',
  log: 'text/plain',
  csv: 'text/csv',
  json: 'application/json',
  xml: 'application/xml',
  html: 'text/html',
  htm: 'text/html',
  md: 'text/markdown',
  markdown: 'text/markdown',
};

/** What clients declare for text files (spreadsheet programs call CSV an Excel file). */
const TEXT_DECLARED = /^(text\/[a-z0-9.+-]+|application\/(json|xml|csv|x-markdown|vnd\.ms-excel))$/;

/** Declarations that say nothing about the type. */
const GENERIC = new Set(['', 'application/octet-stream', 'binary/octet-stream']);

/** In an image or a PDF, these mean a second format is hiding in it. */
const ACTIVE_MARKERS = ['<script', '<html', '<svg', '<iframe', 'javascript:'];
const ZIP_LOCAL_HEADER = 'PK\u0003\u0004';

const IMAGE_OR_PDF = /^(image\/|application\/pdf$)/;

/**
 * The type of an upload, from its bytes. The type must be one Parlour accepts, and neither the
 * declared type nor the name's extension may contradict it; an image or PDF must not also be
 * HTML, script or an archive (a polyglot).
 */
export async function detectAttachmentType(
  bytes: Uint8Array,
  fileName: string,
  declaredType: string,
): Promise<DetectedType> {
  const extension = extensionOf(fileName);
  const declared = declaredType.split(';')[0]!.trim().toLowerCase();
  const sniffed = await fileTypeFromBuffer(bytes);
  const textual = !sniffed || sniffed.mime === 'application/xml' ? isText(bytes) : false;

  if (textual) {
    const typed = TEXT_BY_EXTENSION[extension] ?? (extension === '' ? 'text/plain' : null);
    const flavour = typed ?? textFlavour(bytes);
    if (!typed) {
      if (allowedExtension(extension)) throw mismatch(`.${extension}`, flavour);
      throw notAllowed(`${dotted(extension)} files`);
    }
    if (!GENERIC.has(declared) && !TEXT_DECLARED.test(declared))
      throw mismatch(shown(declared), flavour);
    return { contentType: typed, scan: 'text' };
  }

  const type = sniffed ? BINARY[sniffed.mime] : undefined;
  if (!sniffed || !type) throw notAllowed(sniffed ? sniffed.mime : 'this kind of file');
  if (extension !== '' && !type.extensions.includes(extension))
    throw mismatch(dotted(extension), sniffed.mime);
  if (!GENERIC.has(declared) && declared !== sniffed.mime && !type.aliases.includes(declared))
    throw mismatch(shown(declared), sniffed.mime);
  if (IMAGE_OR_PDF.test(sniffed.mime) && isPolyglot(bytes)) {
    throw new DomainError(
      'attachment/polyglot',
      `This ${sniffed.mime} file also contains web content or an archive, so it was not accepted`,
      'file',
    );
  }
  return { contentType: sniffed.mime, scan: type.scan };
}

/** UTF-8 without NUL bytes: what text-like files are. */
export function isText(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function allowedExtension(extension: string): boolean {
  return Object.values(BINARY).some((t) => t.extensions.includes(extension));
}

/** A best guess of what text is, for the message when its name says otherwise. */
function textFlavour(bytes: Uint8Array): string {
  const head = new TextDecoder().decode(bytes.subarray(0, 512)).trimStart().toLowerCase();
  if (head.startsWith('<!doctype html') || head.startsWith('<html')) return 'text/html';
  if (head.startsWith('<?xml') || head.startsWith('<svg')) return 'application/xml';
  if (head.startsWith('{') || head.startsWith('[')) return 'application/json';
  return 'text/plain';
}

function isPolyglot(bytes: Uint8Array): boolean {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  if (text.indexOf(ZIP_LOCAL_HEADER, 1) !== -1) return true;
  const lower = text.toLowerCase();
  return ACTIVE_MARKERS.some((marker) => lower.includes(marker));
}

/** An extension as a message may show it (never a run of digits long enough to be card data). */
function dotted(extension: string): string {
  return /^[a-z0-9]{1,10}$/.test(extension) ? `.${extension}` : 'this extension';
}

/** The declared type as the message may show it: a plain type name, never anything else sent. */
function shown(declared: string): string {
  return /^[a-z0-9.+-]{1,60}\/[a-z0-9.+-]{1,100}$/.test(declared)
    ? redactSensitiveData(declared).text
    : 'another type';
}

function mismatch(declared: string, detected: string): DomainError {
  return new DomainError(
    'attachment/type-mismatch',
    `The file is declared as ${declared} but its content is ${detected}; send it with the right name and type`,
    'file',
  );
}

function notAllowed(what: string): DomainError {
  return new DomainError(
    'attachment/type-not-allowed',
    `${what} cannot be attached; send an image (PNG, JPEG, GIF, WebP), a PDF, a text file (txt, csv, json, xml, html, md) or a Word, Excel or ZIP file`,
    'file',
  );
}
