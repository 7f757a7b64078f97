// Case notes and evidence attachments (003_workflow). Attachment bytes live inside the encrypted
// database as a BLOB with their sha256; listing never reads the bytes.
import type { Statement } from 'better-sqlite3-multiple-ciphers';
import type { Database } from '../database.js';

export interface NoteRow {
  readonly id: string;
  readonly caseId: string;
  readonly authorId: string;
  readonly authorName: string;
  readonly format: 'plain' | 'markdown';
  readonly body: string;
  readonly createdAt: string;
}

export interface AttachmentRow {
  readonly id: string;
  readonly caseId: string;
  readonly fileName: string;
  readonly mediaType: string;
  readonly sizeBytes: number;
  readonly sha256: string;
  readonly addedBy: string;
  readonly addedByName: string;
  readonly addedAt: string;
}

interface NoteSqlRow {
  id: string;
  case_id: string;
  author_id: string;
  author_name: string | null;
  format: 'plain' | 'markdown';
  body: string;
  created_at: string;
}
interface AttachmentSqlRow {
  id: string;
  case_id: string;
  file_name: string;
  media_type: string;
  size_bytes: number;
  sha256: string;
  added_by: string;
  added_by_name: string | null;
  added_at: string;
}

export interface NotesRepository {
  insertNote(note: { id: string; caseId: string; authorId: string; format: 'plain' | 'markdown'; body: string; createdAt: string }): void;
  note(id: string): NoteRow | undefined;
  notesFor(caseId: string): NoteRow[];
  insertAttachment(attachment: { id: string; caseId: string; fileName: string; mediaType: string; sha256: string; content: Buffer; addedBy: string; addedAt: string }): void;
  attachment(id: string): AttachmentRow | undefined;
  attachmentContent(id: string): Buffer | undefined;
  attachmentsFor(caseId: string): AttachmentRow[];
}

const toNote = (row: NoteSqlRow): NoteRow => ({
  id: row.id,
  caseId: row.case_id,
  authorId: row.author_id,
  authorName: row.author_name ?? row.author_id,
  format: row.format,
  body: row.body,
  createdAt: row.created_at,
});
const toAttachment = (row: AttachmentSqlRow): AttachmentRow => ({
  id: row.id,
  caseId: row.case_id,
  fileName: row.file_name,
  mediaType: row.media_type,
  sizeBytes: row.size_bytes,
  sha256: row.sha256,
  addedBy: row.added_by,
  addedByName: row.added_by_name ?? row.added_by,
  addedAt: row.added_at,
});

export function createNotesRepository(db: Database): NotesRepository {
  const noteColumns = 'n.id, n.case_id, n.author_id, u.display_name AS author_name, n.format, n.body, n.created_at';
  const attachmentColumns = 'a.id, a.case_id, a.file_name, a.media_type, a.size_bytes, a.sha256, a.added_by, u.display_name AS added_by_name, a.added_at';
  const insertNote = db.prepare('INSERT INTO case_notes (id, case_id, author_id, format, body, created_at) VALUES (?, ?, ?, ?, ?, ?)');
  const note: Statement<[string], NoteSqlRow> = db.prepare(`SELECT ${noteColumns} FROM case_notes n LEFT JOIN users u ON u.id = n.author_id WHERE n.id = ?`);
  const notesFor: Statement<[string], NoteSqlRow> = db.prepare(
    `SELECT ${noteColumns} FROM case_notes n LEFT JOIN users u ON u.id = n.author_id WHERE n.case_id = ? ORDER BY n.created_at, n.rowid`,
  );
  const insertAttachment = db.prepare(
    'INSERT INTO case_attachments (id, case_id, file_name, media_type, size_bytes, sha256, content, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const attachment: Statement<[string], AttachmentSqlRow> = db.prepare(
    `SELECT ${attachmentColumns} FROM case_attachments a LEFT JOIN users u ON u.id = a.added_by WHERE a.id = ?`,
  );
  const content = db.prepare('SELECT content FROM case_attachments WHERE id = ?').pluck() as Statement<[string], Buffer>;
  const attachmentsFor: Statement<[string], AttachmentSqlRow> = db.prepare(
    `SELECT ${attachmentColumns} FROM case_attachments a LEFT JOIN users u ON u.id = a.added_by WHERE a.case_id = ? ORDER BY a.added_at, a.rowid`,
  );
  return {
    insertNote(row) {
      insertNote.run(row.id, row.caseId, row.authorId, row.format, row.body, row.createdAt);
    },
    note(id) {
      const row = note.get(id);
      return row === undefined ? undefined : toNote(row);
    },
    notesFor: (caseId) => notesFor.all(caseId).map(toNote),
    insertAttachment(row) {
      insertAttachment.run(row.id, row.caseId, row.fileName, row.mediaType, row.content.length, row.sha256, row.content, row.addedBy, row.addedAt);
    },
    attachment(id) {
      const row = attachment.get(id);
      return row === undefined ? undefined : toAttachment(row);
    },
    attachmentContent: (id) => content.get(id),
    attachmentsFor: (caseId) => attachmentsFor.all(caseId).map(toAttachment),
  };
}
