// A rejected line's reason in the reader's language. The import words its reasons in English, as the
// command line and the rejection report print them (spec/cli.md): `type.field: what is wrong`. The window
// shows them in zh-CN too, from the same finite grammar (validate.ts, messages.ts, read.ts, csvRecords.ts,
// the import service): field paths, values, types and numbers stay as they are, being data.
import type { Language } from '../i18n/index.js';

/** A value as describeValue words it: `nothing`, `null`, `an array`, `an object`, `"text"`, `number 5`... */
function value(text: string): string {
  if (text === 'nothing') return '空';
  if (text === 'null') return 'null';
  if (text === 'an array') return '数组';
  if (text === 'an object') return '对象';
  const string = /^a string (".*")$/s.exec(text);
  if (string !== null) return `字符串${string[1] ?? ''}`;
  const scalar = /^(number|boolean|bigint) (.+)$/s.exec(text);
  if (scalar !== null) return `${scalar[1] === 'boolean' ? '布尔值' : '数字'}${scalar[2] ?? ''}`;
  return text;
}

/** What a field should be, as zod and the schema say it: a JSON type, quoted literals, or a format. */
const EXPECTED: Readonly<Record<string, string>> = {
  string: '字符串',
  number: '数字',
  boolean: '布尔值',
  object: '对象',
  array: '数组',
  int: '整数',
  'an ISO 8601 timestamp with offset': '带时区偏移的 ISO 8601 时间',
  'an 18-character resident ID number': '18位身份证号',
  'a sha256 hex digest': 'sha256 十六进制摘要',
  'a 6-8 digit BIN': '6-8位卡 BIN',
  'YYYY-MM': 'YYYY-MM 格式的月份',
  'a JSON object': 'JSON 对象',
};

function expected(text: string): string {
  return EXPECTED[text] ?? text.split(' or ').map((part) => EXPECTED[part] ?? part).join('或');
}

type Rule = readonly [RegExp, (m: RegExpExecArray) => string];

const g = (m: RegExpExecArray, i: number): string => m[i] ?? '';

/** Each English reason the import words, and its Chinese. Anchored: a reason matches whole or not at all. */
const REASONS: readonly Rule[] = [
  [/^is required$/, () => '缺少此必填字段'],
  [/^must not be empty$/, () => '不能为空'],
  [/^expected "(.+)" in this file$/, (m) => `此文件中应为"${g(m, 1)}"`],
  [/^expected (.+?), got (.+)$/s, (m) => `应为${expected(g(m, 1))}，实为${value(g(m, 2))}`],
  [/^expected (.+)$/s, (m) => `应为${expected(g(m, 1))}`],
  [/^has more than (\d+) items$/, (m) => `超过 ${g(m, 1)} 项`],
  [/^has fewer than (\d+) items$/, (m) => `少于 ${g(m, 1)} 项`],
  [/^longer than (\d+) characters$/, (m) => `超过 ${g(m, 1)} 个字符`],
  [/^must be at most (.+), got (.+)$/s, (m) => `不得大于 ${g(m, 1)}，实为${value(g(m, 2))}`],
  [/^must be at least (.+), got (.+)$/s, (m) => `不得小于 ${g(m, 1)}，实为${value(g(m, 2))}`],
  [/^does not match any allowed form \(got (.+)\)$/s, (m) => `不符合任何允许的形式（实为${value(g(m, 1))}）`],
  [/^is not a valid (.+)$/, (m) => `不是有效的 ${g(m, 1)}`],
  [/^unknown type (.+); expected one of (.+)$/s, (m) => `未知的记录类型${value(g(m, 1))}；应为以下之一：${g(m, 2)}`],
  [/^not valid JSON \((.*)\)$/s, (m) => `不是有效的 JSON（${g(m, 1)}）`],
  [/^not valid UTF-8 \(the file must be UTF-8 encoded\)$/, () => '不是有效的 UTF-8（文件须为 UTF-8 编码）'],
  [/^line is (\d+) characters long, over the (\d+)-character limit; skipped$/, (m) => `该行长 ${g(m, 1)} 个字符，超过 ${g(m, 2)} 个字符的上限，已跳过`],
  [/^a quoted field is never closed before the end of the file$/, () => '带引号的字段直到文件末尾仍未闭合'],
  [/^has (\d+) fields, the header has (\d+)$/, (m) => `有 ${g(m, 1)} 个字段，表头有 ${g(m, 2)} 个`],
  [/^the cell is not valid JSON$/, () => '单元格不是有效的 JSON'],
  [/^refers to unknown (\w+) (".*")$/s, (m) => `引用了不存在的 ${g(m, 1)} ${g(m, 2)}`],
  [/^the file ends unexpectedly after line (\d+) \((.*)\): it is truncated or corrupt; the records before it were read$/s, (m) => `文件在第 ${g(m, 1)} 行之后意外结束（${g(m, 2)}）：文件被截断或已损坏；此前的记录已读入`],
  [/^cannot tell which record type this CSV file holds; name it <type>\.csv \(e\.g\. applicant\.csv\) or pass --type$/, () => '无法判断此 CSV 文件的记录类型；请将文件命名为 <记录类型>.csv（如 applicant.csv）'],
  [/^the header row is too long$/, () => '表头行过长'],
  [/^the header row is not valid UTF-8 \(the file must be UTF-8 encoded\)$/, () => '表头行不是有效的 UTF-8（文件须为 UTF-8 编码）'],
  [/^the header has an empty column name$/, () => '表头有空列名'],
  [/^the header names column (".*") twice$/, (m) => `表头中列名 ${g(m, 1)} 出现两次`],
];

/** A field path (`applicant.emergency_contacts[0].phone`) or `record`: what the reason is about. */
const WHERE = /^(record(?:\.type)?|[a-z_]+(?:\.[a-z_0-9]+|\[\d+\])*): (.*)$/s;

function reason(text: string): string | null {
  for (const [pattern, words] of REASONS) {
    const m = pattern.exec(text);
    if (m !== null) return words(m);
  }
  return null;
}

/** The reason of a rejected line in `language`; a reason not in the grammar stays as the import wrote it. */
export function localiseRejection(language: Language, message: string): string {
  if (language === 'en') return message;
  const where = WHERE.exec(message);
  if (where !== null) {
    const words = reason(g(where, 2));
    if (words !== null) return `${g(where, 1) === 'record' ? '记录' : g(where, 1)}：${words}`;
  }
  return reason(message) ?? message;
}
