import { Component, type ErrorInfo, type ReactNode } from 'react';
import { Button } from '@/components/ui/button.tsx';
import { useTranslation } from 'react-i18next';

export function ErrorMessage({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return (
    <div role="alert" className="error-panel">
      <h2>{t('error.title')}</h2>
      <p>{t('error.body')}</p>
      <details>
        <summary>{t('error.details')}</summary>
        <pre>{detail}</pre>
      </details>
      <Button accent="secondary" onClick={onRetry ?? (() => window.location.reload())}>
        {t('error.reload')}
      </Button>
    </div>
  );
}

interface State {
  error: unknown;
}

/** Catches render errors below it and shows a readable message instead of a blank page. */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo) {
    // Kept for developers: the page itself shows the readable message.
    console.warn('render error', error, info.componentStack);
  }

  override render() {
    if (this.state.error) return <ErrorMessage error={this.state.error} />;
    return this.props.children;
  }
}
