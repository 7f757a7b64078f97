// The employer a PF record names, as cohorts count it when the export carries no social credit code:
// the same company is written 有限公司 by one PF centre and 有限责任公司 by another.

const COMPANY_NOISE = /(股份有限公司|有限责任公司|有限公司|集团|分公司|公司|科技|信息技术|技术|[（）()\s·.,，、-])/g;

/** Employer names compared without legal-form suffixes and punctuation. */
export function normaliseEmployer(name: string): string {
  return name.replace(COMPANY_NOISE, '').toLowerCase();
}
