import { filterCodes } from './code-picker.tsx';
import { NOTES_MAX_LENGTH, wrapupFormSchema } from './wrapup-form-schema.ts';

const allowed = new Set(['w1', 'w2']);
const valid = { communicationId: 'm1', codeId: 'w1', notes: '', replace: false };
const issues = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  r.success ? [] : (r.error?.issues ?? []).map((i) => `${i.path.join('.')}:${i.message}`);

describe('wrapupFormSchema (refused before any request)', () => {
  it('accepts a code from the participant list', () => {
    expect(wrapupFormSchema({ allowedCodeIds: allowed, hasExisting: false }).safeParse(valid).success).toBe(true);
  });

  it('refuses an empty selection, a code outside the list and a missing communication', () => {
    const s = wrapupFormSchema({ allowedCodeIds: allowed, hasExisting: false });
    expect(issues(s.safeParse({ ...valid, codeId: '' }))).toContain('codeId:codeRequired');
    expect(issues(s.safeParse({ ...valid, codeId: 'deleted-or-other-queue' }))).toEqual(['codeId:codeNotAllowed']);
    expect(issues(s.safeParse({ ...valid, communicationId: '' }))).toEqual(['communicationId:communicationRequired']);
  });

  it(`refuses notes longer than ${NOTES_MAX_LENGTH} characters, accepts exactly the limit`, () => {
    const s = wrapupFormSchema({ allowedCodeIds: allowed, hasExisting: false });
    expect(s.safeParse({ ...valid, notes: 'x'.repeat(NOTES_MAX_LENGTH) }).success).toBe(true);
    expect(issues(s.safeParse({ ...valid, notes: 'x'.repeat(NOTES_MAX_LENGTH + 1) }))).toEqual(['notes:notesTooLong']);
  });

  it('requires the explicit replace choice only when a wrap-up exists', () => {
    const s = wrapupFormSchema({ allowedCodeIds: allowed, hasExisting: true });
    expect(issues(s.safeParse(valid))).toEqual(['replace:replaceRequired']);
    expect(s.safeParse({ ...valid, replace: true }).success).toBe(true);
  });
});

describe('filterCodes', () => {
  const codes = [
    { id: '1', name: 'Sale completed' },
    { id: '2', name: 'Rückruf vereinbart' },
    { id: '3', name: '<img src=x onerror=alert(1)> Escalated' },
  ];
  it('matches every word, ignoring case and accents', () => {
    expect(filterCodes(codes, 'sale').map((c) => c.id)).toEqual(['1']);
    expect(filterCodes(codes, 'ruckruf VER').map((c) => c.id)).toEqual(['2']);
    expect(filterCodes(codes, 'escalated img').map((c) => c.id)).toEqual(['3']);
    expect(filterCodes(codes, '  ').map((c) => c.id)).toEqual(['1', '2', '3']);
    expect(filterCodes(codes, 'nothing')).toEqual([]);
  });
});
