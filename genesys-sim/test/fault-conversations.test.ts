/** Faults for some conversations only (`faults.conversations`): one job can see a fault on some items and the platform's own answer on others. */
import type { RunningSim } from '../src/index.ts';
import { mergeFaults, defaultFaults, OptionsError } from '../src/options.ts';
import { allowedCodeIds } from '../src/rules.ts';
import { SUPERVISOR, call, findAgent, mediaPath, withSim } from './helpers.ts';

let sim: RunningSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe('faults.conversations', () => {
  it('validates: null or a list of ids', () => {
    expect(mergeFaults(defaultFaults, { conversations: ['a', 'b'] }).conversations).toEqual(['a', 'b']);
    expect(mergeFaults(defaultFaults, { conversations: null }).conversations).toBeNull();
    expect(() => mergeFaults(defaultFaults, { conversations: 'a' })).toThrow(OptionsError);
    expect(() => mergeFaults(defaultFaults, { conversations: [1] })).toThrow(OptionsError);
  });

  it("hits only the writes of the listed conversations; the others get the platform's own answer", async () => {
    sim = await withSim();
    const token = sim.mintToken(SUPERVISOR);
    const a = findAgent(sim, (p) => p.disconnected && !p.coded && p.media === 'voice' && p.situation !== 'direct');
    const b = (() => {
      for (const c of sim.state.org.conversations) {
        if (c.id === a.conversation.id || c.media !== 'voice') continue;
        for (const p of c.participants) {
          const comm = p.comms[0];
          if (p.purpose === 'agent' && p.queueId && comm && comm.state === 'disconnected' && comm.wrapup === undefined)
            return { conversation: c, participant: p, comm };
        }
      }
      throw new Error('no second agent participant');
    })();
    const r0 = await call(sim, 'POST', '/__sim/faults', { body: { rate5xx: 1, conversations: [a.conversation.id] } });
    expect(r0.status).toBeLessThan(300);
    const code = (target: typeof a) => allowedCodeIds(sim!.state.org, target.participant)[0]!;
    const write = (t: typeof a) =>
      call(
        sim!,
        'POST',
        `/api/v2/conversations/${mediaPath(t.conversation.media)}/${t.conversation.id}/participants/${t.participant.id}/communications/${t.comm.id}/wrapup`,
        {
          token,
          body: { code: code(t) },
        },
      );
    expect((await write(a)).status).toBe(503);
    expect((await write(b)).status).toBe(202);
  });
});
