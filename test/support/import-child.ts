// Child process for the kill-and-resume test: imports a file into a store and SIGKILLs itself right
// after its Nth committed transaction, the harshest interruption there is (no cleanup, no close).
//   node --import tsx test/support/import-child.ts STORE_DIR FILE BATCH_SIZE KILL_AFTER_COMMITS
import { importFiles } from '../../main/services/import.js';
import { unlockStore } from '../../main/store/open.js';

const [storeDir, file, batchSize, killAfter] = process.argv.slice(2);
const { store } = await unlockStore(storeDir ?? '', { username: 'admin', passphrase: process.env['VIGIL_PASSPHRASE'] ?? '' });
let commits = 0;
await importFiles(store, [{ path: file ?? '' }], {
  batchSize: Number(batchSize),
  onCommit: (records) => {
    commits += 1;
    if (commits === Number(killAfter)) {
      process.stdout.write(`killed after ${records} records\n`);
      process.kill(process.pid, 'SIGKILL');
    }
  },
});
process.stdout.write('finished without being killed\n');
