import type { ReactNode } from 'react';
import { LANGUAGE_ENDONYMS, type Language } from '../../../shared/i18n/index.js';
import { useI18n } from '../i18n/I18nProvider.js';

/** Languages are listed in their own names, so someone who cannot read the current one still finds theirs. */
export function LanguageSelect(props: { id: string; language: Language; onChange: (language: Language) => void; testId?: string }): ReactNode {
  const { t } = useI18n();
  return (
    <select
      id={props.id}
      className="language-select"
      aria-label={t('settings.language')}
      data-testid={props.testId}
      value={props.language}
      onChange={(event) => props.onChange(event.target.value === 'zh-CN' ? 'zh-CN' : 'en')}
    >
      {(Object.keys(LANGUAGE_ENDONYMS) as Language[]).map((language) => (
        <option key={language} value={language} lang={language}>
          {LANGUAGE_ENDONYMS[language]}
        </option>
      ))}
    </select>
  );
}
