// PLACEHOLDER until the analysis op lands: the panels read this view model.
import type { CaseAnalysisView } from './analysisView.js';

export interface CaseAnalysisState {
  readonly value: CaseAnalysisView | null;
  readonly error: unknown;
  readonly loading: boolean;
}

export function useCaseAnalysis(_applicationId: string): CaseAnalysisState {
  return { value: null, error: null, loading: false };
}
