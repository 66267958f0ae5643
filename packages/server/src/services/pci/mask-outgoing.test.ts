import { describe, expect, it } from 'vitest';
import { maskOutgoing } from './mask-outgoing.js';

describe('maskOutgoing', () => {
  it('masks card numbers in every string of a nested payload', () => {
    const out = maskOutgoing({
      ticket: { subject: 'card 4111 1111 1111 1111', tags: ['a', '5555555555554444'] },
      n: 4111111111111111,
    });
    expect(JSON.stringify(out)).not.toMatch(/4111 1111 1111|555555555555/);
    expect(out.ticket.subject).toMatch(/1111$/);
    expect(out.n).toBe(4111111111111111);
  });

  it('returns text without card data unchanged', () => {
    expect(maskOutgoing({ a: 'order 12345', at: '2026-11-23T10:00:00Z' })).toEqual({
      a: 'order 12345',
      at: '2026-11-23T10:00:00Z',
    });
  });
});
