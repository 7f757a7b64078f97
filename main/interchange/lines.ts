// Splits a byte stream into lines without ever holding more than one line (plus one chunk):
// UTF-8 decoded line by line, a leading BOM dropped, CRLF and LF both accepted.
//
// Lines are cut at the newline byte and decoded one by one (a newline byte never occurs inside a UTF-8
// sequence): an ASCII line then becomes a one-byte string, which JSON.parse reads faster and the store
// binds faster than the two-byte string a whole decoded chunk with one Chinese character in it would be.
import { isUtf8 } from 'node:buffer';
import { StringDecoder } from 'node:string_decoder';

/**
 * The longest line accepted, in characters. No valid record comes near it (the largest field, an
 * appeal statement, is 20,000 characters); a longer line is skipped without being buffered and
 * reported with its length, so memory stays flat whatever the input.
 */
export const MAX_LINE_LENGTH = 4 * 1024 * 1024;

export type LineItem =
  | { readonly line: number; readonly text: string }
  | { readonly line: number; readonly tooLong: number }
  /** Bytes that are not UTF-8 (the spec's encoding): the line is rejected, never read with replacement characters. */
  | { readonly line: number; readonly notUtf8: true };

export class TruncatedInputError extends Error {
  constructor(readonly lastCompleteLine: number, cause: unknown) {
    super(`input ended unexpectedly after line ${lastCompleteLine}`, { cause });
  }
}

const NEWLINE = 0x0a;
const CR = 0x0d;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const EMPTY = Buffer.alloc(0);

/**
 * The line being assembled across chunks. Short ones are kept as bytes; once one has more bytes than
 * the limit has characters it may be too long, so it is decoded as it comes and, past the limit in
 * characters, only counted.
 */
class PartialLine {
  private parts: Buffer[] = [];
  private bytes = 0;
  private decoder: StringDecoder | null = null;
  private text = '';
  private skipped = -1; // characters counted once the line is known to be too long

  constructor(private readonly maxLength: number) {}

  get empty(): boolean {
    return this.bytes === 0 && this.decoder === null;
  }

  add(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (this.decoder === null) {
      this.parts.push(chunk);
      this.bytes += chunk.length;
      if (this.bytes <= this.maxLength) return;
      this.decoder = new StringDecoder('utf8');
      const held = this.parts;
      this.parts = [];
      for (const part of held) this.addText(this.decoder.write(part));
      return;
    }
    this.addText(this.decoder.write(chunk));
  }

  private addText(text: string): void {
    if (this.skipped >= 0) {
      this.skipped += text.length;
      return;
    }
    this.text += text;
    if (this.text.length > this.maxLength) {
      this.skipped = this.text.length;
      this.text = '';
    }
  }

  /** The finished line, `tail` (the bytes before its newline in the current chunk) included. */
  finish(tail: Buffer, line: number): LineItem {
    let item: LineItem;
    if (this.decoder === null && this.bytes + tail.length <= this.maxLength) {
      const whole = this.bytes === 0 ? tail : Buffer.concat([...this.parts, tail]);
      item = lineFromBytes(whole, 0, whole.length, line, this.maxLength);
    } else {
      // Too long is decided at chunk ends (add); the last piece only adds its characters.
      const decoder = this.decoder ?? new StringDecoder('utf8');
      const held = this.decoder === null ? this.parts.map((part) => decoder.write(part)).join('') : '';
      const rest = held + decoder.write(tail) + decoder.end();
      if (this.skipped >= 0) item = { line, tooLong: this.skipped + rest.length };
      else {
        const whole = this.text + rest;
        const text = whole.endsWith('\r') ? whole.slice(0, -1) : whole;
        item = text.length > this.maxLength ? { line, tooLong: text.length } : { line, text };
      }
    }
    this.parts = [];
    this.bytes = 0;
    this.decoder = null;
    this.text = '';
    this.skipped = -1;
    return item;
  }
}

function lineFromBytes(chunk: Buffer, start: number, end: number, line: number, maxLength: number): LineItem {
  const stop = end > start && chunk[end - 1] === CR ? end - 1 : end;
  const text = chunk.toString('utf8', start, stop);
  // Bad bytes decode to U+FFFD; a line that has one is checked (a real U+FFFD in the text is valid UTF-8).
  if (text.includes('\uFFFD') && !isUtf8(chunk.subarray(start, stop))) return { line, notUtf8: true };
  return text.length > maxLength ? { line, tooLong: text.length } : { line, text };
}

/** Yields lines in batches (one batch per chunk) so the consumer pays one await per chunk, not per line. */
export async function* splitLines(chunks: AsyncIterable<Buffer>, maxLength = MAX_LINE_LENGTH): AsyncGenerator<LineItem[]> {
  const partial = new PartialLine(maxLength);
  let lineNo = 0;
  // The first bytes, until it is known whether they are a byte order mark.
  let head: Buffer | null = EMPTY;
  const iterator = chunks[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<Buffer>;
    try {
      next = await iterator.next();
    } catch (error) {
      // A broken stream (truncated gzip): the unterminated tail is not a record; drop it.
      throw new TruncatedInputError(lineNo, error);
    }
    if (next.done === true) break;
    let chunk = next.value;
    if (head !== null) {
      head = head.length === 0 ? chunk : Buffer.concat([head, chunk]);
      if (head.length < BOM.length && BOM.subarray(0, head.length).equals(head)) continue;
      chunk = head.subarray(0, BOM.length).equals(BOM) ? head.subarray(BOM.length) : head;
      head = null;
    }
    const batch: LineItem[] = [];
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(NEWLINE, start);
      if (nl === -1) break;
      lineNo += 1;
      batch.push(partial.empty ? lineFromBytes(chunk, start, nl, lineNo, maxLength) : partial.finish(chunk.subarray(start, nl), lineNo));
      start = nl + 1;
    }
    // Copied: a view would keep the whole read buffer alive for the sake of a line's first bytes.
    if (start < chunk.length) partial.add(Buffer.from(chunk.subarray(start)));
    if (batch.length > 0) yield batch;
  }
  if (head !== null && head.length > 0) partial.add(head);
  if (!partial.empty) yield [partial.finish(EMPTY, lineNo + 1)];
}
