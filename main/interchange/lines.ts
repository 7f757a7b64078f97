// Splits a byte stream into lines without ever holding more than one line (plus one chunk):
// UTF-8 decoded across chunk boundaries, a leading BOM dropped, CRLF and LF both accepted.
import { StringDecoder } from 'node:string_decoder';

/**
 * The longest line accepted, in characters. No valid record comes near it (the largest field, an
 * appeal statement, is 20,000 characters); a longer line is skipped without being buffered and
 * reported with its length, so memory stays flat whatever the input.
 */
export const MAX_LINE_LENGTH = 4 * 1024 * 1024;

export type LineItem = { readonly line: number; readonly text: string } | { readonly line: number; readonly tooLong: number };

export class TruncatedInputError extends Error {
  constructor(readonly lastCompleteLine: number, cause: unknown) {
    super(`input ended unexpectedly after line ${lastCompleteLine}`, { cause });
  }
}

/** Yields lines in batches (one batch per decoded chunk) so the consumer pays one await per chunk, not per line. */
export async function* splitLines(chunks: AsyncIterable<Buffer>, maxLength = MAX_LINE_LENGTH): AsyncGenerator<LineItem[]> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let lineNo = 0;
  let skipping = false;
  let skippedLength = 0;
  let first = true;
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
    let text = decoder.write(next.value);
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    const batch: LineItem[] = [];
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl === -1) break;
      lineNo += 1;
      if (skipping) {
        batch.push({ line: lineNo, tooLong: skippedLength + nl - start });
        skipping = false;
        skippedLength = 0;
      } else {
        let line = start === 0 && pending.length > 0 ? pending + text.slice(0, nl) : text.slice(start, nl);
        if (start === 0) pending = '';
        if (line.endsWith('\r')) line = line.slice(0, -1);
        if (line.length > maxLength) batch.push({ line: lineNo, tooLong: line.length });
        else batch.push({ line: lineNo, text: line });
      }
      start = nl + 1;
    }
    if (skipping) skippedLength += text.length - start;
    else {
      pending = start === 0 ? pending + text : text.slice(start);
      if (pending.length > maxLength) {
        skipping = true;
        skippedLength = pending.length;
        pending = '';
      }
    }
    if (batch.length > 0) yield batch;
  }
  const tail = pending + decoder.end();
  if (skipping) yield [{ line: lineNo + 1, tooLong: skippedLength + tail.length }];
  else if (tail.length > 0) {
    const line = tail.endsWith('\r') ? tail.slice(0, -1) : tail;
    yield [line.length > maxLength ? { line: lineNo + 1, tooLong: line.length } : { line: lineNo + 1, text: line }];
  }
}
