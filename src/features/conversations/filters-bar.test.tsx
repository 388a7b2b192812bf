import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderWithProviders, setupI18n } from '@/testing/render.tsx';
import { FiltersBar, agentOptionLabels } from './filters-bar.tsx';
import { parseWorklistSearch } from './filters.ts';

const users = [
  { id: 'u2', name: 'Ben Kowalski', email: 'agent17@demo.example' },
  { id: 'u1', name: 'Ben Kowalski', email: 'agent3@demo.example' },
  { id: 'u3', name: 'Ada Andersen', email: 'agent1@demo.example' },
  { id: 'u4', name: 'ben kowalski ', email: '' },
  { id: 'u5', name: 'Yara Weber', email: 'agent9@demo.example' },
];

describe('the agent filter tells people with the same name apart (issue 16 item 4)', () => {
  it('adds the email (or the id without one) to duplicated names only, by name then label', () => {
    expect(agentOptionLabels(users)).toEqual([
      { id: 'u3', label: 'Ada Andersen' },
      { id: 'u4', label: 'ben kowalski (u4)' },
      { id: 'u2', label: 'Ben Kowalski (agent17@demo.example)' },
      { id: 'u1', label: 'Ben Kowalski (agent3@demo.example)' },
      { id: 'u5', label: 'Yara Weber' },
    ]);
  });
});

describe('the filter bar', () => {
  const reversed = parseWorklistSearch({ range: 'custom', from: '2025-03-02T08:00:00.000Z', to: '2025-03-01T08:00:00.000Z' });

  it('says at the field that a reversed range is refused (EN), tied to the fields', async () => {
    await setupI18n('en');
    renderWithProviders(<FiltersBar search={reversed} onChange={() => {}} queues={[]} users={users} rangeProblem="reversed" />);
    const error = screen.getByRole('alert');
    expect(error).toHaveTextContent('“To” must be after “From”. Nothing is loaded until it is.');
    const to = screen.getByLabelText('To');
    const from = screen.getByLabelText('From');
    expect(to).toHaveAttribute('aria-invalid', 'true');
    expect(from).not.toHaveAttribute('aria-invalid');
    expect(to).toHaveAccessibleDescription(error.textContent ?? '');
    expect(from.getAttribute('aria-describedby')).toBe(error.id);
  });

  it('in German too, and a half range marks the empty field', async () => {
    await setupI18n('de');
    const half = parseWorklistSearch({ range: 'custom', from: '2025-03-02T08:00:00.000Z' });
    const { unmount } = renderWithProviders(<FiltersBar search={half} onChange={() => {}} queues={[]} users={users} rangeProblem="incomplete" />);
    expect(screen.getByRole('alert')).toHaveTextContent('Setzen Sie „Von“ und „Bis“. Vorher wird nichts geladen.');
    expect(screen.getByLabelText('Bis')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Von')).not.toHaveAttribute('aria-invalid');
    unmount();
    await setupI18n('en');
  });

  it('no error without a problem', async () => {
    await setupI18n('en');
    const fine = parseWorklistSearch({ range: 'custom', from: '2025-03-01T08:00:00.000Z', to: '2025-03-02T08:00:00.000Z' });
    renderWithProviders(<FiltersBar search={fine} onChange={() => {}} queues={[]} users={users} />);
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByLabelText('To')).not.toHaveAttribute('aria-invalid');
    expect(screen.getByLabelText('To')).not.toHaveAttribute('aria-describedby');
  });

  it('"Find agent" reports its text as a filter (the list, in the URL); the dropdown keeps every agent', async () => {
    await setupI18n('en');
    const onChange = vi.fn();
    renderWithProviders(<FiltersBar search={parseWorklistSearch({})} onChange={onChange} queues={[]} users={users} />);
    await userEvent.type(screen.getByLabelText('Find agent'), 'b');
    expect(onChange).toHaveBeenLastCalledWith({ find: 'b' });
    const options = within(screen.getByLabelText('Agent', { exact: true })).getAllByRole('option');
    expect(options.map((o) => o.textContent)).toContain('Ben Kowalski (agent3@demo.example)');
    expect(options).toHaveLength(users.length + 1);
  });
});
