// Spreadsheet uploads for the console's imports: a file comes as multipart or as the raw body (its
// name in the query) and is streamed to a temporary file, never held in memory; and the problems an
// import found, worded for the console.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError, renderField, type FieldError, type Lang } from './errors.ts';

/** Raw bodies taken as a file (what browsers and curl send for .xlsx/.csv). */
const RAW_TYPES = [
  'application/octet-stream',
  'text/csv',
  'application/csv',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.ms-excel',
];

/** A place for an upload; the extension is kept because it decides how the file is read. */
function uploadPath(dir: string, fileName: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const ext = path.extname(fileName).toLowerCase();
  return path.join(dir, `${randomUUID()}${ext}`);
}

/** Lets the plugin's routes take one file of at most `maxMb`, multipart or raw (left unparsed). */
export async function acceptUploads(app: FastifyInstance, maxMb: number): Promise<void> {
  await app.register(multipart, { limits: { files: 1, fileSize: maxMb * 1024 * 1024 } });
  app.addContentTypeParser(RAW_TYPES, (_req, payload, done) => done(null, payload));
}

/** Only .xlsx and .csv, as the console asks: an .xls, a .txt or a .docx is refused by its name, before any of it is stored. */
function assertSpreadsheet(name: string): void {
  const ext = path.extname(name).toLowerCase();
  if (ext !== '.xlsx' && ext !== '.csv')
    throw new DomainError('import.file_type', { name: path.basename(name) });
}

/**
 * Streams the request's file into `dir` (the configured upload folder), whichever way it came.
 * @throws import.unreadable (a form without a file) | import.file_type | import.too_large
 */
export async function receiveUpload(
  req: FastifyRequest,
  dir: string,
  maxMb: number,
  fallbackName: string,
): Promise<{ file: string; name: string }> {
  const limit = maxMb * 1024 * 1024;
  if (req.isMultipart()) {
    const part = await req.file({ limits: { fileSize: limit } });
    if (!part) throw new DomainError('import.unreadable', { reason: 'no file in the form' });
    assertSpreadsheet(part.filename);
    const file = uploadPath(dir, part.filename);
    await pipeline(part.file, fs.createWriteStream(file));
    if (part.file.truncated) {
      fs.rmSync(file, { force: true });
      throw new DomainError('import.too_large', { max: maxMb });
    }
    return { file, name: part.filename };
  }
  const name = fallbackName;
  assertSpreadsheet(name);
  const file = uploadPath(dir, name);
  const body = req.body as Readable;
  let size = 0;
  body.on('data', (c: Buffer) => {
    size += c.length;
    if (size > limit) body.destroy(new DomainError('import.too_large', { max: maxMb }));
  });
  try {
    await pipeline(body, fs.createWriteStream(file));
  } catch (err) {
    fs.rmSync(file, { force: true });
    throw err;
  }
  return { file, name };
}

/** The first `shown` problems, each with its Excel row, column, code and message in `lang`. */
export function wordProblems(list: FieldError[], lang: Lang, shown = 1000) {
  return list.slice(0, shown).map((e) => {
    const x = renderField(e, lang);
    return { row: x.row ?? null, column: x.path, code: x.code, message: x.message };
  });
}
