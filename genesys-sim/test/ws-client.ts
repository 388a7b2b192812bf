/**
 * The tests' WebSocket client (not a test file): the `ws` package's client, plus a record of what
 * the server sent, in order, and helpers to wait for it. Node 20 has no global WebSocket.
 */
import WebSocket, { type ClientOptions } from 'ws';

/** A notification message as the platform sends it. */
export interface Message {
  topicName: string;
  version?: string;
  eventBody: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}

export type Upgrade = { status: 101; ws: TestWs } | { status: number; body: string };

/** Open `ws://host:port/path`; answers the HTTP status and body when the server does not upgrade. */
export function connectWs(url: string, options: ClientOptions = {}): Promise<Upgrade> {
  return new Promise((resolve, reject) => {
    const client = new WebSocket(url, options);
    const ws = new TestWs(client);
    let settled = false;
    client.once('open', () => {
      settled = true;
      resolve({ status: 101, ws });
    });
    client.once('unexpected-response', (req, res) => {
      settled = true;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    client.once('error', (err) => {
      if (!settled) reject(err);
    });
  });
}

/** Like connectWs, but fails unless the server upgrades. */
export async function openWs(url: string): Promise<TestWs> {
  const r = await connectWs(url);
  if (r.status !== 101 || !('ws' in r)) throw new Error(`expected 101, got ${r.status}: ${'body' in r ? r.body : ''}`);
  return r.ws;
}

export class TestWs {
  readonly messages: Message[] = [];
  /** What arrived, in order: each message's topicName, then `close <code>` when the connection ended. */
  readonly log: string[] = [];
  /** Payloads of the protocol pong frames received. */
  readonly pongs: string[] = [];
  /** Code of the server's close frame (null until one arrives, and when the TCP connection just dropped). */
  closeCode: number | null = null;
  closeReason = '';
  /** Set when the server broke the protocol (ws reports e.g. a masked server frame) or sent a non-JSON text. */
  violation: string | null = null;
  private isClosed = false;
  private readonly waiters = new Set<() => void>();

  constructor(
    /** The `ws` client, for frames the helpers below do not send (fragments, pings, unmasked frames). */
    readonly client: WebSocket,
  ) {
    client.on('message', (data, isBinary) => {
      try {
        const message = JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : '') as Message;
        this.messages.push(message);
        this.log.push(message.topicName);
      } catch {
        this.violation = `${isBinary ? 'binary' : 'text'} message is not JSON`;
      }
      this.wake();
    });
    client.on('pong', (data) => {
      this.pongs.push(data.toString('utf8'));
      this.wake();
    });
    client.on('error', (err) => {
      if (client.readyState !== WebSocket.CONNECTING) this.violation = err.message;
    });
    client.on('close', (code, reason) => {
      // 1006: no close frame arrived (the connection dropped); 1005: a close frame without a code.
      this.closeCode = code === 1006 ? null : code;
      this.closeReason = reason.toString('utf8');
      this.isClosed = true;
      this.log.push(`close ${String(this.closeCode)}`);
      this.wake();
    });
  }

  get isOpen(): boolean {
    return !this.isClosed;
  }

  sendText(text: string): void {
    this.client.send(text);
  }

  /** The platform's application-level ping: `{"message":"ping"}`. */
  ping(extra: Record<string, unknown> = {}): void {
    this.sendText(JSON.stringify({ message: 'ping', ...extra }));
  }

  close(code = 1000): void {
    this.client.close(code);
  }

  destroy(): void {
    this.client.terminate();
  }

  /** Resolve with the first truthy value of `check`, re-evaluated on every message and on close. */
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
        reject(new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.log)}`));
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

  /** Wait until the connection is gone. */
  async ended(timeoutMs = 10_000): Promise<void> {
    await this.waitFor(() => this.isClosed, 'the connection to end', timeoutMs);
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }
}
