// Rings: applicants joined by what they share. Values that link almost everyone (a campus NAT, a big
// employer's start month) are down-weighted and reported as hubs, never silently dropped. Connected
// components of strong enough links are rings; oversized components are split by Louvain communities.
import { createRequire } from 'node:module';
import { UndirectedGraph } from 'graphology';
import { connectedComponents } from 'graphology-components';
import type { LouvainOptions } from 'graphology-communities-louvain';
import { shortId } from '../common/hash.js';
import type { LinkIdentifier, LinkKind } from './identifiers.js';

// graphology-communities-louvain is CommonJS whose typings claim a default export; require states the interop plainly.
type Louvain = (graph: UndirectedGraph, options?: LouvainOptions) => Record<string, number>;
const louvain = createRequire(import.meta.url)('graphology-communities-louvain') as Louvain;

export const KIND_WEIGHT: Readonly<Record<LinkKind, number>> = {
  device: 1,
  bank_card: 1,
  pf_account: 1,
  phone: 1,
  contact_phone: 0.6,
  address: 0.5,
  employer: 0.2,
  employer_cohort: 0.8,
  ip: 0.5,
};
/** Above this many other holders a weak value is a hub: its weight shrinks as HUB_AT / (holders - 1). */
export const HUB_AT: Readonly<Record<LinkKind, number>> = {
  device: Number.POSITIVE_INFINITY,
  bank_card: Number.POSITIVE_INFINITY,
  pf_account: Number.POSITIVE_INFINITY,
  phone: Number.POSITIVE_INFINITY,
  contact_phone: 8,
  address: 6,
  employer: 10,
  employer_cohort: 12,
  ip: 4,
};
/** Values held by more applicants than this do not get pairwise edges (a clique would be quadratic). */
export const MAX_CLIQUE = 60;
/** Links weaker than this do not join applicants into a ring (an IP alone, a hub). */
export const MIN_LINK_WEIGHT = 0.5;
export const MIN_RING_SIZE = 2;
/** Components larger than this are split into Louvain communities. */
export const LOUVAIN_ABOVE = 30;

export interface LinkEdge {
  readonly a: string;
  readonly b: string;
  readonly weight: number;
  readonly kinds: readonly LinkKind[];
  readonly keys: readonly string[];
}

export interface HubValue {
  readonly kind: LinkKind;
  readonly key: string;
  readonly holders: number;
  readonly weight: number;
}

export interface RingLink {
  readonly kind: LinkKind;
  readonly key: string;
  /** Ring members holding this value. */
  readonly members: number;
}

export interface Ring {
  readonly ringId: string;
  readonly applicantIds: readonly string[];
  readonly links: readonly RingLink[];
  readonly edges: readonly LinkEdge[];
  /** 0-1000: the ring's risk from its shape and members, plus any confirmed fraud among them. */
  readonly score: number;
  /** The same without confirmed-fraud taint: what an application's own score may use. */
  readonly baseScore: number;
  readonly confirmedApplicantIds: readonly string[];
  /** Share of internal links explained by a household (family contacts, same address and surname). */
  readonly householdShare: number;
  readonly strongKinds: readonly LinkKind[];
}

export interface RingInput {
  readonly identifiers: ReadonlyMap<string, readonly LinkIdentifier[]>;
  /** How many applicants hold each `kind|key` in the whole store; defaults to counting within `identifiers`. */
  readonly holders?: ReadonlyMap<string, number>;
  /** Whether two applicants are one household (their sharing of a device or address is ordinary). */
  readonly household: (a: string, b: string) => boolean;
  /** 0-1 first-pass risk of each applicant from non-ring evidence (device, behaviour, identity, PF). */
  readonly memberRisk: ReadonlyMap<string, number>;
  /** Applicants with a confirmed fraud outcome. */
  readonly confirmedFraud: ReadonlySet<string>;
}

export interface RingResult {
  readonly rings: readonly Ring[];
  readonly hubs: readonly HubValue[];
  /** Every link of weight > 0 that touches an applicant, for the case view's graph. */
  readonly edges: readonly LinkEdge[];
}

const STRONG_KINDS: ReadonlySet<LinkKind> = new Set(['device', 'bank_card', 'pf_account', 'phone', 'contact_phone']);

export function valueWeight(kind: LinkKind, holders: number): number {
  const base = KIND_WEIGHT[kind];
  const others = holders - 1;
  const hubAt = HUB_AT[kind];
  return others > hubAt ? base * (hubAt / others) : base;
}

/** mulberry32: Louvain's shuffles must be deterministic so full and incremental runs agree. */
function seededRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface EdgeAcc {
  weight: number;
  kinds: Set<LinkKind>;
  keys: string[];
  byKind: Map<LinkKind, number>;
}

/** One kind of sharing counts at most this much per pair: an IP seen in two overlapping windows is one IP. */
function kindCap(kind: LinkKind): number {
  return kind === 'ip' ? KIND_WEIGHT.ip : 2 * KIND_WEIGHT[kind];
}

/**
 * Weighted links between applicants sharing values. With `touching`, only pairs with at least one end in
 * it are built (each with the weight it has in the full build): a region walk needs no more, and skips
 * the cliques among a small employer's other staff.
 */
export function buildLinks(input: RingInput, touching?: ReadonlySet<string>): { edges: Map<string, LinkEdge>; hubs: HubValue[] } {
  const holdersByKey = new Map<string, { kind: LinkKind; applicants: string[] }[]>();
  for (const [applicantId, ids] of input.identifiers) {
    for (const id of ids) {
      let roles = holdersByKey.get(id.key);
      if (roles === undefined) holdersByKey.set(id.key, (roles = []));
      let role = roles.find((r) => r.kind === id.kind);
      if (role === undefined) roles.push((role = { kind: id.kind, applicants: [] }));
      role.applicants.push(applicantId);
    }
  }
  const acc = new Map<string, EdgeAcc>();
  const hubs: HubValue[] = [];
  const link = (x: string, y: string, kind: LinkKind, key: string, weight: number): void => {
    if (x === y) return;
    const [a, b] = x < y ? [x, y] : [y, x];
    const pair = `${a}\u0000${b}`;
    let e = acc.get(pair);
    if (e === undefined) acc.set(pair, (e = { weight: 0, kinds: new Set(), keys: [], byKind: new Map() }));
    // One value links a pair once, with the weight of its strongest role.
    if (e.keys.includes(key)) return;
    const sofar = e.byKind.get(kind) ?? 0;
    // IP windows overlap by design: the pair's IP weight is its best window, not a sum of windows.
    const added = kind === 'ip' ? Math.max(0, weight - sofar) : Math.min(weight, kindCap(kind) - sofar);
    e.byKind.set(kind, sofar + Math.max(0, added));
    e.weight += Math.max(0, added);
    e.kinds.add(kind);
    e.keys.push(key);
  };
  for (const [key, roles] of holdersByKey) {
    // Most values have one holder: nothing to link, and nothing to allocate for them.
    if (roles.length === 1 && (roles[0] as { applicants: string[] }).applicants.length < 2) continue;
    const all = [...new Set(roles.flatMap((r) => r.applicants))].sort();
    if (all.length < 2) continue;
    // Store-wide holders per role (`kind|key`) when an incremental run sees only part of the store.
    let holders = 0;
    for (const r of roles) holders += Math.max(new Set(r.applicants).size, input.holders?.get(`${r.kind}|${key}`) ?? 0);
    holders = Math.max(holders, all.length);
    // A phone seen as someone's own number and as someone else's emergency contact is a contact link.
    const kinds = roles.map((r) => r.kind);
    const kind: LinkKind = kinds.includes('contact_phone') ? 'contact_phone' : (kinds[0] as LinkKind);
    const weight = valueWeight(kind, holders);
    if (weight < KIND_WEIGHT[kind]) hubs.push({ kind, key, holders, weight });
    if (holders > MAX_CLIQUE) {
      if (!STRONG_KINDS.has(kind)) {
        if (weight === KIND_WEIGHT[kind]) hubs.push({ kind, key, holders, weight });
        continue;
      }
      // A farm device with hundreds of applicants: a star keeps them together without n^2 edges.
      const centre = all[0] as string;
      for (let i = 1; i < all.length; i++) if (touching === undefined || touching.has(centre) || touching.has(all[i] as string)) link(centre, all[i] as string, kind, key, weight);
      continue;
    }
    if (touching === undefined) {
      for (let i = 0; i < all.length; i++) for (let j = i + 1; j < all.length; j++) link(all[i] as string, all[j] as string, kind, key, weight);
      continue;
    }
    for (const x of all) {
      if (!touching.has(x)) continue;
      for (const y of all) if (y !== x && (x < y || !touching.has(y))) link(x, y, kind, key, weight);
    }
  }
  const edges = new Map<string, LinkEdge>();
  for (const [pair, e] of acc) {
    const [a, b] = pair.split('\u0000') as [string, string];
    edges.set(pair, { a, b, weight: Math.min(3, e.weight), kinds: [...e.kinds].sort(), keys: e.keys.sort() });
  }
  return { edges, hubs };
}

/** Kinds whose hub values still link (as a star): a farm device with hundreds of applicants is the ring. */
export function isStrongKind(kind: LinkKind): boolean {
  return STRONG_KINDS.has(kind);
}

export function findRings(input: RingInput): RingResult {
  const { edges, hubs } = buildLinks(input);
  const graph = new UndirectedGraph();
  const strongEdges = [...edges.values()].filter((e) => e.weight >= MIN_LINK_WEIGHT).sort((x, y) => (x.a + x.b < y.a + y.b ? -1 : 1));
  for (const e of strongEdges) {
    if (!graph.hasNode(e.a)) graph.addNode(e.a);
    if (!graph.hasNode(e.b)) graph.addNode(e.b);
    graph.addUndirectedEdge(e.a, e.b, { weight: e.weight });
  }
  const groups: string[][] = [];
  for (const component of connectedComponents(graph)) {
    if (component.length < MIN_RING_SIZE) continue;
    if (component.length <= LOUVAIN_ABOVE) {
      groups.push(component);
      continue;
    }
    const sorted = [...component].sort();
    const sub = new UndirectedGraph();
    for (const node of sorted) sub.addNode(node);
    for (const node of sorted) {
      graph.forEachEdge(node, (_edge: string, attrs: Record<string, unknown>, source: string, target: string) => {
        if (source === node && !sub.hasEdge(source, target)) sub.addUndirectedEdge(source, target, { weight: attrs['weight'] as number });
      });
    }
    const communities = louvain(sub, { getEdgeWeight: 'weight', rng: seededRng(0x5eed), resolution: 1 });
    const byCommunity = new Map<number, string[]>();
    for (const node of sorted) {
      const c = communities[node] as number;
      let list = byCommunity.get(c);
      if (list === undefined) byCommunity.set(c, (list = []));
      list.push(node);
    }
    for (const members of byCommunity.values()) if (members.length >= MIN_RING_SIZE) groups.push(members);
  }
  const rings = groups.map((members) => describeRing(members, edges, input)).sort((a, b) => b.score - a.score || (a.ringId < b.ringId ? -1 : 1));
  return { rings, hubs, edges: [...edges.values()] };
}

function describeRing(members: readonly string[], edges: ReadonlyMap<string, LinkEdge>, input: RingInput): Ring {
  const applicantIds = [...members].sort();
  const internal: LinkEdge[] = [];
  for (let i = 0; i < applicantIds.length; i++) {
    for (let j = i + 1; j < applicantIds.length; j++) {
      const e = edges.get(`${applicantIds[i]}\u0000${applicantIds[j]}`);
      if (e !== undefined) internal.push(e);
    }
  }
  const holdersInRing = new Map<string, { kind: LinkKind; members: Set<string> }>();
  for (const e of internal) {
    for (const key of e.keys) {
      let h = holdersInRing.get(key);
      if (h === undefined) {
        const kind = input.identifiers.get(e.a)?.find((id) => id.key === key)?.kind ?? e.kinds[0] ?? 'device';
        holdersInRing.set(key, (h = { kind, members: new Set() }));
      }
      h.members.add(e.a);
      h.members.add(e.b);
    }
  }
  const links: RingLink[] = [...holdersInRing.entries()]
    .map(([key, h]) => ({ kind: h.kind, key, members: h.members.size }))
    .sort((x, y) => y.members - x.members || (x.key < y.key ? -1 : 1));
  const strong = internal.filter((e) => e.weight >= MIN_LINK_WEIGHT);
  const household = strong.filter((e) => input.household(e.a, e.b)).length;
  const householdShare = strong.length === 0 ? 0 : household / strong.length;
  const strongKinds = [...new Set(strong.flatMap((e) => e.kinds).filter((k) => STRONG_KINDS.has(k)))].sort();
  let risk = 0;
  for (const id of applicantIds) risk += input.memberRisk.get(id) ?? 0;
  const memberRisk = risk / applicantIds.length;
  const confirmed = applicantIds.filter((id) => input.confirmedFraud.has(id));
  const baseLogit = -3 + 0.9 * Math.log(applicantIds.length) + 0.5 * strongKinds.length + 3 * memberRisk - 2.5 * householdShare;
  const baseScore = Math.round(1000 / (1 + Math.exp(-baseLogit)));
  const taintedLogit = baseLogit + (confirmed.length > 0 ? 3 : 0);
  const score = Math.round(1000 / (1 + Math.exp(-taintedLogit)));
  return {
    ringId: shortId('R', applicantIds[0] as string),
    applicantIds,
    links,
    edges: internal,
    score,
    baseScore,
    confirmedApplicantIds: confirmed,
    householdShare,
    strongKinds,
  };
}
