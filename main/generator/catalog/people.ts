// Name and address material for realistic applicants. Surname weights follow the published frequency
// ranking (the top names cover most of the population); given-name characters are common ones.

export const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'.split('');
/** Roughly the share (per mille) of each surname above, decaying after the big five. */
export const SURNAME_WEIGHTS = SURNAMES.map((_, i) => (i < 5 ? 70 - i * 3 : Math.max(2, 40 / Math.sqrt(i))));

export const MALE_CHARS = '伟强磊军洋勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林阳建国志文博文轩子豪浩然宇航晨阳一鸣思远'.split('');
export const FEMALE_CHARS = '芳娜敏静丽艳娟霞秀英慧莉婷雪琳颖倩玉萍红燕晶欣怡佳琪梦瑶雨涵诗涵子涵可馨思琪欣妍'.split('');

export const RELATIONS = ['父亲', '母亲', '配偶', '兄弟姐妹', '朋友', '同事', '子女'] as const;

export const STREET_WORDS = ['人民', '解放', '建设', '中山', '和平', '新华', '胜利', '文化', '东风', '光明', '幸福', '青年', '长江', '黄河', '科技', '创业', '工业', '学府', '滨江', '湖滨'];
export const STREET_KINDS = ['路', '大道', '街', '巷'];
export const COMPOUND_WORDS = ['阳光', '金色', '碧桂', '万科', '绿地', '保利', '华府', '御景', '翠苑', '东方', '锦绣', '香榭', '丽景', '和谐', '春天'];
export const COMPOUND_KINDS = ['花园', '小区', '家园', '公寓', '名苑', '城'];

export const COMPANY_WORDS = ['云帆', '启明', '恒信', '博远', '华瑞', '鼎盛', '新锐', '宏图', '卓越', '天成', '瑞丰', '汇通', '中科', '领航', '智联', '诚泰', '金桥', '嘉禾', '远景', '星河'];
export const COMPANY_INDUSTRIES = ['科技', '信息技术', '电子商务', '贸易', '物流', '建筑工程', '餐饮管理', '医疗器械', '教育咨询', '文化传媒', '机械制造', '新材料', '商务服务', '人力资源'];
/** Shell employers of PF fabrication cohorts: vague, service-type names. */
export const SHELL_INDUSTRIES = ['商务咨询', '企业管理咨询', '人力资源服务', '信息咨询', '劳务派遣'];

export const UNIVERSITY_NAMES = ['大学', '理工大学', '师范大学', '财经大学', '科技大学', '职业技术学院'];

/** Mainland mobile prefixes in use (China Mobile, Unicom, Telecom, Broadnet). */
export const PHONE_PREFIXES = ['130', '131', '132', '133', '134', '135', '136', '137', '138', '139', '150', '151', '152', '153', '155', '156', '157', '158', '159', '166', '172', '176', '177', '178', '180', '181', '182', '183', '184', '185', '186', '187', '188', '189', '191', '193', '195', '198', '199'];

/** Province (2-digit GB/T 2260 prefix) weights, roughly by resident population (millions). */
export const PROVINCE_POPULATION: Readonly<Record<string, number>> = {
  '11': 22, '12': 14, '13': 74, '14': 35, '15': 24, '21': 42, '22': 24, '23': 31, '31': 25, '32': 85, '33': 66,
  '34': 61, '35': 42, '36': 45, '37': 101, '41': 99, '42': 58, '43': 66, '44': 127, '45': 50, '46': 10, '50': 32,
  '51': 84, '52': 39, '53': 47, '54': 4, '61': 40, '62': 25, '63': 6, '64': 7, '65': 26,
};

export const APPEAL_STATEMENTS = [
  '本人信息真实有效，工作稳定，公积金正常缴纳，请重新审核。',
  '我是在校学生，使用学校网络申请，并无异常行为，申请复核。',
  '手机是家里人共用的，申请信息都是本人填写，请核实。',
  '本人使用密码管理器填写证件号和卡号，并非机器操作。',
  '近期换了新手机并更新了系统，登录地点变化是因为出差。',
  '本人从未涉及任何欺诈，被拒绝影响了我的正常使用，请复核。',
];
export const APPEAL_EVIDENCE = ['工资流水.pdf', '劳动合同.pdf', '在校证明.jpg', '公积金缴存证明.pdf', '身份证正反面.jpg', '户口本.jpg'];
