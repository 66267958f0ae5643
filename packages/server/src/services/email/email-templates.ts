import type { OutboundEmailKind } from '@parlour/storage';
import { escapeHtml, textToEmailHtml } from '../outbound/email-html.js';

export interface RenderedEmail {
  readonly text: string;
  readonly html: string;
}

const FOOTERS: Readonly<Record<OutboundEmailKind, string>> = {
  reply: 'Reply to this email to answer; your reply goes straight to your ticket.',
  csat: 'This survey was sent automatically; please do not reply to it.',
  notification: 'This message was sent automatically about your ticket.',
};

const URL = /\bhttps?:\/\/[^\s<>"']+/g;

/** Escaped text as HTML, with its http(s) links clickable (the link text is the URL itself). */
function linkedHtml(text: string): string {
  let html = '';
  let last = 0;
  for (const match of text.matchAll(URL)) {
    html += textToEmailHtml(text.slice(last, match.index));
    const url = escapeHtml(match[0]);
    html += `<a href="${url}">${url}</a>`;
    last = match.index + match[0].length;
  }
  return html + textToEmailHtml(text.slice(last));
}

/**
 * The email of each kind: the text as written (agent reply, survey, notification) with the kind's
 * footer, and the same as HTML in which every character the text holds is escaped, so nothing a
 * customer or agent typed is ever markup.
 */
export function renderEmail(
  kind: OutboundEmailKind,
  text: string,
  ticketNumber: number | null,
): RenderedEmail {
  const reference = ticketNumber === null ? '' : ` (ticket #${ticketNumber})`;
  const footer = `${FOOTERS[kind]}${reference}`;
  return {
    text: `${text}\n\n-- \n${footer}\n`,
    html: [
      '<!doctype html><html><body style="font-family:sans-serif;line-height:1.5">',
      `<div>${linkedHtml(text)}</div>`,
      `<hr><p style="color:#666;font-size:12px">${escapeHtml(footer)}</p>`,
      '</body></html>',
    ].join('\n'),
  };
}
