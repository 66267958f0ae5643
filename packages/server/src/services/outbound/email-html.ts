import sanitizeHtml from 'sanitize-html';

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text made safe anywhere in HTML: in an element or in a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/**
 * Plain text (a message, a reply) as the HTML part of an email: every character escaped, line
 * breaks as <br>. Nothing a customer or agent typed is ever interpreted as markup.
 */
export function textToEmailHtml(text: string): string {
  return escapeHtml(text).replace(/\r\n|\r|\n/g, '<br>\n');
}

const LINK = /^(https?:|mailto:)/i;
const IMAGE = /^(https:|cid:|data:image\/(png|gif|jpeg|webp);)/i;

/** The attributes without `name` unless its URL matches `allowed`. */
function keepUrl(
  attribs: Record<string, string>,
  name: string,
  allowed: RegExp,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(attribs).filter(([key, url]) => key !== name || allowed.test(url.trim())),
  );
}

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    'a',
    'abbr',
    'b',
    'blockquote',
    'br',
    'caption',
    'code',
    'div',
    'em',
    'font',
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'hr',
    'i',
    'img',
    'li',
    'ol',
    'p',
    'pre',
    's',
    'small',
    'span',
    'strong',
    'sub',
    'sup',
    'table',
    'tbody',
    'td',
    'tfoot',
    'th',
    'thead',
    'tr',
    'u',
    'ul',
  ],
  // No on* handlers, no style (CSS can overlay the page or fetch), no class or id to hook into.
  allowedAttributes: {
    // rel and target are always set by transformTags below, whatever the mail said.
    a: ['href', 'title', 'rel', 'target'],
    img: ['src', 'alt', 'title', 'width', 'height'],
    td: ['colspan', 'rowspan'],
    th: ['colspan', 'rowspan'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['https', 'cid', 'data'] },
  allowedSchemesAppliedToAttributes: ['href', 'src'],
  allowProtocolRelative: false,
  // Dropped with everything inside them, not just their tags.
  nonTextTags: [
    'script',
    'style',
    'textarea',
    'option',
    'noscript',
    'iframe',
    'object',
    'embed',
    'title',
    'head',
    'template',
    'svg',
    'math',
    'select',
    'button',
  ],
  disallowedTagsMode: 'discard',
  // An image whose source was refused (http, data:text/html, SVG dressed up as an image) is dropped.
  exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs.src,
  // A relative URL means nothing in a mail (and would point at Parlour itself): only absolute ones.
  transformTags: {
    a: (tagName, attribs) => ({
      tagName,
      attribs: {
        ...keepUrl(attribs, 'href', LINK),
        rel: 'noopener noreferrer nofollow',
        target: '_blank',
      },
    }),
    img: (tagName, attribs) => ({ tagName, attribs: keepUrl(attribs, 'src', IMAGE) }),
  },
};

/**
 * Incoming HTML mail made safe to show: an allowlist of formatting tags; no script, style,
 * iframe, object, embed or form; no event handlers or inline styles; links only to http, https
 * or mailto; images only from https, cid (inline parts) or data:image.
 */
export function sanitizeEmailHtml(html: string): string {
  return sanitizeHtml(html, OPTIONS);
}
