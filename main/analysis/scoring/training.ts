// Fitting the model on labelled applications. Labels are read here, at training time only: an
// application's score is computed from its features and the fitted coefficients, never from its label.
import type { LabelRecord } from '../../../shared/interchange/schema.js';
import type { FeatureVector } from './features.js';
import { fitLogistic, MIN_TRAINING_FRAUD, MIN_TRAINING_ROWS, type LogisticModel, type TrainingRow } from './model.js';
import type { RuleSet } from './rules.js';
import { MODEL_DIRECTIONS, MODEL_FEATURES, ruleLogOdds } from './score.js';

export interface TrainingInput {
  readonly applicationId: string;
  readonly features: FeatureVector;
}

/** Null when there are too few labels (or too few fraud labels) to learn anything honest. */
export function trainModel(inputs: Iterable<TrainingInput>, labels: readonly LabelRecord[], rules: RuleSet, version: string): LogisticModel | null {
  const labelOf = new Map<string, boolean>();
  for (const l of labels) labelOf.set(l.application_id, l.is_fraud);
  const rows: TrainingRow[] = [];
  for (const input of inputs) {
    const fraud = labelOf.get(input.applicationId);
    if (fraud === undefined) continue;
    rows.push({ features: input.features, offset: ruleLogOdds(rules, input.features).logOdds, fraud });
  }
  const fraudCount = rows.filter((r) => r.fraud).length;
  if (rows.length < MIN_TRAINING_ROWS || fraudCount < MIN_TRAINING_FRAUD || rows.length - fraudCount < MIN_TRAINING_FRAUD) return null;
  return fitLogistic(rows, MODEL_FEATURES, { version, l2: 5, directions: MODEL_DIRECTIONS });
}
