import { announcingJournal, createJobChannel, JOB_CHANNEL_NAME, type JobMessage } from './job-channel.ts';
import type { BulkJob } from './model.ts';
import { MemoryJournal, VirtualClock } from './test-support.ts';

const job = (state: BulkJob['state']): BulkJob =>
  ({ id: 'job-1', createdAt: 0, code: { id: 'c', name: 'C' }, notes: '', options: {}, state, pause: null, counts: {}, updatedAt: 0 }) as unknown as BulkJob;

describe('announcing journal', () => {
  it('announces a state change at once and item changes at most every 500 ms, the last one always, after they are stored', async () => {
    const clock = new VirtualClock();
    const inner = new MemoryJournal();
    const sent: JobMessage[] = [];
    const seenStored: boolean[] = [];
    const journal = announcingJournal(inner, { post: (m) => (sent.push(m), seenStored.push(inner.jobs.has(m.jobId))) }, { ms: 500, clock });
    await journal.create(job('ready'), []);
    await journal.saveJob(job('running'));
    expect(sent).toEqual([
      { jobId: 'job-1', state: 'ready' },
      { jobId: 'job-1', state: 'running' },
    ]);
    const item = { key: 'k' } as Parameters<typeof journal.saveItem>[1];
    for (let i = 0; i < 50; i++) await journal.saveItem('job-1', item);
    expect(sent).toHaveLength(3); // the first item change at once, the rest wait for the window
    await clock.advanceBy(500);
    expect(sent).toHaveLength(4); // the rest folded into one
    await clock.advanceBy(500);
    expect(sent).toHaveLength(4); // nothing new: no more messages, no timer left
    expect(clock.pending).toBe(0);
    await journal.saveJob(job('running')); // counts only: an item-like change
    await journal.saveJob(job('done'));
    expect(sent.slice(-2)).toEqual([{ jobId: 'job-1' }, { jobId: 'job-1', state: 'done' }]);
    await journal.remove('job-1');
    expect(sent.at(-1)).toEqual({ jobId: 'job-1', removed: true });
    expect(seenStored.slice(0, 4).every(Boolean)).toBe(true);
    expect(clock.pending).toBe(0);
  });
});

describe('job channel', () => {
  it('BroadcastChannel: other tabs hear a message, the sender does not', async () => {
    const a = createJobChannel();
    const b = createJobChannel();
    const heardA: JobMessage[] = [];
    const heardB: JobMessage[] = [];
    a.subscribe((m) => heardA.push(m));
    b.subscribe((m) => heardB.push(m));
    a.post({ jobId: 'job-1', state: 'done' });
    await vi.waitFor(() => expect(heardB).toEqual([{ jobId: 'job-1', state: 'done' }]));
    expect(heardA).toEqual([]);
    a.close();
    b.close();
  });

  it('without BroadcastChannel: the storage event carries it; foreign keys and junk are ignored', () => {
    const win = new EventTarget();
    const store = new Map<string, string>();
    const storage = { setItem: (k: string, v: string) => void store.set(k, v), removeItem: (k: string) => void store.delete(k) };
    const a = createJobChannel({ BroadcastChannel: null, window: win, storage });
    const b = createJobChannel({ BroadcastChannel: null, window: win, storage });
    const heard: JobMessage[] = [];
    b.subscribe((m) => heard.push(m));
    a.post({ jobId: 'job-1' });
    a.post({ jobId: 'job-1' });
    const values = [store.get(JOB_CHANNEL_NAME)];
    // The browser fires `storage` in the other tabs only; here the test stands in for it.
    win.dispatchEvent(new StorageEvent('storage', { key: JOB_CHANNEL_NAME, newValue: values[0]! }));
    win.dispatchEvent(new StorageEvent('storage', { key: 'other', newValue: JSON.stringify({ m: { jobId: 'x' } }) }));
    win.dispatchEvent(new StorageEvent('storage', { key: JOB_CHANNEL_NAME, newValue: 'not json' }));
    expect(heard).toEqual([{ jobId: 'job-1' }]);
    b.close();
    win.dispatchEvent(new StorageEvent('storage', { key: JOB_CHANNEL_NAME, newValue: values[0]! }));
    expect(heard).toHaveLength(1);
    a.close();
  });
});
