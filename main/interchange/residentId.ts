// 18-character resident ID numbers (GB 11643-1999): region(6) birth date(8) sequence(3) check(1).
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

/** ISO 7064 MOD 11-2 check character for the first 17 digits. */
export function residentIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARS[sum % 11] ?? '?';
}

export function hasValidResidentIdChecksum(idNumber: string): boolean {
  if (!/^\d{17}[\dXx]$/.test(idNumber)) return false;
  return residentIdCheckChar(idNumber.slice(0, 17)) === idNumber[17]?.toUpperCase();
}

/** `YYYY-MM-DD` when digits 7-14 are a real date, else null. */
export function residentIdBirthDate(idNumber: string): string | null {
  const y = Number(idNumber.slice(6, 10));
  const m = Number(idNumber.slice(10, 12));
  const d = Number(idNumber.slice(12, 14));
  if (!Number.isInteger(y) || !Number.isInteger(m) || !Number.isInteger(d) || y < 1850 || m < 1 || m > 12 || d < 1) return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`;
}

/** Whole years between a `YYYY-MM-DD` birth date and an instant, in China's calendar (UTC+8). */
export function ageAt(birthDate: string, atMs: number): number {
  const at = new Date(atMs + 8 * 3_600_000);
  const y = Number(birthDate.slice(0, 4));
  const m = Number(birthDate.slice(5, 7));
  const d = Number(birthDate.slice(8, 10));
  let age = at.getUTCFullYear() - y;
  if (at.getUTCMonth() + 1 < m || (at.getUTCMonth() + 1 === m && at.getUTCDate() < d)) age -= 1;
  return age;
}

export function maskIdNumber(idNumber: string): string {
  return idNumber.length === 18 ? `${idNumber.slice(0, 6)}********${idNumber.slice(14)}` : '******';
}

export const MIN_APPLICANT_AGE = 16;
export const MAX_APPLICANT_AGE = 100;
