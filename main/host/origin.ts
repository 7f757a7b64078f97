/** Where the renderer lives in each host; the IPC registry accepts calls only from these origins. */
export const ELECTRON_ORIGIN = 'app://vigil';
/** `.invalid` never resolves: every request to it is answered in-process by the host, none reaches a network. */
export const BROWSER_HOST_ORIGIN = 'https://vigil.invalid';

/**
 * Scheme + host of a frame URL. WHATWG gives custom schemes such as app:// an opaque "null" origin,
 * so the origin is spelled out here the way Chromium treats a registered standard scheme.
 */
export function originOf(frameUrl: string): string {
  try {
    const url = new URL(frameUrl);
    return url.host === '' ? 'null' : `${url.protocol}//${url.host}`;
  } catch {
    return 'null';
  }
}
