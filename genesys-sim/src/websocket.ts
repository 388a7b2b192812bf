/**
 * The channel WebSocket's server side, on the `ws` package (RFC 6455 framing, masking, fragments,
 * ping/pong, UTF-8 checks and the closing handshake are its job). No extensions (permessage-deflate
 * off) and no subprotocols. What stays here is what the sim adds: its JSON refusals and a
 * connection with the few operations the notification hub needs (send, close, drop).
 */
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type ServerOptions } from 'ws';

export const CLOSE_CODE = { normal: 1000, goingAway: 1001 } as const;

/** Largest message the server accepts; larger ones are closed with 1009. */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/** Wait this long for the client's close frame after sending ours, then destroy the socket. */
const CLOSE_GRACE_MS = 1000;

// `closeTimeout` is in ws (8.18+) but not yet in @types/ws.
const serverOptions: ServerOptions & { closeTimeout: number } = {
  noServer: true,
  clientTracking: false,
  perMessageDeflate: false,
  maxPayload: MAX_MESSAGE_BYTES,
  closeTimeout: CLOSE_GRACE_MS,
};
const wss = new WebSocketServer(serverOptions);

/** A plain HTTP answer on a socket that is not upgraded, then the connection ends. */
export function refuseUpgrade(socket: Duplex, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  const lines = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
    'Content-Type: application/json; charset=UTF-8',
    `Content-Length: ${Buffer.byteLength(text)}`,
    'Connection: close',
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    '',
    text,
  ];
  socket.on('error', () => socket.destroy());
  socket.end(lines.join('\r\n'));
}

export interface WsHandlers {
  /** A complete text message (binary messages are ignored). */
  onText(text: string): void;
  /** The TCP connection is gone (called once). */
  onClose(): void;
}

/** The server side of one WebSocket connection. */
export class WsConnection {
  constructor(
    private readonly ws: WebSocket,
    /** The upgraded TCP socket, to end it without waiting for the client on shutdown. */
    private readonly socket: Duplex,
    handlers: WsHandlers,
  ) {
    ws.on('message', (data, isBinary) => {
      // Always a Buffer (binaryType "nodebuffer", fragments joined); ws has checked that text is UTF-8.
      if (!isBinary && Buffer.isBuffer(data)) handlers.onText(data.toString('utf8'));
    });
    // Protocol errors: ws closes with the right code (1002, 1007, 1009) and reports them here.
    ws.on('error', () => undefined);
    ws.on('close', () => handlers.onClose());
  }

  /** Whether messages may still be sent (no close frame sent, socket alive). */
  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  sendText(text: string): boolean {
    if (!this.open) return false;
    this.ws.send(text);
    return true;
  }

  /**
   * Send a close frame and end the connection. `force`: end as soon as the frame is flushed
   * (server shutdown); otherwise wait up to CLOSE_GRACE_MS for the client's close frame.
   */
  close(code: number = CLOSE_CODE.normal, reason = '', force = false): void {
    // A close reason is at most 123 bytes (ws throws on longer ones).
    this.ws.close(code, Buffer.from(reason, 'utf8').subarray(0, 123));
    if (force) this.socket.end(() => this.socket.destroy());
  }

  /** Drop the TCP connection without a close frame (a network failure). */
  terminate(): void {
    this.ws.terminate();
  }
}

/** Complete the opening handshake (ws answers a bad one itself: 400/405); `opened` gets the socket. */
export function acceptUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, opened: (ws: WebSocket) => void): void {
  wss.handleUpgrade(req, socket, head, opened);
}
