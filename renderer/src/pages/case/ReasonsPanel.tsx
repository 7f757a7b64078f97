import type { ReactNode } from 'react';
import { useI18n } from '../../i18n/I18nProvider.js';
import type { CaseAnalysisState } from './useCaseAnalysis.js';

export function ReasonsPanel(_props: { analysis: CaseAnalysisState; applicationId?: string; platformReasons?: readonly string[] }): ReactNode {
  const { t } = useI18n();
  return <p className="empty-state">{t('analysis.unavailable')}</p>;
}
