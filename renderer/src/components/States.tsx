import type { ReactNode } from 'react';
import type { MessageKey } from '../../../shared/i18n/index.js';
import { useI18n } from '../i18n/I18nProvider.js';

export function Loading(props: { label?: MessageKey }): ReactNode {
  const { t } = useI18n();
  return (
    <div className="loading-state" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {t(props.label ?? 'common.loading')}
    </div>
  );
}

export function Empty(props: { message: MessageKey; params?: Record<string, string | number>; children?: ReactNode }): ReactNode {
  const { t } = useI18n();
  return (
    <div className="empty-state">
      <p>{t(props.message, props.params)}</p>
      {props.children}
    </div>
  );
}

/** Determinate when `value` is known, indeterminate otherwise (a task of unknown length still shows life). */
export function ProgressBar(props: { value: number | null; max?: number; label: string }): ReactNode {
  const max = props.max ?? 1;
  return props.value === null ? (
    <progress className="progress" aria-label={props.label} />
  ) : (
    <progress className="progress" aria-label={props.label} value={Math.min(props.value, max)} max={max} />
  );
}
