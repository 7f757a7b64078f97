import { useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { CaseAttachment, CaseDetail, CaseNote } from '../../../../shared/ipc/ops/cases.js';
import { call } from '../../ipc/client.js';
import { useI18n } from '../../i18n/I18nProvider.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Markdown } from '../../components/Markdown.js';
import { formatDateTime } from '../../format/format.js';
import { base64ToBlob, fileToBase64, formatBytes, saveBlob } from '../../format/files.js';

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

export function NotesPanel(props: { detail: CaseDetail; onNote: (note: CaseNote) => void; onAttachment: (attachment: CaseAttachment) => void }): ReactNode {
  const { t, language } = useI18n();
  const { detail } = props;
  const [body, setBody] = useState('');
  const [format, setFormat] = useState<'plain' | 'markdown'>('plain');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const [fileProblem, setFileProblem] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const addNote = (event: FormEvent): void => {
    event.preventDefault();
    if (body.trim() === '' || busy) return;
    setBusy(true);
    setFailure(null);
    call('addCaseNote', { applicationId: detail.applicationId, format, body: body.trim() }).then(
      (note) => {
        setBody('');
        setBusy(false);
        props.onNote(note);
      },
      (error: unknown) => {
        setBusy(false);
        setFailure(error);
      },
    );
  };

  const attach = async (files: FileList | null): Promise<void> => {
    setFileProblem(null);
    setFailure(null);
    for (const file of Array.from(files ?? [])) {
      if (file.size > MAX_ATTACHMENT_BYTES) {
        setFileProblem(t('evidence.tooLarge', { name: file.name, max: formatBytes(MAX_ATTACHMENT_BYTES) }));
        continue;
      }
      try {
        const attachment = await call('addCaseAttachment', {
          applicationId: detail.applicationId,
          fileName: file.name,
          mediaType: file.type === '' ? 'application/octet-stream' : file.type,
          contentBase64: await fileToBase64(file),
        });
        props.onAttachment(attachment);
      } catch (error) {
        setFailure(error);
      }
    }
    if (fileInput.current !== null) fileInput.current.value = '';
  };

  const download = (attachment: CaseAttachment): void => {
    call('getCaseAttachment', { attachmentId: attachment.id }).then(
      (full) => saveBlob(base64ToBlob(full.contentBase64, full.mediaType), full.fileName),
      (error: unknown) => setFailure(error),
    );
  };

  return (
    <div className="notes-panel" data-testid="notes-panel">
      <section aria-labelledby="notes-title">
        <h3 id="notes-title">{t('notes.title', { count: detail.notes.length })}</h3>
        {detail.notes.length === 0 ? (
          <p className="empty-state">{t('notes.empty')}</p>
        ) : (
          <ol className="note-list">
            {detail.notes.map((note) => (
              <li key={note.id} data-testid="note">
                <div className="note-meta">
                  <strong>{note.author.displayName}</strong>
                  <time dateTime={note.createdAt}>{formatDateTime(language, note.createdAt)}</time>
                </div>
                {note.format === 'markdown' ? <Markdown source={note.body} /> : <p className="plain-note">{note.body}</p>}
              </li>
            ))}
          </ol>
        )}
        {detail.can.annotate && (
          <form onSubmit={addNote} className="note-form">
            <label htmlFor="note-body">{t('notes.add')}</label>
            <textarea id="note-body" rows={4} value={body} onChange={(event) => setBody(event.target.value)} maxLength={20000} data-testid="note-body" />
            <div className="note-actions">
              <label className="inline-check">
                <input type="checkbox" checked={format === 'markdown'} onChange={(event) => setFormat(event.target.checked ? 'markdown' : 'plain')} />
                {t('notes.markdown')}
              </label>
              <button type="submit" disabled={busy || body.trim() === ''} data-testid="note-submit">
                {t('notes.save')}
              </button>
            </div>
          </form>
        )}
      </section>
      <section aria-labelledby="evidence-title">
        <h3 id="evidence-title">{t('evidence.title', { count: detail.attachments.length })}</h3>
        {detail.attachments.length === 0 ? (
          <p className="empty-state">{t('evidence.empty')}</p>
        ) : (
          <ul className="attachment-list">
            {detail.attachments.map((attachment) => (
              <li key={attachment.id} data-testid="attachment">
                <button type="button" className="link-button" onClick={() => download(attachment)}>
                  {attachment.fileName}
                </button>
                <span>{formatBytes(attachment.sizeBytes)}</span>
                <span>{t('evidence.addedBy', { name: attachment.addedBy.displayName, time: formatDateTime(language, attachment.addedAt) })}</span>
                <code title={t('evidence.sha256')}>{attachment.sha256.slice(0, 16)}…</code>
              </li>
            ))}
          </ul>
        )}
        {detail.can.annotate && (
          <div className="attach-row">
            {/* The native file control words its button in the browser's language, not the app's. */}
            <label className="file-button small">
              <span>{t('evidence.add')}</span>
              <input ref={fileInput} type="file" multiple onChange={(event) => void attach(event.target.files)} data-testid="attach-file" />
            </label>
            <p className="help">{t('evidence.help', { max: formatBytes(MAX_ATTACHMENT_BYTES) })}</p>
          </div>
        )}
        {fileProblem !== null && <p className="field-problem">{fileProblem}</p>}
        {failure !== null && <ErrorMessage error={failure} />}
      </section>
    </div>
  );
}
