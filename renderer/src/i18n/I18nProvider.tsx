import { createContext, useCallback, useContext, useMemo, type ReactNode } from 'react';
import { translate, type Language, type MessageKey } from '../../../shared/i18n/index.js';

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

interface I18nValue {
  readonly language: Language;
  readonly t: Translate;
}

const I18nContext = createContext<I18nValue>({ language: 'en', t: (key, params) => translate('en', key, params) });

export function I18nProvider(props: { language: Language; children: ReactNode }): ReactNode {
  const { language } = props;
  const t = useCallback<Translate>((key, params) => translate(language, key, params), [language]);
  const value = useMemo(() => ({ language, t }), [language, t]);
  return <I18nContext.Provider value={value}>{props.children}</I18nContext.Provider>;
}

export function useI18n(): I18nValue {
  return useContext(I18nContext);
}
