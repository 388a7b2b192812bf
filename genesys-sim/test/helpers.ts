/** Shared test helpers (not a test file). */
import type { Models } from 'purecloud-platform-client-v2';
import { startSim, type RunningSim, type StartOptions } from '../src/index.ts';

export const DAY = 86_400_000;
export const SUPERVISOR = 'supervisor@demo.example';
export const VIEWER = 'viewer@demo.example';

export function intervalDays(days: number, now = Date.now()): string {
  return `${new Date(now - days * DAY).toISOString()}/${new Date(now + 60_000).toISOString()}`;
}

export async function withSim(options: StartOptions = {}): Promise<RunningSim> {
  return startSim({ control: true, conversations: 120, analyticsLagMs: 0, ...options });
}

export interface Res<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export async function call<T = unknown>(
  sim: RunningSim,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; headers?: Record<string, string>; raw?: string } = {},
): Promise<Res<T>> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.raw !== undefined) body = opts.raw;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined && !headers['Content-Type']) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${sim.url}${path}`, { method, headers, body, redirect: 'manual' });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, body: parsed as T, text };
}

/** A disconnected agent participant with no wrap-up, writable (not chat), by a given situation. */
export function findAgent(sim: RunningSim, pred: (p: { situation?: string; media: string; disconnected: boolean; coded: boolean }) => boolean) {
  for (const c of sim.state.org.conversations) {
    for (const p of c.participants) {
      const comm = p.comms[0];
      if (p.purpose !== 'agent' || !comm) continue;
      if (pred({ situation: p.situation, media: c.media, disconnected: comm.state === 'disconnected', coded: comm.wrapup !== undefined })) {
        return { conversation: c, participant: p, comm };
      }
    }
  }
  throw new Error('no matching agent participant');
}

export const mediaPath = (media: string): string => ({ voice: 'calls', callback: 'callbacks', email: 'emails', message: 'messages' })[media] ?? 'chats';

export function isErrorBody(v: unknown): v is Models.ErrorBody {
  return typeof v === 'object' && v !== null && 'code' in v && 'contextId' in v && 'status' in v && 'message' in v;
}
