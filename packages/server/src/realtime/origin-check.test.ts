import { describe, expect, it } from 'vitest';
import { handshakeOriginAllowed, originAllowed } from './origin-check.js';

describe('originAllowed', () => {
  it('lets clients without an Origin header (servers, scripts) connect', () => {
    expect(originAllowed(undefined, ['http://127.0.0.1:8080'], [])).toBe(true);
  });
  it("lets the server's own pages connect", () => {
    expect(originAllowed('http://127.0.0.1:8080', ['http://127.0.0.1:8080'], [])).toBe(true);
  });
  it('lets an origin the admin allowed connect, whatever its case', () => {
    expect(originAllowed('https://Shop.Example.com', [], ['https://shop.example.com'])).toBe(true);
  });
  it('refuses any other origin', () => {
    expect(
      originAllowed(
        'https://evil.example',
        ['http://127.0.0.1:8080'],
        ['https://shop.example.com'],
      ),
    ).toBe(false);
  });
});

describe('handshakeOriginAllowed', () => {
  const own = ['https://support.example.com'];
  const allowed = ['https://shop.example.com'];
  it("accepts the session cookie only from the server's own origin", () => {
    expect(handshakeOriginAllowed('https://support.example.com', own, allowed, 'cookie')).toBe(
      true,
    );
    expect(handshakeOriginAllowed('https://shop.example.com', own, allowed, 'cookie')).toBe(false);
  });
  it('accepts an explicit token from an origin the admin allowed', () => {
    expect(handshakeOriginAllowed('https://shop.example.com', own, allowed, 'query')).toBe(true);
    expect(handshakeOriginAllowed('https://shop.example.com', own, allowed, 'bearer')).toBe(true);
  });
  it('refuses any other origin whatever the credential', () => {
    for (const via of ['cookie', 'query', 'bearer', null] as const)
      expect(handshakeOriginAllowed('https://evil.example', own, allowed, via), String(via)).toBe(
        false,
      );
  });
});
