// What the case panels show of the engines' analysis, whatever shape the analysis operation returns:
// useCaseAnalysis adapts the operation's output to this, so the panels stay simple and testable.
import type { ScoreBand } from '../../../../shared/reasons.js';

export interface ReasonView {
  readonly code: string;
  /** Share of the score owed to this reason (0-1000 scale). */
  readonly points: number;
  /** The rule's explanation with the case's own values, in the reader's language. */
  readonly detail: string | null;
  readonly evidence: ReadonlyArray<{ readonly label: string; readonly value: string }>;
}

export interface CaseAnalysisView {
  readonly reasons: readonly ReasonView[];
  readonly mitigations: ReadonlyArray<{ readonly code: string }>;
  readonly scoredAt: string | null;
  readonly ruleSet: string | null;
  readonly device: DeviceView | null;
  readonly behaviour: BehaviourView | null;
  readonly pf: PfView | null;
  readonly identity: IdentityView;
  readonly ring: RingView | null;
}

export interface DeviceView {
  readonly deviceId: string;
  readonly summary: string | null;
  readonly firstSeen: string | null;
  readonly lastSeen: string | null;
  readonly flags: readonly string[];
  readonly flagEvidence: readonly string[];
  readonly applicants: number;
  readonly applications: number;
  readonly observations: ReadonlyArray<{ readonly id: string; readonly observedAt: string; readonly ip: string | null; readonly region: string | null; readonly flags: readonly string[]; readonly changes: readonly string[] }>;
  readonly others: ReadonlyArray<{ readonly applicationId: string; readonly applicantName: string; readonly band: ScoreBand | null; readonly score: number | null }>;
}

export interface BehaviourView {
  readonly fields: ReadonlyArray<{ readonly field: string; readonly fillMs: number | null; readonly populationMedianMs: number | null; readonly populationLowMs: number | null; readonly populationHighMs: number | null; readonly pasted: boolean }>;
  readonly keystrokeMeanMs: number | null;
  readonly keystrokeCv: number | null;
  readonly populationKeystrokeMeanMs: number | null;
  readonly populationKeystrokeCv: number | null;
  readonly intervals: readonly number[];
  readonly smsLatencyMs: number | null;
  readonly flags: readonly string[];
}

export interface PfView {
  readonly history: ReadonlyArray<{ readonly month: string; readonly amount: number; readonly employer: string | null }>;
  readonly declaredEmployer: string | null;
  readonly base: number | null;
  readonly city: string | null;
  readonly findings: ReadonlyArray<{ readonly code: string; readonly detail: string }>;
}

export interface IdentityView {
  readonly findings: ReadonlyArray<{ readonly code: string; readonly field: string; readonly detail: string }>;
}

export interface RingView {
  readonly ringId: string;
  readonly score: number;
  readonly members: ReadonlyArray<{ readonly applicantId: string; readonly applicationId: string | null; readonly name: string; readonly band: ScoreBand | null; readonly score: number | null; readonly current: boolean; readonly confirmedFraud: boolean }>;
  readonly edges: ReadonlyArray<{ readonly a: string; readonly b: string; readonly kinds: readonly string[]; readonly weight: number }>;
  readonly shared: ReadonlyArray<{ readonly kind: string; readonly members: number }>;
}
