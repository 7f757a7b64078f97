import type { ReactNode } from 'react';
import type { MessageKey } from '../../../shared/i18n/index.js';
import { useI18n } from '../i18n/I18nProvider.js';

/** A page whose capability has not landed yet: says so plainly (never an empty list that looks like no data), never a blank screen. */
export function EmptyPage(props: { titleKey: MessageKey; empty: MessageKey }): ReactNode {
  const { t } = useI18n();
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">{t(props.titleKey)}</h1>
      <p className="empty-state">{t(props.empty)}</p>
    </section>
  );
}
