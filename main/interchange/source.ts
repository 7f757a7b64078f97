// Where interchange bytes come from: a file on disk (CLI, Electron) or bytes handed over by the
// browser host's file input. Gzip is recognised by its magic bytes, whatever the name says.
import { createReadStream, openSync, readSync, closeSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/**
 * Bytes read (or inflated) at a time. Kept under V8's large-object size (128 KiB, and a decoded chunk
 * can take two bytes per character): larger chunks land in old space and cost a full collection each.
 */
export const READ_CHUNK_BYTES = 64 * 1024;

export interface ImportSource {
  /** The name used in messages (`file:line: ...`): the file's base name. */
  readonly name: string;
  /** Compressed size in bytes, for progress. */
  readonly size: number;
  /** The file on disk, when there is one. */
  readonly path?: string;
  /** First bytes, to sniff gzip. */
  head(): Buffer;
  open(): Readable;
}

export function fileSource(path: string, name = basename(path)): ImportSource {
  const stat = statSync(path);
  // A folder opens for reading on Linux and fails only at the first read, after the import has begun.
  if (!stat.isFile()) throw Object.assign(new Error(`${path} is not a file`), { code: stat.isDirectory() ? 'EISDIR' : 'EINVAL' });
  return {
    name,
    size: stat.size,
    path,
    head() {
      const fd = openSync(path, 'r');
      try {
        const buffer = Buffer.alloc(4);
        const n = readSync(fd, buffer, 0, 4, 0);
        return buffer.subarray(0, n);
      } finally {
        closeSync(fd);
      }
    },
    open: () => createReadStream(path, { highWaterMark: 256 * 1024 }),
  };
}

export function memorySource(name: string, bytes: Buffer): ImportSource {
  return {
    name: basename(name),
    size: bytes.length,
    head: () => bytes.subarray(0, 4),
    open: () => Readable.from([bytes], { objectMode: false }),
  };
}

export function isGzip(head: Buffer): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** The name without `.gz`, for telling CSV from JSONL and a CSV file's record type. */
export function logicalName(source: ImportSource): string {
  return source.name.replace(/\.gz$/i, '');
}

export interface OpenedSource {
  readonly stream: AsyncIterable<Buffer>;
  readonly gzip: boolean;
  /** Compressed bytes consumed so far. */
  bytesRead(): number;
  close(): void;
}

export function openSource(source: ImportSource): OpenedSource {
  const raw = source.open();
  const gzip = isGzip(source.head());
  let read = 0;
  raw.on('data', (chunk: Buffer) => {
    read += chunk.length;
  });
  if (!gzip) return { stream: raw, gzip, bytesRead: () => read, close: () => raw.destroy() };
  const gunzip = createGunzip({ chunkSize: READ_CHUNK_BYTES });
  raw.on('error', (error) => gunzip.destroy(error));
  raw.pipe(gunzip);
  return {
    stream: gunzip,
    gzip,
    bytesRead: () => read,
    close: () => {
      raw.destroy();
      gunzip.destroy();
    },
  };
}
