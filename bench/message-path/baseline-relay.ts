import { createServer, type Server } from 'node:http';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';

/**
 * The baseline: a bare `ws` relay with the same wire shape as Parlour's gateway and nothing else.
 * It greets each socket, answers `subscribe` with `subscribed`, and forwards each `message.send`
 * frame as received to the sockets subscribed to its conversation. No auth, validation,
 * persistence, sequence numbers or acks: what is left is the cost of WebSockets, JSON routing and
 * the process hop.
 */
export function createRelay(): Server {
  const subscribers = new Map<string, WebSocket[]>();
  const http = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end('{"ok":true}');
  });
  const wss = new WebSocketServer({ server: http, perMessageDeflate: false });
  wss.on('connection', (socket) => {
    socket.send('{"type":"welcome","protocol":1}');
    socket.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) return;
      let frame: { type?: unknown; conversationId?: unknown };
      try {
        frame = JSON.parse(data.toString()) as typeof frame;
      } catch {
        return;
      }
      const conversationId = typeof frame.conversationId === 'string' ? frame.conversationId : '';
      if (frame.type === 'message.send') {
        const targets = subscribers.get(conversationId);
        if (targets) for (const target of targets) target.send(data, { binary: false });
      } else if (frame.type === 'subscribe') {
        const list = subscribers.get(conversationId);
        if (list) list.push(socket);
        else subscribers.set(conversationId, [socket]);
        socket.send(JSON.stringify({ type: 'subscribed', conversationId, lastSeq: 0 }));
      }
    });
    socket.on('close', () => {
      for (const [id, list] of subscribers) {
        const rest = list.filter((s) => s !== socket);
        if (rest.length === 0) subscribers.delete(id);
        else if (rest.length !== list.length) subscribers.set(id, rest);
      }
    });
  });
  return http;
}
