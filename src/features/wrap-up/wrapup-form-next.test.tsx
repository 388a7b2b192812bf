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
const URL_ = `${SIM}/api/v2/conversations/calls/c1/participants/p1/communications/m1/wrapup`;

describe('the side panel\'s "Save and next missing" and keys (issue 16 item 1)', () => {
  beforeAll(() => setupI18n('en'));
  let current: { code: string } | null;
  beforeEach(() => {
    current = null;
    seen.length = 0;
    server.use(
      http.get(URL_, () => (current ? HttpResponse.json(current) : new HttpResponse(null, { status: 204 }))),
      http.post(URL_, async ({ request }) => {
        current = { code: ((await request.json()) as { code: string }).code };
        return new HttpResponse(null, { status: 202 });
      }),
    );
  });
  const form = (onSavedAndNext?: () => void) =>
    renderWithProviders(
      <WrapupForm
        conversationId="c1"
        participantId="p1"
        candidates={[candidate]}
        preselected="m1"
        codes={codes}
        canWrite
        ensureRecordable={() => Promise.resolve()}
        {...(onSavedAndNext ? { onSavedAndNext } : {})}
      />,
    );
  const posts = () => seen.filter((s) => s.method === 'POST');

  it('without the panel there is no second button', () => {
    form();
    expect(screen.queryByRole('button', { name: 'Save and next missing' })).toBeNull();
  });

  it('"Save and next missing" writes once, then moves on', async () => {
    const next = vi.fn();
    form(next);
    await userEvent.selectOptions(screen.getByLabelText('Wrap-up code', { exact: true }), 'code-sale');
    await userEvent.click(screen.getByRole('button', { name: 'Save and next missing' }));
    await waitFor(() => expect(next).toHaveBeenCalledTimes(1));
    expect(posts()).toHaveLength(1);
  });

  it('a validation error does not move on, and nothing is written', async () => {
    const next = vi.fn();
    form(next);
    await userEvent.click(screen.getByRole('button', { name: 'Save and next missing' }));
    expect(await screen.findByText('Choose a wrap-up code.')).toBeInTheDocument();
    expect(next).not.toHaveBeenCalled();
    expect(posts()).toEqual([]);
  });

  it('Enter on the code list saves and stays; Enter in the notes is a new line, not a save', async () => {
    const next = vi.fn();
    form(next);
    const select = screen.getByLabelText('Wrap-up code', { exact: true });
    await userEvent.type(screen.getByLabelText('Notes (optional)'), 'line{Enter}two');
    expect(posts()).toEqual([]);
    expect(screen.getByLabelText<HTMLTextAreaElement>('Notes (optional)').value).toBe('line\ntwo');
    await userEvent.selectOptions(select, 'code-sale');
    select.focus();
    await userEvent.keyboard('{Enter}');
    expect(await screen.findByText(/Wrap-up Sale applied\./)).toBeInTheDocument();
    expect(posts()).toHaveLength(1);
    expect(next).not.toHaveBeenCalled();
  });

  it('Shift+Enter on the code list is "Save and next missing"', async () => {
    const next = vi.fn();
    form(next);
    const select = screen.getByLabelText('Wrap-up code', { exact: true });
    await userEvent.selectOptions(select, 'code-sale');
    select.focus();
    await userEvent.keyboard('{Shift>}{Enter}{/Shift}');
    await waitFor(() => expect(next).toHaveBeenCalledTimes(1));
    expect(posts()).toHaveLength(1);
  });
});
