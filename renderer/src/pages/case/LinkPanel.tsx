import { useMemo, type ReactNode } from 'react';
import { useI18n } from '../../i18n/I18nProvider.js';
import { labelOf } from '../../i18n/optionalKey.js';
import { BandBadge } from '../../components/Band.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Loading } from '../../components/States.js';
import { RingGraph, type RingEdge, type RingNode } from '../../components/RingGraph.js';
import { caseHref, navigate } from '../../routes.js';
import { formatNumber } from '../../format/format.js';
import type { CaseAnalysisState } from './useCaseAnalysis.js';

/** The applicant's ring: who is linked to whom, by what, and each member one click from their case. */
export function LinkPanel(props: { analysis: CaseAnalysisState; applicationId: string }): ReactNode {
  const { t, language } = useI18n();
  const { value, error, loading } = props.analysis;
  const ring = value?.ring ?? null;
  const theme = document.documentElement.dataset['theme'] ?? 'light';
  const nodes = useMemo<RingNode[]>(
    () =>
      (ring?.members ?? []).map((member) => ({
        id: member.applicantId,
        label: member.name,
        applicationId: member.applicationId,
        band: member.band,
        current: member.current,
        confirmedFraud: member.confirmedFraud,
      })),
    [ring],
  );
  const edges = useMemo<RingEdge[]>(
    () => (ring?.edges ?? []).map((edge) => ({ source: edge.a, target: edge.b, weight: edge.weight, label: edge.kinds.map((kind) => labelOf(t, 'link', kind)).join(' · ') })),
    [ring, t],
  );
  if (loading) return <Loading />;
  if (error !== null) return <ErrorMessage error={error} />;
  if (ring === null) return <p className="empty-state">{t('ring.none')}</p>;

  return (
    <div className="link-panel" data-testid="link-panel">
      <div className="ring-summary">
        <strong>{t('ring.title', { size: formatNumber(language, ring.size), score: ring.score })}</strong>
        <span data-testid="ring-shared">
          {t('ring.shared', {
            kinds: ring.shared.map((link) => t('ring.sharedKind', { kind: labelOf(t, 'link', link.kind), members: link.members })).join(t('common.listSeparator')),
          })}
        </span>
        {ring.members.some((member) => member.confirmedFraud) && <span className="chip severe">{t('ring.confirmed')}</span>}
      </div>
      <div className="ring-layout">
        <RingGraph nodes={nodes} edges={edges} theme={theme} label={t('ring.graphLabel', { size: ring.size })} onOpen={(applicationId) => navigate(caseHref(applicationId))} />
        <section aria-labelledby="ring-members-title" className="ring-members">
          <h3 id="ring-members-title">{t('ring.members')}</h3>
          <ul>
            {ring.members.map((member) => (
              <li key={member.applicantId} className={member.current ? 'current' : undefined}>
                {member.applicationId === null || member.current ? (
                  <span>{member.name}</span>
                ) : (
                  <a href={caseHref(member.applicationId)} data-testid="ring-member">
                    {member.name}
                  </a>
                )}
                {member.current && <span className="chip small">{t('ring.thisCase')}</span>}
                <BandBadge band={member.band} />
                <span className="score-text">{member.score ?? '—'}</span>
                {member.confirmedFraud && <span className="chip severe small">{t('ring.confirmedMember')}</span>}
              </li>
            ))}
          </ul>
        </section>
      </div>
      <p className="help">{t('ring.help')}</p>
    </div>
  );
}
