import type { StoredTicket } from '@parlour/storage';

/** The subject of a ticket's emails: its number first, so replies keep it. */
export function emailSubject(ticket: Pick<StoredTicket, 'number' | 'subject'> | null): string {
  if (!ticket) return 'Your request';
  return `[#${ticket.number}] ${ticket.subject ?? 'Your request'}`;
}
