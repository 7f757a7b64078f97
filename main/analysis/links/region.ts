// The ring region around some applicants: everyone reachable from them over links strong enough to
// join a ring. An incremental run recomputes rings only inside it; the lookups read the stored link
// keys, so the engine stays free of SQL.
import type { LinkIdentifier, LinkKind } from './identifiers.js';
import { buildLinks, isStrongKind, MAX_CLIQUE, MIN_LINK_WEIGHT } from './rings.js';

export interface KeyHolder {
  readonly applicantId: string;
  readonly kind: LinkKind;
}

export interface LinkLookup {
  /** Every link key of these applicants. */
  keysOf(applicantIds: readonly string[]): Map<string, LinkIdentifier[]>;
  /** Store-wide number of applicants holding each `kind|key`; a key missing from the answer has at most one holder of that kind. */
  holderCounts(keys: readonly LinkIdentifier[]): Map<string, number>;
  /** Holders of these keys (all roles). */
  holdersOf(keys: readonly string[]): Map<string, KeyHolder[]>;
}

function countKey(kind: string, key: string): string {
  return `${kind}|${key}`;
}

/** Kinds whose keys no other kind holds (phones are shared by own, contact and card-reserved numbers). */
const ONE_ROLE_KINDS: ReadonlySet<LinkKind> = new Set(['device', 'bank_card', 'address', 'pf_account', 'employer', 'employer_cohort', 'ip']);

/** Breadth-first over links of weight >= MIN_LINK_WEIGHT, exactly as buildLinks weighs them. */
export function expandRegion(seeds: Iterable<string>, lookup: LinkLookup): Set<string> {
  const region = new Set<string>(seeds);
  let frontier = [...region];
  while (frontier.length > 0) {
    const keysOf = lookup.keysOf(frontier);
    const allKeys = [...keysOf.values()].flat();
    const counts = lookup.holderCounts(allKeys);
    const byKey = new Map<string, number>();
    for (const id of allKeys) byKey.set(id.key, (byKey.get(id.key) ?? 0) + (counts.get(countKey(id.kind, id.key)) ?? 0));
    // Weak values held by more than MAX_CLIQUE applicants make no edges: do not even read their holders.
    // Nor those of a one-role key without a count: its only holder is the frontier applicant itself.
    const lone = (id: LinkIdentifier): boolean => ONE_ROLE_KINDS.has(id.kind) && !counts.has(countKey(id.kind, id.key));
    const wanted = [...new Set(allKeys.filter((id) => !lone(id) && (isStrongKind(id.kind) || (byKey.get(id.key) ?? 0) <= MAX_CLIQUE)).map((id) => id.key))];
    const holders = lookup.holdersOf(wanted);
    const identifiers = new Map<string, LinkIdentifier[]>();
    for (const [key, list] of holders) {
      for (const h of list) {
        let ids = identifiers.get(h.applicantId);
        if (ids === undefined) identifiers.set(h.applicantId, (ids = []));
        ids.push({ kind: h.kind, key });
      }
    }
    const inFrontier = new Set(frontier);
    const { edges } = buildLinks({ identifiers, holders: counts, household: () => false, memberRisk: new Map(), confirmedFraud: new Set() }, inFrontier);
    const next: string[] = [];
    for (const e of edges.values()) {
      if (e.weight < MIN_LINK_WEIGHT) continue;
      for (const [x, y] of [[e.a, e.b], [e.b, e.a]] as const) {
        if (inFrontier.has(x) && !region.has(y)) {
          region.add(y);
          next.push(y);
        }
      }
    }
    frontier = next;
  }
  return region;
}
