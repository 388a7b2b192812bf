// Fonts first: Spark only fetches fonts from Genesys's host when these families are not already present.
import '@fontsource/urbanist/400.css';
import '@fontsource/urbanist/600.css';
import '@fontsource/urbanist/700.css';
import '@fontsource/noto-sans/400.css';
import '@fontsource/noto-sans/600.css';
import '@fontsource/noto-sans/700.css';
import '@fontsource/noto-sans-mono/400.css';
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { registerSparkComponents } from 'genesys-spark';
import { initI18n } from '@/lib/i18n/i18n.ts';
import { loadConfig } from '@/config/load-config.ts';
import { allowedRegions } from '@/config/schema.ts';
import { isAllowedRegionHost } from '@/lib/genesys/regions.ts';
import { App } from '@/app/app.tsx';
import { ConfigErrorPage } from '@/components/layout/config-error-page.tsx';
import { checkEmbeddingAllowed, readEmbedding } from '@/features/auth/embedding.ts';
import { bootstrapAuth, defaultRedirectUri } from '@/features/auth/auth-flow.ts';
import { EmbedRefusedPage, PopupCallbackPage } from '@/features/auth/embed-refused-page.tsx';

async function start() {
  // Before anything else: the SDK's PKCE return wipes the query string that carries these.
  const urlEmbedding = readEmbedding(window.location.search);
  const root = createRoot(document.getElementById('root')!);
  const [, , result] = await Promise.all([
    initI18n(),
    registerSparkComponents({ assetsUrl: `${import.meta.env.BASE_URL}spark/` }),
    loadConfig(isAllowedRegionHost),
  ]);
  if (!result.ok) {
    root.render(<ConfigErrorPage file={result.file} problems={result.problems} />);
    return;
  }
  const config = result.config;
  const embedding = checkEmbeddingAllowed(urlEmbedding, allowedRegions(config));
  if (embedding.embedded && !embedding.ok) {
    root.render(<EmbedRefusedPage value={embedding.value} />);
    return;
  }
  const forcedRegion = embedding.embedded && embedding.ok ? embedding.host : undefined;
  const auth = await bootstrapAuth({
    config,
    redirectUri: defaultRedirectUri(config),
    popupOnly: embedding.embedded && embedding.ok && embedding.inFrame,
    forcedRegion,
  });
  if (auth.kind === 'popup-callback') {
    root.render(<PopupCallbackPage />);
    return;
  }
  if (auth.kind === 'redirecting') return;
  root.render(
    <StrictMode>
      <App config={config} forcedRegion={forcedRegion} />
    </StrictMode>,
  );
}

void start();
