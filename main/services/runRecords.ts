// What one analyze run reads more than once, each read and parsed once. An analysis never writes the
// imported tables (only the analysis ones), so within a run a record read for the link phase is still the
// stored one when the first pass and the scoring phase read it again for the same applicants. Two kinds of
// analysis rows are kept too, from the moment the run is done writing them: device observations (written
// by the device phase) and link keys with their holders and holder counts (written by the link phase);
// before that, reads go to the store.
import type { ApplicantRecord, ApplicationRecord, BankCardRecord, BureauRecord, DeviceRecord, PfRecord } from '../../shared/interchange/schema.js';
import type { AnalysisRepository, LinkKeyRow, ObservationRow } from '../store/repositories/analysis.js';
import { inSlices } from './analysisClosure.js';

const SLICE = 5000;

/**
 * Answers from memory what was read before, and reads the rest in one statement per slice. Answers come
 * in ascending order of the ids asked for, as the repository's `IN (SELECT value FROM json_each(?))` does.
 */
function memoised<T>(cache: Map<string, T[]>, ids: readonly string[], read: (missing: string[]) => T[], ownerOf: (item: T) => string): T[] {
  const wanted = [...new Set(ids)].sort();
  const missing = wanted.filter((id) => !cache.has(id));
  for (let i = 0; i < missing.length; i += SLICE) {
    const slice = missing.slice(i, i + SLICE);
    for (const id of slice) cache.set(id, []);
    for (const item of read(slice)) cache.get(ownerOf(item))?.push(item);
  }
  const out: T[] = [];
  for (const id of wanted) for (const item of cache.get(id) ?? []) out.push(item);
  return out;
}

export class RunRecords {
  private readonly applicantById = new Map<string, ApplicantRecord[]>();
  private readonly applicationsOf = new Map<string, ApplicationRecord[]>();
  private readonly pfOf = new Map<string, PfRecord[]>();
  private readonly cardsOf = new Map<string, BankCardRecord[]>();
  private readonly bureausOf = new Map<string, BureauRecord[]>();
  private readonly deviceById = new Map<string, DeviceRecord[]>();
  private readonly sizeByCode = new Map<string, number>();
  private readonly sizeByName = new Map<string, number>();
  private observationsOf: Map<string, ObservationRow[]> | null = null;
  private linkKeysOfApplicant: Map<string, LinkKeyRow[]> | null = null;
  private holdersOfKey: Map<string, LinkKeyRow[]> | null = null;
  /** Per key, its `kind|key` holder counts of two or more (see AnalysisRepository.holderCounts). */
  private countsOfKey: Map<string, [string, number][]> | null = null;

  constructor(private readonly repo: AnalysisRepository) {}

  applicants(ids: readonly string[]): ApplicantRecord[] {
    return memoised(this.applicantById, ids, (s) => this.repo.applicants(s), (a) => a.id);
  }
  applicationsOfApplicants(ids: readonly string[]): ApplicationRecord[] {
    return memoised(this.applicationsOf, ids, (s) => this.repo.applicationsOfApplicants(s), (a) => a.applicant_id);
  }
  pfOfApplicants(ids: readonly string[]): PfRecord[] {
    return memoised(this.pfOf, ids, (s) => this.repo.pfOfApplicants(s), (p) => p.applicant_id);
  }
  cardsOfApplicants(ids: readonly string[]): BankCardRecord[] {
    return memoised(this.cardsOf, ids, (s) => this.repo.cardsOfApplicants(s), (c) => c.applicant_id);
  }
  bureausOfApplicants(ids: readonly string[]): BureauRecord[] {
    return memoised(this.bureausOf, ids, (s) => this.repo.bureausOfApplicants(s), (b) => b.applicant_id);
  }
  devices(ids: readonly string[]): DeviceRecord[] {
    return memoised(this.deviceById, ids, (s) => this.repo.devices(s), (d) => d.id);
  }

  /** The run writes no more device observations: those read from now on are kept. */
  observationsSettled(): void {
    this.observationsOf ??= new Map();
  }
  /** The run writes no more link keys: those read from now on are kept. */
  linkKeysSettled(): void {
    this.linkKeysOfApplicant ??= new Map();
    this.holdersOfKey ??= new Map();
    this.countsOfKey ??= new Map();
  }
  /** The applicants' device observations (as AnalysisRepository.observationsOfApplicants). */
  observationsOfApplicants(ids: readonly string[]): ObservationRow[] {
    const cache = this.observationsOf;
    if (cache === null) return inSlices(ids, (s) => this.repo.observationsOfApplicants(s));
    return memoised(cache, ids, (s) => this.repo.observationsOfApplicants(s), (o) => o.applicantId ?? '');
  }
  /** The applicants' link keys (as AnalysisRepository.linkKeysOf). */
  linkKeysOf(ids: readonly string[]): LinkKeyRow[] {
    const cache = this.linkKeysOfApplicant;
    if (cache === null) return inSlices(ids, (s) => this.repo.linkKeysOf(s));
    return memoised(cache, ids, (s) => this.repo.linkKeysOf(s), (k) => k.applicantId);
  }

  /**
   * Every holder of these keys (as AnalysisRepository.holdersOf). Once kept, answers come in ascending
   * key order and, within a key, main-index holders before pending ones.
   */
  holdersOf(keys: readonly string[]): LinkKeyRow[] {
    const cache = this.holdersOfKey;
    if (cache === null) return inSlices([...new Set(keys)], (s) => this.repo.holdersOf(s));
    return memoised(cache, keys, (s) => this.repo.holdersOf(s), (k) => k.key);
  }
  /** Store-wide holders per `kind|key` of these keys, for counts of two or more (as AnalysisRepository.holderCounts). */
  holderCounts(keys: readonly string[]): Map<string, number> {
    const read = (slice: string[]): [string, number][] => [...this.repo.holderCounts(slice)];
    const cache = this.countsOfKey;
    if (cache === null) return new Map(inSlices([...new Set(keys)], read));
    return new Map(memoised(cache, keys, read, ([kindKey]) => kindKey.slice(kindKey.indexOf('|') + 1)));
  }

  /** Applicants per employer (see AnalysisRepository.employerSizes); an employer without records is absent. */
  employerSizes(codes: readonly string[], names: readonly string[]): { byCode: Map<string, number>; byName: Map<string, number> } {
    const missingCodes = codes.filter((c) => !this.sizeByCode.has(c));
    const missingNames = names.filter((n) => !this.sizeByName.has(n));
    if (missingCodes.length > 0 || missingNames.length > 0) {
      const read = this.repo.employerSizes(missingCodes, missingNames);
      for (const c of missingCodes) this.sizeByCode.set(c, read.byCode.get(c) ?? 0);
      for (const n of missingNames) this.sizeByName.set(n, read.byName.get(n) ?? 0);
    }
    const pick = (keys: readonly string[], from: Map<string, number>): Map<string, number> => {
      const out = new Map<string, number>();
      for (const k of keys) {
        const n = from.get(k) ?? 0;
        if (n > 0) out.set(k, n);
      }
      return out;
    };
    return { byCode: pick(codes, this.sizeByCode), byName: pick(names, this.sizeByName) };
  }
}
