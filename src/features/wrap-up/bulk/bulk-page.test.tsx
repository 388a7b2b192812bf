/**
 * The bulk page at 20,000 items (issue 17): the results table copies only the page it shows on each
 * progress event, and the preview's summary is not recomputed on every keystroke.
 */
import { act, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderWithProviders, setupI18n } from '@/testing/render.tsx';
import { PreviewForm, Results } from './bulk-page.tsx';
import * as planner from './planner.ts';
import { harness } from './test-support.ts';

vi.mock('./planner.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof planner>();
  return { ...actual, previewClasses: vi.fn(actual.previewClasses) };
});

beforeAll(async () => {
  await setupI18n('en');
});

describe('results table', () => {
  // A long timeout: 21 renders of a 200-row page are slow in jsdom on a loaded machine; what is asserted is what is copied.
  it('on each progress event copies the shown page only (never every item), and counts from the filter', { timeout: 120_000 }, async () => {
    const h = await harness({ items: 450 });
    const runner = h.runner;
    const itemsPage = vi.fn(runner.itemsPage.bind(runner));
    const getItems = vi.fn(runner.getItems.bind(runner));
    const source = { itemsPage, getItems };
    const job = runner.getJob();
    const view = renderWithProviders(<Results job={job} progress={runner.getProgress()} source={source} />);
    expect(screen.getByText('Items 1–200 of 450')).toBeInTheDocument();
    expect(screen.getByText('Page 1 of 3')).toBeInTheDocument();
    expect(screen.getAllByRole('row')).toHaveLength(201); // the header + one page
    // 20 progress events: a new snapshot each time, as the runner's subscription hands them out.
    for (let i = 0; i < 20; i++) view.rerender(<Results job={job} progress={{ ...runner.getProgress() }} source={source} />);
    expect(getItems).not.toHaveBeenCalled();
    expect(itemsPage.mock.calls.length).toBeGreaterThanOrEqual(21);
    expect(itemsPage.mock.results.every((r) => (r.value as { items: unknown[] }).items.length <= 200)).toBe(true);
    expect(itemsPage.mock.calls.every(([, offset, limit]) => offset === 0 && limit === 200)).toBe(true);

    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    expect(screen.getByText('Items 201–400 of 450')).toBeInTheDocument();
    expect(itemsPage).toHaveBeenLastCalledWith(expect.any(Function), 200, 200);
    await userEvent.selectOptions(screen.getByLabelText('Show outcome'), 'failed');
    expect(screen.getByText('Items 0–0 of 0')).toBeInTheDocument();
    expect(getItems).not.toHaveBeenCalled();
  });
});

describe('preview', () => {
  it('classifies the items again when a choice changes, not on each keystroke in the notes', async () => {
    const h = await harness({ items: 40 });
    const summary = vi.mocked(planner.previewClasses);
    summary.mockClear();
    renderWithProviders(
      <PreviewForm
        plan={h.plan}
        importResult={null}
        canWrite
        onOpenJob={() => {}}
        onCancel={() => {}}
        platform={{ method: 'post', methodLearnedAt: null, refusal: null }}
      />,
    );
    await userEvent.selectOptions(screen.getByLabelText('Wrap-up code', { exact: true }), h.plan.codes[0]!.id);
    const afterCode = summary.mock.calls.length;
    expect(afterCode).toBeGreaterThanOrEqual(1);
    expect(screen.getByTestId('preview-write')).toHaveTextContent(/\d/);
    await userEvent.type(screen.getByLabelText('Notes (optional)'), 'twenty keystrokes ok');
    expect(summary.mock.calls.length).toBe(afterCode);
    await act(async () => {
      await userEvent.click(screen.getByLabelText(/Replace wrap-up codes that are already set/));
    });
    expect(summary.mock.calls.length).toBe(afterCode + 1);
  });
});
