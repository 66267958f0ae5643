import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DomainError, isDomainError } from '@parlour/core';
import { Attachment, Id } from '@parlour/protocol';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { ALL_ACCESS } from '../../principal.js';
import { requirePrincipal } from '../access.js';
import type { Services } from '../services.js';
import { tooLarge, type IncomingFile } from '../../services/attachments/attachment-service.js';

/** Room for the multipart boundaries and part headers around a file of the largest size. */
const MULTIPART_OVERHEAD = 64 * 1024;

/** Shown inline (in an <img>); everything else only downloads. */
const INLINE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/** A downloaded attachment may not run, load or be sniffed as anything else. */
const DOWNLOAD_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; sandbox",
  'cache-control': 'private, no-store',
};

const Binary = (description: string) => ({
  description,
  content: {
    'application/octet-stream': {
      schema: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }),
    },
  },
});

/** Upload (multipart), list and download the files of a conversation. */
export const attachmentRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  app,
  { services },
) => {
  const { attachments } = services;
  // Only these routes take multipart bodies: every other route still speaks JSON only.
  await app.register(multipart, {
    limits: { fieldNameSize: 100, fields: 0, files: 1, parts: 1, headerPairs: 20 },
  });

  app.post(
    '/api/conversations/:conversationId/attachments',
    {
      config: { access: ALL_ACCESS, pci: 'self' },
      schema: {
        tags: ['attachments'],
        summary:
          'Upload a file (multipart/form-data, one file in the field "file"); send it later with a message by its id',
        description:
          'The type is detected from the content; text files and PDFs with card data are discarded (422).',
        params: Type.Object({ conversationId: Id }),
        consumes: ['multipart/form-data'],
        response: { 201: Attachment },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      const { conversationId } = request.params;
      // Who may write here is settled before a byte of the body is read.
      await attachments.assertCanUpload(principal, conversationId);
      const file = await readOneFile(request, await attachments.maxBytes());
      return reply.code(201).send(await attachments.upload(principal, conversationId, file));
    },
  );

  app.get(
    '/api/conversations/:conversationId/attachments',
    {
      config: { access: ALL_ACCESS },
      schema: {
        tags: ['attachments'],
        summary: "The conversation's attachments you may see, oldest first",
        params: Type.Object({ conversationId: Id }),
        response: { 200: Type.Array(Attachment) },
      },
    },
    async (request) => attachments.list(requirePrincipal(request), request.params.conversationId),
  );

  app.get(
    '/api/attachments/:attachmentId',
    {
      config: { access: ALL_ACCESS },
      schema: {
        tags: ['attachments'],
        summary:
          'Download an attachment (staff, or the end user whose conversation it is): its bytes, as its detected type',
        params: Type.Object({ attachmentId: Id }),
        response: { 200: Binary('The file') },
      },
      // After the app's own header hooks, so nothing relaxes the download's policy.
      onSend: async (_request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
        if (reply.statusCode === 200) void reply.headers(DOWNLOAD_HEADERS);
        return payload;
      },
    },
    async (request, reply) => {
      const { attachment, bytes } = await attachments.download(
        requirePrincipal(request),
        request.params.attachmentId,
      );
      const disposition = INLINE_TYPES.has(attachment.contentType) ? 'inline' : 'attachment';
      return reply
        .code(200)
        .headers(DOWNLOAD_HEADERS)
        .header('content-type', attachment.contentType)
        .header(
          'content-disposition',
          `${disposition}; filename*=UTF-8''${encodeFileName(attachment.fileName)}`,
        )
        .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    },
  );
};

/** RFC 5987 encoding: everything but unreserved characters percent-encoded. */
function encodeFileName(name: string): string {
  return encodeURIComponent(name).replace(
    /['()*!]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * Reads the one file of a multipart body, counting bytes as they arrive: past the limit it stops
 * keeping them and refuses the upload (413), so an oversized file is never held whole.
 */
async function readOneFile(request: FastifyRequest, maxBytes: number): Promise<IncomingFile> {
  if (!request.isMultipart()) {
    throw new DomainError(
      'validation/invalid',
      'Send the file as multipart/form-data, in the field "file"',
      'file',
    );
  }
  const declaredLength = Number(request.headers['content-length']);
  if (Number.isFinite(declaredLength) && declaredLength > maxBytes + MULTIPART_OVERHEAD)
    throw tooLarge(maxBytes);
  let file: IncomingFile | null = null;
  try {
    for await (const part of request.parts({ limits: { fileSize: maxBytes } })) {
      if (part.type !== 'file' || part.fieldname !== 'file' || file) throw oneFileOnly();
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of part.file as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > maxBytes) break;
        chunks.push(chunk);
      }
      if (part.file.truncated || size > maxBytes) throw tooLarge(maxBytes);
      file = {
        fileName: part.filename,
        declaredType: part.mimetype,
        bytes: new Uint8Array(Buffer.concat(chunks, size)),
      };
    }
  } catch (error) {
    if (isDomainError(error)) throw error;
    const code = (error as { code?: unknown }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge(maxBytes);
    if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT')
      throw oneFileOnly();
    throw new DomainError(
      'validation/invalid',
      'The multipart body is malformed or incomplete',
      'file',
    );
  }
  if (!file) throw oneFileOnly();
  return file;
}

function oneFileOnly(): DomainError {
  return new DomainError(
    'validation/invalid',
    'Send exactly one file, in the field "file", and nothing else',
    'file',
  );
}
