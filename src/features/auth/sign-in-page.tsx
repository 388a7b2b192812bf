import { Button } from '@/components/ui/button.tsx';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { GuxFormFieldRadio, GuxFormFieldSelect, GuxFormFieldTextLike, GuxInlineAlert } from 'genesys-spark-components-react';
import { allowedRegions, SIM_REGION, type AppConfig } from '@/config/schema.ts';
import { REGIONS } from '@/lib/genesys/regions.ts';
import { AuthProblemMessage } from './auth-problem-message.tsx';
import { useSessionProblem, useSessionStatus, type Grant, type SignInSettings } from './session-store.ts';

const LAST_SETTINGS_KEY = 'wud.auth.lastSettings';

/** What the form starts with: config.json, or (when not locked) the user's last choice. Not secret. */
export function initialSettings(config: AppConfig, stored: string | null): SignInSettings {
  const fromConfig: SignInSettings = { region: config.region, clientId: config.clientId, grant: config.grant };
  if (config.lockSignIn || !stored) return fromConfig;
  try {
    const s = JSON.parse(stored) as Partial<SignInSettings>;
    const regionOk = typeof s.region === 'string' && allowedRegions(config).includes(s.region);
    return {
      region: regionOk ? s.region! : fromConfig.region,
      clientId: typeof s.clientId === 'string' && s.clientId.trim() ? s.clientId : fromConfig.clientId,
      grant: s.grant === 'implicit' || s.grant === 'pkce' ? s.grant : fromConfig.grant,
    };
  } catch {
    return fromConfig;
  }
}

export function rememberSettings(settings: SignInSettings) {
  try {
    localStorage.setItem(LAST_SETTINGS_KEY, JSON.stringify(settings));
  } catch {
    // Not essential: the form falls back to config.json.
  }
}

function readStored(): string | null {
  try {
    return localStorage.getItem(LAST_SETTINGS_KEY);
  } catch {
    return null;
  }
}

export function SignInPage({ config, onSignIn }: { config: AppConfig; onSignIn: (s: SignInSettings) => void }) {
  const { t } = useTranslation('auth');
  const status = useSessionStatus();
  const problem = useSessionProblem();
  const [settings, setSettings] = useState(() => initialSettings(config, readStored()));
  const [clientIdError, setClientIdError] = useState(false);
  const allowed = new Set(allowedRegions(config));
  const locked = config.lockSignIn;
  const busy = status === 'signingIn';

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!settings.clientId.trim()) {
      setClientIdError(true);
      return;
    }
    const clean = { ...settings, clientId: settings.clientId.trim() };
    rememberSettings(clean);
    onSignIn(clean);
  };

  return (
    <section aria-labelledby="sign-in-title" className="page sign-in">
      <h1 id="sign-in-title">{t('title')}</h1>
      <p>{t('intro')}</p>
      {problem && <AuthProblemMessage problem={problem} />}
      <form onSubmit={submit} noValidate className="sign-in-form">
        {locked && <p className="muted">{t('locked')}</p>}
        <GuxFormFieldSelect>
          <label slot="label" htmlFor="sign-in-region">
            {t('region')}
          </label>
          <select
            slot="input"
            id="sign-in-region"
            value={settings.region}
            disabled={locked || busy}
            onChange={(e) => setSettings({ ...settings, region: e.target.value })}
          >
            {config.region === SIM_REGION && <option value={SIM_REGION}>{t('regionSim', { url: config.simUrl })}</option>}
            {REGIONS.map((r) => (
              <option key={r.host} value={r.host} disabled={!allowed.has(r.host)}>
                {allowed.has(r.host) ? t('regionOption', { name: r.name, host: r.host }) : t('regionNotEnabled', { name: r.name, host: r.host })}
              </option>
            ))}
          </select>
          <span slot="help">{t('regionHelp')}</span>
        </GuxFormFieldSelect>
        <GuxFormFieldTextLike>
          <label slot="label" htmlFor="sign-in-client">
            {t('clientId')}
          </label>
          <input
            slot="input"
            id="sign-in-client"
            type="text"
            autoComplete="off"
            spellCheck={false}
            value={settings.clientId}
            readOnly={locked}
            disabled={busy}
            aria-invalid={clientIdError}
            onChange={(e) => {
              setClientIdError(false);
              setSettings({ ...settings, clientId: e.target.value });
            }}
          />
          {clientIdError ? <span slot="error">{t('clientIdRequired')}</span> : <span slot="help">{t('clientIdHelp')}</span>}
        </GuxFormFieldTextLike>
        <fieldset className="grant" disabled={locked || busy}>
          <legend>{t('grant')}</legend>
          {(['pkce', 'implicit'] as Grant[]).map((g) => (
            <GuxFormFieldRadio key={g}>
              <input
                slot="input"
                type="radio"
                id={`grant-${g}`}
                name="grant"
                value={g}
                checked={settings.grant === g}
                onChange={() => setSettings({ ...settings, grant: g })}
              />
              <label slot="label" htmlFor={`grant-${g}`}>
                {g === 'pkce' ? t('grantPkce') : t('grantImplicit')}
              </label>
            </GuxFormFieldRadio>
          ))}
        </fieldset>
        {settings.grant === 'implicit' && (
          <GuxInlineAlert accent="warning">
            <div>{t('implicitRetiring')}</div>
          </GuxInlineAlert>
        )}
        <Button type="submit" accent="primary" disabled={busy}>
          {busy ? t('signingIn') : t('submit')}
        </Button>
      </form>
    </section>
  );
}
