import { DomainError } from '@parlour/core';
import { simpleParser, type AddressObject, type HeaderValue } from 'mailparser';
import { detectAutomatedEmail } from './detect-automated-email.js';
import { stripQuotedReply } from './strip-quoted-reply.js';

export interface InboundFile {
  readonly fileName: string;
  readonly declaredType: string;
  readonly bytes: Uint8Array;
}

/** An email as the inbound use case needs it: who, which thread, what text, which files. */
export interface InboundEmail {
  readonly messageId: string | null;
  readonly from: string;
  readonly fromName: string | null;
  readonly subject: string;
  /** The new text of the email, quoted history stripped. */
  readonly text: string;
  /** Message-IDs it answers: In-Reply-To first, then References newest first. */
  readonly answers: readonly string[];
  /** Every address it was delivered to: the SMTP envelope, To, Cc, Delivered-To. */
  readonly recipients: readonly string[];
  readonly attachments: readonly InboundFile[];
  /** Why it is an auto-reply or a bounce (never a ticket), or null. */
  readonly automated: string | null;
}

export interface ParseLimits {
  readonly maxBytes: number;
  /** The deepest nesting of multipart bodies taken (default 8). */
  readonly maxDepth?: number;
  /** The most MIME parts taken (default 100). */
  readonly maxParts?: number;
}

const HEADER_LINE = /^[!-9;-~]+:/;
const BOUNDARY = /boundary\s*=\s*(?:"([^"]{1,200})"|([^\s;]{1,200}))/i;

/**
 * Refuses what is not an email before the parser works on it: too large, no header section, or
 * multipart bodies nested deeper (or more of them) than the limits — a "MIME bomb".
 */
function assertShape(raw: Buffer, limits: ParseLimits): void {
  if (raw.length > limits.maxBytes)
    throw new DomainError(
      'email/too-large',
      `An email is at most ${limits.maxBytes} bytes`,
      'email',
    );
  const head = raw.subarray(0, 1000).toString('latin1');
  if (!HEADER_LINE.test(head))
    throw new DomainError(
      'email/malformed',
      'This is not an email: it has no header section',
      'email',
    );
  const maxDepth = limits.maxDepth ?? 8;
  const maxParts = limits.maxParts ?? 100;
  // Each boundary's depth is one more than the part that declared it.
  const depthOf = new Map<string, number>();
  const open: string[] = [];
  let parts = 0;
  for (const line of raw.toString('latin1').split(/\r?\n/)) {
    if (line.startsWith('--')) {
      const mark = line.trimEnd();
      const closing = open.findLastIndex((b) => mark === `--${b}--`);
      if (closing >= 0) {
        open.length = closing;
        continue;
      }
      const at = open.findLastIndex((b) => mark === `--${b}`);
      if (at >= 0) {
        open.length = at + 1;
        if (++parts > maxParts)
          throw new DomainError(
            'email/too-complex',
            `An email has at most ${maxParts} parts`,
            'email',
          );
        continue;
      }
    }
    const boundary = BOUNDARY.exec(line);
    if ((boundary && /multipart\//i.test(line)) || (boundary && /^\s/.test(line))) {
      const name = boundary[1] ?? boundary[2]!;
      const depth = (open.length > 0 ? depthOf.get(open[open.length - 1]!)! : 0) + 1;
      if (depth > maxDepth)
        throw new DomainError(
          'email/too-complex',
          `An email nests multipart bodies at most ${maxDepth} deep`,
          'email',
        );
      if (!depthOf.has(name)) {
        depthOf.set(name, depth);
        open.push(name);
      }
    }
  }
}

function addressesOf(value: AddressObject | AddressObject[] | undefined): string[] {
  if (!value) return [];
  return [value]
    .flat()
    .flatMap((o) => o.value)
    .flatMap((a) => (a.address ? [a.address.toLowerCase()] : []));
}

function headerText(value: HeaderValue | undefined): string | null {
  if (value === undefined) return null;
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.join(', ');
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object' && 'value' in value && typeof value.value === 'string')
    return value.value;
  return String(value as unknown);
}

function messageIdsIn(value: string | string[] | undefined): string[] {
  if (!value) return [];
  return [value].flat().flatMap((v) => v.match(/<[^<>\s]{1,250}>/g) ?? []);
}

/** Parses raw MIME (mailparser) into what the use case needs, or refuses it with a clear reason. */
export async function parseInboundEmail(
  raw: Buffer,
  envelope: { readonly recipients: readonly string[]; readonly returnPathEmpty?: boolean },
  limits: ParseLimits,
): Promise<InboundEmail> {
  assertShape(raw, limits);
  let parsed;
  try {
    parsed = await simpleParser(raw, { skipImageLinks: true, maxHtmlLengthToParse: 2_000_000 });
  } catch (error) {
    throw new DomainError(
      'email/malformed',
      `The email could not be parsed: ${error instanceof Error ? error.message : String(error)}`,
      'email',
    );
  }
  const sender = addressesOf(parsed.from)[0];
  if (!sender) throw new DomainError('email/malformed', 'The email has no From address', 'from');
  const fromName = parsed.from?.value[0]?.name?.trim() || null;
  const contentType = parsed.headers.get('content-type');
  const type =
    typeof contentType === 'object' && contentType && 'value' in contentType
      ? String(contentType.value).toLowerCase()
      : '';
  const params =
    typeof contentType === 'object' && contentType && 'params' in contentType
      ? (contentType.params as Record<string, string>)
      : {};
  const returnPath = headerText(parsed.headers.get('return-path'));
  const automated = detectAutomatedEmail({
    from: sender,
    returnPathEmpty:
      envelope.returnPathEmpty === true ||
      (returnPath !== null && /^\s*<?\s*>?\s*$/.test(returnPath)),
    header: (name) => headerText(parsed.headers.get(name)),
    contentType: type,
    reportType: params['report-type'] ?? null,
  });
  const text = parsed.text ?? '';
  const recipients = new Set<string>(envelope.recipients.map((r) => r.toLowerCase()));
  for (const a of [...addressesOf(parsed.to), ...addressesOf(parsed.cc)]) recipients.add(a);
  for (const name of ['delivered-to', 'x-original-to']) {
    const value = headerText(parsed.headers.get(name));
    for (const a of value?.match(/[^\s<>,;"]+@[^\s<>,;"]+/g) ?? []) recipients.add(a.toLowerCase());
  }
  return {
    messageId: parsed.messageId?.match(/<[^<>\s]{1,250}>/)?.[0] ?? null,
    from: sender,
    fromName,
    subject: (parsed.subject ?? '').replace(/[\r\n]+/g, ' ').trim(),
    text: stripQuotedReply(text),
    answers: [...messageIdsIn(parsed.inReplyTo), ...messageIdsIn(parsed.references).reverse()],
    recipients: [...recipients],
    attachments: parsed.attachments
      .filter((a) => a.contentDisposition !== 'inline' || !a.related)
      .map((a) => ({
        fileName: a.filename ?? 'attachment',
        declaredType: a.contentType,
        bytes: new Uint8Array(a.content),
      })),
    automated,
  };
}
