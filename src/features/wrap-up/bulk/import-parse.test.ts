import { describe, expect, it } from 'vitest';
import { notFoundReport, parseImport } from './import-parse.ts';

const C1 = '11111111-1111-4111-8111-111111111111';
const C2 = '22222222-2222-4222-8222-222222222222';
const P1 = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';

describe('parseImport', () => {
  it('reads ids, optional participant ids or agent emails and a header, and reports every bad line', () => {
    const text = ['conversationId,participantId', C1, `${C2},${P1}`, '', 'junk', `${C1}`, `${C2};Agent@Example.com`, `${C2},x,y`, `=cmd|' /C calc'!A0`, `${C1},not-an-id`, `${C2},agent@example.com`].join('\r\n');
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
    expect(notFoundReport(entries, [], [{ conversationId: C1, agentEmail: 'ann@example.com' }], ['nobody@example.com']).map((p) => [p.line, p.kind, p.text])).toEqual([
      [1, 'unknown', `${C1},ann@example.com`],
      [2, 'unknown-agent', `${C2},nobody@example.com`],
    ]);
  });
});
