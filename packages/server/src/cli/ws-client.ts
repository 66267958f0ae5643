import { createInterface } from 'node:readline';
import WebSocket from 'ws';

/**
 * `npm run ws -- <token> [conversationId] [url]`: a minimal WebSocket client for trying the
 * protocol by hand. It prints every frame the server sends; each line typed is sent as a frame
 * (JSON), or as a message to the conversation when it is plain text.
 */
const [token, conversationId, base = process.env.PARLOUR_URL ?? 'http://127.0.0.1:8080'] =
  process.argv.slice(2);
if (!token) {
  console.error('usage: npm run ws -- <token> [conversationId] [url]');
  process.exit(2);
}
const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/ws?token=${encodeURIComponent(token)}`);
let counter = 0;
ws.on('open', () => {
  console.error(`connected to ${base}; type JSON frames, or plain text to send a message`);
  if (conversationId) ws.send(JSON.stringify({ type: 'subscribe', conversationId, afterSeq: 0 }));
});
ws.on('message', (data) => console.log(String(data)));
ws.on('close', (code, reason) => {
  console.error(`closed (${code}${reason.length ? `: ${String(reason)}` : ''})`);
  process.exit(0);
});
ws.on('error', (error) => {
  console.error(`connection failed: ${error.message}`);
  process.exit(1);
});
createInterface({ input: process.stdin }).on('line', (line) => {
  const text = line.trim();
  if (!text) return;
  if (text.startsWith('{')) ws.send(text);
  else if (conversationId) {
    ws.send(
      JSON.stringify({
        type: 'message.send',
        conversationId,
        clientMessageId: `cli-${Date.now()}-${counter++}`,
        body: text,
      }),
    );
  } else console.error('give a conversationId to send plain text, or type a JSON frame');
});
