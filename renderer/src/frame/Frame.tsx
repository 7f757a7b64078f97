import { lazy, Suspense, useEffect, useState, type ReactNode } from 'react';
import type { Preferences } from '../../../shared/ipc/ops/app.js';
import type { OperationOutput } from '../../../shared/ipc/contract.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { useShortcuts } from '../hooks/useShortcuts.js';
import type { SignedIn } from '../session/signedIn.js';
import { ROUTE_LABELS, ROUTES, locationFromHash, type AppLocation } from '../routes.js';
import { EmptyPage } from '../pages/EmptyPage.js';
import { SettingsPage } from '../pages/SettingsPage.js';
import { QueuePage } from '../pages/queue/QueuePage.js';
import { MyCasesPage } from '../pages/queue/MyCasesPage.js';
import { forgetQueueView } from '../pages/queue/queueView.js';
import { ImportPage } from '../pages/import/ImportPage.js';
import { ReviewPage } from '../pages/review/ReviewPage.js';
import { ShortcutsHelp } from './ShortcutsHelp.js';
import type * as CasePageModule from '../pages/case/CasePage.js';

// The case view carries the chart and graph libraries; loading it on first open keeps them out of
// start-up, which only needs the unlock screen and the queue.
// It is fetched as soon as the browser is idle after start-up, so the first case opens as fast as the next.
const loadCasePage = (): Promise<typeof CasePageModule> => import('../pages/case/CasePage.js');
const CasePage = lazy(() => loadCasePage().then((module) => ({ default: module.CasePage })));

function usePreloadCasePage(): void {
  useEffect(() => {
    const handle = requestIdleCallback(() => {
      loadCasePage().catch(() => undefined); // a failed prefetch is retried by the real open
    });
    return () => cancelIdleCallback(handle);
  }, []);
}

function CaseLoading(): ReactNode {
  const { t } = useI18n();
  return <p className="empty-state" aria-busy="true">{t('common.loading')}</p>;
}

export interface FrameProps {
  session: SignedIn;
  preferences: Preferences;
  appInfo: OperationOutput<'getAppInfo'> | null;
  onPreferences: (change: Partial<Preferences>) => void;
}

function useLocation(): AppLocation {
  const [location, setLocation] = useState<AppLocation>(() => locationFromHash(window.location.hash));
  useEffect(() => {
    const onHash = (): void => setLocation(locationFromHash(window.location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  return location;
}

export function Frame(props: FrameProps): ReactNode {
  const { t } = useI18n();
  const location = useLocation();
  usePreloadCasePage();
  const [helpOpen, setHelpOpen] = useState(false);
  const { user } = props.session;
  useShortcuts({ '?': () => setHelpOpen(true) });
  useEffect(() => forgetQueueView, []);

  return (
    <div className="frame">
      <nav className="sidebar" aria-label={t('nav.main')}>
        <div className="brand">
          <strong>{t('app.name')}</strong>
          <span>{t('app.tagline')}</span>
        </div>
        <ul>
          {ROUTES.map((name) => (
            <li key={name}>
              <a href={`#/${name}`} aria-current={location.route === name ? 'page' : undefined} data-testid={`nav-${name}`}>
                {t(ROUTE_LABELS[name])}
              </a>
            </li>
          ))}
        </ul>
        <div className="sidebar-foot">
          <div className="signed-in" data-testid="signed-in-user">
            <span className="signed-in-label">{t('frame.signedInAs')}</span>
            <strong>{user.displayName}</strong>
            <span className="role-badge" data-testid="signed-in-role">
              {t(`role.${user.role}`)}
            </span>
          </div>
          <div className="sidebar-actions">
            <button type="button" className="secondary" onClick={props.session.lock} data-testid="lock-button">
              {t('frame.lock')}
            </button>
            <button type="button" className="secondary" onClick={() => setHelpOpen(true)} aria-keyshortcuts="?" data-testid="shortcuts-button">
              {t('frame.shortcuts')}
            </button>
          </div>
        </div>
      </nav>
      <main className="content" id="content">
        <Page location={location} {...props} />
      </main>
      {helpOpen && <ShortcutsHelp onClose={() => setHelpOpen(false)} />}
    </div>
  );
}

function Page(props: FrameProps & { location: AppLocation }): ReactNode {
  const { location, session } = props;
  switch (location.route) {
    case 'settings':
      return <SettingsPage session={session} preferences={props.preferences} appInfo={props.appInfo} onChange={props.onPreferences} />;
    case 'queue':
      return <QueuePage session={session} />;
    case 'cases':
      return location.caseId === null ? <MyCasesPage session={session} /> : (
        <Suspense fallback={<CaseLoading />}>
          <CasePage key={location.caseId} applicationId={location.caseId} session={session} />
        </Suspense>
      );
    case 'import':
      return <ImportPage nativeFileDialog={props.appInfo?.nativeFileDialog === true} />;
    case 'appeals':
      return <EmptyPage titleKey="page.appeals.title" empty="page.appeals.empty" />;
    case 'review':
      return <ReviewPage session={session} />;
    case 'training':
      return <EmptyPage titleKey="page.training.title" empty="page.training.empty" />;
    case 'dashboards':
      return <EmptyPage titleKey="page.dashboards.title" empty="page.dashboards.empty" />;
  }
}
