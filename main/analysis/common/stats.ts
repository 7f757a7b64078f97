// Robust statistics for comparing one session or applicant with the population: medians and MADs
// resist the outliers (bots, farms) the engines hunt, where means and standard deviations would not.

/** Median of finite values; NaN for none. Sorts a copy. */
export function median(values: readonly number[]): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  return medianOfSorted(sorted);
}

export function medianOfSorted(sorted: ArrayLike<number>): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const mid = n >> 1;
  return n % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Median absolute deviation scaled to match a standard deviation under normality (x1.4826). */
export function scaledMad(values: readonly number[], centre = median(values)): number {
  const deviations = values.filter(Number.isFinite).map((v) => Math.abs(v - centre));
  return 1.4826 * median(deviations);
}

export interface RobustSummary {
  readonly count: number;
  readonly median: number;
  readonly mad: number;
  /** Quantiles at 0%, 1%, ..., 100% (101 values): enough for percentiles without keeping the population. */
  readonly quantiles: readonly number[];
}

export function summarise(values: readonly number[]): RobustSummary {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  const centre = medianOfSorted(sorted);
  const deviations = sorted.map((v) => Math.abs(v - centre)).sort((a, b) => a - b);
  const quantiles: number[] = [];
  if (sorted.length > 0) {
    for (let q = 0; q <= 100; q++) quantiles.push(quantileOfSorted(sorted, q / 100));
  }
  return { count: sorted.length, median: centre, mad: 1.4826 * medianOfSorted(deviations), quantiles };
}

export function quantileOfSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  const frac = pos - lo;
  return (sorted[lo] as number) * (1 - frac) + (sorted[hi] as number) * frac;
}

/**
 * Robust z-score. A MAD of zero (over half the population identical) falls back to a floor so a
 * single different value does not become infinitely unusual.
 */
export function robustZ(value: number, summary: Pick<RobustSummary, 'median' | 'mad'>, floor: number): number {
  if (!Number.isFinite(value) || !Number.isFinite(summary.median)) return 0;
  const spread = Math.max(summary.mad, floor);
  return (value - summary.median) / spread;
}

/**
 * Percentile (0-100) of a value against the summary's quantiles, interpolated. A value that several
 * quantiles share (most sessions navigate perfectly directly: 1.00 from p10 to p100) sits in the middle
 * of that run, at the edges of the distribution too: the typical value is not an outlier.
 */
export function percentileOf(value: number, summary: Pick<RobustSummary, 'quantiles'>): number | null {
  const q = summary.quantiles;
  if (q.length === 0 || !Number.isFinite(value)) return null;
  const last = q.length - 1;
  const step = 100 / Math.max(1, last);
  if (value < (q[0] as number)) return 0;
  if (value > (q[last] as number)) return 100;
  // lo: the last quantile at or below the value.
  let lo = 0;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if ((q[mid] as number) <= value) lo = mid;
    else hi = mid;
  }
  if ((q[hi] as number) <= value) lo = hi;
  const a = q[lo] as number;
  if (a === value) {
    let start = lo;
    while (start > 0 && q[start - 1] === value) start--;
    let end = lo;
    while (end < last && q[end + 1] === value) end++;
    return ((start + end) / 2) * step;
  }
  const b = q[Math.min(last, lo + 1)] as number;
  const frac = b === a ? 0 : (value - a) / (b - a);
  return (lo + frac) * step;
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Coefficient of variation (standard deviation over mean); NaN with fewer than two values. */
export function coefficientOfVariation(values: readonly number[]): number {
  if (values.length < 2) return Number.NaN;
  const m = mean(values);
  if (m === 0) return Number.NaN;
  let ss = 0;
  for (const v of values) ss += (v - m) * (v - m);
  return Math.sqrt(ss / (values.length - 1)) / m;
}
