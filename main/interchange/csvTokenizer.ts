// RFC 4180 tokenizer over a byte stream: quoted fields may hold commas, quotes ("") and line breaks,
// so a record's line number is the line it starts on. Holds one record at most (MAX_LINE_LENGTH).
import { StringDecoder } from 'node:string_decoder';
import { MAX_LINE_LENGTH, TruncatedInputError } from './lines.js';

const REPLACEMENT = '\uFFFD';

/** How many replacement characters a decoded text holds, or its bytes spell out as such (as UTF-8). */
function replacements(within: string | Buffer): number {
  const step = typeof within === 'string' ? REPLACEMENT.length : Buffer.byteLength(REPLACEMENT);
  let n = 0;
  for (let at = within.indexOf(REPLACEMENT); at !== -1; at = within.indexOf(REPLACEMENT, at + step)) n += 1;
  return n;
}

export type CsvItem =
  | { readonly line: number; readonly fields: string[] }
  | { readonly line: number; readonly tooLong: number }
  | { readonly line: number; readonly unterminated: true }
  /** Bytes that are not UTF-8 in the record: rejected, never read with replacement characters. */
  | { readonly line: number; readonly notUtf8: true };

const enum State {
  FieldStart,
  Unquoted,
  Quoted,
  QuoteInQuoted,
}

export async function* tokenizeCsv(chunks: AsyncIterable<Buffer>, maxLength = MAX_LINE_LENGTH): AsyncGenerator<CsvItem[]> {
  const decoder = new StringDecoder('utf8');
  let state = State.FieldStart;
  let fields: string[] = [];
  let field = '';
  let recordLength = 0;
  let tooLong = false;
  // The decoder turns bytes that are not UTF-8 into U+FFFD: in a chunk that has more of those than it
  // spells out, a record holding one is not UTF-8 (one with a real U+FFFD in that chunk is refused too).
  let badBytes = false;
  let notUtf8 = false;
  let lineNo = 1;
  let recordLine = 1;
  let first = true;

  const endRecord = (batch: CsvItem[]): void => {
    if (tooLong) batch.push({ line: recordLine, tooLong: recordLength });
    else if (notUtf8) batch.push({ line: recordLine, notUtf8: true });
    else {
      fields.push(field);
      // A blank line is no record.
      if (!(fields.length === 1 && fields[0] === '')) batch.push({ line: recordLine, fields });
    }
    fields = [];
    field = '';
    recordLength = 0;
    tooLong = false;
    notUtf8 = false;
    state = State.FieldStart;
  };
  const append = (ch: string): void => {
    recordLength += 1;
    if (badBytes && ch === REPLACEMENT) notUtf8 = true;
    if (tooLong) return;
    if (recordLength > maxLength) {
      tooLong = true;
      fields = [];
      field = '';
      return;
    }
    field += ch;
  };
  const endField = (): void => {
    if (!tooLong) fields.push(field);
    field = '';
    recordLength += 1;
    state = State.FieldStart;
  };

  const iterator = chunks[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<Buffer>;
    try {
      next = await iterator.next();
    } catch (error) {
      throw new TruncatedInputError(recordLine - 1, error);
    }
    if (next.done === true) break;
    let text = decoder.write(next.value);
    badBytes = text.includes(REPLACEMENT) && replacements(text) > replacements(next.value);
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    const batch: CsvItem[] = [];
    for (let i = 0; i < text.length; i++) {
      const ch = text[i] as string;
      switch (state) {
        case State.FieldStart:
        case State.Unquoted:
          if (ch === ',') endField();
          else if (ch === '\n') {
            endRecord(batch);
            lineNo += 1;
            recordLine = lineNo;
          } else if (ch === '\r') {
            // CRLF line ends: a bare CR outside quotes carries no data.
          } else if (ch === '"' && state === State.FieldStart) state = State.Quoted;
          else {
            append(ch);
            state = State.Unquoted;
          }
          break;
        case State.Quoted:
          if (ch === '"') state = State.QuoteInQuoted;
          else {
            if (ch === '\n') lineNo += 1;
            append(ch);
          }
          break;
        case State.QuoteInQuoted:
          if (ch === '"') {
            append('"');
            state = State.Quoted;
          } else if (ch === ',') endField();
          else if (ch === '\n') {
            endRecord(batch);
            lineNo += 1;
            recordLine = lineNo;
          } else if (ch !== '\r') {
            // Text after a closing quote: not RFC 4180, kept rather than lost.
            append(ch);
            state = State.Unquoted;
          }
          break;
      }
    }
    if (batch.length > 0) yield batch;
  }
  // What end() decodes is an incomplete sequence at the end of the file: never a real character.
  const rest = decoder.end();
  badBytes = rest.includes(REPLACEMENT);
  for (const ch of rest) append(ch);
  const batch: CsvItem[] = [];
  if (state === State.Quoted) batch.push({ line: recordLine, unterminated: true });
  else if (tooLong || fields.length > 0 || field.length > 0) endRecord(batch);
  if (batch.length > 0) yield batch;
}
