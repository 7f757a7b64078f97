import { useCallback, useEffect, useState } from 'react';
import { decodeTimelineEvents, type CaseDetail, type CaseTimeline, type TimelineEvent } from '../../../../shared/ipc/ops/cases.js';
import { call } from '../../ipc/client.js';

/** The timeline as the panels use it: the events parsed out of their JSON text. */
export interface LoadedTimeline {
  readonly applicationId: string;
  readonly events: readonly TimelineEvent[];
  readonly devices: CaseTimeline['devices'];
}

export interface CaseData {
  readonly detail: CaseDetail | null;
  readonly timeline: LoadedTimeline | null;
  readonly error: unknown;
  /** Replace the detail with what a mutation returned (main sends the case as it now is). */
  readonly setDetail: (detail: CaseDetail) => void;
  readonly reload: () => void;
}

export function useCase(applicationId: string): CaseData {
  const [detail, setDetail] = useState<CaseDetail | null>(null);
  const [timeline, setTimeline] = useState<LoadedTimeline | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [revision, setRevision] = useState(0);

  useEffect(() => {
    let live = true;
    call('getCase', { applicationId }).then(
      (value) => live && setDetail(value),
      (failure: unknown) => live && setError(failure),
    );
    call('getCaseTimeline', { applicationId }).then(
      (value) => live && setTimeline({ applicationId: value.applicationId, events: decodeTimelineEvents(value.eventsJson), devices: value.devices }),
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
