/** The HTTP server: reads each request, answers it through the shared pipeline (`dispatch.ts`), and serves the channel WebSockets. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { errorReply } from './api.ts';
import { createDispatcher, type SimResponse } from './dispatch.ts';
import { errorBody } from './errors.ts';
import { corsHeaders, readBody, renderReply, send } from './http.ts';
import type { SimState } from './state.ts';

export interface SimServer {
  server: Server;
  close(): Promise<void>;
}

export function createSimServer(state: SimState): SimServer {
  const dispatcher = createDispatcher(state);
  let closing = false;

  const drop = (req: IncomingMessage, res: ServerResponse): void => {
    res.socket?.destroy();
    req.socket.destroy();
  };
  /**
   * A response lost after the server began answering: the first bytes of a status line, then the
   * connection closes. Closing with zero bytes would look to Chromium like a stale keep-alive
   * connection, and Chromium then resends the request (POST included) by itself on another
   * connection, up to twice: one lost-response fault would apply the write three times.
   */
  const cut = (req: IncomingMessage, res: ServerResponse): void => {
    const socket = res.socket;
    if (!socket) return drop(req, res);
    socket.end('HTTP/1.1 2', () => socket.destroy());
  };

  const write = (req: IncomingMessage, res: ServerResponse, r: SimResponse): void => {
    if (closing || res.destroyed || res.headersSent) return;
    if (r.kind === 'drop') return drop(req, res);
    if (r.kind === 'cut') return cut(req, res);
    send(res, r);
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    // Bodies of GET/HEAD are empty on the wire; every path reads what it needs from `body`.
    const body = method === 'GET' || method === 'HEAD' ? '' : await readBody(req);
    const r = await dispatcher.dispatch({ method, url: req.url ?? '/', headers: req.headers, socket: req.socket, body });
    write(req, res, r);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      console.error('genesys-sim: internal error', err);
      const r = errorReply({ status: 500, code: 'internal.server.error', message: 'The server encountered an unexpected error.' });
      if (!closing && !res.headersSent)
        send(res, renderReply({ ...r, json: errorBody(r.apiError!), headers: corsHeaders(req, state.options.exposeRateHeaders) }));
    });
  });
  server.keepAliveTimeout = 5000;
  // Notification channels: `GET /channels/{id}` with `Upgrade: websocket` (anything else upgraded is refused with 404).
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => state.notifications.upgrade(req, socket, head));

  return {
    server,
    close: () =>
      new Promise<void>((resolve) => {
        closing = true;
        dispatcher.close();
        state.notifications.shutdown();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
