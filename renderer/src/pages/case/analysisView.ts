/** What the case panels show of the engines' analysis. */
export interface CaseAnalysisView {
  readonly reasons: ReadonlyArray<{ code: string; contribution: number }>;
}
