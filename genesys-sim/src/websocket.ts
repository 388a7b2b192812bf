/**
 * A minimal RFC 6455 server side, no dependencies: the opening handshake, a frame reader for the
 * client's masked frames (partial TCP chunks, fragmented messages, control frames) and a writer of
 * unmasked server frames. No extensions (permessage-deflate is never negotiated) and no subprotocols.
 */
import { createHash } from 'node:crypto';
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

export const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export const OPCODE = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

export const CLOSE_CODE = { normal: 1000, goingAway: 1001, protocolError: 1002, invalidData: 1007, tooBig: 1009 } as const;

/** Largest message (after reassembly) the server accepts; larger ones are closed with 1009. */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/** Wait this long for the client's close frame / FIN after sending ours, then destroy the socket. */
const CLOSE_GRACE_MS = 1000;

export const acceptKey = (key: string): string => createHash('sha1').update(key + WS_GUID).digest('base64');

/** Checks an Upgrade request: GET, `Upgrade: websocket`, `Connection: upgrade`, version 13, a 16-byte key. */
export function checkHandshake(req: IncomingMessage): { ok: true; key: string } | { ok: false; status: number; message: string; headers?: Record<string, string> } {
  const header = (name: string): string => {
    const v = req.headers[name];
    return (Array.isArray(v) ? v.join(',') : (v ?? '')).trim();
  };
  if (req.method !== 'GET') return { ok: false, status: 405, message: 'A WebSocket handshake must use GET.' };
  if (header('upgrade').toLowerCase() !== 'websocket') return { ok: false, status: 400, message: 'Only Upgrade: websocket is supported.' };
  if (!header('connection').toLowerCase().split(',').map((s) => s.trim()).includes('upgrade')) return { ok: false, status: 400, message: 'Connection: Upgrade is required.' };
  if (header('sec-websocket-version') !== '13') return { ok: false, status: 426, message: 'Sec-WebSocket-Version 13 is required.', headers: { 'Sec-WebSocket-Version': '13' } };
  const key = header('sec-websocket-key');
  if (!/^[A-Za-z0-9+/]{22}==$/.test(key)) return { ok: false, status: 400, message: 'Sec-WebSocket-Key must be 16 random bytes in base64.' };
  return { ok: true, key };
}

export function handshakeResponse(key: string): string {
  return ['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Accept: ${acceptKey(key)}`, '', ''].join('\r\n');
}

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

/** One unmasked (server → client) frame; 7-bit, 16-bit or 64-bit payload length. */
export function encodeFrame(opcode: number, payload: Buffer, fin = true): Buffer {
  const len = payload.length;
  let header: Buffer;
  if (len < 126) {
    header = Buffer.alloc(2);
    header[1] = len;
  } else if (len < 65_536) {
    header = Buffer.alloc(4);
    header[1] = 126;
    header.writeUInt16BE(len, 2);
  } else {
    header = Buffer.alloc(10);
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(len), 2);
  }
  header[0] = (fin ? 0x80 : 0) | opcode;
  return Buffer.concat([header, payload]);
}

function closePayload(code: number, reason: string): Buffer {
  const r = Buffer.from(reason, 'utf8').subarray(0, 123);
  const b = Buffer.alloc(2 + r.length);
  b.writeUInt16BE(code, 0);
  r.copy(b, 2);
  return b;
}

export interface WsHandlers {
  /** A complete text message (binary messages are ignored). */
  onText(text: string): void;
  /** The TCP connection is gone (called once). */
  onClose(): void;
}

/** The server side of one WebSocket connection. */
export class WsConnection {
  private buffer: Buffer = Buffer.alloc(0);
  private fragments: Buffer[] | null = null;
  private fragmentOpcode = 0;
  private fragmentBytes = 0;
  private closeSent = false;
  /** False once the client's close frame arrived or a protocol error stopped reading. */
  private reading = true;
  private gone = false;
  private graceTimer: NodeJS.Timeout | null = null;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });

  constructor(
    private readonly socket: Duplex,
    private readonly handlers: WsHandlers,
  ) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('end', () => socket.end());
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.finish());
  }

  /** Whether messages may still be sent (no close frame sent, socket alive). */
  get open(): boolean {
    return !this.closeSent && !this.gone;
  }

  sendText(text: string): boolean {
    if (!this.open) return false;
    this.socket.write(encodeFrame(OPCODE.text, Buffer.from(text, 'utf8')));
    return true;
  }

  /**
   * Send a close frame and end the connection. `force`: destroy as soon as the frame is flushed
   * (server shutdown); otherwise wait briefly for the client's close frame.
   */
  close(code: number = CLOSE_CODE.normal, reason = '', force = false): void {
    if (this.gone) return;
    if (!this.closeSent) {
      this.closeSent = true;
      this.socket.write(encodeFrame(OPCODE.close, closePayload(code, reason)));
    }
    if (force) {
      this.socket.end(() => this.socket.destroy());
      return;
    }
    this.socket.end();
    if (!this.graceTimer) {
      this.graceTimer = setTimeout(() => this.socket.destroy(), CLOSE_GRACE_MS);
      this.graceTimer.unref();
    }
  }

  /** Drop the TCP connection without a close frame (a network failure). */
  terminate(): void {
    this.socket.destroy();
  }

  /** Feed bytes (also the `head` bytes that arrived with the upgrade request). */
  receive(chunk: Buffer): void {
    if (!this.reading || this.gone || chunk.length === 0) return;
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    while (this.reading && !this.gone) {
      const b = this.buffer;
      if (b.length < 2) return;
      const b0 = b[0] ?? 0;
      const b1 = b[1] ?? 0;
      const fin = (b0 & 0x80) !== 0;
      const opcode = b0 & 0x0f;
      if ((b0 & 0x70) !== 0) return this.fail(CLOSE_CODE.protocolError, 'Reserved bits set without a negotiated extension');
      if ((b1 & 0x80) === 0) return this.fail(CLOSE_CODE.protocolError, 'Client frames must be masked');
      let offset = 2;
      let length = b1 & 0x7f;
      if (length === 126) {
        if (b.length < 4) return;
        length = b.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (b.length < 10) return;
        const big = b.readBigUInt64BE(2);
        if (big > BigInt(MAX_MESSAGE_BYTES)) return this.fail(CLOSE_CODE.tooBig, 'Message too big');
        length = Number(big);
        offset = 10;
      }
      if (opcode >= 0x8 && (!fin || length > 125)) return this.fail(CLOSE_CODE.protocolError, 'Control frames must be final and at most 125 bytes');
      if (length > MAX_MESSAGE_BYTES) return this.fail(CLOSE_CODE.tooBig, 'Message too big');
      if (b.length < offset + 4 + length) return;
      const mask = b.subarray(offset, offset + 4);
      const payload = Buffer.from(b.subarray(offset + 4, offset + 4 + length));
      for (let i = 0; i < payload.length; i++) payload[i] = (payload[i] ?? 0) ^ (mask[i & 3] ?? 0);
      this.buffer = b.subarray(offset + 4 + length);
      this.frame(fin, opcode, payload);
    }
  }

  private frame(fin: boolean, opcode: number, payload: Buffer): void {
    switch (opcode) {
      case OPCODE.continuation:
        if (!this.fragments) return this.fail(CLOSE_CODE.protocolError, 'Continuation frame without a message to continue');
        this.fragments.push(payload);
        this.fragmentBytes += payload.length;
        if (this.fragmentBytes > MAX_MESSAGE_BYTES) return this.fail(CLOSE_CODE.tooBig, 'Message too big');
        if (fin) {
          const data = Buffer.concat(this.fragments);
          this.fragments = null;
          this.message(this.fragmentOpcode, data);
        }
        return;
      case OPCODE.text:
      case OPCODE.binary:
        if (this.fragments) return this.fail(CLOSE_CODE.protocolError, 'New message before the fragmented one ended');
        if (fin) return this.message(opcode, payload);
        this.fragments = [payload];
        this.fragmentOpcode = opcode;
        this.fragmentBytes = payload.length;
        return;
      case OPCODE.close: {
        if (payload.length === 1) return this.fail(CLOSE_CODE.protocolError, 'Invalid close payload');
        this.reading = false;
        const code = payload.length >= 2 ? payload.readUInt16BE(0) : CLOSE_CODE.normal;
        this.close(code >= 1000 && code < 5000 && code !== 1005 && code !== 1006 ? code : CLOSE_CODE.normal);
        return;
      }
      case OPCODE.ping:
        if (this.open) this.socket.write(encodeFrame(OPCODE.pong, payload));
        return;
      case OPCODE.pong:
        return;
      default:
        return this.fail(CLOSE_CODE.protocolError, `Unknown opcode ${opcode}`);
    }
  }

  private message(opcode: number, data: Buffer): void {
    if (opcode !== OPCODE.text) return;
    let text: string;
    try {
      text = this.decoder.decode(data);
    } catch {
      return this.fail(CLOSE_CODE.invalidData, 'Text message is not valid UTF-8');
    }
    this.handlers.onText(text);
  }

  private fail(code: number, reason: string): void {
    this.reading = false;
    this.buffer = Buffer.alloc(0);
    this.close(code, reason);
  }

  private finish(): void {
    if (this.gone) return;
    this.gone = true;
    if (this.graceTimer) clearTimeout(this.graceTimer);
    this.graceTimer = null;
    this.handlers.onClose();
  }
}
