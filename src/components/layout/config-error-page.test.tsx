import { screen } from '@testing-library/react';
import { renderWithProviders, setupI18n } from '@/testing/render.tsx';
import { ConfigErrorPage } from './config-error-page.tsx';

describe('config error page', () => {
  beforeAll(() => setupI18n('en'));

  it('says which file and what is wrong, instead of a blank page', () => {
    renderWithProviders(
      <ConfigErrorPage
        file="/wrapup-desk/config.json"
        problems={[
          { kind: 'fetch', status: 404 },
          { kind: 'schema', path: 'clientId', message: 'Too small' },
          { kind: 'region', region: 'evil.example' },
        ]}
      />,
    );
    expect(screen.getByRole('heading', { name: 'Wrap-up Desk cannot start' })).toBeInTheDocument();
    expect(screen.getByText(/\/wrapup-desk\/config\.json is missing or not valid/)).toBeInTheDocument();
    expect(screen.getByText('The file could not be loaded (HTTP 404).')).toBeInTheDocument();
    expect(screen.getByText('clientId: Too small')).toBeInTheDocument();
    expect(screen.getByText(/region "evil\.example" is not a Genesys Cloud region/)).toBeInTheDocument();
  });

  it('renders markup in config values as text', () => {
    renderWithProviders(<ConfigErrorPage file="x" problems={[{ kind: 'region', region: '<img src=x onerror=alert(1)>' }]} />);
    expect(document.querySelector('img')).toBeNull();
    expect(screen.getByText(/<img src=x onerror=alert\(1\)>/)).toBeInTheDocument();
  });
});
