/** The headers that tell an automatic email from a person's, lower-case names. */
export interface AutomationSignals {
  readonly from: string;
  readonly returnPathEmpty: boolean;
  readonly header: (name: string) => string | null;
  readonly contentType: string;
  readonly reportType: string | null;
}

const DAEMONS =
  /^(mailer-daemon|postmaster|mail-daemon|noreply-dmarc-support|bounces?)(\+[^@]*)?@/i;

/**
 * Why an email is an auto-reply, a bounce or bulk mail — never a ticket, never answered (no mail
 * loops) — or null for a person's email. RFC 3834 Auto-Submitted, Precedence, the common
 * X-Autoreply family, delivery and disposition reports (RFC 3464), and daemon senders.
 */
export function detectAutomatedEmail(s: AutomationSignals): string | null {
  const autoSubmitted = s.header('auto-submitted')?.trim().toLowerCase();
  if (autoSubmitted && !autoSubmitted.startsWith('no')) return `Auto-Submitted: ${autoSubmitted}`;
  const precedence = s.header('precedence')?.trim().toLowerCase();
  if (precedence && ['bulk', 'auto_reply', 'junk'].includes(precedence))
    return `Precedence: ${precedence}`;
  for (const name of ['x-autoreply', 'x-autorespond', 'x-autoresponder']) {
    if (s.header(name) !== null) return `${name} header`;
  }
  if (s.header('x-failed-recipients') !== null) return 'a delivery failure (X-Failed-Recipients)';
  if (s.contentType === 'multipart/report')
    return `a ${s.reportType ?? 'delivery'} report (multipart/report)`;
  if (s.returnPathEmpty) return 'an empty return path (a bounce)';
  if (DAEMONS.test(s.from)) return `sent by ${s.from.split('@')[0]}`;
  return null;
}
