// Issuer identification numbers (BINs) of the large Chinese card issuers, from their published UnionPay,
// Visa and Mastercard ranges. No maintained npm package ships this list, so it is kept here by hand:
// a BIN outside it is reported as a low-weight finding, never treated as proof of anything.

export interface CardIssuer {
  /** Short code used in lender exports (ICBC, CCB...). */
  readonly code: string;
  readonly name: string;
  /** Other spellings an exporter may put in `bank_card.bank`. */
  readonly aliases: readonly string[];
  readonly bins: readonly { readonly bin: string; readonly length: number; readonly kind: 'debit' | 'credit' }[];
}

const debit = (length: number, ...bins: string[]) => bins.map((bin) => ({ bin, length, kind: 'debit' as const }));
const credit = (length: number, ...bins: string[]) => bins.map((bin) => ({ bin, length, kind: 'credit' as const }));

export const CARD_ISSUERS: readonly CardIssuer[] = [
  { code: 'ICBC', name: '中国工商银行', aliases: ['工商银行', '工行', 'ICBC'], bins: [...debit(19, '622202', '621226', '622208', '621558', '621559', '622203'), ...credit(16, '625330', '427020', '438125')] },
  { code: 'CCB', name: '中国建设银行', aliases: ['建设银行', '建行', 'CCB'], bins: [...debit(19, '621700', '622700', '621284', '623668', '621081'), ...credit(16, '436742', '622280', '552245')] },
  { code: 'ABC', name: '中国农业银行', aliases: ['农业银行', '农行', 'ABC'], bins: [...debit(19, '622848', '622845', '622846', '622849', '622841', '623052'), ...credit(16, '622836', '403361')] },
  { code: 'BOC', name: '中国银行', aliases: ['中行', 'BOC'], bins: [...debit(19, '621661', '621660', '621663', '621785', '621786', '621787', '621788', '621790', '601382', '621756'), ...credit(16, '456351', '625907')] },
  { code: 'BOCOM', name: '交通银行', aliases: ['交行', 'BOCOM', 'BCM'], bins: [...debit(19, '622260', '622262'), ...debit(17, '601428'), ...credit(16, '405512', '521899', '622252')] },
  { code: 'CMB', name: '招商银行', aliases: ['招行', 'CMB'], bins: [...debit(16, '622588', '621483', '621485', '621486', '622580'), ...credit(16, '622575', '622576', '410062', '468203', '512425', '524011')] },
  { code: 'PSBC', name: '中国邮政储蓄银行', aliases: ['邮储银行', '邮政储蓄银行', 'PSBC'], bins: [...debit(19, '621799', '621096', '622188', '622150', '622151', '623218'), ...credit(16, '625919', '628310')] },
  { code: 'CMBC', name: '中国民生银行', aliases: ['民生银行', 'CMBC'], bins: [...debit(16, '622622', '622600', '621691'), ...credit(16, '415599', '421393')] },
  { code: 'CIB', name: '兴业银行', aliases: ['CIB'], bins: [...debit(18, '622909', '622908', '966666'), ...credit(16, '438588', '625087')] },
  { code: 'SPDB', name: '上海浦东发展银行', aliases: ['浦发银行', 'SPDB'], bins: [...debit(16, '622521', '622522', '622523', '621792', '622516', '622518'), ...credit(16, '456418', '625957')] },
  { code: 'CITIC', name: '中信银行', aliases: ['CITIC', 'ECITIC'], bins: [...debit(16, '622690', '622691', '622692', '622696', '622698', '621771'), ...credit(16, '433670', '622766')] },
  { code: 'CEB', name: '中国光大银行', aliases: ['光大银行', 'CEB'], bins: [...debit(16, '622660', '622661', '622662', '622663', '622666', '622668'), ...credit(16, '625978', '622655')] },
  { code: 'PAB', name: '平安银行', aliases: ['PAB', 'PINGAN'], bins: [...debit(19, '622155', '622156', '622157', '621626', '623058', '622298'), ...credit(16, '625360', '628262')] },
  { code: 'HXB', name: '华夏银行', aliases: ['HXB'], bins: [...debit(16, '622630', '622631', '622632', '622633'), ...credit(16, '523959', '528709')] },
  { code: 'GDB', name: '广发银行', aliases: ['广发', 'CGB', 'GDB'], bins: [...debit(19, '622568', '621462'), ...credit(16, '625809', '628259')] },
];

const byBin = new Map<string, { issuer: CardIssuer; length: number; kind: 'debit' | 'credit' }>();
for (const issuer of CARD_ISSUERS) for (const entry of issuer.bins) byBin.set(entry.bin, { issuer, length: entry.length, kind: entry.kind });

/** The issuer of a 6-8 digit BIN (matched on its first six digits), or null. */
export function issuerOfBin(bin: string): { issuer: CardIssuer; length: number; kind: 'debit' | 'credit' } | null {
  return byBin.get(bin.slice(0, 6)) ?? null;
}

export function bankNameMatchesIssuer(bank: string, issuer: CardIssuer): boolean {
  const normalized = bank.trim().toUpperCase();
  if (normalized === issuer.name || normalized === issuer.code) return true;
  return issuer.aliases.some((alias) => alias.toUpperCase() === normalized) || normalized.includes(issuer.name) || issuer.name.includes(bank.trim());
}

/** Luhn (mod 10) over a digit string. */
export function passesLuhn(digits: string): boolean {
  if (!/^\d{12,19}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** The digit that completes `partial` to a Luhn-valid number. */
export function luhnCheckDigit(partial: string): string {
  for (let d = 0; d <= 9; d++) if (passesLuhn(partial + String(d))) return String(d);
  return '0';
}
