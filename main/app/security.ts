// Electron's security checklist, applied to every window and web contents the app ever creates.
import { app, session, shell, type WebContents } from 'electron';
import { ELECTRON_ORIGIN } from '../host/origin.js';

/** Links the app may open in the user's browser; nothing else leaves the app. */
const EXTERNAL_ALLOW_LIST = [/^https:\/\/github\.com\/[\w.-]+\/vigil(\/|$)/];

export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export function openExternalIfAllowed(url: string): void {
  if (EXTERNAL_ALLOW_LIST.some((pattern) => pattern.test(url))) {
    shell.openExternal(url).catch(() => undefined);
  }
}

function hardenContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (new URL(url).origin !== ELECTRON_ORIGIN) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (new URL(url).origin !== ELECTRON_ORIGIN) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternalIfAllowed(url);
    return { action: 'deny' };
  });
}

export function applySecurityDefaults(): void {
  app.on('web-contents-created', (_event, contents) => hardenContents(contents));
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  // Nothing but the app's own origin: no remote content of any kind.
  ses.webRequest.onBeforeRequest((details, callback) => {
    const allowed = details.url.startsWith(`${ELECTRON_ORIGIN}/`) || details.url.startsWith('devtools://');
    callback({ cancel: !allowed });
  });
}
