import { describe, expect, it } from 'vitest';
import { applicantIdentifiers, ipWindowKeys, normaliseAddress, type LinkIdentifier } from '../../main/analysis/links/identifiers.js';
import { expandRegion, type LinkLookup } from '../../main/analysis/links/region.js';
import { buildLinks, findRings, KIND_WEIGHT, MAX_CLIQUE, valueWeight, type RingInput } from '../../main/analysis/links/rings.js';
import { applicant, card, pf } from '../eval/fixtures.js';

function input(identifiers: Record<string, LinkIdentifier[]>, extra: Partial<RingInput> = {}): RingInput {
  return {
    identifiers: new Map(Object.entries(identifiers)),
    household: () => false,
    memberRisk: new Map(),
    confirmedFraud: new Set(),
    ...extra,
  };
}
const device = (d: string): LinkIdentifier => ({ kind: 'device', key: `device:${d}` });
const ip = (key: string): LinkIdentifier => ({ kind: 'ip', key });

describe('link identifiers', () => {
  it('collects device, phones, contacts, cards, address, PF account, employer and IP windows of an applicant', () => {
    const a = applicant('A1', { emergency_contacts: [{ name: '李娜', phone: '13911112222', relation: '配偶' }] });
    const ids = applicantIdentifiers({
      applicant: a, cards: [card('A1', { reserved_phone: '13733334444' })], pfRecords: [pf('A1')], deviceIds: ['D1'],
      ipKeys: ipWindowKeys('36.110.1.1', Date.parse('2026-01-12T10:00:00+08:00')), employerKeys: ['code:X'], employerCohortKeys: [],
    });
    expect(ids.map((i) => i.kind).sort()).toEqual(['address', 'bank_card', 'contact_phone', 'device', 'employer', 'ip', 'ip', 'pf_account', 'phone', 'phone']);
  });

  it('puts two sightings of one IP within half an hour in a shared window, and two hours apart in none', () => {
    const at = Date.parse('2026-01-12T10:50:00+08:00');
    const near = ipWindowKeys('1.2.3.4', at + 20 * 60_000);
    const far = ipWindowKeys('1.2.3.4', at + 2 * 3_600_000);
    expect(ipWindowKeys('1.2.3.4', at).some((k) => near.includes(k))).toBe(true);
    expect(ipWindowKeys('1.2.3.4', at).some((k) => far.includes(k))).toBe(false);
  });

  it('writes one address one way (full-width digits, spaces, punctuation)', () => {
    expect(normaliseAddress({ province: '北京市', city: '北京市', district: '朝阳区', line: '建国路 ８８号, 3单元' })).toBe(normaliseAddress({ province: '北京市', city: '北京市', district: '朝阳区', line: '建国路88号3单元' }));
  });
});

describe('rings', () => {
  it('joins applicants on one device into a ring with the device as its shared identifier', () => {
    const farm = Object.fromEntries(['A1', 'A2', 'A3', 'A4', 'A5'].map((a) => [a, [device('F1')]]));
    const { rings } = findRings(input(farm));
    expect(rings).toHaveLength(1);
    expect(rings[0]).toMatchObject({ applicantIds: ['A1', 'A2', 'A3', 'A4', 'A5'], strongKinds: ['device'] });
    expect(rings[0]?.links[0]).toMatchObject({ kind: 'device', members: 5 });
  });

  it('joins a device farm with hundreds of applicants as a star instead of a clique', () => {
    const many = Object.fromEntries(Array.from({ length: MAX_CLIQUE + 40 }, (_, i) => [`A${String(i).padStart(3, '0')}`, [device('F1')]]));
    const { edges, rings } = findRings(input(many));
    expect(edges.length).toBe(MAX_CLIQUE + 39);
    expect(rings.flatMap((r) => r.applicantIds)).toHaveLength(MAX_CLIQUE + 40);
  });

  it('down-weights a campus NAT IP shared by many and reports it as a hub instead of making a ring', () => {
    const students = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`S${i}`, [ip('ip:101.6.1.1@494000')]]));
    const { rings, hubs } = findRings(input(students));
    expect(rings).toEqual([]);
    expect(hubs).toEqual([expect.objectContaining({ kind: 'ip', holders: 30 })]);
    expect(valueWeight('ip', 30)).toBeLessThan(KIND_WEIGHT.ip / 5);
  });

  it('counts one IP seen in two overlapping windows once: an IP alone makes a pair, not more', () => {
    const pair = { A1: [ip('ip:x@1'), ip('ip:x@1+')], A2: [ip('ip:x@1'), ip('ip:x@1+')] };
    const edge = [...buildLinks(input(pair)).edges.values()][0];
    expect(edge?.weight).toBe(KIND_WEIGHT.ip);
  });

  it('scores a family sharing a phone and a home below a ring of strangers sharing a phone and cards', () => {
    const family = { F1: [device('P1'), { kind: 'address', key: 'address:x' } as LinkIdentifier], F2: [device('P1'), { kind: 'address', key: 'address:x' } as LinkIdentifier], F3: [device('P1')] };
    const strangers = { R1: [device('P2'), { kind: 'bank_card', key: 'card:c' } as LinkIdentifier], R2: [device('P2'), { kind: 'bank_card', key: 'card:c' } as LinkIdentifier], R3: [device('P2')] };
    const familyRing = findRings(input(family, { household: () => true })).rings[0];
    const strangerRing = findRings(input(strangers, { memberRisk: new Map([['R1', 0.9], ['R2', 0.9], ['R3', 0.9]]) })).rings[0];
    expect(familyRing?.householdShare).toBe(1);
    expect(familyRing?.baseScore ?? 1000).toBeLessThan(300);
    expect(strangerRing?.baseScore ?? 0).toBeGreaterThan(600);
  });

  it('raises a ring with a confirmed fraud among its members, and keeps the untainted score apart', () => {
    const ring = { A1: [device('F')], A2: [device('F')], A3: [device('F')] };
    const plain = findRings(input(ring)).rings[0];
    const tainted = findRings(input(ring, { confirmedFraud: new Set(['A2']) })).rings[0];
    expect(tainted?.score ?? 0).toBeGreaterThan(plain?.score ?? 1000);
    expect(tainted?.baseScore).toBe(plain?.baseScore);
    expect(tainted?.confirmedApplicantIds).toEqual(['A2']);
  });

  it('splits an oversized component into Louvain communities, the same way every time', () => {
    const ids: Record<string, LinkIdentifier[]> = {};
    for (let i = 0; i < 20; i++) ids[`X${String(i).padStart(2, '0')}`] = [device('X')];
    for (let i = 0; i < 20; i++) ids[`Y${String(i).padStart(2, '0')}`] = [device('Y')];
    ids['X00']?.push({ kind: 'phone', key: 'phone:bridge' });
    ids['Y00']?.push({ kind: 'phone', key: 'phone:bridge' });
    const first = findRings(input(ids)).rings.map((r) => r.applicantIds.join(','));
    const second = findRings(input(ids)).rings.map((r) => r.applicantIds.join(','));
    expect(first).toHaveLength(2);
    expect(first).toEqual(second);
  });

  it('builds the links touching some applicants exactly as a full build weighs them, and no others', () => {
    // Cliques (employer, address), a star over MAX_CLIQUE (farm device), IP windows, phone roles, capped kinds.
    let seed = 11;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return (seed >>> 16) % n;
    };
    const pool: LinkIdentifier[] = [
      { kind: 'employer', key: 'employer:e1' }, { kind: 'address', key: 'address:a1' }, ip('ip:x@1'), ip('ip:x@1+'),
      { kind: 'phone', key: 'phone:p' }, { kind: 'contact_phone', key: 'phone:p' }, { kind: 'bank_card', key: 'card:c1' }, { kind: 'bank_card', key: 'card:c2' },
    ];
    const ids: Record<string, LinkIdentifier[]> = {};
    for (let i = 0; i < 90; i++) {
      const id = `A${String(i).padStart(2, '0')}`;
      ids[id] = pool.filter(() => next(4) === 0);
      if (i < MAX_CLIQUE + 10) ids[id].push(device('farm'));
    }
    const full = buildLinks(input(ids)).edges;
    const touching = new Set(['A03', 'A40', 'A75', 'A89']);
    const partial = buildLinks(input(ids), touching).edges;
    const expected = [...full].filter(([, e]) => touching.has(e.a) || touching.has(e.b));
    expect(expected.length).toBeGreaterThan(60);
    expect([...partial].sort()).toEqual(expected.sort());
  });

  it('finds the ring region by walking strong links through the stored keys only', () => {
    const keys: Record<string, LinkIdentifier[]> = { A: [device('1')], B: [device('1'), device('2')], C: [device('2')], D: [ip('ip:lonely')], E: [ip('ip:lonely')] };
    const lookup: LinkLookup = {
      keysOf: (ids) => new Map(ids.map((id) => [id, keys[id] ?? []])),
      holderCounts: (list) => {
        const out = new Map<string, number>();
        for (const k of list) out.set(`${k.kind}|${k.key}`, Object.values(keys).filter((v) => v.some((x) => x.key === k.key && x.kind === k.kind)).length);
        return out;
      },
      holdersOf: (list) => new Map(list.map((key) => [key, Object.entries(keys).flatMap(([id, v]) => v.filter((x) => x.key === key).map((x) => ({ applicantId: id, kind: x.kind })))])),
    };
    expect([...expandRegion(['A'], lookup)].sort()).toEqual(['A', 'B', 'C']);
  });

  it('walks a phone held in two roles by one applicant each, and never reads holders of a key only the walker holds', () => {
    const phone = { kind: 'phone', key: 'phone:x' } as LinkIdentifier;
    const contact = { kind: 'contact_phone', key: 'phone:x' } as LinkIdentifier;
    const keys: Record<string, LinkIdentifier[]> = { A: [device('1'), ip('ip:solo'), phone], B: [device('1')], C: [contact], D: [ip('ip:lonely')], E: [ip('ip:lonely')] };
    const asked: string[] = [];
    const lookup: LinkLookup = {
      keysOf: (ids) => new Map(ids.map((id) => [id, keys[id] ?? []])),
      // As the store keeps them: counts only for keys with two or more holders of one kind.
      holderCounts: (list) => {
        const out = new Map<string, number>();
        for (const k of list) {
          const n = Object.values(keys).filter((v) => v.some((x) => x.key === k.key && x.kind === k.kind)).length;
          if (n >= 2) out.set(`${k.kind}|${k.key}`, n);
        }
        return out;
      },
      holdersOf: (list) => {
        asked.push(...list);
        return new Map(list.map((key) => [key, Object.entries(keys).flatMap(([id, v]) => v.filter((x) => x.key === key).map((x) => ({ applicantId: id, kind: x.kind })))]));
      },
    };
    expect([...expandRegion(['A'], lookup)].sort()).toEqual(['A', 'B', 'C']);
    expect(asked).toContain('phone:x');
    expect(asked).not.toContain('ip:solo');
  });
});
