// What an investigator reads beside the score: each check that found something, in plain tokens
// (flag or check name plus the numbers it rests on, `name=value`), grouped by family. Independent of the
// rule set. No prose: the screens name each check in the reader's language and quote the tokens as data.
import { earliestPf, pfStartAge, type ApplicationContext } from './features.js';

export type FindingFamily = 'device' | 'network' | 'behaviour' | 'identity' | 'pf' | 'ring' | 'account';

export interface Finding {
  readonly family: FindingFamily;
  readonly check: string;
  readonly detail: string;
}

const NETWORK_FLAGS = new Set(['proxy', 'datacenter_ip', 'geo_mismatch', 'campus_ip', 'foreign_ip', 'mock_location']);

export function applicationFindings(ctx: ApplicationContext): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  const add = (family: FindingFamily, check: string, detail: string): void => {
    const key = `${family}|${check}|${detail}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ family, check, detail });
  };
  for (const o of ctx.observations) {
    for (const e of o.evidence) add(NETWORK_FLAGS.has(e.flag) ? 'network' : 'device', e.flag, e.detail);
  }
  for (const d of ctx.devices) {
    if (d.unrelatedApplicants > 0) add('device', 'shared_device', `${d.deviceId}: unrelated_applicants=${d.unrelatedApplicants} other_applicants_30d=${d.otherApplicants30d}`);
    if (d.hardwareIdResets > 0) add('device', 'hardware_id_resets', `${d.deviceId}: resets=${d.hardwareIdResets}`);
  }
  for (const { features: s, assessment: a } of ctx.sessions) {
    if (a.bot) add('behaviour', 'bot_like', `${s.sessionId}: ${a.botSignals.join('; ')}`);
    if (a.coached) add('behaviour', 'coached', `${s.sessionId}: ${a.coachedSignals.join('; ')}`);
    if (a.smsInstant) add('behaviour', 'sms_instant', `${s.sessionId}: latency_ms=${Math.round(s.smsLatencyMs ?? 0)}`);
    if (s.faceLivenessFailed) add('behaviour', 'face_liveness_failed', `${s.sessionId}: score=${s.faceScore ?? '?'}`);
  }
  if (ctx.nightBurstPeers > 0) add('behaviour', 'night_burst', `peers=${ctx.nightBurstPeers} window=2h`);
  if (ctx.identity !== null) for (const f of ctx.identity.findings) add('identity', f.split(' ')[0] ?? f, f);
  const startAge = pfStartAge(ctx.identity, earliestPf(ctx.pf));
  if (startAge?.underage === true) add('identity', 'age_vs_pf', `first_month=${startAge.firstMonth} age=${startAge.age}`);
  if (ctx.phoneSharedWith > 0) add('identity', 'phone_shared', `other_applicants=${ctx.phoneSharedWith}`);
  for (const pf of ctx.pf) for (const f of pf.findings) add('pf', f.split(/[ =]/)[0] ?? f, `${pf.pfRecordId}: ${f}`);
  if (ctx.cohort?.suspicious === true) add('pf', 'employer_cohort', `cohort=${ctx.cohort.cohortSize} employer_applicants=${ctx.cohort.employerSize} first_month=${ctx.cohort.firstMonth}`);
  if (ctx.ring !== null) add('ring', 'ring_member', `${ctx.ring.ringId}: size=${ctx.ring.size} base_score=${ctx.ring.baseScore}${ctx.ring.confirmedOther ? ' confirmed_fraud_member' : ''}`);
  // No exact count: it moves with every applicant who joins the hub, and the finding should not.
  for (const hub of ctx.hubs ?? []) add('ring', 'hub_down_weighted', `kind=${hub.kind}`);
  if (ctx.ipCrowd > 0) add('network', ctx.ipCampus ? 'shared_ip_campus' : 'shared_ip', `other_applicants=${ctx.ipCrowd} window=30min`);
  return out;
}
