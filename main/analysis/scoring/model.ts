// Logistic regression on labelled applications, fitted on top of the rule evidence (the rule log-odds is
// an offset): with few labels it stays close to the rules, with many it recalibrates them and learns
// what they miss. Linear in standardised features, so every feature's contribution can be shown.
import type { FeatureVector } from './features.js';

export interface LogisticModel {
  readonly version: string;
  readonly features: readonly string[];
  readonly means: readonly number[];
  readonly scales: readonly number[];
  /**
   * Where each feature contributes nothing (its median among the training applications): an absent flag
   * adds no reason, and only values worse than usual push a score up.
   */
  readonly references: readonly number[];
  readonly coefficients: readonly number[];
  readonly intercept: number;
  readonly trainedOn: { readonly applications: number; readonly fraud: number };
}

export interface TrainingRow {
  readonly features: FeatureVector;
  /** The rule set's log-odds for this application. */
  readonly offset: number;
  readonly fraud: boolean;
}

/** Not enough truth to learn from: scores stay rule-only. */
export const MIN_TRAINING_ROWS = 200;
export const MIN_TRAINING_FRAUD = 20;

function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** Solves A x = b for symmetric positive definite A (Cholesky); A is d*d row-major. */
function solveSpd(A: Float64Array, bvec: Float64Array, d: number): Float64Array {
  const L = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = A[i * d + j] as number;
      for (let k = 0; k < j; k++) sum -= (L[i * d + k] as number) * (L[j * d + k] as number);
      if (i === j) L[i * d + i] = Math.sqrt(Math.max(sum, 1e-12));
      else L[i * d + j] = sum / (L[j * d + j] as number);
    }
  }
  const y = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let sum = bvec[i] as number;
    for (let k = 0; k < i; k++) sum -= (L[i * d + k] as number) * (y[k] as number);
    y[i] = sum / (L[i * d + i] as number);
  }
  const x = new Float64Array(d);
  for (let i = d - 1; i >= 0; i--) {
    let sum = y[i] as number;
    for (let k = i + 1; k < d; k++) sum -= (L[k * d + i] as number) * (x[k] as number);
    x[i] = sum / (L[i * d + i] as number);
  }
  return x;
}

export interface FitOptions {
  /** L2 penalty on standardised coefficients (not on the intercept): shrinks toward the rules. */
  readonly l2?: number;
  readonly iterations?: number;
  readonly version: string;
  /**
   * Per feature, the direction in which it speaks for its reason: 1 (higher is more suspicious), -1
   * (lower is), 0 (unconstrained). A constrained coefficient never takes the other sign, so a feature
   * can raise a score only from the suspicious side of its reference value: a reason that says "base
   * far above income" is never owed to a base below the usual one.
   */
  readonly directions?: readonly number[];
}

/** Newton-Raphson (IRLS) with an L2 penalty; d is small (tens of features), n up to a few hundred thousand. */
export function fitLogistic(rows: readonly TrainingRow[], featureNames: readonly string[], options: FitOptions): LogisticModel {
  const n = rows.length;
  const p = featureNames.length;
  const d = p + 1;
  const l2 = options.l2 ?? 5;
  const means = new Array<number>(p).fill(0);
  const references = new Array<number>(p).fill(0);
  const scales = new Array<number>(p).fill(1);
  const X = new Float64Array(n * d);
  // A feature an application does not have (no PF record, no registration date) is taken as usual:
  // the statistics come from the applications that have it, and it sits at the reference value.
  for (let j = 0; j < p; j++) {
    const name = featureNames[j] as string;
    const present: number[] = [];
    for (const r of rows) {
      const v = r.features[name];
      if (v !== undefined) present.push(v);
    }
    const count = present.length;
    let sum = 0;
    for (const v of present) sum += v;
    const m = count > 0 ? sum / count : 0;
    let ss = 0;
    for (const v of present) ss += (v - m) ** 2;
    const sd = count > 1 ? Math.sqrt(ss / (count - 1)) : 0;
    means[j] = m;
    scales[j] = sd > 1e-9 ? sd : 1;
    present.sort((a, b) => a - b);
    references[j] = count === 0 ? 0 : (present[count >> 1] as number);
  }
  for (let i = 0; i < n; i++) {
    const r = rows[i] as TrainingRow;
    X[i * d] = 1;
    for (let j = 0; j < p; j++) {
      const value = r.features[featureNames[j] as string] ?? references[j] ?? 0;
      X[i * d + j + 1] = (value - (means[j] as number)) / (scales[j] as number);
    }
  }
  const beta = new Float64Array(d);
  const iterations = options.iterations ?? 25;
  // Sign constraints on the coefficients (index j + 1 in beta): projected Newton with backtracking.
  const direction = (j: number): number => (j === 0 ? 0 : Math.sign(options.directions?.[j - 1] ?? 0));
  const project = <T extends Float64Array>(b: T): T => {
    for (let j = 1; j < d; j++) if (direction(j) * (b[j] as number) < 0) b[j] = 0;
    return b;
  };
  // Penalised negative log-likelihood: what each Newton step must decrease (separable data would
  // otherwise send plain Newton steps oscillating off to infinity).
  const objective = (b: Float64Array): number => {
    let loss = 0;
    for (let i = 0; i < n; i++) {
      const row = i * d;
      let eta = (rows[i] as TrainingRow).offset;
      for (let j = 0; j < d; j++) eta += (X[row + j] as number) * (b[j] as number);
      // log(1 + e^eta) - y * eta, computed without overflow.
      const softplus = eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta));
      loss += softplus - ((rows[i] as TrainingRow).fraud ? eta : 0);
    }
    for (let j = 1; j < d; j++) loss += 0.5 * l2 * (b[j] as number) ** 2;
    return loss;
  };
  let current = objective(beta);
  for (let iter = 0; iter < iterations; iter++) {
    const grad = new Float64Array(d);
    const H = new Float64Array(d * d);
    for (let i = 0; i < n; i++) {
      const row = i * d;
      let eta = (rows[i] as TrainingRow).offset;
      for (let j = 0; j < d; j++) eta += (X[row + j] as number) * (beta[j] as number);
      const prob = sigmoid(eta);
      const resid = prob - ((rows[i] as TrainingRow).fraud ? 1 : 0);
      const w = Math.max(prob * (1 - prob), 1e-9);
      for (let j = 0; j < d; j++) {
        const xj = X[row + j] as number;
        if (xj === 0) continue;
        grad[j] = (grad[j] as number) + resid * xj;
        const wx = w * xj;
        for (let k = 0; k <= j; k++) H[j * d + k] = (H[j * d + k] as number) + wx * (X[row + k] as number);
      }
    }
    for (let j = 0; j < d; j++) for (let k = 0; k < j; k++) H[k * d + j] = H[j * d + k] as number;
    for (let j = 1; j < d; j++) {
      grad[j] = (grad[j] as number) + l2 * (beta[j] as number);
      H[j * d + j] = (H[j * d + j] as number) + l2;
    }
    H[0] = (H[0] as number) + 1e-6;
    // A coefficient held at zero by its sign, whose gradient pushes it further out, stays out of this step.
    for (let j = 1; j < d; j++) {
      if (direction(j) === 0 || (beta[j] as number) !== 0 || direction(j) * (grad[j] as number) <= 0) continue;
      for (let k = 0; k < d; k++) {
        H[j * d + k] = 0;
        H[k * d + j] = 0;
      }
      H[j * d + j] = 1;
      grad[j] = 0;
    }
    const step = solveSpd(H, grad, d);
    // Backtracking: halve the step until the objective goes down.
    let scale = 1;
    let candidate = new Float64Array(d);
    let value = Number.POSITIVE_INFINITY;
    for (let tries = 0; tries < 30; tries++) {
      candidate = project(beta.map((b, j) => b - scale * (step[j] as number)));
      value = objective(candidate);
      if (value <= current) break;
      scale /= 2;
    }
    if (!(value <= current)) break;
    let change = 0;
    for (let j = 0; j < d; j++) change = Math.max(change, Math.abs((candidate[j] as number) - (beta[j] as number)));
    beta.set(candidate);
    const improvement = current - value;
    current = value;
    if (change < 1e-6 || improvement < 1e-9 * Math.max(1, current)) break;
  }
  let fraud = 0;
  for (const r of rows) if (r.fraud) fraud++;
  return {
    version: options.version,
    features: [...featureNames],
    means,
    scales,
    references,
    coefficients: Array.from(beta.subarray(1)),
    intercept: beta[0] as number,
    trainedOn: { applications: n, fraud },
  };
}

/**
 * Each feature's log-odds contribution measured from its reference value, and the intercept moved to
 * match, so intercept + sum(contributions) is exactly the fitted linear predictor. A missing feature
 * contributes nothing (it is taken at its reference, as in fitting).
 */
export function modelContributions(model: LogisticModel, features: FeatureVector): { intercept: number; contributions: number[] } {
  let intercept = model.intercept;
  const contributions = model.features.map((name, j) => {
    const beta = model.coefficients[j] as number;
    const scale = model.scales[j] as number;
    const reference = model.references[j] as number;
    intercept += (beta * (reference - (model.means[j] as number))) / scale;
    return (beta * ((features[name] ?? reference) - reference)) / scale;
  });
  return { intercept, contributions };
}

export { sigmoid };
