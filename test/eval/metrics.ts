// Evaluation measures: ranking (ROC AUC), thresholded precision/recall, pairwise clustering agreement.

/** ROC AUC by the rank-sum (Mann-Whitney) formula, ties counted half. */
export function rocAuc(scores: readonly number[], positives: readonly boolean[]): number {
  const idx = scores.map((_, i) => i).sort((a, b) => (scores[a] as number) - (scores[b] as number));
  let rankSum = 0;
  let pos = 0;
  let i = 0;
  while (i < idx.length) {
    let j = i;
    while (j + 1 < idx.length && scores[idx[j + 1] as number] === scores[idx[i] as number]) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (positives[idx[k] as number]) {
      rankSum += avgRank;
      pos++;
    }
    i = j + 1;
  }
  const neg = scores.length - pos;
  if (pos === 0 || neg === 0) return Number.NaN;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

export interface PairwiseAgreement {
  readonly precision: number;
  readonly recall: number;
  readonly predictedPairs: number;
  readonly truePairs: number;
}

function pairs(n: number): number {
  return (n * (n - 1)) / 2;
}

/** Pairwise precision/recall of a clustering against the truth, from the contingency table (no n^2 loop). */
export function pairwiseAgreement(predicted: ReadonlyMap<string, string>, truth: ReadonlyMap<string, string>): PairwiseAgreement {
  const cell = new Map<string, number>();
  const predSize = new Map<string, number>();
  const truthSize = new Map<string, number>();
  for (const [item, t] of truth) {
    const p = predicted.get(item);
    if (p === undefined) continue;
    cell.set(`${p}\u0000${t}`, (cell.get(`${p}\u0000${t}`) ?? 0) + 1);
    predSize.set(p, (predSize.get(p) ?? 0) + 1);
    truthSize.set(t, (truthSize.get(t) ?? 0) + 1);
  }
  let tp = 0;
  for (const n of cell.values()) tp += pairs(n);
  let pp = 0;
  for (const n of predSize.values()) pp += pairs(n);
  let tt = 0;
  for (const n of truthSize.values()) tt += pairs(n);
  return { precision: pp === 0 ? 1 : tp / pp, recall: tt === 0 ? 1 : tp / tt, predictedPairs: pp, truePairs: tt };
}

export function fmt(x: number, digits = 3): string {
  return Number.isFinite(x) ? x.toFixed(digits) : 'n/a';
}
