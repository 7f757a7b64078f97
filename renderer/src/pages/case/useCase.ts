import { useCallback, useEffect, useState } from 'react';
import type { CaseDetail, CaseTimeline } from '../../../../shared/ipc/ops/cases.js';
import { call } from '../../ipc/client.js';

export interface CaseData {
  readonly detail: CaseDetail | null;
  readonly timeline: CaseTimeline | null;
  readonly error: unknown;
  /** Replace the detail with what a mutation returned (main sends the case as it now is). */
  readonly setDetail: (detail: CaseDetail) => void;
  readonly reload: () => void;
}

export function useCase(applicationId: string): CaseData {
  const [detail, setDetail] = useState<CaseDetail | null>(null);
  const [timeline, setTimeline] = useState<CaseTimeline | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [revision, setRevision] = useState(0);

  useEffect(() => {
    let live = true;
    call('getCase', { applicationId }).then(
      (value) => live && setDetail(value),
      (failure: unknown) => live && setError(failure),
    );
    call('getCaseTimeline', { applicationId }).then(
      (value) => live && setTimeline(value),
      (failure: unknown) => live && setError(failure),
    );
    return () => {
      live = false;
    };
  }, [applicationId, revision]);

  const reload = useCallback(() => {
    setError(null);
    setRevision((value) => value + 1);
  }, []);
  return { detail, timeline, error, setDetail, reload };
}
