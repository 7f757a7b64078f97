// Housing provident fund contribution-base caps per city (approximate 2023-24 published figures, CNY/month).
// Bases outside [min, max] do not exist in real records; rates are 5-12% for employer and employee each.
export interface PfCap {
  readonly min: number;
  readonly max: number;
}

export const PF_CAPS: Readonly<Record<string, PfCap>> = {
  北京市: { min: 2420, max: 35283 },
  上海市: { min: 2690, max: 36921 },
  深圳市: { min: 2360, max: 41190 },
  广州市: { min: 2300, max: 38082 },
  杭州市: { min: 2280, max: 38390 },
  南京市: { min: 2280, max: 35600 },
  苏州市: { min: 2280, max: 36400 },
  成都市: { min: 2100, max: 26445 },
  武汉市: { min: 2010, max: 30996 },
  天津市: { min: 2180, max: 28140 },
  重庆市: { min: 2100, max: 28250 },
  西安市: { min: 2160, max: 23892 },
};
export const DEFAULT_PF_CAP: PfCap = { min: 1900, max: 25000 };

export function pfCapFor(city: string): PfCap {
  return PF_CAPS[city] ?? DEFAULT_PF_CAP;
}

export const PF_MIN_RATE = 0.05;
export const PF_MAX_RATE = 0.12;
