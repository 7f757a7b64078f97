import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { Preferences } from '../../shared/ipc/ops/app.js';
import type { OperationOutput } from '../../shared/ipc/contract.js';
import { translate } from '../../shared/i18n/index.js';
import { call, OperationError } from './ipc/client.js';
import { I18nProvider, useI18n } from './i18n/I18nProvider.js';
import { EmptyPage } from './pages/EmptyPage.js';
import { SettingsPage } from './pages/SettingsPage.js';
import { ROUTE_LABELS, ROUTES, routeFromHash, type Route } from './routes.js';
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
  return (
    <I18nProvider language={preferences.language}>
      <Frame preferences={preferences} appInfo={appInfo} onPreferences={changePreferences} />
    </I18nProvider>
  );
}

function Frame(props: { preferences: Preferences; appInfo: OperationOutput<'getAppInfo'> | null; onPreferences: (change: Partial<Preferences>) => void }): ReactNode {
  const { t } = useI18n();
  const [route, setRoute] = useState<Route>(() => routeFromHash(window.location.hash));
  useEffect(() => {
    const onHash = (): void => setRoute(routeFromHash(window.location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  return (
    <div className="frame" data-app-ready="">
      <nav className="sidebar" aria-label={t('nav.main')}>
        <div className="brand">
          <strong>{t('app.name')}</strong>
          <span>{t('app.tagline')}</span>
        </div>
        <ul>
          {ROUTES.map((name) => (
            <li key={name}>
              <a href={`#/${name}`} aria-current={route === name ? 'page' : undefined} data-testid={`nav-${name}`}>
                {t(ROUTE_LABELS[name])}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main className="content">{renderRoute(route, props)}</main>
    </div>
  );
}

function renderRoute(route: Route, props: { preferences: Preferences; appInfo: OperationOutput<'getAppInfo'> | null; onPreferences: (change: Partial<Preferences>) => void }): ReactNode {
  switch (route) {
    case 'settings':
      return <SettingsPage preferences={props.preferences} appInfo={props.appInfo} onChange={props.onPreferences} />;
    case 'queue':
      return <EmptyPage title="page.queue.title" empty="page.queue.empty" />;
    case 'cases':
      return <EmptyPage title="page.cases.title" empty="page.cases.empty" />;
    case 'appeals':
      return <EmptyPage title="page.appeals.title" empty="page.appeals.empty" />;
    case 'review':
      return <EmptyPage title="page.review.title" empty="page.review.empty" />;
    case 'training':
      return <EmptyPage title="page.training.title" empty="page.training.empty" />;
    case 'dashboards':
      return <EmptyPage title="page.dashboards.title" empty="page.dashboards.empty" />;
  }
}
