import { describe, expect, it } from 'vitest';
import { scanClientMessageId } from './frame-scan.js';

const frame = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('scanClientMessageId', () => {
  it('reads the id from an event frame', () => {
    const event = {
      type: 'event',
      entry: {
        conversationId: 'c',
        seq: 3,
        event: { type: 'message.created', message: { body: 'hi', clientMessageId: '123456' } },
      },
    };
    expect(scanClientMessageId(frame(event))).toBe(123456);
  });

  it('reads the id from an ack and a forwarded send frame', () => {
    expect(scanClientMessageId(frame({ type: 'ack', clientMessageId: '0', seq: 1 }))).toBe(0);
    expect(
      scanClientMessageId(
        frame({ type: 'message.send', conversationId: 'c', clientMessageId: '42', body: 'x' }),
      ),
    ).toBe(42);
  });

  it('is -1 for frames without a numeric id', () => {
    expect(scanClientMessageId(frame({ type: 'subscribed', conversationId: 'c' }))).toBe(-1);
    expect(scanClientMessageId(frame({ clientMessageId: 'abc' }))).toBe(-1);
    expect(scanClientMessageId(frame({ clientMessageId: '' }))).toBe(-1);
    expect(scanClientMessageId(Buffer.from('{"clientMessageId":"12'))).toBe(-1);
  });
});
