import { describe, expect, it } from 'vitest';
import { originAllowed } from './origin-check.js';

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
