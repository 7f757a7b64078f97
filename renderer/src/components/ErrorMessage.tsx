import type { ReactNode } from 'react';
import type { Translate } from '../i18n/I18nProvider.js';
import { isMessageKey } from '../i18n/optionalKey.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { OperationError } from '../ipc/client.js';

/** What a person reads for a failed call: the translated message of its stable code, never a stack. */
export function describeError(t: Translate, error: unknown, params: Record<string, string | number> = {}): string {
  if (error instanceof OperationError) {
    const key = `error.${error.code}`;
    return t(isMessageKey(key) ? key : 'error.internal', { detail: error.where ?? error.message, seconds: 0, ...params });
  }
  return t('error.internal');
}

export function errorCode(error: unknown): string {
  return error instanceof OperationError ? error.code : 'internal';
}

export function ErrorMessage(props: { error: unknown; onRetry?: () => void; params?: Record<string, string | number> }): ReactNode {
  const { t } = useI18n();
  return (
    <div className="error-state" role="alert" data-error-code={errorCode(props.error)}>
      <p>{describeError(t, props.error, props.params)}</p>
      {props.onRetry !== undefined && (
        <button type="button" className="secondary" onClick={props.onRetry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}
