import type { ReactNode } from 'react';
import { useI18n } from '../i18n/I18nProvider.js';

/** The card the first-run and unlock pages stand in: the product's name, the language choice, then the page. */
export function GateCard(props: { testId: string; wide?: boolean; languageSelect: ReactNode; children: ReactNode }): ReactNode {
  const { t } = useI18n();
  return (
    <main className="gate">
      <div className={props.wide === true ? 'gate-card wide' : 'gate-card'} data-testid={props.testId}>
        <div className="gate-top">
          <div className="brand-block">
            <strong>{t('app.name')}</strong>
            <span>{t('app.tagline')}</span>
          </div>
          {props.languageSelect}
        </div>
        {props.children}
      </div>
    </main>
  );
}
