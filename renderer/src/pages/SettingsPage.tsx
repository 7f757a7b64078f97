import type { ReactNode } from 'react';
import type { Preferences } from '../../../shared/ipc/ops/app.js';
import type { OperationOutput } from '../../../shared/ipc/contract.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { LanguageSelect } from '../components/LanguageSelect.js';
import type { SignedIn } from '../session/signedIn.js';
import { DeskSettings } from './DeskSettings.js';

export function SettingsPage(props: {
  session: SignedIn;
  preferences: Preferences;
  appInfo: OperationOutput<'getAppInfo'> | null;
  onChange: (change: Partial<Preferences>) => void;
}): ReactNode {
  const { t } = useI18n();
  const { preferences, onChange } = props;
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">{t('page.settings.title')}</h1>
      <div className="settings-grid">
        <label htmlFor="settings-language">{t('settings.language')}</label>
        <div>
          <LanguageSelect id="settings-language" testId="language-select" language={preferences.language} onChange={(language) => onChange({ language })} />
          <p className="help">{t('settings.language.help')}</p>
        </div>
        <span id="settings-theme-label">{t('settings.theme')}</span>
        <div role="radiogroup" aria-labelledby="settings-theme-label" className="radio-row">
          {(['light', 'dark', 'system'] as const).map((theme) => (
            <label key={theme}>
              <input type="radio" name="theme" value={theme} checked={preferences.theme === theme} onChange={() => onChange({ theme })} />
              {t(`settings.theme.${theme}`)}
            </label>
          ))}
        </div>
        <span>{t('settings.about')}</span>
        <p data-testid="about-version">
          {props.appInfo === null ? t('common.loading') : t('settings.version', { version: props.appInfo.version, host: props.appInfo.host })}
        </p>
      </div>
      <DeskSettings session={props.session} />
    </section>
  );
}
