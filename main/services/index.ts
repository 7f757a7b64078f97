// Everything the window, the CLI and the tests can do is a call on these services.
import type { EmitEvent } from './events.js';
import { createPreferencesService, type PreferencesService } from './preferences.js';
import { createSessionService, type SessionOptions, type SessionService } from './session.js';
import { createAdminService, type AdminService } from './admin.js';
import { createBackupService, type BackupService } from './backup.js';
import { createAuditService, type AuditService } from './audit.js';
import { createPiiService, type PiiService } from './pii.js';
import { createImportService, type ImportService } from './import.js';
import { fillDemoStore } from './demo.js';
import { createAnalysisService, type AnalysisService, type AnalysisServiceOptions } from './analysisService.js';
import { createCaseDeskServices, type CaseDeskServices } from './caseDesk.js';
import { createFileChoiceService, type ChooseFiles, type FileChoiceService } from './fileChoice.js';

export type Host = 'electron' | 'browser';

export interface ServiceOptions {
  readonly dataDir: string;
  readonly host: Host;
  readonly osLocale: string;
  readonly version: string;
  readonly emit: EmitEvent;
  /** Store and session settings: OS key wrapper (Electron safeStorage), demo-data hook, scrypt cost for tests. */
  readonly session?: SessionOptions;
  /** The OS file dialog (Electron's shell; a stand-in in e2e tests). Without it the window uses a file input. */
  readonly chooseFiles?: ChooseFiles;
  /** When the fold of pending keys follows a run (tests lower the threshold and the delay). */
  readonly analysis?: AnalysisServiceOptions;
}

export interface Services extends CaseDeskServices {
  readonly appInfo: { name: string; version: string; host: Host; osLocale: string; nativeFileDialog: boolean };
  readonly preferences: PreferencesService;
  readonly session: SessionService;
  readonly admin: AdminService;
  readonly backup: BackupService;
  readonly audit: AuditService;
  readonly pii: PiiService;
  readonly importer: ImportService;
  readonly fileChoice: FileChoiceService;
  readonly analysis: AnalysisService;
  dispose(): void;
}

export function createServices(options: ServiceOptions): Services {
  const session = createSessionService(options.dataDir, options.emit, { fillDemoData: (opened) => fillDemoStore(opened).then(() => undefined), ...options.session });
  const preferences = createPreferencesService(options.dataDir, options.osLocale);
  const fileChoice = createFileChoiceService({ chooseFiles: options.chooseFiles, language: () => preferences.get().language });
  return {
    appInfo: { name: 'Vigil', version: options.version, host: options.host, osLocale: options.osLocale, nativeFileDialog: fileChoice.available },
    preferences,
    session,
    admin: createAdminService(session, options.session?.kdf === undefined ? {} : { kdf: options.session.kdf }),
    backup: createBackupService(session),
    audit: createAuditService(session),
    pii: createPiiService(session),
    importer: createImportService(session, options.emit),
    fileChoice,
    analysis: createAnalysisService(session, options.emit, options.analysis),
    ...createCaseDeskServices(session),
    dispose() {
      session.close();
    },
  };
}
