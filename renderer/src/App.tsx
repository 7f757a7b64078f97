import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { Preferences } from '../../shared/ipc/ops/app.js';
import type { OperationOutput } from '../../shared/ipc/contract.js';
import { translate } from '../../shared/i18n/index.js';
import { call, OperationError } from './ipc/client.js';
import { I18nProvider } from './i18n/I18nProvider.js';
import { LanguageSelect } from './components/LanguageSelect.js';
import { SessionGate } from './session/SessionGate.js';
import { Frame } from './frame/Frame.js';
import { useResolvedTheme } from './theme/useResolvedTheme.js';

export function App(): ReactNode {
  const [preferences, setPreferences] = useState<Preferences | null>(null);
  const [appInfo, setAppInfo] = useState<OperationOutput<'getAppInfo'> | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const theme = useResolvedTheme(preferences?.theme ?? 'system');

  useEffect(() => {
    Promise.all([call('getPreferences', {}), call('getAppInfo', {})])
      .then(([prefs, info]) => {
        setPreferences(prefs);
        setAppInfo(info);
      })
      .catch((error: unknown) => setFailure(error instanceof OperationError ? error.code : String(error)));
  }, []);

  useEffect(() => {
    document.documentElement.dataset['theme'] = theme;
    if (preferences !== null) document.documentElement.lang = preferences.language;
  }, [theme, preferences]);

  const changePreferences = useCallback((change: Partial<Preferences>) => {
    // Show the choice at once (a controlled radio must not flick back while main saves it), then take main's answer.
    setPreferences((current) => (current === null ? current : { ...current, ...change }));
    call('setPreferences', change)
      .then(setPreferences)
      .catch((error: unknown) => setFailure(error instanceof OperationError ? error.code : String(error)));
  }, []);

  if (failure !== null) {
    return (
      <main className="fatal" role="alert">
        {translate('en', 'error.internal')} ({failure})
      </main>
    );
  }
  if (preferences === null) return <main className="splash" aria-busy="true" />;
  const languageSelect = <LanguageSelect id="gate-language" language={preferences.language} onChange={(language) => changePreferences({ language })} />;
  return (
    <I18nProvider language={preferences.language}>
      <SessionGate languageSelect={languageSelect}>
        {(session) => <Frame session={session} preferences={preferences} appInfo={appInfo} onPreferences={changePreferences} />}
      </SessionGate>
    </I18nProvider>
  );
}
