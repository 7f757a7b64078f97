import { useRef, useState, type DragEvent, type ReactNode } from 'react';
import type { ImportSummaryView } from '../../../../shared/ipc/ops/import.js';
import { RECORD_TYPES } from '../../../../shared/interchange/schema.js';
import type { OperationOutput } from '../../../../shared/ipc/contract.js';
import { call } from '../../ipc/client.js';
import { useVigilEvent } from '../../ipc/events.js';
import { useI18n } from '../../i18n/I18nProvider.js';
import { localiseRejection } from '../../../../shared/interchange/rejectionText.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { ProgressBar } from '../../components/States.js';
import { formatNumber } from '../../format/format.js';
import { fileToBase64, formatBytes, saveBlob } from '../../format/files.js';

/** What may cross to main as content per file (the contract's limit); files chosen in main's dialog have no limit. */
export const MAX_IMPORT_BYTES = 48 * 1024 * 1024;
const ACCEPT = '.jsonl,.json,.gz,.csv,application/json,text/csv,application/gzip';

interface Running {
  readonly taskId: string;
  readonly files: readonly string[];
  readonly done: number;
  readonly total: number | null;
  readonly rate: number | null;
  readonly message: string | null;
  readonly cancelling: boolean;
}

function newTaskId(): string {
  const bytes = new Uint8Array(8);
  crypto.getRandomValues(bytes);
  return `import-${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}

async function payloadOf(file: File): Promise<{ name: string; text?: string; base64?: string }> {
  // Gzip stays bytes (base64); text goes as text so nothing is decoded twice.
  if (/\.gz$/i.test(file.name)) return { name: file.name, base64: await fileToBase64(file) };
  try {
    return { name: file.name, text: new TextDecoder('utf-8', { fatal: true }).decode(await file.arrayBuffer()) };
  } catch {
    // Not UTF-8 (a GBK export, say): the bytes go as they are, and the import rejects the lines that are
    // not UTF-8 by file and line, where decoding here would have read them with replacement characters.
    return { name: file.name, base64: await fileToBase64(file) };
  }
}

/**
 * Import of the risk platform's exports: choose or drop files, watch records per second, cancel (what
 * was committed stays, and the summary says so), then read the counts and download the rejected lines.
 */
export function ImportPage(props: { nativeFileDialog: boolean }): ReactNode {
  const { t, language } = useI18n();
  const [running, setRunning] = useState<Running | null>(null);
  const [summary, setSummary] = useState<ImportSummaryView | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [strict, setStrict] = useState(false);
  const [dragging, setDragging] = useState(false);
  const [choosing, setChoosing] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const busy = running !== null || choosing;

  useVigilEvent('progress', (event) => {
    setRunning((current) =>
      current === null || current.taskId !== event.taskId ? current : { ...current, done: event.done, total: event.total, rate: event.ratePerSecond, message: event.message ?? null },
    );
  });

  /** One import at a time: shows the progress panel for `files`, then the summary or the failure. */
  const runImport = async (files: readonly string[], perform: (taskId: string) => Promise<ImportSummaryView>): Promise<void> => {
    setProblem(null);
    setFailure(null);
    setSummary(null);
    const taskId = newTaskId();
    setRunning({ taskId, files, done: 0, total: null, rate: null, message: null, cancelling: false });
    try {
      setSummary(await perform(taskId));
    } catch (error) {
      setFailure(error);
    } finally {
      setRunning(null);
      if (input.current !== null) input.current.value = '';
    }
  };

  /** Files from the file input or a drop: their content crosses to main (the browser host has no paths). */
  const start = async (list: FileList | null): Promise<void> => {
    const files = Array.from(list ?? []);
    if (files.length === 0 || busy) return;
    const tooLarge = files.find((file) => file.size > MAX_IMPORT_BYTES);
    if (tooLarge !== undefined) {
      setProblem(t(props.nativeFileDialog ? 'import.tooLargeDropped' : 'import.tooLarge', { name: tooLarge.name, max: formatBytes(MAX_IMPORT_BYTES) }));
      return;
    }
    await runImport(
      files.map((file) => file.name),
      async (taskId) => call('importFileContents', { files: await Promise.all(files.map(payloadOf)), taskId, strict }),
    );
  };

  /** Main's own file dialog (Electron): main keeps the paths, the window gets names, sizes and a one-time id. */
  const chooseNative = async (): Promise<void> => {
    if (busy) return;
    setChoosing(true);
    let selection: OperationOutput<'chooseImportFiles'>;
    try {
      selection = await call('chooseImportFiles', {});
    } catch (error) {
      setProblem(null);
      setSummary(null);
      setFailure(error);
      return;
    } finally {
      setChoosing(false);
    }
    if (selection === null) return; // the person cancelled the dialog
    const { selectionId, files } = selection;
    await runImport(
      files.map((file) => t('import.chosenSize', { name: file.name, size: formatBytes(file.size) })),
      (taskId) => call('importChosenFiles', { selectionId, taskId, strict }),
    );
  };

  const cancel = (): void => {
    if (running === null) return;
    setRunning({ ...running, cancelling: true });
    call('cancelImport', { taskId: running.taskId }).catch((error: unknown) => setFailure(error));
  };

  const downloadReport = (): void => {
    if (summary === null) return;
    call('getImportReport', { batchId: summary.batchId }).then(
      (report) => saveBlob(new Blob([report.text], { type: 'text/plain;charset=utf-8' }), `vigil-import-${report.batchId ?? summary.batchId}-rejected.txt`),
      (error: unknown) => setFailure(error),
    );
  };

  const onDrop = (event: DragEvent<HTMLDivElement>): void => {
    event.preventDefault();
    setDragging(false);
    void start(event.dataTransfer.files);
  };

  const fraction = running?.total !== null && running?.total !== undefined && running.total > 0 ? running.done / running.total : null;

  return (
    <section className="page import-page" aria-labelledby="page-title" data-testid="import-page">
      <header className="page-head">
        <h1 id="page-title">{t('page.import.title')}</h1>
      </header>
      <p className="lead">{t('import.intro')}</p>
      <div
        className={dragging ? 'drop-zone dragging' : 'drop-zone'}
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        data-testid="import-drop-zone"
      >
        <p className="drop-title">{t('import.drop')}</p>
        {props.nativeFileDialog ? (
          <button type="button" onClick={() => void chooseNative()} disabled={busy} aria-busy={choosing} data-testid="import-choose">
            {t(choosing ? 'import.choosing' : 'import.choose')}
          </button>
        ) : (
          <label className="file-button">
            <span>{t('import.choose')}</span>
            <input
              ref={input}
              type="file"
              multiple
              accept={ACCEPT}
              disabled={busy}
              onChange={(event) => void start(event.target.files)}
              data-testid="import-file-input"
            />
          </label>
        )}
        <p className="help">{t(props.nativeFileDialog ? 'import.formatsNative' : 'import.formats', { max: formatBytes(MAX_IMPORT_BYTES) })}</p>
        <label className="inline-check">
          <input type="checkbox" checked={strict} onChange={(event) => setStrict(event.target.checked)} disabled={busy} />
          {t('import.strict')}
        </label>
      </div>
      {problem !== null && <p className="field-problem">{problem}</p>}

      {running !== null && (
        <div className="panel import-progress" data-testid="import-progress" aria-live="polite">
          <h2>{t('import.running', { files: running.files.join(t('common.listSeparator')) })}</h2>
          <ProgressBar value={fraction} label={t('import.progress')} />
          <div className="progress-facts">
            <span>{fraction === null ? t('import.starting') : t('import.percent', { percent: Math.round(fraction * 100) })}</span>
            <span data-testid="import-rate">{running.rate === null ? '' : t('import.rate', { rate: formatNumber(language, running.rate) })}</span>
            {running.message !== null && <span className="muted">{running.message}</span>}
            <button type="button" className="secondary" onClick={cancel} disabled={running.cancelling} data-testid="import-cancel">
              {t(running.cancelling ? 'import.cancelling' : 'common.cancel')}
            </button>
          </div>
        </div>
      )}

      {failure !== null && <ErrorMessage error={failure} />}

      {summary !== null && (
        <div className="panel import-summary" data-testid="import-summary" data-status={summary.status}>
          <h2>{t(`import.status.${summary.status}`)}</h2>
          <p>{summary.cancelled ? t('import.cancelledKept', { count: formatNumber(language, summary.totals.inserted + summary.totals.updated) }) : t('import.done', { seconds: formatNumber(language, summary.durationMs / 1000, 1) })}</p>
          <table className="data-table">
            <caption className="visually-hidden">{t('import.countsCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('import.col.type')}</th>
                <th scope="col">{t('import.col.inserted')}</th>
                <th scope="col">{t('import.col.updated')}</th>
                <th scope="col">{t('import.col.unchanged')}</th>
              </tr>
            </thead>
            <tbody>
              {RECORD_TYPES.map((type) => {
                const counts = summary.counts[type];
                if (counts.inserted + counts.updated + counts.unchanged === 0) return null;
                return (
                  <tr key={type} data-testid={`import-count-${type}`}>
                    <th scope="row">{t(`recordType.${type}`)}</th>
                    <td>{formatNumber(language, counts.inserted)}</td>
                    <td>{formatNumber(language, counts.updated)}</td>
                    <td>{formatNumber(language, counts.unchanged)}</td>
                  </tr>
                );
              })}
              <tr className="total-row">
                <th scope="row">{t('import.total')}</th>
                <td>{formatNumber(language, summary.totals.inserted)}</td>
                <td>{formatNumber(language, summary.totals.updated)}</td>
                <td>{formatNumber(language, summary.totals.unchanged)}</td>
              </tr>
            </tbody>
          </table>
          <p>{t('import.findings', { count: formatNumber(language, summary.findings) })}</p>
          <h3>{t('import.rejected', { count: formatNumber(language, summary.rejectedTotal) })}</h3>
          {summary.rejectedTotal === 0 ? (
            <p className="empty-state">{t('import.noRejected')}</p>
          ) : (
            <>
              <ol className="rejected-lines" data-testid="import-rejected">
                {summary.rejected.slice(0, 20).map((line) => (
                  <li key={`${line.file}:${line.line}`}>
                    <code>{line.line === 0 ? line.file : `${line.file}:${line.line}`}</code>{' '}
                    {localiseRejection(language, line.message)}
                  </li>
                ))}
              </ol>
              <button type="button" className="secondary" onClick={downloadReport} data-testid="import-report">
                {t('import.downloadReport')}
              </button>
            </>
          )}
        </div>
      )}
    </section>
  );
}
