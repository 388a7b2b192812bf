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
      <WrapupForm
        conversationId="c1"
        participantId="p1"
        candidates={[candidate]}
        preselected="m1"
        codes={codes}
        canWrite
        onAttempt={onAttempt}
        ensureRecordable={() => Promise.resolve()}
      />,
    );
    await userEvent.selectOptions(screen.getByLabelText('Wrap-up code', { exact: true }), 'code-sale');
    await userEvent.click(screen.getByRole('button', { name: 'Apply wrap-up' }));
    await waitFor(() => expect(onAttempt).toHaveBeenCalledTimes(1));
    expect(seen.filter((s) => s.method === 'POST')).toHaveLength(1);
  });
});

describe('after a success the form starts over, and shows one message at a time (issue 16 item 4)', () => {
  beforeAll(() => setupI18n('en'));
  const URL_ = `${SIM}/api/v2/conversations/calls/c1/participants/p1/communications/m1/wrapup`;
  let current: { code: string; notes?: string } | null;
  beforeEach(() => {
    current = null;
    server.use(
      http.get(URL_, () => (current ? HttpResponse.json(current) : new HttpResponse(null, { status: 204 }))),
      http.post(URL_, async ({ request }) => {
        const body = (await request.json()) as { code: string; notes?: string };
        current = { code: body.code, ...(body.notes ? { notes: body.notes } : {}) };
        return new HttpResponse(null, { status: 202 });
      }),
    );
  });
  const two = [
    { id: 'code-sale', name: 'Sale' },
    { id: 'code-info', name: 'Information given' },
  ];

  it('clears the code, notes and "Replace" tick; a new validation error replaces the success banner', async () => {
    renderWithProviders(
      <WrapupForm
        conversationId="c1"
        participantId="p1"
        candidates={[candidate]}
        preselected="m1"
        codes={two}
        canWrite
        ensureRecordable={() => Promise.resolve()}
      />,
    );
    const code = screen.getByLabelText('Wrap-up code', { exact: true });
    await userEvent.selectOptions(code, 'code-sale');
    await userEvent.type(screen.getByLabelText('Notes (optional)'), 'first note');
    await userEvent.click(screen.getByRole('button', { name: 'Apply wrap-up' }));
    expect(await screen.findByText(/Wrap-up Sale applied\./)).toBeInTheDocument();

    // Reset: nothing invites a second write of the same thing.
    await waitFor(() => expect(code).toHaveValue(''));
    expect(screen.getByLabelText('Notes (optional)')).toHaveValue('');
    // The re-read shows the code just written: the replace choice is offered, unticked, and the
    // "already has" warning does not compete with the success banner.
    const replace = await screen.findByLabelText('Replace the existing code Sale');
    expect(replace).not.toBeChecked();
    expect(screen.queryByTestId('existing-wrapup')).toBeNull();

    // Apply again at once: refused in the form; the old success banner goes.
    await userEvent.click(screen.getByRole('button', { name: 'Apply wrap-up' }));
    expect(await screen.findByText('Choose a wrap-up code.')).toBeInTheDocument();
    expect(screen.queryByText(/Wrap-up Sale applied\./)).toBeNull();
    expect(seen.filter((r) => r.method === 'POST')).toHaveLength(1);

    // A different code without the tick: the replace rule speaks, still one message.
    await userEvent.selectOptions(code, 'code-info');
    await userEvent.click(screen.getByRole('button', { name: 'Apply wrap-up' }));
    expect(await screen.findByText(/Tick "Replace" to overwrite it/)).toBeInTheDocument();
    expect(screen.queryByText(/applied\./)).toBeNull();
    expect(seen.filter((r) => r.method === 'POST')).toHaveLength(1);

    // With the tick: a new attempt; its banner is the only result shown.
    await userEvent.click(screen.getByLabelText('Replace the existing code Sale'));
    await userEvent.click(screen.getByRole('button', { name: 'Apply wrap-up' }));
    expect(await screen.findByText(/Wrap-up Information given applied\./)).toBeInTheDocument();
    expect(screen.queryByText(/Tick "Replace"/)).toBeNull();
    expect(screen.queryByText('Choose a wrap-up code.')).toBeNull();
    expect(seen.filter((r) => r.method === 'POST')).toHaveLength(2);
    await waitFor(() => expect(screen.getByLabelText('Replace the existing code Information given')).not.toBeChecked());
  });

  it('a refusal is kept until the next attempt or validation error, and never sits beside another result', async () => {
    server.use(http.post(URL_, () => HttpResponse.json({ code: 'bad.request', message: 'Refused here', status: 400 }, { status: 400 })));
    renderWithProviders(
      <WrapupForm
        conversationId="c1"
        participantId="p1"
        candidates={[candidate]}
        preselected="m1"
        codes={two}
        canWrite
        ensureRecordable={() => Promise.resolve()}
      />,
    );
    const code = screen.getByLabelText('Wrap-up code', { exact: true });
    await userEvent.selectOptions(code, 'code-sale');
    await userEvent.click(screen.getByRole('button', { name: 'Apply wrap-up' }));
    expect(await screen.findByText(/The platform refused the wrap-up/)).toBeInTheDocument();
    // Not reset after a failure: what was chosen stays for a corrected attempt.
    expect(code).toHaveValue('code-sale');
    await userEvent.click(screen.getByLabelText('Notes (optional)'));
    await userEvent.paste('x'.repeat(1001));
    await userEvent.click(screen.getByRole('button', { name: 'Apply wrap-up' }));
    expect(await screen.findByText('Notes can be at most 1000 characters long.')).toBeInTheDocument();
    expect(screen.queryByText(/The platform refused the wrap-up/)).toBeNull();
  });
});
