// Notes and evidence on a case. Bodies and files stay inside the encrypted store; the audit records
// that something was added (size, sha256), never its content, because the audit is read more widely.
import { createHash, randomUUID } from 'node:crypto';
import { VigilError } from '../../shared/errors.js';
import type { CaseAttachment, CaseNote } from '../../shared/ipc/ops/cases.js';
import { appendAudit } from '../store/audit.js';
import { repositoryFor } from '../store/repositories/cache.js';
import { createNotesRepository, type AttachmentRow } from '../store/repositories/notes.js';
import { ensureCase, openDesk, permissions } from './cases.js';
import type { SessionService } from './session.js';

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export interface NotesService {
  addNote(input: { applicationId: string; format: 'plain' | 'markdown'; body: string }): CaseNote;
  addAttachment(input: { applicationId: string; fileName: string; mediaType: string; contentBase64: string }): CaseAttachment;
  attachment(attachmentId: string): CaseAttachment & { contentBase64: string };
}

function attachmentView(row: AttachmentRow): CaseAttachment {
  return {
    id: row.id,
    fileName: row.fileName,
    mediaType: row.mediaType,
    sizeBytes: row.sizeBytes,
    sha256: row.sha256,
    addedBy: { id: row.addedBy, displayName: row.addedByName },
    addedAt: row.addedAt,
  };
}

/** A file name as stored: no path, no control characters (it may end up as a download's name). */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex -- stripping control characters is the point
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return clean === '' || clean === '.' || clean === '..' ? 'attachment' : clean.slice(0, 255);
}

export function createNotesService(session: SessionService): NotesService {
  return {
    addNote(input) {
      const desk = openDesk(session);
      const body = input.body.trim();
      if (body === '') throw new VigilError('invalid_input', 'a note needs some text', 'body');
      if (!permissions(desk.user, 'open', null).annotate) throw new VigilError('forbidden_role', `the ${desk.user.role} role cannot write case notes`);
      const notes = repositoryFor(desk.db, createNotesRepository);
      const id = randomUUID();
      const at = desk.now.toISOString();
      desk.db
        .transaction(() => {
          const row = ensureCase(desk, input.applicationId);
          notes.insertNote({ id, caseId: row.id, authorId: desk.user.id, format: input.format, body, createdAt: at });
          appendAudit(desk.db, { actor: desk.user.id, action: 'case.note', target: `case:${input.applicationId}`, after: { noteId: id, format: input.format, characters: body.length }, at });
        })
        .immediate();
      const note = notes.note(id);
      if (note === undefined) throw new Error('note vanished after insert');
      return { id: note.id, format: note.format, body: note.body, author: { id: note.authorId, displayName: note.authorName }, createdAt: note.createdAt };
    },

    addAttachment(input) {
      const desk = openDesk(session);
      if (!permissions(desk.user, 'open', null).annotate) throw new VigilError('forbidden_role', `the ${desk.user.role} role cannot attach evidence`);
      if (!BASE64.test(input.contentBase64) || input.contentBase64.length % 4 !== 0) throw new VigilError('invalid_input', 'the file content is not base64', 'contentBase64');
      const content = Buffer.from(input.contentBase64, 'base64');
      if (content.length > MAX_ATTACHMENT_BYTES) throw new VigilError('invalid_input', `a file may have at most ${MAX_ATTACHMENT_BYTES} bytes`, 'contentBase64');
      const sha256 = createHash('sha256').update(content).digest('hex');
      const fileName = cleanFileName(input.fileName);
      const mediaType = /^[\w.+-]+\/[\w.+-]+$/.test(input.mediaType) ? input.mediaType : 'application/octet-stream';
      const notes = repositoryFor(desk.db, createNotesRepository);
      const id = randomUUID();
      const at = desk.now.toISOString();
      desk.db
        .transaction(() => {
          const row = ensureCase(desk, input.applicationId);
          notes.insertAttachment({ id, caseId: row.id, fileName, mediaType, sha256, content, addedBy: desk.user.id, addedAt: at });
          appendAudit(desk.db, {
            actor: desk.user.id,
            action: 'case.attach',
            target: `case:${input.applicationId}`,
            after: { attachmentId: id, fileName, sizeBytes: content.length, sha256 },
            at,
          });
        })
        .immediate();
      const stored = notes.attachment(id);
      if (stored === undefined) throw new Error('attachment vanished after insert');
      return attachmentView(stored);
    },

    attachment(attachmentId) {
      const desk = openDesk(session);
      const notes = repositoryFor(desk.db, createNotesRepository);
      const row = notes.attachment(attachmentId);
      const content = notes.attachmentContent(attachmentId);
      if (row === undefined || content === undefined) throw new VigilError('not_found', `there is no attachment ${attachmentId}`, 'attachmentId');
      // The bytes shown must be the bytes received: a mismatch means the store was altered.
      if (createHash('sha256').update(content).digest('hex') !== row.sha256) throw new VigilError('store_corrupt', `attachment ${attachmentId} no longer matches its sha256`);
      return { ...attachmentView(row), contentBase64: content.toString('base64') };
    },
  };
}
