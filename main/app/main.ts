// The Electron shell: window, menu, lifecycle, protocol, IPC registration. Thin on purpose:
// everything it shows or does is a service in main/services, tested under Node.
import { app, BrowserWindow, dialog, Menu, powerMonitor, type MenuItemConstructorOptions } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRuntime, type Runtime } from '../runtime.js';
import type { FileChoiceRequest } from '../services/fileChoice.js';
import { ELECTRON_ORIGIN } from '../host/origin.js';
import { emitTo, registerIpc } from './ipcBridge.js';
import { registerAppScheme, serveRenderer } from './protocol.js';
import { applySecurityDefaults } from './security.js';
import { osKeyWrapper } from './osKeyWrapper.js';

const distDir = fileURLToPath(new URL('../', import.meta.url));
let mainWindow: BrowserWindow | null = null;
let runtime: Runtime | null = null;

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    title: 'Vigil',
    webPreferences: {
      preload: join(distDir, 'preload', 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: false,
      // Middle-click must not open a link in a new window (Electronegativity AUXCLICK_JS_CHECK).
      disableBlinkFeatures: 'Auxclick',
    },
  });
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    mainWindow = null;
  });
  window.loadURL(`${ELECTRON_ORIGIN}/index.html`).catch((error: unknown) => console.error('[vigil] could not load the renderer', error));
  return window;
}

/** The OS file dialog, modal on the main window; the paths go to main's file-choice service, never to the window. */
async function chooseFiles(request: FileChoiceRequest): Promise<string[]> {
  if (mainWindow === null) return [];
  const result = await dialog.showOpenDialog(mainWindow, {
    title: request.title,
    buttonLabel: request.buttonLabel,
    filters: request.filters.map((filter) => ({ name: filter.name, extensions: [...filter.extensions] })),
    properties: ['openFile', 'multiSelections', 'dontAddToRecent'],
  });
  return result.canceled ? [] : result.filePaths;
}

function buildMenu(): void {
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { label: 'View', submenu: [{ role: 'reload' }, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }] },
    { role: 'windowMenu' },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

function start(): void {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  registerAppScheme();
  app.on('second-instance', () => {
    if (mainWindow === null) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', () => {
    // Graceful quit: close the store (checkpoints the WAL) and drop the key.
    runtime?.dispose();
    runtime = null;
  });

  app
    .whenReady()
    .then(() => {
      applySecurityDefaults();
      serveRenderer(join(distDir, 'renderer'));
      const osKeys = osKeyWrapper();
      runtime = createRuntime({
        dataDir: process.env['VIGIL_DATA_DIR'] ?? app.getPath('userData'),
        host: 'electron',
        allowedOrigins: [ELECTRON_ORIGIN],
        osLocale: app.getLocale(),
        version: app.getVersion(),
        emit: emitTo(() => mainWindow?.webContents ?? null),
        session: osKeys === null ? {} : { osKeyWrapper: osKeys },
        chooseFiles,
      });
      const session = runtime.services.session;
      powerMonitor.on('lock-screen', () => session.lock('os'));
      powerMonitor.on('suspend', () => session.lock('suspend'));
      registerIpc(runtime.registry);
      buildMenu();
      mainWindow = createWindow();
    })
    .catch((error: unknown) => {
      console.error('[vigil] start-up failed', error);
      app.exit(1);
    });
}

start();
