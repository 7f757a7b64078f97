// Full rekey: a new data key, the whole file re-encrypted, every slot resealed. Three steps, each
// durable, so a crash at any point leaves a store that opens (see openWithSlotKeys in open.ts).
import { randomBytes } from 'node:crypto';
import { VigilError } from '../../shared/errors.js';
import { appendAudit } from './audit.js';
import { storeBusyError } from './busy.js';
import { DATA_KEY_BYTES, rekeyDatabase } from './database.js';
import { promoteNextDataKey, readKeyring, withNextDataKey, writeKeyring } from './keyring/keyring.js';
import { replaceDataKey, withoutBackgroundConnections, type StoreHandle, type StoreUser } from './open.js';

export async function rekeyStore(store: StoreHandle, actor: StoreUser): Promise<{ slots: number }> {
  const newKey = randomBytes(DATA_KEY_BYTES);
  try {
    const keyring = readKeyring(store.dir);
    // 1: the keyring knows both keys; 2: the database moves to the new one; 3: the old key is forgotten.
    // Step 1 waits until the file is ready to be re-encrypted: another connection holding it open (a
    // `vigil` command) stops the rekey before any key is written.
    await withoutBackgroundConnections(store, () => {
      try {
        rekeyDatabase(store.db, newKey, () => writeKeyring(store.dir, withNextDataKey(keyring, newKey)));
      } catch (error) {
        if (storeBusyError(error) === null) throw error;
        throw new VigilError('store_busy', 'the store cannot be rekeyed while another program (a vigil command, say) has it open: close that program, then rekey again; nothing was changed');
      }
      writeKeyring(store.dir, promoteNextDataKey(readKeyring(store.dir)));
      replaceDataKey(store, newKey);
    });
    // Recorded once it happened: a rekey that could not run leaves no entry saying it did.
    appendAudit(store.db, { actor: actor.id, action: 'store.rekey', target: `store:${store.storeId}`, after: { slots: keyring.slots.length } });
    return { slots: keyring.slots.length };
  } finally {
    newKey.fill(0);
  }
}
