import { useState, type ReactNode } from 'react';
import type { CaseDetail } from '../../../../shared/ipc/ops/cases.js';
import type { MessageKey } from '../../../../shared/i18n/index.js';
import { isReasonCode } from '../../../../shared/reasons.js';
import { useI18n } from '../../i18n/I18nProvider.js';
import { useShortcuts } from '../../hooks/useShortcuts.js';
import type { SignedIn } from '../../session/signedIn.js';
import { navigate } from '../../routes.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Loading } from '../../components/States.js';
import { CaseHeader } from './CaseHeader.js';
import { DecisionPanel } from './DecisionPanel.js';
import { NotesPanel } from './NotesPanel.js';
import { TimelinePanel } from './TimelinePanel.js';
import { ReasonsPanel } from './ReasonsPanel.js';
import { useCase } from './useCase.js';
import { useCaseAnalysis } from './useCaseAnalysis.js';
import { DevicePanel } from './DevicePanel.js';
import { BehaviourPanel } from './BehaviourPanel.js';
import { PfIdentityPanel } from './PfIdentityPanel.js';
import { LinkPanel } from './LinkPanel.js';

const TABS = ['timeline', 'device', 'behaviour', 'pf', 'links', 'notes'] as const;
type Tab = (typeof TABS)[number];
const TAB_LABELS: Record<Tab, MessageKey> = {
  timeline: 'case.tab.timeline',
  device: 'case.tab.device',
  behaviour: 'case.tab.behaviour',
  pf: 'case.tab.pf',
  links: 'case.tab.links',
  notes: 'case.tab.notes',
};

export function CasePage(props: { applicationId: string; session: SignedIn }): ReactNode {
  const { t } = useI18n();
  const data = useCase(props.applicationId);
  const analysis = useCaseAnalysis(props.applicationId);
  const [tab, setTab] = useState<Tab>('timeline');
  const { detail, setDetail } = data;

  const shortcuts: Record<string, () => void> = {
    u: () => navigate('#/queue'),
    d: () => document.querySelector<HTMLElement>('#decision-panel input, #decision-panel button')?.focus(),
    n: () => {
      setTab('notes');
      window.setTimeout(() => document.getElementById('note-body')?.focus(), 0);
    },
  };
  TABS.forEach((name, index) => {
    shortcuts[String(index + 1)] = () => setTab(name);
  });
  useShortcuts(shortcuts);

  if (data.error !== null && detail === null) return <ErrorMessage error={data.error} onRetry={data.reload} />;
  if (detail === null) return <Loading />;

  const update = (next: CaseDetail): void => setDetail(next);
  const suggested = [...(analysis.value?.reasons.map((reason) => reason.code) ?? []), ...detail.application.platformReasons.filter(isReasonCode)];

  return (
    <section className="page case-page" aria-labelledby="page-title" data-testid="case-page" data-application-id={detail.applicationId}>
      <CaseHeader detail={detail} onChange={update} />
      <div className="case-body">
        <div className="case-side">
          {/* The decision first: it is the one action on this page, and stays reachable without scrolling. */}
          <DecisionPanel detail={detail} suggested={suggested} onDecided={update} />
          <ReasonsPanel analysis={analysis} platformReasons={detail.application.platformReasons} />
        </div>
        <div className="case-main">
          <div role="tablist" aria-label={t('case.tabs')} className="tabs">
            {TABS.map((name, index) => (
              <button
                key={name}
                type="button"
                role="tab"
                id={`tab-${name}`}
                aria-selected={tab === name}
                aria-controls={`panel-${name}`}
                tabIndex={tab === name ? 0 : -1}
                onClick={() => setTab(name)}
                onKeyDown={(event) => {
                  if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') {
                    const next = TABS[(index + (event.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length] ?? 'timeline';
                    setTab(next);
                    document.getElementById(`tab-${next}`)?.focus();
                  }
                }}
                data-testid={`tab-${name}`}
              >
                <span className="tab-key" aria-hidden="true">
                  {index + 1}
                </span>
                {t(TAB_LABELS[name])}
                {name === 'notes' && detail.notes.length + detail.attachments.length > 0 && <span className="tab-count">{detail.notes.length + detail.attachments.length}</span>}
              </button>
            ))}
          </div>
          <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className="tab-panel" tabIndex={0}>
            {tab === 'timeline' && (data.timeline === null ? <Loading /> : <TimelinePanel timeline={data.timeline} detail={detail} />)}
            {tab === 'device' && <DevicePanel analysis={analysis} />}
            {tab === 'behaviour' && <BehaviourPanel analysis={analysis} timeline={data.timeline} />}
            {tab === 'pf' && <PfIdentityPanel analysis={analysis} declaredEmployer={detail.applicant.employer} declaredIncome={detail.applicant.declaredIncomeMonthly} />}
            {tab === 'links' && <LinkPanel analysis={analysis} applicationId={detail.applicationId} />}
            {tab === 'notes' && (
              <NotesPanel
                detail={detail}
                onNote={(note) => setDetail({ ...detail, notes: [...detail.notes, note] })}
                onAttachment={(attachment) => setDetail({ ...detail, attachments: [...detail.attachments, attachment] })}
              />
            )}
          </div>
        </div>
      </div>
    </section>
  );
}
