// The reason-code catalogue: every code a score, a rule or a finding may carry, with its titles.
// Codes are stable (exports, appeals and overturn statistics key on them); titles may be reworded.

export type ReasonFamily = 'device' | 'network' | 'behaviour' | 'identity' | 'pf' | 'ring' | 'account' | 'bureau';

export interface ReasonInfo {
  readonly family: ReasonFamily;
  readonly en: string;
  readonly 'zh-CN': string;
}

export const REASONS = {
  DEVICE_SHARED_APPLICANTS: { family: 'device', en: 'Device used by many unrelated applicants', 'zh-CN': '同一设备关联多名无关申请人' },
  DEVICE_EMULATOR: { family: 'device', en: 'Emulator or virtual device', 'zh-CN': '模拟器或虚拟设备' },
  DEVICE_TAMPERED: { family: 'device', en: 'Rooted, jailbroken or hooked device', 'zh-CN': '设备已root、越狱或被注入hook' },
  DEVICE_AUTOMATION: { family: 'device', en: 'Browser automation (webdriver, headless)', 'zh-CN': '自动化脚本环境（webdriver、无头浏览器）' },
  DEVICE_INCONSISTENT: { family: 'device', en: 'Spoofed or inconsistent fingerprint', 'zh-CN': '设备指纹伪造或前后矛盾' },
  DEVICE_GEO_MISMATCH: { family: 'device', en: 'Time zone or language disagrees with the IP region', 'zh-CN': '时区或语言与IP归属地不符' },
  NETWORK_PROXY: { family: 'network', en: 'Proxy, VPN or data-centre IP', 'zh-CN': '代理、VPN或机房IP' },
  NETWORK_SHARED_IP: { family: 'network', en: 'Many applicants from one IP within a short window', 'zh-CN': '短时间内同一IP多名申请人' },
  BEHAVIOUR_BOT_FILL: { family: 'behaviour', en: 'Form filled by a script (machine-like typing)', 'zh-CN': '脚本填表（机器式输入）' },
  BEHAVIOUR_COACHED: { family: 'behaviour', en: 'Coached form-filling (identity data pasted, hesitant flow)', 'zh-CN': '疑似被指导填表（身份信息粘贴、流程犹豫）' },
  BEHAVIOUR_PASTED_IDENTITY: { family: 'behaviour', en: 'Identity or card numbers pasted rather than typed', 'zh-CN': '身份证号或银行卡号为粘贴输入' },
  BEHAVIOUR_SMS_INSTANT: { family: 'behaviour', en: 'SMS code entered seconds after sending', 'zh-CN': '短信验证码发送后数秒即填入' },
  BEHAVIOUR_NIGHT_BURST: { family: 'behaviour', en: 'Night-time burst of activations from linked devices', 'zh-CN': '夜间关联设备集中激活' },
  ID_CHECKSUM_INVALID: { family: 'identity', en: 'Resident ID check digit is wrong', 'zh-CN': '身份证号校验位错误' },
  ID_REGION_INVALID: { family: 'identity', en: 'Resident ID region code does not exist', 'zh-CN': '身份证号地区码不存在' },
  ID_AGE_IMPLAUSIBLE: { family: 'identity', en: 'Age from the resident ID is implausible', 'zh-CN': '身份证号显示的年龄不合理' },
  FACE_CHECK_FAILED: { family: 'identity', en: 'Face check failed liveness or scored low', 'zh-CN': '人脸核验未通过活体检测或得分偏低' },
  CARD_HOLDER_MISMATCH: { family: 'identity', en: 'Bank card holder name does not match', 'zh-CN': '银行卡持卡人姓名不符' },
  CARD_PHONE_MISMATCH: { family: 'identity', en: "Bank card's reserved phone is not the applicant's", 'zh-CN': '银行卡预留手机号不是申请人本人号码' },
  PHONE_SHARED: { family: 'identity', en: 'Phone number used by other applicants', 'zh-CN': '手机号被其他申请人使用' },
  PF_RECENT_START: { family: 'pf', en: 'Provident fund contributions started just before applying', 'zh-CN': '公积金在申请前不久才开始缴存' },
  PF_GAPS: { family: 'pf', en: 'Gaps in provident fund contributions', 'zh-CN': '公积金缴存存在断缴' },
  PF_BASE_ABOVE_INCOME: { family: 'pf', en: 'Contribution base far above declared income', 'zh-CN': '缴存基数远高于申报收入' },
  PF_BASE_SUSPICIOUS: { family: 'pf', en: 'Contribution base at the city cap or a round number', 'zh-CN': '缴存基数为城市上限或整数' },
  PF_EMPLOYER_MISMATCH: { family: 'pf', en: 'Provident fund employer differs from the declared employer', 'zh-CN': '公积金缴存单位与申报单位不符' },
  PF_EMPLOYER_COHORT: { family: 'pf', en: 'Cohort of one small employer started contributing together', 'zh-CN': '同一小型单位多人同期开始缴存' },
  RING_MEMBER: { family: 'ring', en: 'Member of a linked group of applicants', 'zh-CN': '属于关联申请人团伙' },
  RING_CONFIRMED_FRAUD: { family: 'ring', en: 'Linked to a confirmed fraud case', 'zh-CN': '关联已确认的欺诈案件' },
  ACCOUNT_NEW: { family: 'account', en: 'Account registered shortly before activation', 'zh-CN': '账户注册后不久即激活' },
  ACCOUNT_TAKEOVER: { family: 'account', en: 'Established account activated from a new device, city and card', 'zh-CN': '老账户在新设备、新城市、新银行卡上激活' },
  BUREAU_ADVERSE: { family: 'bureau', en: 'Credit bureau record: overdue debt or many recent inquiries', 'zh-CN': '征信记录：逾期或近期查询次数多' },
} as const satisfies Record<string, ReasonInfo>;

export type ReasonCode = keyof typeof REASONS;
export const REASON_CODES = Object.keys(REASONS) as ReasonCode[];

export function isReasonCode(value: unknown): value is ReasonCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(REASONS, value);
}

export function reasonTitle(code: ReasonCode, language: 'en' | 'zh-CN'): string {
  return REASONS[code][language];
}

/** Score bands, riskiest last: the renderer colours them, exports write them. */
export const SCORE_BANDS = ['low', 'medium', 'high', 'critical'] as const;
export type ScoreBand = (typeof SCORE_BANDS)[number];
