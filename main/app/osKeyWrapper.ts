// "Unlock with my OS account": the data key wrapped by Electron safeStorage (Keychain, DPAPI,
// libsecret/kwallet). On Linux the backend is recorded with the slot, because a key wrapped by
// libsecret cannot be unwrapped after a switch to `basic_text`; the store refuses with a clear message.
import { safeStorage } from 'electron';
import type { KeyWrapper } from '../store/open.js';

export function osKeyWrapper(): KeyWrapper | null {
  if (!safeStorage.isEncryptionAvailable()) return null;
  const backend = process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : process.platform;
  // basic_text is a hard-coded key, not an OS secret: offering it would be a false promise.
  if (backend === 'basic_text' || backend === 'unknown') return null;
  return {
    kind: 'os',
    backend,
    wrap: (secret) => safeStorage.encryptString(secret.toString('base64')),
    unwrap: (wrapped) => Buffer.from(safeStorage.decryptString(wrapped), 'base64'),
  };
}
