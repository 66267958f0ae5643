import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './create-logger.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, logger: createLogger({ level: 'info', destination }) };
}

describe('createLogger', () => {
  it('masks a card number in a log message before it is written', () => {
    const { lines, logger } = capture();
    logger.info('customer typed 4111 1111 1111 1111 in the chat');
    expect(lines.join('')).not.toMatch(/4111 1111 1111/);
    expect(lines.join('')).toContain('1111 in the chat');
  });

  it("masks card data inside an error's message and stack", () => {
    const { lines, logger } = capture();
    logger.error({ err: new Error('bad value 5555555555554444') }, 'request failed');
    expect(lines.join('')).not.toContain('5555555555554444');
    expect(lines.join('')).toContain('request failed');
  });

  it('writes lines without card data unchanged', () => {
    const { lines, logger } = capture();
    logger.info({ orderId: 123456789 }, 'order shipped');
    expect(JSON.parse(lines[0]!)).toMatchObject({ orderId: 123456789, msg: 'order shipped' });
  });
});
