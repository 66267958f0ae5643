/**
 * Finds the client message id in a received frame without decoding or parsing it: the load client
 * must stay cheap, and every message frame (the server's event and ack, the relay's forwarded
 * frame) carries `"clientMessageId":"<digits>"` as JSON.stringify writes it.
 */
const KEY = Buffer.from('"clientMessageId":"');
const QUOTE = 0x22;
const ZERO = 0x30;
const NINE = 0x39;

/** The numeric client message id in `frame`, or -1 when it has none. */
export function scanClientMessageId(frame: Buffer): number {
  const at = frame.indexOf(KEY);
  if (at < 0) return -1;
  let value = 0;
  let digits = 0;
  for (let i = at + KEY.length; i < frame.length; i++) {
    const c = frame[i]!;
    if (c === QUOTE) return digits > 0 ? value : -1;
    if (c < ZERO || c > NINE || digits >= 15) return -1;
    value = value * 10 + (c - ZERO);
    digits++;
  }
  return -1;
}
