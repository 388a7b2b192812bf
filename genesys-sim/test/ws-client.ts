/**
 * A tiny WebSocket client for tests (not a test file; Node 20 has no global WebSocket). Written
 * independently of src/websocket.ts so it checks the server rather than itself: the handshake
 * over `http.request`, masked frames out, unmasked frames in.
 */
import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import type { Socket } from 'node:net';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
export const OP = { continuation: 0, text: 1, binary: 2, close: 8, ping: 9, pong: 10 } as const;

export interface Frame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
}

/** A notification message as the platform sends it. */
export interface Message {
  topicName: string;
  version?: string;
  eventBody: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}

export type Upgrade = { status: 101; ws: TestWs } | { status: number; body: string };

/** Open `ws://host:port/path`; answers the HTTP status and body when the server does not upgrade. */
export function connectWs(url: string, headers: Record<string, string> = {}): Promise<Upgrade> {
  const u = new URL(url);
  const key = randomBytes(16).toString('base64');
  return new Promise((resolve, reject) => {
    const req = request({
      host: u.hostname,
      port: u.port,
      path: u.pathname + u.search,
      headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': key, ...headers },
    });
    req.on('upgrade', (res, socket, head) => {
      const expected = createHash('sha1').update(key + GUID).digest('base64');
      if (res.statusCode !== 101 || res.headers['sec-websocket-accept'] !== expected) {
        socket.destroy();
        reject(new Error(`bad handshake: ${String(res.statusCode)} ${String(res.headers['sec-websocket-accept'])}`));
        return;
      }
      resolve({ status: 101, ws: new TestWs(socket, head) });
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Like connectWs, but fails unless the server upgrades. */
export async function openWs(url: string): Promise<TestWs> {
  const r = await connectWs(url);
  if (r.status !== 101 || !('ws' in r)) throw new Error(`expected 101, got ${r.status}: ${'body' in r ? r.body : ''}`);
  return r.ws;
}

/** One masked (client → server) frame. */
export function maskedFrame(opcode: number, payload: Buffer, fin = true): Buffer {
  const len = payload.length;
  const ext = len < 126 ? 0 : len < 65_536 ? 2 : 8;
  const header = Buffer.alloc(2 + ext + 4);
  header[0] = (fin ? 0x80 : 0) | opcode;
  if (ext === 0) header[1] = 0x80 | len;
  else if (ext === 2) {
    header[1] = 0x80 | 126;
    header.writeUInt16BE(len, 2);
  } else {
    header[1] = 0x80 | 127;
    header.writeBigUInt64BE(BigInt(len), 2);
  }
  const mask = randomBytes(4);
  mask.copy(header, 2 + ext);
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i] = (body[i] ?? 0) ^ (mask[i & 3] ?? 0);
  return Buffer.concat([header, body]);
}

export class TestWs {
  readonly frames: Frame[] = [];
  readonly messages: Message[] = [];
  /** Code of the server's close frame (null until one arrives). */
  closeCode: number | null = null;
  closeReason = '';
  /** Set when the server broke the protocol (e.g. a masked server frame). */
  violation: string | null = null;
  readonly closed: Promise<void>;
  private isClosed = false;
  private buffer = Buffer.alloc(0);
  private closeSent = false;
  private readonly waiters = new Set<() => void>();

  constructor(
    readonly socket: Socket,
    head: Buffer,
  ) {
    this.closed = new Promise((resolve) =>
      socket.once('close', () => {
        this.isClosed = true;
        resolve();
        this.wake();
      }),
    );
    socket.on('data', (c: Buffer) => this.receive(c));
    socket.on('error', () => undefined);
    if (head.length > 0) this.receive(head);
  }

  get isOpen(): boolean {
    return !this.isClosed;
  }

  /** Write raw bytes, optionally split into TCP writes of `chunk` bytes with a pause between them. */
  async write(data: Buffer, chunk = 0): Promise<void> {
    if (chunk <= 0) {
      this.socket.write(data);
      return;
    }
    for (let i = 0; i < data.length; i += chunk) {
      this.socket.write(data.subarray(i, i + chunk));
      await new Promise((r) => setTimeout(r, 1));
    }
  }

  sendText(text: string): void {
    this.socket.write(maskedFrame(OP.text, Buffer.from(text, 'utf8')));
  }

  /** The platform's application-level ping: `{"message":"ping"}`. */
  ping(extra: Record<string, unknown> = {}): void {
    this.sendText(JSON.stringify({ message: 'ping', ...extra }));
  }

  close(code = 1000): void {
    if (this.closeSent) return;
    this.closeSent = true;
    const p = Buffer.alloc(2);
    p.writeUInt16BE(code, 0);
    this.socket.write(maskedFrame(OP.close, p));
  }

  destroy(): void {
    this.socket.destroy();
  }

  /** Resolve with the first truthy value of `check`, re-evaluated on every frame and on close. */
  waitFor<T>(check: () => T | undefined | null | false, what: string, timeoutMs = 10_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const attempt = (): boolean => {
        const v = check();
        if (v) {
          cleanup();
          resolve(v);
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.messages.map((m) => m.topicName))}, close ${String(this.closeCode)}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
      };
      const waiter = (): void => void attempt();
      this.waiters.add(waiter);
      attempt();
    });
  }

  /** The first message (from the start of the connection) matching pred. */
  message(pred: (m: Message) => boolean, what = 'a message', timeoutMs?: number): Promise<Message> {
    return this.waitFor(() => this.messages.find(pred), what, timeoutMs);
  }

  /** Messages with this topic so far. */
  topic(name: string): Message[] {
    return this.messages.filter((m) => m.topicName === name);
  }

  /** Wait until the TCP connection is gone. */
  async ended(timeoutMs = 10_000): Promise<void> {
    await this.waitFor(() => this.isClosed, 'the connection to end', timeoutMs);
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const b = this.buffer;
      if (b.length < 2) break;
      const b1 = b[1] ?? 0;
      if (b1 & 0x80) this.violation = 'server frame is masked';
      let len = b1 & 0x7f;
      let off = 2;
      if (len === 126) {
        if (b.length < 4) break;
        len = b.readUInt16BE(2);
        off = 4;
      } else if (len === 127) {
        if (b.length < 10) break;
        len = Number(b.readBigUInt64BE(2));
        off = 10;
      }
      if (b.length < off + len) break;
      const frame: Frame = { fin: ((b[0] ?? 0) & 0x80) !== 0, opcode: (b[0] ?? 0) & 0x0f, payload: Buffer.from(b.subarray(off, off + len)) };
      this.buffer = b.subarray(off + len);
      this.frames.push(frame);
      this.handle(frame);
    }
    this.wake();
  }

  private handle(f: Frame): void {
    if (f.opcode === OP.text) {
      try {
        this.messages.push(JSON.parse(f.payload.toString('utf8')) as Message);
      } catch {
        this.violation = 'text frame is not JSON';
      }
    } else if (f.opcode === OP.close) {
      this.closeCode = f.payload.length >= 2 ? f.payload.readUInt16BE(0) : 1005;
      this.closeReason = f.payload.subarray(2).toString('utf8');
      this.close(this.closeCode === 1005 ? 1000 : this.closeCode);
      this.socket.end();
    }
  }
}
