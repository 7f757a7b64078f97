import { Readable } from 'node:stream';
import { serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { splitLines, type LineItem } from '../../main/interchange/lines.js';

async function lines(bytes: Buffer, chunkSize: number, max?: number): Promise<LineItem[]> {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += chunkSize) chunks.push(bytes.subarray(at, at + chunkSize));
  const out: LineItem[] = [];
  for await (const batch of splitLines(Readable.from(chunks) as AsyncIterable<Buffer>, max)) out.push(...batch);
  return out;
}

/** What splitting the whole decoded text at once gives: the reference for any chunking of valid UTF-8. */
function reference(text: string, max = Number.POSITIVE_INFINITY): LineItem[] {
  const body = text.startsWith('\ufeff') ? text.slice(1) : text;
  const parts = body.split('\n');
  if (parts.at(-1) === '') parts.pop();
  return parts.map((part, i) => {
    const line = part.endsWith('\r') ? part.slice(0, -1) : part;
    return line.length > max ? { line: i + 1, tooLong: line.length } : { line: i + 1, text: line };
  });
}

const SAMPLES = [
  '{"type":"applicant","id":"A1","name":"张伟"}\n{"id":"E1"}\n',
  '\ufeff{"a":1}\r\n{"b":"😀 emoji"}\r\n\r\n{"c":"汉字"}',
  '\ufeff',
  'no newline at all',
  '\n\n\n',
  '混合 mixed\r\r\n\rX',
  `${'汉'.repeat(40)}\n${'x'.repeat(39)}\r\n😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀\n`,
];

describe('splitting a byte stream into lines', () => {
  it('gives the same lines however the bytes are chunked: BOM, CRLF, characters split across chunks', async () => {
    for (const sample of SAMPLES) {
      const bytes = Buffer.from(sample);
      for (const size of [1, 2, 3, 4, 5, 7, 64 * 1024]) expect([sample, size, await lines(bytes, size)]).toEqual([sample, size, reference(sample)]);
    }
  });

  it('reports a line over the limit by its length in characters, whatever the chunking', async () => {
    const sample = `short\n${'汉'.repeat(50)}\n${'x'.repeat(31)}\nend`;
    for (const size of [1, 3, 8, 64 * 1024]) expect(await lines(Buffer.from(sample), size, 30)).toEqual(reference(sample, 30));
  });

  it('decodes an ASCII line to a one-byte string even when its chunk holds Chinese', async () => {
    const [ascii, chinese] = await lines(Buffer.from('{"kind":"login"}\n{"name":"张伟"}\n'), 64 * 1024);
    // V8's serializer tags a one-byte string '"' (0x22) and a two-byte one 'c' (0x63), after its 2-byte header.
    const tag = (item: LineItem | undefined): number | undefined => serialize((item as { text: string }).text)[2];
    expect(tag(ascii)).toBe(0x22);
    expect(tag(chinese)).toBe(0x63);
  });

  it('marks a line that is not UTF-8 (to be rejected, not read with U+FFFD) and still counts the lines', async () => {
    const bytes = Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xe4, 0xb8]), Buffer.from('"}\n{"b":1}\n{"c":"\ufffd"}\n')]);
    for (const size of [1, 2, 64 * 1024]) expect(await lines(bytes, size)).toEqual([{ line: 1, notUtf8: true }, { line: 2, text: '{"b":1}' }, { line: 3, text: '{"c":"\ufffd"}' }]);
  });
});
