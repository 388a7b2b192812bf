import { describe, expect, it } from 'vitest';
import { IMPORT_MAX_REPORTED, notFoundReport, parseImport } from './import-parse.ts';

const C1 = '11111111-1111-4111-8111-111111111111';
const C2 = '22222222-2222-4222-8222-222222222222';
const P1 = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';

describe('parseImport', () => {
  it('reads ids, optional participant ids or agent emails and a header, and reports every bad line', () => {
    const text = [
      'conversationId,participantId',
      C1,
      `${C2},${P1}`,
      '',
      'junk',
      `${C1}`,
      `${C2};Agent@Example.com`,
      `${C2},x,y`,
      `=cmd|' /C calc'!A0`,
      `${C1},not-an-id`,
      `${C2},agent@example.com`,
    ].join('\r\n');
    const r = parseImport(text);
    expect(r.entries.map((e) => [e.line, e.conversationId, e.participantId, e.agentEmail])).toEqual([
      [2, C1, undefined, undefined],
      [3, C2, P1, undefined],
      [7, C2, undefined, 'agent@example.com'],
    ]);
    expect(r.problems.map((p) => [p.line, p.kind, p.reason])).toEqual([
      [5, 'malformed', 'conversation-id'],
      [6, 'duplicate', undefined],
      [8, 'malformed', 'too-many-columns'],
      [9, 'malformed', 'conversation-id'],
      [10, 'malformed', 'participant-id'],
      [11, 'duplicate', undefined],
    ]);
    expect(r.lines).toBe(9);
  });

  it('treats the same conversation with another participant as a different target', () => {
    const r = parseImport(`${C1}\n${C1},${P1}\n${C1.toUpperCase()},${P1.toUpperCase()}`);
    expect(r.entries).toHaveLength(2);
    expect(r.problems).toEqual([{ line: 3, kind: 'duplicate', text: `${C1.toUpperCase()},${P1.toUpperCase()}` }]);
  });

  it('reads every line of a long list: none is dropped, problems past the report limit are counted', () => {
    const ids = Array.from({ length: 150_000 }, (_, i) => `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`);
    const junk = Array.from({ length: IMPORT_MAX_REPORTED + 5 }, (_, i) => `junk ${i}`);
    const r = parseImport([...ids, ...junk, ids[0]].join('\n'));
    expect(r.entries).toHaveLength(150_000);
    expect(r.entries.at(-1)).toMatchObject({ line: 150_000 });
    expect(r.problemCount).toBe(IMPORT_MAX_REPORTED + 6);
    expect(r.problems).toHaveLength(IMPORT_MAX_REPORTED);
    expect(r.problems[0]).toMatchObject({ line: 150_001, kind: 'malformed' });
    expect(r.lines).toBe(r.entries.length + r.problemCount);
  });

  it('10 MB of random bytes: a per-line report, no entries', () => {
    const bytes = new Uint8Array(10_000_000);
    let seed = 7;
    for (let i = 0; i < bytes.length; i++) bytes[i] = (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) >> 23;
    const r = parseImport(new TextDecoder('latin1').decode(bytes));
    expect(r.entries).toEqual([]);
    expect(r.problemCount).toBe(r.lines);
    expect(r.problemCount).toBeGreaterThan(1000);
    expect(r.problems.every((p) => p.kind === 'malformed' && p.text.length <= 201)).toBe(true);
  });

  it('survives noise without entries and cuts long lines in the report', () => {
    const noise = 'x'.repeat(5000);
    const r = parseImport(`${noise}\n${noise}`);
    expect(r.entries).toEqual([]);
    expect(r.problems).toHaveLength(2);
    expect(r.problems[0]!.text.length).toBeLessThanOrEqual(201);
  });
});

describe('notFoundReport', () => {
  it('maps the plan back to lines', () => {
    const { entries } = parseImport(`${C1}\n${C2},${P1}`);
    expect(notFoundReport(entries, [C1], [{ conversationId: C2, participantId: P1 }]).map((p) => [p.line, p.kind])).toEqual([
      [1, 'not-found'],
      [2, 'unknown'],
    ]);
  });

  it('reports agent emails that match no user, and agents who are not in the conversation', () => {
    const { entries } = parseImport(`${C1},ann@example.com\n${C2},nobody@example.com\n${C2},bo@example.com`);
    expect(
      notFoundReport(entries, [], [{ conversationId: C1, agentEmail: 'ann@example.com' }], ['nobody@example.com']).map((p) => [p.line, p.kind, p.text]),
    ).toEqual([
      [1, 'unknown', `${C1},ann@example.com`],
      [2, 'unknown-agent', `${C2},nobody@example.com`],
    ]);
  });
});

describe('every bad line is reported with its number (issue 16 item 4)', () => {
  const C3 = '33333333-3333-4333-8333-333333333333';
  const P2 = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';

  it('a first line that is not a plain header is data: reported, not skipped', () => {
    expect(parseImport(`Conversation export 2025-03-01\n${C1}`).problems).toEqual([
      { line: 1, kind: 'malformed', reason: 'conversation-id', text: 'Conversation export 2025-03-01' },
    ]);
    expect(parseImport(`conversationId,participantId,notes\n${C1}`).problems).toMatchObject([{ line: 1, kind: 'malformed', reason: 'too-many-columns' }]);
    // Plain headers are still skipped.
    for (const header of ['conversationId', 'Conversation ID;Participant ID', '"conversation_id"\t"participant_id"']) {
      const r = parseImport(`${header}\n${C1}`);
      expect(r.problems, header).toEqual([]);
      expect(r.entries).toHaveLength(1);
    }
  });

  it('an unknown participant of a conversation taken whole by another line is reported', () => {
    const { entries } = parseImport(`${C1},${P2}\n${C1}`);
    // planBulk reports the participant even though line 2 takes the conversation (planner.test.ts).
    const planned = [{ conversationId: C1, participantId: P1 }];
    expect(notFoundReport(entries, [], [{ conversationId: C1, participantId: P2 }], [], planned)).toEqual([{ line: 1, kind: 'unknown', text: `${C1},${P2}` }]);
  });

  it('a line that names something real but gives nothing to write is reported', () => {
    const { entries } = parseImport([C1, C2, `${C3},${P1}`, `${C3},${P2}`, `${C2},bo@example.com`].join('\n'));
    // C1 ended in the IVR (no agent), C2 has agent P1, C3 has agents P1 (no communication) and P2.
    const planned = [
      { conversationId: C2, participantId: P1 },
      { conversationId: C3, participantId: P2 },
    ];
    expect(notFoundReport(entries, [], [], [], planned)).toEqual([
      { line: 1, kind: 'nothing-to-write', text: C1 },
      { line: 3, kind: 'nothing-to-write', text: `${C3},${P1}` },
    ]);
    // Without the plan's items (older callers) only what the platform did not know is reported.
    expect(notFoundReport(entries, [], [])).toEqual([]);
  });

  it('each line gets one reason, the most basic first', () => {
    const { entries } = parseImport([`${C1},${P1}`, `${C2},nobody@example.com`, C3].join('\n'));
    expect(
      notFoundReport(entries, [C1, C2.toUpperCase()], [{ conversationId: C1, participantId: P1 }], ['nobody@example.com'], []).map((p) => [p.line, p.kind]),
    ).toEqual([
      [1, 'not-found'],
      [2, 'unknown-agent'],
      [3, 'nothing-to-write'],
    ]);
  });
});
