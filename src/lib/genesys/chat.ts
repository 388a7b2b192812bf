/**
 * `POST /api/v2/chats/users/{userId}/messages`: a 1:1 Genesys Cloud chat message to a user (the
 * supervisor's "nudge", issue 18 item 3). Requires ANY of `chat:chat:access`,
 * `chat:1on1Message:add` (SDK docs of postChatsUserMessages) [H].
 *
 * Like api.ts, this file holds no SDK value import (features reach it from pages that may load
 * before the SDK): the class comes with the SDK chunk, already loaded by any earlier call.
 */
import type { ApiClientClass, ChatApi as ChatApiT, Models } from 'purecloud-platform-client-v2';
import { toApiError } from './api-error.ts';
import { call, type CallOptions } from './call.ts';
import type { Platform } from './client.ts';
import type { ChatApi as ChatApiClass } from './sdk.ts';

/** The permissions the platform accepts for a 1:1 chat message (either one). */
export const CHAT_MESSAGE_PERMISSIONS = ['chat:chat:access', 'chat:1on1Message:add'] as const;

let ChatApi: typeof ChatApiClass | undefined;
const chatApis = new WeakMap<ApiClientClass, ChatApiT>();

async function loadChatApi(): Promise<void> {
  try {
    ChatApi ??= (await import('./sdk.ts')).ChatApi;
  } catch (e) {
    throw toApiError(e);
  }
}

function chat(p: Platform): ChatApiT {
  let api = chatApis.get(p.apiClient);
  if (!api) {
    api = new ChatApi!(p.apiClient);
    chatApis.set(p.apiClient, api);
  }
  return api;
}

/**
 * Sends `message` to the user. A write without an idempotency key: sent once, never retried here
 * (a retry after a lost answer could deliver the message twice).
 */
export async function sendUserChatMessage(userId: string, message: string, options?: Omit<CallOptions, 'retry'>): Promise<Models.ChatSendMessageResponse> {
  await loadChatApi();
  const body: Models.SendMessageBody = { message };
  return call((p) => chat(p).postChatsUserMessages(userId, body), { ...options, retry: false });
}
