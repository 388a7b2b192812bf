/**
 * The worklist and the bulk job must agree on which agent participants are missing a wrap-up
 * (issue 13): every case of the shared table goes through the worklist's code path
 * (`conversationRow`, what the loader builds rows with) AND the bulk preview's (`planBulk` →
 * `decide` / `previewSummary`, and `observeSession`, which the runner's batched re-check uses), and
 * both must give the table's answer.
 */
import { conversationRow, countStatuses, missingTotal, type WrapupStatus } from '@/features/conversations/wrapup-status.ts';
import type { WrapupState } from '@/lib/genesys/wrapup-rules.ts';
import { CASES, NOW, analyticsConversation } from '@/lib/genesys/wrapup-rules.test-cases.ts';
import { DEFAULT_JOB_OPTIONS, type CurrentStatus } from './model.ts';
import { decide, observeSession, planBulk, previewSummary } from './planner.ts';
import type { BulkPlatform, DetailsConversation } from './platform-port.ts';

/** The two features' names for the one rule's states. */
const FROM_WORKLIST: Record<WrapupStatus, WrapupState> = {
  missing: 'missing',
  'not-writable': 'not-writable',
  system: 'system-coded',
  coded: 'coded',
  active: 'active',
  unanswered: 'unanswered',
};
const FROM_BULK: Record<CurrentStatus, WrapupState> = {
  missing: 'missing',
  'no-write-path': 'not-writable',
  'system-coded': 'system-coded',
  coded: 'coded',
  active: 'active',
  unanswered: 'unanswered',
};

const CODE = { id: 'code-job', name: 'Job code' };

function platformOf(conv: DetailsConversation): Pick<BulkPlatform, 'getDetails' | 'listQueueCodes' | 'participantCodes' | 'listUsers'> {
  return {
    getDetails: (ids) => Promise.resolve(ids.includes(conv.conversationId!) ? [conv] : []),
    listQueueCodes: () => Promise.resolve([CODE]),
    participantCodes: () => Promise.resolve([CODE]),
    listUsers: () => Promise.resolve([]),
  };
}

describe('worklist and bulk preview agree on every case', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const conv = analyticsConversation(c);

      // The worklist's path.
      const row = conversationRow(conv, NOW);
      // The bulk preview's path, reading analytics at the same moment.
      const plan = await planBulk([{ conversationId: conv.conversationId! }], { platform: platformOf(conv), now: () => NOW });
      const summary = previewSummary(plan, { code: CODE, notes: '' });

      for (const a of c.agents) {
        const worklist = row.agents.find((p) => p.participantId === a.pid)!;
        const items = plan.items.filter((i) => i.participantId === a.pid);
        expect(items.map((i) => i.communicationId)).toEqual(a.sessions.map((s) => s.id));

        for (const s of a.sessions) {
          const ws = worklist.sessions.find((x) => x.sessionId === s.id)!;
          const item = items.find((i) => i.communicationId === s.id)!;
          const where = `${a.pid}/${s.id}`;
          // Each path gives the table's state, hence the same state as the other.
          expect(FROM_WORKLIST[ws.status], `worklist ${where}`).toBe(s.expect);
          expect(FROM_BULK[item.observed.status], `preview ${where}`).toBe(s.expect);
          expect(ws.code ?? null, `codes ${where}`).toBe(item.observed.codeId);
          expect(ws.acwSince ?? null, `acwSince ${where}`).toBe(item.observed.acwSince ?? null);
          // The runner's batched re-check reads analytics through the same function.
          const session = conv.participants!.find((p) => p.participantId === a.pid)!.sessions!.find((x) => x.sessionId === s.id)!;
          expect(observeSession(conv, session, NOW)).toEqual(item.observed);
          // A job (default options: no replace, no system codes) writes exactly the sessions the worklist calls missing.
          const d = decide(item, CODE, DEFAULT_JOB_OPTIONS);
          expect(d.status === 'pending', `written ${where}`).toBe(ws.status === 'missing');
        }

        expect(FROM_WORKLIST[worklist.wrapup!.status], `participant ${a.pid}`).toBe(a.expect);
        expect(worklist.wrapup!.communicationId ?? null, `target ${a.pid}`).toBe(a.target ?? null);
        // The worklist's target is among what the job writes, when it can write it.
        if (worklist.wrapup!.status === 'missing') expect(items.find((i) => i.communicationId === a.target)?.observed.status).toBe('missing');
      }

      // Counted the same way: the worklist's "missing" total (writable ones) is the preview's "will be written".
      const counts = countStatuses([row], { queue: null, agent: null });
      const participantsWritten = new Set(plan.items.filter((i) => decide(i, CODE, DEFAULT_JOB_OPTIONS).status === 'pending').map((i) => i.participantId));
      expect(participantsWritten.size).toBe(counts.missing);
      expect(missingTotal(counts)).toBe(c.agents.filter((a) => a.expect === 'missing' || a.expect === 'not-writable').length);
      expect(summary.write).toBe(c.agents.flatMap((a) => a.sessions).filter((s) => s.expect === 'missing').length);
      expect(summary.unanswered).toBe(c.agents.flatMap((a) => a.sessions).filter((s) => s.expect === 'unanswered').length);
    });
  }
});
