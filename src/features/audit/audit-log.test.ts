import { auditLogReady } from './audit-log.ts';

describe('the audit log where IndexedDB is missing (issue 14)', () => {
  it('is not ready, so a single write is refused before it is sent', async () => {
    expect(typeof globalThis.indexedDB).toBe('undefined');
    await expect(auditLogReady()).rejects.toBeDefined();
  });
});
