import { startTransition, useEffect, useState } from 'react';
import type { CaseEvidence } from '../../../../shared/ipc/ops/cases.js';
import { call } from '../../ipc/client.js';

export interface CaseAnalysisState {
  readonly value: CaseEvidence | null;
  readonly error: unknown;
  readonly loading: boolean;
}

/** The engines' evidence for a case, loaded beside the case itself (the panels fill in when it arrives). */
export function useCaseAnalysis(applicationId: string): CaseAnalysisState {
  const [state, setState] = useState<{ id: string; value: CaseEvidence | null; error: unknown }>({ id: '', value: null, error: null });
  useEffect(() => {
    let live = true;
    // The evidence fills in behind the case and its timeline: a transition keeps its charts from delaying them.
    call('getCaseEvidence', { applicationId }).then(
      (value) => live && startTransition(() => setState({ id: applicationId, value, error: null })),
      (error: unknown) => live && setState({ id: applicationId, value: null, error }),
    );
    return () => {
      live = false;
    };
  }, [applicationId]);
  if (state.id !== applicationId) return { value: null, error: null, loading: true };
  return { value: state.value, error: state.error, loading: false };
}
