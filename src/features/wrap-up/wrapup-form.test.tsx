import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { SIM, signedInToSim } from '@/lib/genesys/test-support.ts';
import { renderWithProviders, setupI18n } from '@/testing/render.tsx';
import type { CommunicationCandidate } from './communication-choice.ts';
import { WrapupForm } from './wrapup-form.tsx';

const { server, seen } = signedInToSim();

const candidate: CommunicationCandidate = { kind: 'calls', path: 'calls', id: 'm1', state: 'disconnected', missing: true, wrapupState: 'missing' };
const codes = [{ id: 'code-sale', name: 'Sale' }];

describe('the wrap-up form without an audit log (issue 14: no IndexedDB)', () => {
  beforeAll(() => setupI18n('en'));
  beforeEach(() => {
    server.use(http.get(`${SIM}/api/v2/conversations/calls/c1/participants/p1/communications/m1/wrapup`, () => new HttpResponse(null, { status: 204 })));
  });

  it('refuses the write with a clear message before anything is sent, and records nothing', async () => {
    const onAttempt = vi.fn();
    renderWithProviders(
      <WrapupForm
        conversationId="c1"
        participantId="p1"
        candidates={[candidate]}
        preselected="m1"
        codes={codes}
        canWrite
        onAttempt={onAttempt}
        ensureRecordable={() => Promise.reject(new Error('IndexedDB is not available'))}
      />,
    );
    await waitFor(() => expect(seen.some((s) => s.path.endsWith('/wrapup'))).toBe(true));
    seen.length = 0;
    await userEvent.selectOptions(screen.getByLabelText('Wrap-up code', { exact: true }), 'code-sale');
    await userEvent.click(screen.getByRole('button', { name: 'Apply wrap-up' }));
    expect(await screen.findByText(/Nothing was written: every write is recorded in the audit log/)).toBeInTheDocument();
    expect(screen.getByText(/IndexedDB is not available/)).toBeInTheDocument();
    expect(seen).toEqual([]);
    expect(onAttempt).not.toHaveBeenCalled();
  });

  it('writes when the audit log is there', async () => {
    server.use(http.post(`${SIM}/api/v2/conversations/calls/c1/participants/p1/communications/m1/wrapup`, () => new HttpResponse(null, { status: 202 })));
    const onAttempt = vi.fn();
    renderWithProviders(
      <WrapupForm conversationId="c1" participantId="p1" candidates={[candidate]} preselected="m1" codes={codes} canWrite onAttempt={onAttempt} ensureRecordable={() => Promise.resolve()} />,
    );
    await userEvent.selectOptions(screen.getByLabelText('Wrap-up code', { exact: true }), 'code-sale');
    await userEvent.click(screen.getByRole('button', { name: 'Apply wrap-up' }));
    await waitFor(() => expect(onAttempt).toHaveBeenCalledTimes(1));
    expect(seen.filter((s) => s.method === 'POST')).toHaveLength(1);
  });
});
