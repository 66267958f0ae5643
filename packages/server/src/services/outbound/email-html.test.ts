import { describe, expect, it } from 'vitest';
import { XSS_PAYLOADS } from '../../testing/xss-payloads.js';
import { escapeHtml, sanitizeEmailHtml, textToEmailHtml } from './email-html.js';

/** Undoes escapeHtml, to prove the escaped text still says exactly what was typed. */
function unescape(html: string): string {
  return html
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/** What must never survive sanitizing: active tags, handlers, script URLs, styles. */
function dangers(html: string): string[] {
  const found: string[] = [];
  const tag = /<\s*\/?\s*([a-z0-9]+)([^>]*)>/gi;
  for (const [whole, name, attributes] of html.matchAll(tag)) {
    if (
      /^(script|style|iframe|object|embed|form|input|svg|math|base|meta|link|noscript|textarea|body|details|x)$/i.test(
        name!,
      )
    )
      found.push(whole);
    if (/\son[a-z]+\s*=/i.test(attributes!) || /\sstyle\s*=/i.test(attributes!)) found.push(whole);
    for (const [, url] of attributes!.matchAll(/\s(?:href|src)\s*=\s*"([^"]*)"/gi))
      if (!/^(https?:|mailto:|cid:|data:image\/(png|gif|jpeg|webp);)/i.test(url!))
        found.push(whole);
  }
  return found;
}

describe('textToEmailHtml', () => {
  it('escapes every character that could start markup, and keeps line breaks', () => {
    expect(textToEmailHtml(`Hi <b>"you"</b> & 'me'\nBye`)).toBe(
      'Hi &lt;b&gt;&quot;you&quot;&lt;/b&gt; &amp; &#39;me&#39;<br>\nBye',
    );
  });

  it('turns every XSS payload into inert text that still reads the same', () => {
    for (const payload of XSS_PAYLOADS) {
      const html = textToEmailHtml(payload);
      expect(html.replace(/<br>\n/g, ''), payload).not.toMatch(/[<>"']/);
      expect(unescape(html), payload).toBe(payload);
    }
  });

  it('escapes attribute-breaking quotes too', () => {
    expect(escapeHtml('" onmouseover="x')).toBe('&quot; onmouseover=&quot;x');
  });
});

describe('sanitizeEmailHtml', () => {
  it('keeps ordinary formatting, links and images', () => {
    expect(
      sanitizeEmailHtml(
        '<p>Hello <b>Ada</b>,<br>see <a href="https://shop.example/o/1">your order</a></p><img src="cid:logo@shop" alt="logo">',
      ),
    ).toBe(
      '<p>Hello <b>Ada</b>,<br />see <a href="https://shop.example/o/1" rel="noopener noreferrer nofollow" target="_blank">your order</a></p><img src="cid:logo@shop" alt="logo" />',
    );
  });

  it('drops script, style, iframe, object, embed and form with what is inside them', () => {
    const html = sanitizeEmailHtml(
      '<script>alert(1)</script><style>p{}</style><iframe src="https://x.example"></iframe><object data="x"></object><embed src="x"><form action="https://x.example"><input name="q"></form>ok',
    );
    expect(html).toBe('ok');
  });

  it('drops event handlers and inline styles', () => {
    expect(sanitizeEmailHtml('<p onclick="alert(1)" style="position:fixed">x</p>')).toBe(
      '<p>x</p>',
    );
  });

  it('keeps only http, https and mailto links', () => {
    expect(sanitizeEmailHtml('<a href="javascript:alert(1)">a</a>')).toBe(
      '<a rel="noopener noreferrer nofollow" target="_blank">a</a>',
    );
    expect(sanitizeEmailHtml('<a href="mailto:help@shop.example">m</a>')).toContain(
      'href="mailto:help@shop.example"',
    );
    expect(sanitizeEmailHtml('<a href="//evil.example">p</a>')).not.toContain('href');
  });

  it('keeps images from https, cid and data:image only', () => {
    expect(sanitizeEmailHtml('<img src="http://tracker.example/p.gif">')).toBe('');
    expect(sanitizeEmailHtml('<img src="https://shop.example/a.png">')).toContain('src="https://');
    expect(sanitizeEmailHtml('<img src="data:image/png;base64,iVBORw0KGgo=">')).toContain(
      'src="data:image/png;',
    );
    expect(sanitizeEmailHtml('<img src="data:text/html;base64,PHNjcmlwdD4=">')).toBe('');
    expect(sanitizeEmailHtml('<img src="data:image/svg+xml;base64,PHN2Zz4=">')).toBe('');
  });

  it('leaves nothing active of any XSS payload', () => {
    for (const payload of XSS_PAYLOADS) {
      const html = sanitizeEmailHtml(payload);
      expect(dangers(html), `${payload} -> ${html}`).toEqual([]);
      expect(html, payload).not.toMatch(/<[^>]*(javascript:|vbscript:|data:text)/i);
    }
  });
});
