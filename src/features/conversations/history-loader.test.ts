import type { Models } from '@/lib/genesys/sdk.ts';
import type { MediaConversation } from '@/lib/genesys/api.ts';
import { ApiError } from '@/lib/genesys/api-error.ts';
import { historyRow, loadCallHistory, type HistoryApi } from './history-loader.ts';
import { applyLive } from './live-rows.ts';
import { filterMyItems, missingCount, myItems } from './my-items.ts';
import type { OwnCommunication } from '@/lib/genesys/own-conversations.ts';

const NOW = Date.parse('2026-03-02T10:00:00Z');
const iso = (msAgo: number) => new Date(NOW - msAgo).toISOString();
const ME = 'user-me';

function call(id: string, startAgo: number, mine: Partial<Models.CallHistoryParticipant> = {}): Models.CallHistoryConversation {
  return {
    id,
    startTime: iso(startAgo),
    direction: 'inbound',
    participants: [
      { id: `${id}-cust`, purpose: 'customer', startTime: iso(startAgo), endTime: iso(startAgo - 60_000) },
      {
        id: `${id}-me`,
        purpose: 'agent',
        user: { id: ME, version: 1 },
        queue: { id: 'q1' },
        startTime: iso(startAgo),
        endTime: iso(startAgo - 60_000),
        didInteract: true,
        ...mine,
      },
    ],
  };
}

function media(id: string, me: Partial<MediaConversation['participants'] & object>[number] = {}): MediaConversation {
  return {
    id,
    participants: [
      { id: `${id}-cust`, purpose: 'customer', state: 'disconnected' },
      { id: `${id}-me`, purpose: 'agent', user: { id: ME }, queue: { id: 'q1' }, state: 'disconnected', endTime: iso(1000), ...me },
    ],
  };
}

describe('call history rows (no analytics permission)', () => {
  it("classifies the agent's own participant by the one rule: missing, coded, system-coded, unanswered", () => {
    const missing = historyRow(call('a', 3_600_000), media('a', { wrapupSkipped: true }), ME, NOW);
    expect(missing.agents[0]?.wrapup).toEqual({ status: 'missing', mediaType: 'voice', communicationId: '' });
    expect(missing.durationMs).toBe(60_000);
    const coded = historyRow(call('b', 3_600_000), media('b', { wrapup: { code: 'c1' } }), ME, NOW);
    expect(coded.agents[0]?.wrapup).toMatchObject({ status: 'coded', code: 'c1' });
    const system = historyRow(call('c', 3_600_000), media('c', { wrapup: { code: 'ININ-WRAP-UP-TIMEOUT' } }), ME, NOW);
    expect(system.agents[0]?.wrapup?.status).toBe('system');
    const unanswered = historyRow(call('d', 3_600_000, { didInteract: false }), media('d'), ME, NOW);
    expect(unanswered.agents[0]?.wrapup?.status).toBe('unanswered');
    // Without its media GET the call is listed, not classified.
    expect(historyRow(call('e', 3_600_000), undefined, ME, NOW).agents[0]?.wrapup).toBeUndefined();
  });

  it("loads every call in the window, reads each one's media GET, and reports a failed read without losing the rest", async () => {
    const calls = [call('in1', 1000 * 60 * 10), call('in2', 1000 * 60 * 20), call('outside', 1000 * 60 * 60 * 30)];
    const reads: string[] = [];
    const api: HistoryApi = {
      history: (interval) => {
        expect(interval).toBe(`${iso(86_400_000)}/${iso(0)}`);
        return Promise.resolve({ conversations: calls, truncated: false });
      },
      mediaConversation: (cid) => {
        reads.push(cid);
        if (cid === 'in2') return Promise.reject(new ApiError({ kind: 'http', status: 503, code: 'service.unavailable', message: 'down' }));
        return Promise.resolve(media(cid, { wrapupSkipped: true }));
      },
      now: () => NOW,
    };
    const updates: number[] = [];
    const data = await loadCallHistory(`${iso(86_400_000)}/${iso(0)}`, ME, api, { onUpdate: (d) => updates.push(d.loaded) });
    expect(reads.sort()).toEqual(['in1', 'in2']);
    expect(data.rows.map((r) => r.id)).toEqual(['in1', 'in2']);
    expect(data.phase).toBe('done');
    expect(data.failures).toEqual([{ source: 'in2', page: 0, status: 503, code: 'service.unavailable', message: 'down' }]);
    expect(updates.at(-1)).toBe(2);
    const items = myItems(data.rows, ME);
    expect(missingCount(items)).toBe(1);
    expect(filterMyItems(items, 'missing').map((i) => [i.row.id, i.media, i.communicationId])).toEqual([['in1', 'calls', '']]);
  });

  it('a failed history read fails the load', async () => {
    const api: HistoryApi = {
      history: () => Promise.reject(new ApiError({ kind: 'http', status: 400, code: 'bad.request', message: 'no' })),
      mediaConversation: () => Promise.reject(new Error('not called')),
      now: () => NOW,
    };
    await expect(loadCallHistory(`${iso(1000)}/${iso(0)}`, ME, api)).rejects.toMatchObject({ status: 400 });
  });
});

describe('live communications over the list', () => {
  const left = (over: Partial<OwnCommunication> = {}): OwnCommunication => ({
    conversationId: 'a',
    participantId: 'a-me',
    communicationId: 'comm-a',
    path: 'calls',
    mediaType: 'voice',
    state: 'missing',
    leftAcwWithoutCode: true,
    ended: true,
    acw: 'skipped',
    endedAt: NOW - 1000,
    ...over,
  });

  it('a row from the call history (no communication ids) takes the live state of its one session; a code set elsewhere clears it', () => {
    const active = historyRow(call('a', 600_000), media('a', { state: 'connected', endTime: undefined }), ME, NOW);
    expect(myItems([active], ME)[0]?.status).toBe('active');
    const after = applyLive([active], [left()], ME, NOW);
    expect(myItems(after, ME).map((i) => i.status)).toEqual(['missing']);
    const coded = applyLive([active], [left({ state: 'coded', code: 'c1', leftAcwWithoutCode: false, acw: 'complete' })], ME, NOW);
    expect(myItems(coded, ME)[0]).toMatchObject({ status: 'coded', code: 'c1' });
  });

  it("a conversation the list does not have is added at the top, as the agent's own", () => {
    const loaded = historyRow(call('b', 600_000), media('b', { wrapup: { code: 'c1' } }), ME, NOW);
    const rows = applyLive([loaded], [left({ conversationId: 'new', participantId: 'new-me', connectedAt: NOW - 5000 })], ME, NOW);
    expect(rows.map((r) => r.id)).toEqual(['new', 'b']);
    expect(myItems(rows, ME).find((i) => i.row.id === 'new')).toMatchObject({ status: 'missing', communicationId: 'comm-a', media: 'calls' });
  });
});
